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


def test_opening_a_colleagues_altered_project_in_the_window_is_refused_in_one_line(
        qtbot, make_window, db_path: Path, tmp_path: Path, monkeypatch) -> None:
    import sys

    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QFileDialog

    from annotator.qt.app import install_exception_hook

    theirs = tmp_path / "theirs.db"
    with Store(theirs, annotator="bob") as other:
        other.add_documents([NewDocument(TEXT)])
    db = sqlite3.connect(theirs)
    with db:
        db.execute("CREATE TRIGGER evil AFTER INSERT ON annotations BEGIN UPDATE documents SET text = ''; END")
    db.close()
    before = theirs.read_bytes()
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)  # put back after the test
    reports: list[str] = []
    install_exception_hook(reports.append, tmp_path / "errors.log")
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *args, **kwargs: (str(theirs), ""))  # the person picks it
    store = Store(db_path, annotator="tester")
    store.add_documents([NewDocument("Floods in Lviv.")])
    win = make_window(store)
    qtbot.keyClick(win, Qt.Key.Key_O, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: bool(reports), timeout=10_000)
    assert len(reports) == 1 and "trigger 'evil' is not ours" in reports[0] and str(theirs) in reports[0]
    assert win.store.path == db_path  # still on the person's own project
    assert theirs.read_bytes() == before
    win.close()
    store.close()
