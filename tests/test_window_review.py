"""The Review window as a person reads it after marking documents done."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import Qt
from windows import click_listed, listed

from annotator.domain import NewDocument, Span
from annotator.storage import Store

TEXT = "Alice met Bob in Paris today."


def test_no_disagreements_are_said_in_words_not_an_empty_list(qtbot, make_window, db_path: Path) -> None:
    with Store(db_path, annotator="tester") as store:
        doc = store.add_documents([NewDocument(TEXT)]).added[0]
        store.save_predictions(doc, [Span.of(TEXT, 17, 22, "GPE")], "en_test", "1")
    win = make_window(Store(db_path, annotator="tester"))
    qtbot.keyClick(win.article, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)
    panel = win.review.window.panel
    qtbot.waitUntil(lambda: panel.refresh_button.isEnabled(), timeout=60_000)
    assert listed(panel.disagreements) == [
        "No document is marked done yet (Ctrl+Enter)."]
    assert not panel.confusion.isVisible()  # no empty table: nothing is scored yet
    panel.tabs.setCurrentIndex(1)  # one annotator: nothing to take from another
    assert not panel.take_first.isEnabled() and not panel.take_second.isEnabled()
    panel.tabs.setCurrentIndex(0)
    win.activateWindow()
    qtbot.keyClick(win.article, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)  # the suggestion kept: done
    qtbot.mouseClick(panel.refresh_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: panel.refresh_button.isEnabled() and "1 document done" in panel.summary.text(), timeout=60_000)
    assert listed(panel.disagreements) == [
        "None: the model's spans are yours in every document marked done."]
    assert panel.confusion.isVisible() and panel.confusion.model().index(0, 0).data() == "1"
    click_listed(qtbot, panel.disagreements, 0)
    assert win.session.doc_id == doc  # clicking it opens nothing
    win.close()
    win.store.close()


def test_the_review_asked_for_before_its_module_is_loaded_opens_once_a_worker_has_loaded_it(
        qtbot, make_window, db_path: Path, monkeypatch) -> None:
    """Ctrl+R before the window's preload: the import (matplotlib, about a second) is not made on the
    window's thread; the Review opens when it is done."""
    import annotator.qt

    with Store(db_path, annotator="tester") as store:
        store.add_documents([NewDocument(TEXT)])
    win = make_window(Store(db_path, annotator="tester"))
    monkeypatch.delitem(sys.modules, "annotator.qt.review_panel")  # as in a window just started
    monkeypatch.setattr(annotator.qt, "review_panel", None, raising=False)  # the package's name for it, put back after
    qtbot.keyClick(win.article, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)
    assert win.review.window is None  # not made by the key press itself
    qtbot.waitUntil(lambda: win.review.window is not None and win.review.window.isVisible(), timeout=60_000)
    qtbot.waitUntil(lambda: win.review.window.panel.refresh_button.isEnabled(), timeout=60_000)
    assert listed(win.review.window.panel.disagreements) == ["No document is marked done yet (Ctrl+Enter)."]
    win.close()
    win.store.close()
