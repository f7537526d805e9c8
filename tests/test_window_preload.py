"""The Review's modules (matplotlib) are imported in the background at the first pause in typing, not
while the person types: a thread importing holds Python's GIL, and each key press made meanwhile
waited for it (bench/learning_edit.py --phases --at-once: about 20 waits in each of the slowest presses)."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import Qt

from annotator.domain import NewDocument
from annotator.qt import preload
from annotator.storage import Store


def test_the_reviews_modules_load_at_the_first_pause_in_typing_not_while_keys_are_pressed(
        make_window, qtbot, db_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(preload, "IDLE_MS", 600_000)  # a pause that does not come while the test types
    with Store(db_path, annotator="tester") as store:
        ids = store.add_documents([NewDocument("Zelenskyy met Blinken in Kyiv on Tuesday.")]).added
    store = Store(db_path, annotator="tester")
    win = make_window(store)
    win.session.open(ids[0])
    for key in (Qt.Key.Key_Right, Qt.Key.Key_Right, Qt.Key.Key_Left):
        qtbot.keyClick(win.article, key)
    assert not win.preload.started  # typing: nothing imports beside the key presses

    win.preload.timer.setInterval(50)  # now the person pauses after a last key press
    qtbot.keyClick(win.article, Qt.Key.Key_Right)
    qtbot.waitUntil(lambda: win.preload.finished, timeout=120_000)
    assert "annotator.qt.review_panel" in sys.modules
    win.close()
    store.close()
