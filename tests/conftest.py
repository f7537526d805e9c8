"""Shared fixtures. Qt runs offscreen so the tests need no display."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import hypothesis
import pytest

import annotator.qt.review_panel  # noqa: F401  # loaded, as a window's preload loads it at the person's first pause
from annotator.storage import Store

# Hypothesis times each example against a deadline (200 ms) and its data generation (too_slow):
# both measure the machine's load, not the code; a test that sets its own settings keeps these
# unless it names them.
hypothesis.settings.register_profile("any-machine", deadline=None, suppress_health_check=[hypothesis.HealthCheck.too_slow])
hypothesis.settings.load_profile("any-machine")

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "project.db"


@pytest.fixture(scope="session")
def pg_cluster():
    """A throw-away PostgreSQL server for the session (tests/postgres.py), stopped by its PID at the end.
    Its folder is its own temporary one: pytest's numbered folders are cleaned by other sessions."""
    from postgres import cluster

    with cluster(Path(tempfile.mkdtemp(prefix="annotator-pg-"))) as server:
        yield server


@pytest.fixture
def server_project(pg_cluster, request: pytest.FixtureRequest) -> str:
    """The URL of an empty database on the test server, new for each test."""
    name = "t" + "".join(c if c.isalnum() else "_" for c in request.node.name.lower())[:50]
    name += f"_{len(pg_cluster.databases)}"
    return pg_cluster.url(name)


@pytest.fixture(params=["file", "server"])
def any_project(request: pytest.FixtureRequest, db_path: Path) -> Path | str:
    """A new project on each backend: a file (SQLite), then a database on a PostgreSQL server."""
    return request.getfixturevalue("server_project") if request.param == "server" else db_path


@pytest.fixture
def any_store(any_project: Path | str):
    """An empty project on each backend, closed after the test."""
    store = Store(any_project, annotator="tester")
    yield store
    store.close()


@pytest.fixture
def fresh_store(db_path: Path):
    """An empty project on disk, closed after the test."""
    store = Store(db_path, annotator="tester")
    yield store
    store.close()


@pytest.fixture
def seeds_dir() -> Path:
    return SEEDS


@pytest.fixture
def make_window(qtbot, tmp_path: Path):
    """Open the window on a store as a person would find it: shown, active, the article focused."""
    from PySide6.QtCore import QSettings

    from annotator.qt.main_window import MainWindow

    def make(store: Store, detect_on_open: bool = False) -> MainWindow:
        settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
        win = MainWindow(store, settings, detect_on_open=detect_on_open)
        qtbot.addWidget(win)
        win.show()
        qtbot.waitExposed(win, timeout=30_000)
        with qtbot.waitActive(win, timeout=30_000):
            win.activateWindow()
        win.article.setFocus()
        return win

    return make


@pytest.fixture
def window(make_window, project: Path):
    """The window on the test module's ``project`` (a database it prepared), as "tester"."""
    store = Store(project, annotator="tester")
    win = make_window(store)
    yield win
    win.close()
    store.close()
