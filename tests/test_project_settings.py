"""Settings that belong to the project travel with its file: the labels the window shows (and the
chosen model, tests/test_train_window.py), not the user's settings keyed by the file's path."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from locks import lock_held, locked
from PySide6.QtCore import QPoint, QSettings, Qt
from PySide6.QtGui import QTextCursor
from windows import open_window

from annotator.domain import NewDocument, Span
from annotator.qt.main_window import MainWindow
from annotator.storage import SCHEMA_VERSION, Store

TEXT = "Zelenskyy signed the law on Tuesday."


@pytest.fixture
def project(db_path: Path) -> Path:
    with Store(db_path, annotator="tester") as store:
        store.add_documents([NewDocument(TEXT)])
    return db_path


def select(qtbot, win: MainWindow, start: int, end: int) -> None:
    cursor = QTextCursor(win.article.document())
    cursor.setPosition(win.article.offsets.to_qt(start))
    rect = win.article.cursorRect(cursor)
    qtbot.mouseClick(win.article.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(rect.left() + 2, rect.center().y()))
    for _ in range(end - start):
        qtbot.keyClick(win.article, Qt.Key.Key_Right, Qt.KeyboardModifier.ShiftModifier)


def test_shown_labels_survive_opening_the_project_from_a_copied_file(qtbot, project: Path, tmp_path: Path) -> None:
    win, store = open_window(qtbot, project, tmp_path / "alice.ini")
    bar = win.label_bar
    assert not bar.chips["LAW"].isVisible()
    start = TEXT.index("law")
    select(qtbot, win, start, start + 3)
    qtbot.mouseClick(bar.more, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(bar.chips["LAW"], Qt.MouseButton.LeftButton)  # a label met: shown from now on
    qtbot.mouseClick(bar.more, Qt.MouseButton.LeftButton)
    qtbot.keyClick(win.article, Qt.Key.Key_Delete)  # the span goes; the label stays shown
    assert store.spans(store.document_ids()[0]) == [] and bar.chips["LAW"].isVisible()
    win.close()
    store.close()

    copy = tmp_path / "moved" / "project.db"  # another folder, another machine's settings
    copy.parent.mkdir()
    shutil.copy(project, copy)
    win, store = open_window(qtbot, copy, tmp_path / "bob.ini")
    assert win.label_bar.chips["LAW"].isVisible() and not win.label_bar.chips["EVENT"].isVisible()
    win.close()
    store.close()


def test_shown_labels_an_earlier_window_kept_by_path_move_into_the_project_once(qtbot, project: Path,
                                                                                 tmp_path: Path) -> None:
    ini = tmp_path / "settings.ini"
    key = f"labels/{project.resolve()}"
    earlier = QSettings(str(ini), QSettings.Format.IniFormat)
    earlier.setValue(key, ["PERSON", "LAW"])
    earlier.sync()
    win, store = open_window(qtbot, project, ini)
    assert win.label_bar.chips["LAW"].isVisible() and not win.label_bar.chips["GPE"].isVisible()
    assert json.loads(store.setting("shown_labels")) == ["LAW", "PERSON"]
    assert not win.settings.contains(key)  # moved, not copied
    win.close()
    store.close()


def test_a_label_met_while_another_program_writes_is_shown_at_once_and_kept_with_the_next(
        qtbot, project: Path, tmp_path: Path) -> None:
    other = "The new law was passed."
    with Store(project, annotator="tester") as store:
        [doc] = store.add_documents([NewDocument(other)]).added
        store.add_span(doc, Span.of(other, 8, 11, "LAW"))
    win, store = open_window(qtbot, project, tmp_path / "settings.ini")
    with lock_held(project):  # the window does not wait for it to store the shown labels
        win.session.open(doc)
        assert win.label_bar.chips["LAW"].isVisible() and store.setting("shown_labels") is None
        assert locked(project)  # still held: the window went on without waiting
    select(qtbot, win, other.index("passed"), len(other) - 1)
    qtbot.mouseClick(win.label_bar.more, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(win.label_bar.chips["EVENT"], Qt.MouseButton.LeftButton)
    assert {"LAW", "EVENT"} <= set(json.loads(store.setting("shown_labels")))
    win.close()
    store.close()


def test_settings_are_kept_in_the_project(fresh_store: Store) -> None:
    """(Read-only, a setting is read and a new choice refused: tests/test_train_window.py.)"""
    assert fresh_store.schema_version == SCHEMA_VERSION and fresh_store.setting("model") is None
    fresh_store.set_setting("model", "news")
    fresh_store.set_setting("model", "news-2")
    assert fresh_store.setting("model") == "news-2"
    fresh_store.set_setting("model", None)
    assert fresh_store.setting("model") is None


def test_a_project_of_schema_6_gets_the_settings_table(db_path: Path) -> None:
    """A project made by the code of schema 6 (tests/data/old_projects, made by that commit)."""
    shutil.copy(Path(__file__).parent / "data" / "old_projects" / "schema6.db", db_path)
    with Store(db_path, annotator="tester") as store:
        assert store.schema_version == SCHEMA_VERSION
        documents = len(store.document_ids())
        store.set_setting("model", "news")
        assert store.setting("model") == "news" and documents > 0
