"""Starting the window."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtWidgets import QApplication

from annotator.project import open_project
from annotator.qt.main_window import MainWindow


def run(db_path: Path | None, annotator: str | None) -> int:
    app = QApplication.instance() or QApplication(sys.argv)
    app.setApplicationName("annotator")
    app.setOrganizationName("annotator")
    window = MainWindow(open_project(db_path, annotator))
    window.show()
    return app.exec()
