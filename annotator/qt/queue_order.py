"""Model → Next unreviewed where the models disagree most: Ctrl+U (and marking a document done)
goes first to the open documents on which a retrained model and the one before it disagree
most (annotator.learning.queue), then on in the list's order. Kept in the project."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu, QWidget

from annotator.learning.queue import DISAGREEMENT, ORDER, follows_disagreement
from annotator.qt.status_line import StatusLine
from annotator.storage import Store, StoreError


class QueueOrder:
    def __init__(self, parent: QWidget, menu: QMenu, status: StatusLine, store: Callable[[], Store]) -> None:
        self.status, self.store = status, store
        self.action = QAction("&Next unreviewed where the models disagree most", parent)
        self.action.setCheckable(True)
        self.action.setToolTip("After a background retraining: the open documents its model and the one before "
                               "it label most differently come first")
        self.action.triggered.connect(self.switch)
        menu.addAction(self.action)

    def restore(self) -> None:
        """A project was opened: show its setting."""
        store = self.store()
        self.action.setChecked(follows_disagreement(store))
        self.action.setEnabled(not store.read_only)

    def switch(self, on: bool) -> None:
        try:
            self.store().set_setting(ORDER, DISAGREEMENT if on else None)
        except StoreError as err:
            self.action.setChecked(not on)
            self.status.show_message(f"Not changed: {err}", error=True)
            return
        self.status.show_message("Next unreviewed goes first where the models disagree most." if on else
                                 "Next unreviewed follows the list.")
