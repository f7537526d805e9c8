"""File → Open project on a server…: a small dialog that asks for a server project's URL
(``postgresql://you@dbhost:5432/news``) and offers the ones opened before, newest first. They are
remembered in the window's settings without a password (keep it in ~/.pgpass or PGPASSWORD)."""

from __future__ import annotations

from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QComboBox, QDialog, QDialogButtonBox, QLabel, QLineEdit, QVBoxLayout, QWidget

from annotator.qt.colours import ERROR
from annotator.storage.postgres.url import is_server, shown

RECENT = "recent_servers"  # the settings key of the URLs opened before
RECENT_MAX = 8
EXAMPLE = "postgresql://you@dbhost:5432/news"
NOT_A_SERVER = "A server project's URL starts with postgresql:// (a project file: File → Open project…)."


def recent_servers(settings: QSettings) -> list[str]:
    value = settings.value(RECENT, [])
    urls = [value] if isinstance(value, str) else value if isinstance(value, list) else []
    return [url for url in urls if isinstance(url, str) and is_server(url)]


def remember_server(settings: QSettings, url: str) -> None:
    """Put a server project that opened first in the list (its password left out)."""
    url = shown(url)
    settings.setValue(RECENT, [url, *(u for u in recent_servers(settings) if u != url)][:RECENT_MAX])


class ServerDialog(QDialog):
    """The URL typed or chosen; Open is refused (said in the dialog) until it names a server."""

    def __init__(self, recent: list[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Open project on a server")
        self.url = QComboBox()
        self.url.setEditable(True)
        self.url.addItems(recent)
        self.url.setMinimumContentsLength(40)
        self.line = QLineEdit(recent[0] if recent else "")
        self.line.setPlaceholderText(EXAMPLE)
        self.url.setLineEdit(self.line)
        hint = QLabel("The project's PostgreSQL database, as a URL. Keep its password in ~/.pgpass, not here.")
        hint.setTextFormat(Qt.TextFormat.PlainText)
        hint.setWordWrap(True)
        self.problem = QLabel()
        self.problem.setTextFormat(Qt.TextFormat.PlainText)
        self.problem.setStyleSheet(f"color: {ERROR};")
        self.problem.setWordWrap(True)
        self.problem.hide()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Open | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        for widget in (QLabel("Server project URL:"), self.url, hint, self.problem, self.buttons):
            layout.addWidget(widget)

    def chosen(self) -> str:
        return self.url.currentText().strip()

    def accept(self) -> None:
        if not is_server(self.chosen()):
            self.problem.setText(NOT_A_SERVER)
            self.problem.show()
            return
        super().accept()


def ask_server(parent: QWidget, settings: QSettings) -> str | None:
    """The URL the person chose, or None if they cancelled."""
    dialog = ServerDialog(recent_servers(settings), parent)
    return dialog.chosen() if dialog.exec() == QDialog.DialogCode.Accepted else None
