"""Starting the window."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import QSettings
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication

from annotator.paths import resources_dir
from annotator.project import open_project
from annotator.qt.main_window import MainWindow


def application() -> QApplication:
    """The running QApplication, named and carrying the app icon (every window shows it)."""
    app = QApplication.instance() or QApplication(sys.argv)
    app.setApplicationName("annotator")
    app.setOrganizationName("annotator")
    app.setDesktopFileName("annotator")  # matches resources/annotator.desktop
    app.setWindowIcon(QIcon(str(resources_dir() / "annotator.png")))
    return app


def run(db_path: Path | None, annotator: str | None) -> int:
    app = application()
    # The annotator's name is set once (Edit → Annotator name…) and remembered; --annotator wins.
    name = annotator or QSettings().value("annotator", None)
    window = MainWindow(open_project(db_path, name))
    window.show()
    return app.exec()
