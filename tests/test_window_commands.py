"""The window's commands are one table (annotator.qt.commands): the menus, F1 and the keys typed in
the article are made of it, so what a menu, the help and a key say and do cannot drift apart."""

from __future__ import annotations

from pathlib import Path

import pytest
from locks import made_read_only
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QApplication, QMenu, QTableWidget
from windows import click

from annotator.domain import ORIGIN_MODEL, NewDocument, Span
from annotator.qt.commands import ARTICLE, COMMANDS, article_rows
from annotator.qt.main_window import MainWindow
from annotator.storage import Store

TEXT = "President Zelenskyy met Biden in Kyiv on Tuesday."
Mod = Qt.KeyboardModifier


@pytest.fixture
def project(db_path: Path) -> Path:
    with Store(db_path, annotator="tester") as store:
        [doc] = store.add_documents([NewDocument(TEXT)]).added
        store.add_span(doc, Span.of(TEXT, TEXT.index("Zelenskyy"), TEXT.index(" met"), "PERSON", origin=ORIGIN_MODEL,
                                    confirmed=False))  # a suggestion
    return db_path


def menu_items(win: MainWindow) -> dict[str, tuple[str, QAction]]:
    """Every item of the window's menus, by its name, with the menu it is in."""
    return {action.objectName(): (top.text(), action) for top in win.menuBar().actions()
            if isinstance(top.menu(), QMenu) for action in top.menu().actions() if not action.isSeparator()}


def portable(keys: list[QKeySequence]) -> list[str]:
    return [k.toString(QKeySequence.SequenceFormat.PortableText) for k in keys]


def test_every_command_of_a_menu_is_its_item_there_with_its_text_and_keys(window: MainWindow) -> None:
    items = menu_items(window)
    commands = [c for c in COMMANDS if c.menu != ARTICLE]
    assert len(commands) > 20
    for command in commands:
        menu, item = items[command.id]
        assert (menu, item.text(), item.isCheckable()) == (command.menu, command.text, command.checkable)
        assert portable(item.shortcuts()) == portable([QKeySequence(k) for k in command.keys])


def test_a_read_only_project_turns_off_the_commands_that_write_and_only_those(qtbot, make_window, project: Path) -> None:
    with made_read_only(project):
        store = Store(project, annotator="tester")
        window = make_window(store)
        items = menu_items(window)
        on = {c.id: items[c.id][1].isEnabled() for c in COMMANDS if c.menu != ARTICLE}
        window.close()
        store.close()
    assert on == {c.id: not c.writes for c in COMMANDS if c.menu != ARTICLE}


def shown_by(qtbot, window: MainWindow, key: Qt.Key | str) -> dict[str, str]:
    """Press ``key`` in the article; the rows of the list of keys it opens, as read, then closed."""
    rows: dict[str, str] = {}

    def read_and_close() -> None:
        dialog = QApplication.activeModalWidget()
        table = dialog.findChild(QTableWidget)
        rows.update({table.item(r, 0).text(): table.item(r, 1).text() for r in range(table.rowCount())})
        dialog.accept()

    QTimer.singleShot(0, read_and_close)
    qtbot.keyClick(window.article, key)
    return rows


@pytest.mark.parametrize("key", [Qt.Key.Key_F1, "?"], ids=["F1", "?"])
def test_f1_and_question_mark_list_every_key_of_the_table(qtbot, window: MainWindow, key: Qt.Key | str) -> None:
    rows = shown_by(qtbot, window, key)
    for keys, does in article_rows():
        assert rows[keys] == does
    for command in (c for c in COMMANDS if c.menu != ARTICLE and c.keys):
        assert rows[command.keys_text()] == command.does()
    assert rows["p"] == "label PERSON (entities)"  # and the project's own label keys


def selected(window: MainWindow) -> tuple[int, int] | None:
    span = window.session.current
    return (span.start, span.end) if span is not None else None


def stored(project: Path) -> list[tuple[str, bool]]:
    with Store(project, annotator="tester") as store:
        return [(s.text, s.confirmed) for s in store.spans(store.document_ids()[0])]


def test_each_key_of_the_article_runs_its_command(qtbot, window: MainWindow, project: Path) -> None:
    start, end = TEXT.index("Zelenskyy"), TEXT.index(" met")
    click(qtbot, window, start + 2)
    assert selected(window) == (start, end) and stored(project) == [("Zelenskyy", False)]
    qtbot.keyClick(window.article, Qt.Key.Key_Enter, Mod.KeypadModifier)  # the keypad's Enter confirms, as Return does
    assert stored(project) == [("Zelenskyy", True)]
    steps = [  # (key, modifiers) -> the selected span's place after it
        ((Qt.Key.Key_Right, Mod.AltModifier), (start, TEXT.index(" Biden"))),  # Alt+Right: the end a token further
        ((Qt.Key.Key_Left, Mod.AltModifier), (start, end)),  # Alt+Left: back
        ((Qt.Key.Key_Left, Mod.AltModifier | Mod.ShiftModifier), (0, end)),  # Alt+Shift+Left: the start a token earlier
        ((Qt.Key.Key_Right, Mod.AltModifier | Mod.ShiftModifier), (start, end)),  # Alt+Shift+Right: back
        ((Qt.Key.Key_Comma, Mod.AltModifier), (0, end)),  # Alt+, as Alt+Shift+Left
        ((Qt.Key.Key_Period, Mod.AltModifier), (start, end)),  # Alt+. as Alt+Shift+Right
    ]
    for (key, modifiers), place in steps:
        qtbot.keyClick(window.article, key, modifiers)
        assert selected(window) == place, QKeySequence(modifiers | key).toString()
    qtbot.keyClick(window.article, Qt.Key.Key_Escape)
    assert selected(window) is None
    qtbot.keyClick(window.article, Qt.Key.Key_Delete)  # nothing selected: nothing removed
    assert stored(project) == [("Zelenskyy", True)]
    click(qtbot, window, start + 2)
    qtbot.keyClick(window.article, Qt.Key.Key_Backspace)
    assert stored(project) == []
