"""The Review window scores only the layers the gold annotates, lists the others and shows the confusion matrix."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from windows import listed

from annotator.domain import NUMBERS, ORIGIN_IMPORT, NewDocument, Span
from annotator.storage import Store

TEXT = "Alice met 3 people from Acme in Paris."


def span(word: str, label: str, **fields) -> Span:
    start = TEXT.index(word)
    return Span.of(TEXT, start, start + len(word), label, **fields)


def test_a_gold_of_entities_only_leaves_the_numbers_layer_out(qtbot, make_window, db_path: Path) -> None:
    gold = [span("Alice", "PERSON", origin=ORIGIN_IMPORT), span("Acme", "ORG", origin=ORIGIN_IMPORT),
            span("Paris", "GPE", origin=ORIGIN_IMPORT)]
    with Store(db_path, annotator="tester") as store:
        doc = store.add_documents([NewDocument(TEXT, spans=gold, status="done")]).added[0]
        store.save_predictions(doc, [span("Alice", "PERSON"), span("Acme", "GPE"), span("Paris", "GPE"),
                                     span("3", "NUMBER", layer=NUMBERS, value=3.0, kind="cardinal")], "en_test", "1")
    win = make_window(Store(db_path, annotator="tester"))
    qtbot.keyClick(win.article, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)
    panel = win.review.window.panel
    qtbot.waitUntil(lambda: panel.refresh_button.isEnabled(), timeout=60_000)
    assert panel.charted == ["entities exact", "entities overlap"]  # no numbers bars
    assert panel.left_out.isVisible()
    assert "Left out: numbers (the gold has no spans in this layer)" in panel.left_out.text()
    assert "Number values" not in panel.summary.text()
    assert not panel.confusion_layer.isVisible()  # one scored layer: nothing to choose
    table = panel.confusion.model()
    rows = [table.headerData(r, Qt.Orientation.Vertical) for r in range(table.rowCount())]
    columns = [table.headerData(c, Qt.Orientation.Horizontal) for c in range(table.columnCount())]
    assert rows == ["GPE", "ORG", "PERSON"] and columns == ["GPE", "PERSON"]
    cell = {(rows[r], columns[c]): table.index(r, c).data() for r in range(len(rows)) for c in range(len(columns))}
    assert cell == {("GPE", "GPE"): "1", ("GPE", "PERSON"): "", ("ORG", "GPE"): "1", ("ORG", "PERSON"): "",
                    ("PERSON", "GPE"): "", ("PERSON", "PERSON"): "1"}
    assert all("NUMBER" not in row for row in listed(panel.disagreements))
    win.close()
