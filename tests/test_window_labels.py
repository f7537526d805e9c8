"""Renaming and removing a label rewrite every span of it: off the window's thread, waiting their
turn for another program's write lock, with a progress bar and Cancel (a real second process
holds the lock)."""

from __future__ import annotations

from pathlib import Path

import pytest
from locks import lock_held, locked
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QInputDialog, QMessageBox, QPushButton
from windows import read_and_close

from annotator.domain import NewDocument
from annotator.qt.label_dialog import LabelDialog
from annotator.storage import Store

TEXT = "Shelling in Kyiv and Kharkiv overnight; Kyiv's mayor said power was cut."


@pytest.fixture
def project(db_path: Path) -> Path:
    with Store(db_path, annotator="tester") as store:
        spans = [(i, i + 4, "GPE") for i in (12, 40)] + [(21, 28, "GPE")]
        store.add_documents([NewDocument(TEXT, entities=spans)])
    return db_path


def labels_stored(path: Path) -> list[str]:
    """The spans' labels, read by a connection of its own (what is really stored; opening a
    project writes nothing, so it does not wait for the lock)."""
    with Store(path, annotator="reader") as store:
        return [s.label for s in store.spans(store.document_ids()[0], annotator="tester")]


def answer_modals(said: list[str], text: str | None = None) -> QTimer:
    """Answer the next modal boxes as a person would: type ``text`` into an input box; read and
    close a message box."""
    read = read_and_close(said)

    def answer() -> None:
        box = QApplication.activeModalWidget()
        if isinstance(box, QInputDialog) and text is not None:
            box.setTextValue(text)
            box.accept()
        else:
            read()

    timer = QTimer()
    timer.timeout.connect(answer)
    timer.start(50)
    return timer


def dialog_on(qtbot, window) -> LabelDialog:
    dialog = LabelDialog(window.store, window)
    qtbot.addWidget(dialog)
    dialog.show()
    names = [dialog.table.item(row, 0).text() for row in range(dialog.table.rowCount())]
    dialog.table.selectRow(names.index("GPE"))
    return dialog


def button(dialog: LabelDialog, text: str) -> QPushButton:
    return next(b for b in dialog.findChildren(QPushButton) if b.text() == text)


def test_a_rename_while_another_program_writes_waits_in_the_background_then_is_made(qtbot, window, project) -> None:
    """Before, it was refused ("locked … try again"); and on a large project it froze the window
    for as long as it rewrote the spans (8 s for 353,000)."""
    said: list[str] = []
    dialog = dialog_on(qtbot, window)
    ticks: list[int] = []
    tick = QTimer()
    tick.timeout.connect(lambda: ticks.append(1))
    with lock_held(project):
        typing = answer_modals(said, "place")
        qtbot.mouseClick(button(dialog, "Rename…"), Qt.MouseButton.LeftButton)
        tick.start(20)
        qtbot.waitUntil(lambda: len(ticks) >= 5, timeout=30_000)  # the event loop runs while the rename waits for the lock
        assert dialog.progress.isVisible() and dialog.progress.label.text() == "Renaming GPE to PLACE…"
        assert not button(dialog, "Rename…").isEnabled() and not dialog.close_box.isEnabled()
        assert labels_stored(project) == ["GPE", "GPE", "GPE"] and locked(project) and said == []
    qtbot.waitUntil(lambda: not dialog.workers.running, timeout=60_000)
    typing.stop()
    assert labels_stored(project) == ["PLACE", "PLACE", "PLACE"] and said == []
    assert "PLACE" in [dialog.table.item(row, 0).text() for row in range(dialog.table.rowCount())]
    assert button(dialog, "Rename…").isEnabled() and not dialog.progress.isVisible()
    dialog.accept()
    window.session.reload_labels()
    assert {s.label for s in window.session.spans.values()} == {"PLACE"}


def test_cancel_stops_a_remove_that_waits_and_nothing_changes(qtbot, window, project) -> None:
    said: list[str] = []
    dialog = dialog_on(qtbot, window)
    with lock_held(project):  # held for the whole block: the remove could only end by its Cancel
        QTimer.singleShot(0, lambda: QApplication.activeModalWidget().done(QMessageBox.StandardButton.Yes))
        qtbot.mouseClick(button(dialog, "Remove"), Qt.MouseButton.LeftButton)  # "Remove GPE and every span…?" Yes
        typing = answer_modals(said)  # only now: on a slow turn it could read (and refuse) the question first
        assert dialog.progress.isVisible() and dialog.progress.label.text() == "Removing GPE…"
        qtbot.mouseClick(dialog.progress.cancel, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: not dialog.workers.running, timeout=30_000)
        qtbot.waitUntil(lambda: bool(said), timeout=30_000)
    typing.stop()
    assert said == [f"{project}: cancelled; the change was not stored"]
    assert labels_stored(project) == ["GPE", "GPE", "GPE"] and window.store.label("GPE") is not None
