"""Managing labels: add, rename, recolour, re-key and remove.

A label name is data (it may come from an imported file): every box that shows one shows it as
plain text, so ``<img src=…>`` reads as typed and loads nothing.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (QColorDialog, QDialog, QDialogButtonBox, QHBoxLayout, QInputDialog, QLabel, QMessageBox,
                               QPushButton, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget)

from annotator.domain import LAYERS, Label
from annotator.labels import DEFAULT_LABELS, colour_for
from annotator.session import LOCK_WAIT_S
from annotator.storage import Store, StoreError


def ask_text(parent: QWidget, title: str, prompt: str, text: str = "") -> tuple[str, bool]:
    """QInputDialog.getText, with the prompt shown as plain text."""
    dialog = QInputDialog(parent)
    dialog.setWindowTitle(title)
    dialog.setLabelText(prompt)
    dialog.setTextValue(text)
    for label in dialog.findChildren(QLabel):
        label.setTextFormat(Qt.TextFormat.PlainText)
    ok = dialog.exec() == QDialog.DialogCode.Accepted
    return dialog.textValue(), ok


def ask_yes(parent: QWidget, title: str, question: str) -> bool:
    box = QMessageBox(QMessageBox.Icon.Question, title, question,
                      QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, parent)
    box.setTextFormat(Qt.TextFormat.PlainText)
    return box.exec() == QMessageBox.StandardButton.Yes


class LabelDialog(QDialog):
    def __init__(self, store: Store, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Labels")
        self.store = store
        self.table = QTableWidget(0, 4)
        self.table.setHorizontalHeaderLabels(["Label", "Layer", "Colour", "Key"])
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        buttons = QHBoxLayout()
        for text, slot in (("Add…", self.add), ("Rename…", self.rename), ("Colour…", self.recolour),
                           ("Key…", self.rekey), ("Remove", self.remove), ("Default colours", self.default_colours)):
            button = QPushButton(text)
            button.clicked.connect(slot)
            buttons.addWidget(button)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.accept)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addLayout(buttons)
        layout.addWidget(close)
        self.resize(520, 560)
        self.reload()

    def reload(self) -> None:
        labels = self.store.labels()
        self.table.setRowCount(len(labels))
        for row, label in enumerate(labels):
            colour = QTableWidgetItem(label.colour)
            colour.setBackground(QColor(label.colour))
            for column, item in enumerate((QTableWidgetItem(label.name), QTableWidgetItem(label.layer), colour,
                                           QTableWidgetItem(label.key or ""))):
                self.table.setItem(row, column, item)

    def selected(self) -> str | None:
        row = self.table.currentRow()
        return self.table.item(row, 0).text() if row >= 0 else None

    def _try(self, action) -> None:  # type: ignore[no-untyped-def]
        try:
            with self.store.lock_wait(LOCK_WAIT_S):  # another program's lock: refused at once, not waited for
                action()
        except (ValueError, KeyError, StoreError) as err:
            box = QMessageBox(QMessageBox.Icon.Warning, "Labels", str(err), parent=self)
            box.setTextFormat(Qt.TextFormat.PlainText)
            box.exec()
        self.reload()

    def add(self) -> None:
        name, ok = ask_text(self, "Add label", "Name:")
        if not ok or not name.strip():
            return
        layer, ok = QInputDialog.getItem(self, "Add label", "Layer:", list(LAYERS), 0, False)
        if ok:
            name = name.strip().upper()
            self._try(lambda: self.store.add_label(Label(name, layer, colour_for(name))))

    def rename(self) -> None:
        name = self.selected()
        if name:
            new, ok = ask_text(self, "Rename label", f"New name for {name}:", name)
            if ok and new.strip():
                self._try(lambda: self.store.update_label(name, new_name=new.strip().upper()))

    def recolour(self) -> None:
        name = self.selected()
        if name:
            colour = QColorDialog.getColor(QColor(self.store.label(name).colour), self, f"Colour of {name}")
            if colour.isValid():
                self._try(lambda: self.store.update_label(name, colour=colour.name()))

    def rekey(self) -> None:
        name = self.selected()
        if name:
            key, ok = ask_text(self, "Shortcut key", f"One key for {name} (empty for none):",
                               self.store.label(name).key or "")
            if ok:
                self._try(lambda: self.store.update_label(name, key=key.strip()[:1].lower()))

    def remove(self) -> None:
        name = self.selected()
        if name and ask_yes(self, "Remove label", f"Remove {name} and every span labelled with it?"):
            self._try(lambda: self.store.remove_label(name))

    def default_colours(self) -> None:
        """Give the default labels the default palette's colours (projects made before it keep theirs),
        all at once or, refused, none."""
        def recolour() -> None:
            with self.store.transaction():
                for label in DEFAULT_LABELS:
                    stored = self.store.label(label.name)
                    if stored is not None and stored.colour != label.colour:
                        self.store.update_label(label.name, colour=label.colour)

        self._try(recolour)
