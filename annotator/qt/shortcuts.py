"""F1: every shortcut of the window, the label keys among them."""

from __future__ import annotations

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QHeaderView, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget

from annotator.domain import Label

ARTICLE_KEYS = (
    ("select text, then a label key", "label the selection (snapped to whole words)"),
    ("Alt + label key", "label the exact characters selected"),
    ("click a span", "select it"),
    ("label key on a selected span", "relabel it"),
    ("Delete / Backspace", "remove the selected span (reject a number)"),
    ("Enter", "confirm the selected span"),
    ("Alt+Right / Alt+Left", "grow / shrink the span's end by a token"),
    ("Alt+Shift+Left / Alt+Shift+Right", "grow / shrink the span's start by a token"),
    ("Shift+arrows", "select text with the keyboard"),
    ("Escape", "deselect"),
    ("? or F1", "this list"),
)


class ShortcutsDialog(QDialog):
    def __init__(self, actions: list[QAction], labels: list[Label], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Keyboard shortcuts")
        rows = list(ARTICLE_KEYS)
        rows += [(", ".join(s.toString(QKeySequence.SequenceFormat.NativeText) for s in a.shortcuts()),
                  a.text().replace("&", "")) for a in actions if a.shortcuts()]
        rows += [(label.key, f"label {label.name} ({label.layer})") for label in labels if label.key]
        table = QTableWidget(len(rows), 2)
        table.setHorizontalHeaderLabels(["Keys", "Does"])
        table.verticalHeader().hide()
        for row, (keys, does) in enumerate(rows):
            table.setItem(row, 0, QTableWidgetItem(keys))
            table.setItem(row, 1, QTableWidgetItem(does))
        table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        table.resizeColumnToContents(0)
        self.table = table
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.accept)
        layout = QVBoxLayout(self)
        layout.addWidget(table)
        layout.addWidget(close)
        self.resize(620, 640)
