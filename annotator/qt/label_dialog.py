"""Managing labels: add, rename, recolour, re-key and remove span labels; add, rename, remove and
group document labels (their own tab, :mod:`annotator.qt.document_labels_panel`).

A label name is data (it may come from an imported file): every box that shows one shows it as
plain text, so ``<img src=…>`` reads as typed and loads nothing.

Renaming and removing rewrite every span that carries the label, in one transaction: seconds on
a large project (8 s for 353,000 spans of 100,000 articles). They run in a worker with a
progress bar and Cancel, waiting their turn for another program's write lock; the quick changes
(add, colour, key) are made at once, or refused at once while another program writes.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from contextlib import suppress
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QColorDialog,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from annotator.domain import LAYERS, Label
from annotator.labels import DEFAULT_LABELS, colour_for
from annotator.qt.document_labels_panel import DocumentLabelsPanel
from annotator.qt.workers import ProgressPanel, Workers
from annotator.session import LOCK_LIMIT_S, LOCK_WAIT_S
from annotator.storage import Interrupted, LockedError, Store, StoreError


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
        self.buttons: list[QPushButton] = []
        for text, slot in (("Add…", self.add), ("Rename…", self.rename), ("Colour…", self.recolour),
                           ("Key…", self.rekey), ("Remove", self.remove), ("Default colours", self.default_colours)):
            button = QPushButton(text)
            button.clicked.connect(slot)
            buttons.addWidget(button)
            self.buttons.append(button)
        self.close_box = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.close_box.rejected.connect(self.accept)
        self.progress = ProgressPanel(self)
        self.progress.cancel.clicked.connect(self._stop)
        self.workers = Workers(self)
        self.rewriting: Store | None = None  # the worker's store while it rewrites spans
        self.documents = DocumentLabelsPanel(store, lambda title, prompt, text: ask_text(self, title, prompt, text),
                                             self._try, self._rewrite, lambda title, question: ask_yes(self, title, question))
        spans = QWidget()
        span_layout = QVBoxLayout(spans)
        span_layout.addWidget(self.table)
        span_layout.addLayout(buttons)
        self.tabs = QTabWidget()
        self.tabs.addTab(spans, "Span labels")
        self.tabs.addTab(self.documents, "Document labels")
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs)
        layout.addWidget(self.progress)
        layout.addWidget(self.close_box)
        self.resize(620, 560)
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
        self.documents.reload()

    def selected(self) -> str | None:
        item = self.table.item(self.table.currentRow(), 0)
        return item.text() if item is not None else None

    def _try(self, action: Callable[[], object]) -> None:
        try:
            with self.store.lock_wait(LOCK_WAIT_S):  # another program's lock: refused at once, not waited for
                action()
        except (ValueError, KeyError, StoreError) as err:
            self._say(str(err))
        self.reload()

    def _say(self, message: str) -> None:
        box = QMessageBox(QMessageBox.Icon.Warning, "Labels", message, parent=self)
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.exec()

    def _rewrite(self, what: str, change: Callable[[Store], Any]) -> None:
        """A change that rewrites the label's spans (or documents), in a worker with its own Store."""
        path, annotator = self.store.path, self.store.annotator

        def work(progress: Callable[[int, int], None], cancelled: Callable[[], bool]) -> None:
            with Store(path, annotator) as store:
                self.rewriting = store
                try:
                    _when_free(store, change, cancelled)
                finally:
                    self.rewriting = None

        self._busy(True)  # told before it starts: a quick one (a document label's) may be done before a later connect
        self.workers.start(work, on_finished=lambda _: self._rewritten(), on_failed=self._not_rewritten,
                           progress=self.progress, title=what)

    def _rewritten(self) -> None:
        self._busy(False)
        self.reload()

    def _not_rewritten(self, message: str) -> None:
        self._say(message)
        self._rewritten()

    def _stop(self) -> None:
        """Cancel: the worker stops waiting for the lock, or its statement is interrupted (rolled back)."""
        store = self.rewriting
        if store is not None:
            with suppress(Exception):  # the worker closed its store meanwhile: it has finished
                store.interrupt()

    def _busy(self, busy: bool) -> None:
        for widget in (*self.buttons, *self.documents.buttons, self.close_box):
            widget.setEnabled(not busy)

    def reject(self) -> None:
        """Escape or the window's close button: not while spans are being rewritten (Cancel first)."""
        if not self.workers.running:
            super().reject()

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
                new_name = new.strip().upper()
                if new_name != name and self.store.label(new_name):
                    self._say(f"a label named {new_name!r} already exists")
                    return
                self._rewrite(f"Renaming {name} to {new_name}…",
                              lambda store: store.update_label(name, new_name=new_name))

    def recolour(self) -> None:
        name = self.selected()
        label = self.store.label(name) if name else None
        if name and label:
            colour = QColorDialog.getColor(QColor(label.colour), self, f"Colour of {name}")
            if colour.isValid():
                self._try(lambda: self.store.update_label(name, colour=colour.name()))

    def rekey(self) -> None:
        name = self.selected()
        label = self.store.label(name) if name else None
        if name and label:
            key, ok = ask_text(self, "Shortcut key", f"One key for {name} (empty for none):", label.key or "")
            if ok:
                self._try(lambda: self.store.update_label(name, key=key.strip()[:1].lower()))

    def remove(self) -> None:
        name = self.selected()
        if name and ask_yes(self, "Remove label", f"Remove {name} and every span labelled with it?"):
            self._rewrite(f"Removing {name}…", lambda store: store.remove_label(name))

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


def _when_free(store: Store, change: Callable[[Store], Any], cancelled: Callable[[], bool]) -> Any:
    """Make the change once the write lock is free, asking every moment whether to give up (a
    Cancel cannot reach into SQLite's own wait), for as long as the window's edits wait."""
    given_up = time.monotonic() + LOCK_LIMIT_S
    while True:
        if cancelled():
            raise Interrupted(f"{store.path}: cancelled; the change was not stored")
        try:
            with store.lock_wait(LOCK_WAIT_S):
                return change(store)
        except LockedError:
            if time.monotonic() > given_up:
                raise
