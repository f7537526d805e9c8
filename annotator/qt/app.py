"""Starting the window, and what happens to an error nobody caught."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import QSettings
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication

from annotator.failures import log_details
from annotator.paths import resources_dir
from annotator.project import open_project
from annotator.qt.main_window import MainWindow
from annotator.storage import StoreError


def install_exception_hook(report: Callable[[str], None], log: Path | None = None) -> None:
    """Make every exception that reaches Qt's event loop one line for the user and a traceback in a log.

    PySide hands an exception raised in a slot or an event handler to ``sys.excepthook`` and goes
    on; without this hook it would only be printed to a terminal the user does not see.
    """

    def hook(kind: type[BaseException], error: BaseException, tb: TracebackType | None) -> None:
        if issubclass(kind, KeyboardInterrupt):
            sys.__excepthook__(kind, error, tb)
            return
        details = log_details(error.with_traceback(tb), log)
        first_line = (str(error).strip().splitlines() or [""])[0]
        if isinstance(error, StoreError):
            text = first_line
        else:
            text = f"Something went wrong: {kind.__name__}{': ' + first_line if first_line else ''}{details}"
        try:
            report(text)
        except Exception:  # the window itself is broken: the terminal is all that is left
            sys.__excepthook__(kind, error, tb)

    sys.excepthook = hook


def application() -> QApplication:
    """The running QApplication, named and carrying the app icon (every window shows it)."""
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(sys.argv)
    app.setApplicationName("annotator")
    app.setOrganizationName("annotator")
    app.setDesktopFileName("annotator")  # matches resources/annotator.desktop
    app.setWindowIcon(QIcon(str(resources_dir() / "annotator.png")))
    return app


def run(db_path: Path | None, annotator: str | None) -> int:
    app = application()
    # The annotator's name is set once (Edit → Annotator name…) and remembered; --annotator wins.
    stored = QSettings().value("annotator", None)
    name = annotator or (stored if isinstance(stored, str) else None)
    window = MainWindow(open_project(db_path, name))
    install_exception_hook(lambda text: window.show_message(text, error=True))
    window.show()
    return app.exec()
