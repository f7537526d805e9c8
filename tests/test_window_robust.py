"""The window under failure: no exception escapes an event handler, a failed write is never shown
as saved, a read-only project opens read-only."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from PySide6.QtWidgets import QPushButton
from PySide6.QtCore import Qt

from annotator.qt.app import install_exception_hook
from annotator.storage import StoreError


@pytest.fixture
def reports(monkeypatch, tmp_path: Path) -> list[str]:
    """The exception hook installed as the window installs it, reporting into a list."""
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)  # put back after the test
    said: list[str] = []
    install_exception_hook(said.append, tmp_path / "data" / "errors.log")
    return said


def test_an_exception_in_a_click_handler_is_said_in_one_line_and_logged(qtbot, reports: list[str], tmp_path: Path) -> None:
    button = QPushButton("go")
    qtbot.addWidget(button)

    def boom() -> None:
        raise RuntimeError("boom\nsecond line")

    button.clicked.connect(boom)
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    log = tmp_path / "data" / "errors.log"
    assert reports == [f"Something went wrong: RuntimeError: boom (details in {log})"]
    assert "Traceback" in log.read_text() and "second line" in log.read_text()
    button.clicked.disconnect(boom)
    button.clicked.connect(lambda: (_ for _ in ()).throw(StoreError("/x/project.db is read-only: the change was not stored")))
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert reports[-1] == "/x/project.db is read-only: the change was not stored"
