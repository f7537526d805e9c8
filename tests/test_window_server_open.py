"""File → Open project on a server…: the URL typed in a small dialog (the ones opened before offered,
without a password), the project opened from it, and each way it can fail said in one line."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from postgres import free_port
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialogButtonBox
from windows import open_window

from annotator.domain import NewDocument
from annotator.qt.main_window import MainWindow
from annotator.qt.server_dialog import NOT_A_SERVER, ServerDialog
from annotator.storage import Store

FILE_TEXT = "The project file's only article, about Odesa."
SERVER_TEXT = "The server project's article: shelling near Kharkiv."


@pytest.fixture
def win(qtbot, db_path: Path, tmp_path: Path):
    """The window on a project file of one article, as "tester"."""
    with Store(db_path, annotator="tester") as store:
        store.add_documents([NewDocument(FILE_TEXT)])
    win, store = open_window(qtbot, db_path, tmp_path / "settings.ini")
    yield win
    win.close()
    win.store.close()
    store.close()


def in_dialog(qtbot, win: MainWindow, act: Callable[[ServerDialog], None]) -> None:
    """File → Open project on a server…, and what the person does in the dialog it opens."""
    def person() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, ServerDialog)
        act(dialog)

    QTimer.singleShot(0, person)
    win.menus.actions["open_server"].trigger()


def type_and_open(qtbot, url: str, said: list[str] | None = None) -> Callable[[ServerDialog], None]:
    """Type a URL over what the dialog offers, then click Open; if the dialog stays, what it says
    goes into ``said`` and Cancel is clicked."""
    def act(dialog: ServerDialog) -> None:
        dialog.line.selectAll()
        qtbot.keyClicks(dialog.line, url)
        qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Open), Qt.MouseButton.LeftButton)
        if dialog.isVisible():
            (said if said is not None else []).append(dialog.problem.text())
            qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Cancel), Qt.MouseButton.LeftButton)

    return act


def opened_file(win: MainWindow) -> bool:
    return win.article.toPlainText() == FILE_TEXT and win.windowTitle() == "annotator — project.db — tester"


def test_a_server_project_opens_from_the_file_menu_and_is_offered_next_time_without_its_password(
        qtbot, win: MainWindow, server_project: str) -> None:
    with Store(server_project, annotator="someone") as store:
        store.add_documents([NewDocument(SERVER_TEXT)])
    name = server_project.rsplit("/", 1)[1]
    with_password = server_project.replace("annotator@", "annotator:s3cret@")
    in_dialog(qtbot, win, type_and_open(qtbot, with_password))
    qtbot.waitUntil(lambda: win.article.toPlainText() == SERVER_TEXT, timeout=30_000)
    assert win.windowTitle() == f"annotator — {name} — tester"
    offered: list[str] = []

    def look(dialog: ServerDialog) -> None:
        offered.extend(dialog.url.itemText(i) for i in range(dialog.url.count()))
        offered.append(dialog.line.text())
        dialog.reject()

    in_dialog(qtbot, win, look)
    assert offered == [server_project, server_project]  # listed, and filled in; the password not kept
    win.settings.sync()
    assert "s3cret" not in Path(win.settings.fileName()).read_text()


def test_what_is_not_a_server_url_is_said_in_the_dialog_and_nothing_changes(qtbot, win: MainWindow) -> None:
    said: list[str] = []
    in_dialog(qtbot, win, type_and_open(qtbot, "news.db", said))
    assert said == [NOT_A_SERVER]
    assert opened_file(win) and not win.workers.running


def refused(qtbot, win: MainWindow, url: str) -> str:
    """Open ``url`` from the menu; the one line the status bar then says (the project file still open)."""
    in_dialog(qtbot, win, type_and_open(qtbot, url))
    qtbot.waitUntil(lambda: win.status.message.text().startswith("Not opened"), timeout=60_000)
    qtbot.waitUntil(lambda: not win.workers.running, timeout=30_000)
    assert opened_file(win)
    said = win.status.message.text()
    assert "\n" not in said and "Traceback" not in said
    return said


def test_a_server_that_is_not_there_is_one_line(qtbot, win: MainWindow, capfd) -> None:
    url = f"postgresql://annotator@127.0.0.1:{free_port()}/news"
    said = refused(qtbot, win, url)
    assert "Traceback" not in capfd.readouterr().err  # nor a traceback in the terminal the window was started from
    assert said.startswith(f"Not opened: {url}: cannot connect to the server (") and "refused" in said
    assert win.settings.value("recent_servers") is None  # not offered next time


def test_a_bad_url_is_one_line(qtbot, win: MainWindow) -> None:
    said = refused(qtbot, win, "postgresql://annotator@127.0.0.1:port/news")
    assert said.startswith("Not opened: postgresql://annotator@127.0.0.1:port/news: cannot connect to the server (")
    assert '"port"' in said


def test_a_database_the_role_may_not_connect_to_is_one_line(qtbot, win: MainWindow, pg_cluster, server_project: str) -> None:
    database = server_project.rsplit("/", 1)[1]
    pg_cluster.sql("DROP ROLE IF EXISTS outsider")
    pg_cluster.sql("CREATE ROLE outsider LOGIN")
    pg_cluster.sql(f'REVOKE CONNECT ON DATABASE "{database}" FROM PUBLIC')
    try:
        said = refused(qtbot, win, server_project.replace("annotator@", "outsider@"))
    finally:
        pg_cluster.sql(f'GRANT CONNECT ON DATABASE "{database}" TO PUBLIC')
        pg_cluster.sql("DROP ROLE outsider")
    assert said.startswith("Not opened: postgresql://outsider@") and "permission denied" in said
