"""The Labels dialog's document labels: add, rename and remove a label, and make its group
single-choice or multi-label (what ``annotator labels add-category`` / ``group`` / ``rename`` /
``remove`` do on the command line).

Names are data, shown as plain text. Renaming and removing rewrite every document's use of the
label, so they run as the dialog's span-label rewrites do (in a worker, with progress and
Cancel); adding and regrouping are made at once.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from annotator.categories import UNGROUPED, CategoryLabel
from annotator.labels import colour_for
from annotator.storage import Store

Try = Callable[[Callable[[], object]], None]  # make a quick change, or say why not
Rewrite = Callable[[str, Callable[[Store], Any]], None]  # a change that rewrites documents, in a worker
Ask = Callable[[str, str, str], tuple[str, bool]]  # title, prompt, text -> the answer and whether given


class DocumentLabelsPanel(QWidget):
    """The project's document labels as a table (label, group, choice, colour, key) with their edits."""

    def __init__(self, store: Store, ask: Ask, attempt: Try, rewrite: Rewrite, confirm: Callable[[str, str], bool],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store, self.ask, self.attempt, self.rewrite, self.confirm = store, ask, attempt, rewrite, confirm
        self.table = QTableWidget(0, 5)
        self.table.setHorizontalHeaderLabels(["Label", "Group", "Choice", "Colour", "Key"])
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.currentCellChanged.connect(lambda *_: self._show_group())
        self.single = QCheckBox("Its group is single-choice (a document gets one of its labels)")
        self.single.setEnabled(False)
        self.single.clicked.connect(self.set_single_choice)
        buttons = QHBoxLayout()
        self.buttons: list[QWidget] = [self.single]
        for text, slot in (("New document label…", self.add), ("Rename document label…", self.rename),
                           ("Remove document label", self.remove)):
            button = QPushButton(text)
            button.clicked.connect(slot)
            buttons.addWidget(button)
            self.buttons.append(button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addWidget(self.single)
        layout.addLayout(buttons)

    def reload(self) -> None:
        chosen = self.selected()
        scheme = self.store.categories.scheme()
        self.table.setRowCount(len(scheme.labels))
        for row, label in enumerate(scheme.labels):
            colour = QTableWidgetItem(label.colour)
            colour.setBackground(QColor(label.colour))
            choice = "single" if scheme.exclusive(label.group) else "multi"
            for column, item in enumerate((QTableWidgetItem(label.name), QTableWidgetItem(label.group or "(none)"),
                                           QTableWidgetItem(choice), colour, QTableWidgetItem(label.key or ""))):
                self.table.setItem(row, column, item)
            if label.name == chosen:
                self.table.selectRow(row)
        self._show_group()

    def selected(self) -> str | None:
        item = self.table.item(self.table.currentRow(), 0)
        return item.text() if item is not None else None

    def _group(self) -> str | None:
        label = self.store.categories.label(name) if (name := self.selected()) else None
        return label.group if label is not None else None

    def _show_group(self) -> None:
        group = self._group()
        self.single.setEnabled(group is not None)
        self.single.setChecked(group is not None and self.store.categories.scheme().exclusive(group))

    def add(self) -> None:
        name, ok = self.ask("New document label", "Name:", "")
        if not ok or not name.strip():
            return
        group, ok = self.ask("New document label", f"Group of {name.strip()} (e.g. topic, relevance; empty for none):",
                             self._group() or UNGROUPED)
        if ok:
            label = CategoryLabel(name.strip(), group.strip(), colour_for(name.strip()))
            self.attempt(lambda: self.store.categories.add_label(label))
            self._select(label.name)

    def rename(self) -> None:
        name = self.selected()
        if not name:
            return
        new, ok = self.ask("Rename document label", f"New name for {name}:", name)
        new_name = new.strip()
        if ok and new_name and new_name != name:
            self.rewrite(f"Renaming {name} to {new_name}…",
                         lambda store: store.categories.update_label(name, new_name=new_name))

    def remove(self) -> None:
        name = self.selected()
        if name and self.confirm("Remove document label", f"Remove {name} and take it from every document that has it?"):
            self.rewrite(f"Removing {name}…", lambda store: store.categories.remove_label(name))

    def set_single_choice(self, single: bool) -> None:
        group = self._group()
        if group is not None:
            self.attempt(lambda: self.store.categories.set_group(group, exclusive=single))

    def _select(self, name: str) -> None:
        rows = [row for row in range(self.table.rowCount()) if (item := self.table.item(row, 0)) and item.text() == name]
        if rows:
            self.table.selectRow(rows[0])
