"""Marking a selection of documents done, open or skipped from the document list."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from annotator.domain import NewDocument, Span
from annotator.qt.main_window import MainWindow
from annotator.storage import Store
from annotator.storage.marking import Selection

SHIFT, CTRL = Qt.KeyboardModifier.ShiftModifier, Qt.KeyboardModifier.ControlModifier


@pytest.fixture
def project(db_path: Path) -> Path:
    with Store(db_path, annotator="tester") as store:
        store.add_documents([NewDocument(f"Article number {i} about Kyiv.") for i in range(6)])
        text = store.document(5).text
        store.save_predictions(5, [Span.of(text, text.index("Kyiv"), text.index("Kyiv") + 4, "GPE")], "m", "1")
    return db_path


def click_row(qtbot, win: MainWindow, row: int, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> None:
    rect = win.documents.table.visualRect(win.documents.model.index(row, 2))
    qtbot.mouseClick(win.documents.table.viewport(), Qt.MouseButton.LeftButton, modifier, rect.center())


def finish(qtbot, win: MainWindow) -> None:
    """Marking runs in a worker: wait until it has told the window."""
    qtbot.waitUntil(lambda: not win.workers.running)


def statuses(db_path: Path) -> list[str]:
    with Store(db_path, annotator="tester") as store:
        return [store.document(doc_id).status for doc_id in store.document_ids()]


def shown(win: MainWindow) -> list[str]:
    return [win.documents.model.index(row, 0).data() for row in range(win.documents.model.rowCount())]


def test_shift_and_ctrl_clicks_select_rows_and_the_shortcut_marks_them_done(qtbot, window: MainWindow, db_path: Path) -> None:
    click_row(qtbot, window, 0)
    click_row(qtbot, window, 1, SHIFT)  # rows 0-1
    click_row(qtbot, window, 4, CTRL)  # and row 4
    assert window.documents.selection() == Selection(ids=(1, 2, 5))
    qtbot.keyClick(window.documents.table, Qt.Key.Key_D, CTRL | SHIFT)
    finish(qtbot, window)
    assert statuses(db_path) == ["done", "done", "open", "open", "done", "open"]
    assert shown(window) == ["✓ done", "✓ done", "○ open", "○ open", "✓ done", "○ open"]
    assert window.status.progress_label.text() == "3 of 6 done"
    assert window.status.message.text() == "Marked 3 documents done."
    with Store(db_path, annotator="tester") as store:  # never opened: done with the model's suggestion as gold
        assert [(s.text, s.label) for s in store.spans(5)] == [("Kyiv", "GPE")]


def test_shift_arrows_select_rows_and_the_menu_marks_them_skipped_then_open(qtbot, window: MainWindow, db_path: Path) -> None:
    click_row(qtbot, window, 2)
    qtbot.keyClick(window.documents.table, Qt.Key.Key_Down, SHIFT)
    qtbot.keyClick(window.documents.table, Qt.Key.Key_Down, SHIFT)
    assert window.documents.selection() == Selection(ids=(3, 4, 5))
    document = next(a for a in window.menuBar().actions() if a.text() == "&Document").menu()
    mark = {a.text(): a for a in document.actions()}
    mark["Mark selected documents skipped"].trigger()
    finish(qtbot, window)
    assert statuses(db_path) == ["open", "open", "skipped", "skipped", "skipped", "open"]
    assert shown(window)[2:5] == ["↷ skipped"] * 3
    assert window.heading.text().endswith("skipped")  # the open document (row 4) was among them
    click_row(qtbot, window, 3)
    mark["Mark selected documents open"].trigger()
    finish(qtbot, window)
    assert statuses(db_path) == ["open", "open", "skipped", "open", "skipped", "open"]
    assert shown(window)[3] == "○ open"
