"""The window opens a project at the document it was left at, kept in the project file: a copied or
moved project opens there too (before, the user's settings kept it under the file's path)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from locks import lock_held, locked, made_read_only
from PySide6.QtCore import QSettings, Qt
from windows import open_window

from annotator.domain import NewDocument
from annotator.qt.main_window import MainWindow
from annotator.storage import Store

TEXTS = ["First article about Kyiv.", "Second article about Kharkiv.", "Third article about Odesa."]


@pytest.fixture
def project(db_path: Path) -> Path:
    with Store(db_path, annotator="tester") as store:
        store.add_documents([NewDocument(text) for text in TEXTS])
    return db_path


def next_document(qtbot, win: MainWindow) -> None:
    qtbot.keyClick(win.article, Qt.Key.Key_PageDown, Qt.KeyboardModifier.ControlModifier)


def shown(win: MainWindow) -> str:
    return win.article.toPlainText()


def test_a_copied_project_opens_at_the_document_it_was_left_at(qtbot, project: Path, tmp_path: Path) -> None:
    win, store = open_window(qtbot, project, tmp_path / "alice.ini")
    assert shown(win) == TEXTS[0]
    next_document(qtbot, win)
    next_document(qtbot, win)
    assert shown(win) == TEXTS[2]
    win.close()
    store.close()
    copy = tmp_path / "moved" / "project.db"  # another folder, another machine's settings
    copy.parent.mkdir()
    shutil.copy(project, copy)
    win, store = open_window(qtbot, copy, tmp_path / "bob.ini")
    assert shown(win) == TEXTS[2]
    win.close()
    store.close()


def test_the_document_an_earlier_window_kept_by_path_moves_into_the_project_once(qtbot, project: Path,
                                                                                 tmp_path: Path) -> None:
    with Store(project, annotator="tester") as store:
        second = store.document_ids()[1]
    ini = tmp_path / "settings.ini"
    key = f"last/{project.resolve()}"
    earlier = QSettings(str(ini), QSettings.Format.IniFormat)
    earlier.setValue(key, second)
    earlier.sync()
    win, store = open_window(qtbot, project, ini)
    assert shown(win) == TEXTS[1]
    assert store.setting("last_document") == str(second) and not win.settings.contains(key)  # moved, not copied
    win.close()
    store.close()


def test_while_another_program_writes_the_document_is_kept_later_without_waiting(qtbot, project: Path,
                                                                                  tmp_path: Path) -> None:
    win, store = open_window(qtbot, project, tmp_path / "settings.ini")
    with lock_held(project):
        next_document(qtbot, win)
        assert shown(win) == TEXTS[1] and store.setting("last_document") != str(win.session.doc_id)
        assert locked(project)  # still held: the window went on without waiting for it
    qtbot.waitUntil(lambda: not win.session.waiting, timeout=30_000)  # the lock is free: the window's waiting edits are stored
    win.close()  # and the document open is kept as the window closes
    assert store.setting("last_document") == str(win.session.doc_id)
    store.close()


def test_a_read_only_project_keeps_the_document_for_the_session(qtbot, project: Path, tmp_path: Path) -> None:
    other = tmp_path / "other.db"
    with Store(other, annotator="tester") as store:
        store.add_documents([NewDocument("Another project's article.")])
    with made_read_only(project), made_read_only(other):  # (a writable one would start the model)
        win, store = open_window(qtbot, project, tmp_path / "settings.ini")
        assert store.read_only
        next_document(qtbot, win)
        assert shown(win) == TEXTS[1]
        win.switch_project(other)
        assert shown(win) == "Another project's article."
        win.switch_project(project)
        assert shown(win) == TEXTS[1] and win.store.setting("last_document") is None
        win.close()
        win.store.close()
    store.close()
