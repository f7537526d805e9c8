"""Help ▸ Check project runs the project check in a worker and says what it found."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from PySide6.QtCore import QTimer
from windows import read_and_close

from annotator.domain import NewDocument, Span
from annotator.storage import Store

TEXT = "Zelenskyy met Blinken in Kyiv on Tuesday."


def checked_from_the_help_menu(qtbot, win) -> list[str]:
    help_menu = next(a.menu() for a in win.menuBar().actions() if a.text() == "&Help")
    item = next(a for a in help_menu.actions() if a.text() == "&Check project…")
    said: list[str] = []
    reader = QTimer()
    reader.timeout.connect(read_and_close(said))  # the person reads the box whenever it comes up
    reader.start(50)
    item.trigger()
    qtbot.waitUntil(lambda: bool(said), timeout=60_000)
    reader.stop()
    return said


def test_the_help_menu_checks_the_project_and_names_each_problem(qtbot, make_window, db_path: Path) -> None:
    with Store(db_path, annotator="tester") as store:
        doc = store.add_documents([NewDocument(TEXT)]).added[0]
        store.add_span(doc, Span.of(TEXT, 25, 29, "GPE"))
    db = sqlite3.connect(db_path)
    with db:
        db.execute("UPDATE span_counts SET n = 9")
    db.close()
    store = Store(db_path, annotator="tester")
    win = make_window(store)
    said = checked_from_the_help_menu(qtbot, win)
    assert len(said) == 1 and "counter differs from a recount" in said[0] and "--repair" in said[0]
    win.close()
    store.close()


def test_the_help_menu_says_a_sound_project_is_sound(qtbot, make_window, db_path: Path) -> None:
    store = Store(db_path, annotator="tester")
    store.add_documents([NewDocument(TEXT)])
    win = make_window(store)
    said = checked_from_the_help_menu(qtbot, win)
    assert said == [f"{db_path.name}: no problems found."]
    win.close()
    store.close()
