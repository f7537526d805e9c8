"""F1: the list of every key of the window, from the command table and the project's own label keys."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QHeaderView, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget

from annotator.categories import CategoryLabel
from annotator.domain import Label
from annotator.qt.commands import ARTICLE, COMMANDS, article_rows
from annotator.relations import RelationLabel


class ShortcutsDialog(QDialog):
    def __init__(self, labels: list[Label], parent: QWidget | None = None,
                 categories: Sequence[CategoryLabel] = (), relations: Sequence[RelationLabel] = ()) -> None:
        super().__init__(parent)
        self.setWindowTitle("Keyboard shortcuts")
        rows = article_rows()
        rows += [(c.keys_text(), c.does()) for c in COMMANDS if c.menu != ARTICLE and c.keys]
        rows += [(label.key, f"label {label.name} ({label.layer})") for label in labels if label.key]
        rows += [(f"Shift+{label.key.upper()}", f"document label {label.name}") for label in categories if label.key]
        rows += [(label.key, f"while linking: link {label.name}") for label in relations if label.key]
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
        self.resize(680, 640)
