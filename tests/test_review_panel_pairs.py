"""The Review panel with three annotators: choose which two to compare, and names in the text stay as written."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from windows import click_listed, listed

from annotator.domain import NewDocument, Span
from annotator.storage import Store

TEXT = "Activists of human rights groups met in Kyiv."
VERSIONS = {"alice": "ORG", "bob": "ORG", "carol": "NORP"}  # the label each gives "human rights groups"


def test_choose_a_pair_then_take_one_version_into_the_final_layer(qtbot, make_window, db_path: Path) -> None:
    groups, kyiv = TEXT.index("human rights groups"), TEXT.index("Kyiv")
    with Store(db_path) as store:
        doc = store.add_documents([NewDocument(TEXT)]).added[0]
    for person, label in VERSIONS.items():
        with Store(db_path, annotator=person) as store:
            store.add_span(doc, Span.of(TEXT, groups, groups + len("human rights groups"), label))
            store.add_span(doc, Span.of(TEXT, kyiv, kyiv + 4, "GPE"))
    win = make_window(Store(db_path, annotator="alice"))
    qtbot.keyClick(win.article, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)
    panel = win.review.window.panel
    qtbot.waitUntil(lambda: panel.refresh_button.isEnabled(), timeout=60_000)
    bar = panel.tabs.tabBar()
    qtbot.mouseClick(bar, Qt.MouseButton.LeftButton, pos=bar.tabRect(1).center())
    # alice and bob agree entirely; alice and carol on Kyiv only: span F1 1/2.
    # Tokens  Activists of human rights groups met in Kyiv .
    #   alice: O O ORG ORG ORG O O GPE O   carol: O O NORP NORP NORP O O GPE O
    # observed 6/9; chance (5*5 + 1*1)/81 = 26/81; kappa = (54-26)/(81-26) = 28/55 = 0.51.
    assert [panel.pair_choice.itemText(i) for i in range(panel.pair_choice.count())] == [
        "alice and bob: span F1 1.00, kappa 1.00", "alice and carol: span F1 0.50, kappa 0.51",
        "bob and carol: span F1 0.50, kappa 0.51"]
    assert listed(panel.differences) == []
    panel.pair_choice.setFocus()
    qtbot.keyClick(panel.pair_choice, Qt.Key.Key_Down)
    assert listed(panel.differences) == [
        "doc 1 · wrong label: carol “human rights groups” NORP — alice “human rights groups” ORG"]
    click_listed(qtbot, panel.differences, 0)
    assert win.article.selected_range() == (groups, groups + len("human rights groups"))
    assert panel.take_second.text() == "Take carol's version"
    qtbot.mouseClick(panel.take_second, Qt.MouseButton.LeftButton)
    with Store(db_path, annotator="final") as final:
        assert [(s.text, s.label) for s in final.spans(1)] == [("human rights groups", "NORP"), ("Kyiv", "GPE")]
    win.close()
