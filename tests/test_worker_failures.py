"""A background task that fails says one line; only a bug's traceback is kept, in the error log in the
user's data folder, never printed to the terminal the window was started from."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotator.qt.workers import Workers
from annotator.storage import LockedError


def fail_with(error: Exception):
    def task(progress, cancelled):
        raise error
    return task


@pytest.fixture
def data_home(tmp_path: Path, monkeypatch) -> Path:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    return tmp_path / "data" / "annotator" / "errors.log"


def run(qtbot, error: Exception) -> list[str]:
    said: list[str] = []
    workers = Workers()
    workers.start(fail_with(error), on_failed=said.append)
    qtbot.waitUntil(lambda: bool(said) and not workers.running, timeout=30_000)
    return said


def test_a_users_error_is_its_line_and_nothing_else(qtbot, data_home: Path, capfd) -> None:
    said = run(qtbot, LockedError("news.db is busy: another program holds it;\n the change was not stored"))
    assert said == ["news.db is busy: another program holds it; the change was not stored"]
    assert "Traceback" not in capfd.readouterr().err
    assert not data_home.exists()


def test_a_bugs_traceback_goes_to_the_error_log_not_the_terminal(qtbot, data_home: Path, capfd) -> None:
    said = run(qtbot, ZeroDivisionError("division by zero"))
    assert said == ["division by zero"]
    assert "Traceback" not in capfd.readouterr().err
    kept = data_home.read_text(encoding="utf-8")
    assert "Traceback" in kept and "ZeroDivisionError: division by zero" in kept
