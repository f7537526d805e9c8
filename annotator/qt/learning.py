"""Model → Suggest from my decisions (on by default, kept in the project) and the list of
strings the person labelled two ways, which therefore keep the model's suggestions."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu, QMessageBox, QWidget

from annotator.qt.status_line import StatusLine
from annotator.storage import Store, StoreError
from annotator.storage.decisions import LEARNING


class LearningActions:
    def __init__(self, parent: QWidget, menu: QMenu, status: StatusLine, store: Callable[[], Store]) -> None:
        self.parent, self.status, self.store = parent, status, store
        menu.addSeparator()
        self.toggle = QAction("Suggest from my &decisions", parent)
        self.toggle.setCheckable(True)
        self.toggle.setToolTip("Label, relabel or remove a string once: its other occurrences are suggested the same")
        self.toggle.triggered.connect(self.switch)
        menu.addAction(self.toggle)
        self.conflicts_action = QAction("Strings labelled two &ways…", parent)
        self.conflicts_action.triggered.connect(self.show_conflicts)
        menu.addAction(self.conflicts_action)

    def restore(self) -> None:
        """A project was opened: show its setting."""
        store = self.store()
        self.toggle.setChecked(store.decisions.enabled())
        self.toggle.setEnabled(not store.read_only)

    def switch(self, on: bool) -> None:
        try:
            self.store().set_setting(LEARNING, None if on else "off")
        except StoreError as err:
            self.toggle.setChecked(not on)
            self.status.show_message(f"Not changed: {err}", error=True)
            return
        self.status.show_message("Suggestions now follow your decisions." if on else
                                 "Suggestions no longer follow your decisions (the model's only).")

    def show_conflicts(self) -> None:
        conflicts = self.store().decisions.conflicts()
        if not conflicts:
            text = "No string has been labelled two ways."
        else:
            lines = [f"“{written}”: " + ", ".join(f"{label or 'removed'} in {n}" for label, n in sorted(counts.items()))
                     for written, counts in conflicts]
            text = ("These strings were labelled more than one way, so they keep the model's suggestions:\n\n"
                    + "\n".join(lines))
        box = QMessageBox(QMessageBox.Icon.Information, "Strings labelled two ways", text, parent=self.parent)
        box.setTextFormat(Qt.TextFormat.PlainText)  # article words are untrusted
        box.open()

