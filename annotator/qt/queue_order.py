"""Model → the order of next unreviewed, kept in the project: Ctrl+U (and marking a document done)
goes first to the open documents on which a retrained model and the one before it disagree most,
or to those whose suggestions the model is least sure of (annotator.learning.queue), then on in the
list's order. Choosing "least certain" measures, in a worker, the open documents detected before
without it; detection measures the new ones while the project follows that order."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QAction, QActionGroup
from PySide6.QtWidgets import QMenu, QWidget

from annotator.learning.queue import DISAGREEMENT, ORDER, UNCERTAINTY
from annotator.qt.detection import DetectionRunner
from annotator.qt.status_line import StatusLine
from annotator.storage import Store, StoreError

SAID = {None: "Next unreviewed follows the list.",
        DISAGREEMENT: "Next unreviewed goes first where the models disagree most.",
        UNCERTAINTY: "Next unreviewed goes first where suggestions are least certain."}


class QueueOrder:
    def __init__(self, parent: QWidget, menu: QMenu, status: StatusLine, store: Callable[[], Store],
                 detection: DetectionRunner) -> None:
        self.status, self.store, self.detection = status, store, detection
        self.action = self._choice(parent, menu, DISAGREEMENT, "&Next unreviewed where the models disagree most",
                                   "After a background retraining: the open documents its model and the one before "
                                   "it label most differently come first")
        self.uncertain = self._choice(parent, menu, UNCERTAINTY, "Next unreviewed where suggestions are &least certain",
                                      "The open documents with the most suggestions the model is unsure of come first "
                                      "(measured at detection from a beam of the model's parses)")
        self.group = QActionGroup(parent)
        self.group.setExclusionPolicy(QActionGroup.ExclusionPolicy.ExclusiveOptional)  # both off: the list's order
        for action in (self.action, self.uncertain):
            self.group.addAction(action)

    def _choice(self, parent: QWidget, menu: QMenu, order: str, text: str, tip: str) -> QAction:
        action = QAction(text, parent)
        action.setCheckable(True)
        action.setToolTip(tip)
        action.triggered.connect(lambda on: self.switch(order if on else None))
        menu.addAction(action)
        return action

    def restore(self) -> None:
        """A project was opened: show its setting."""
        store = self.store()
        order = store.setting(ORDER)
        for action, its in ((self.action, DISAGREEMENT), (self.uncertain, UNCERTAINTY)):
            action.setChecked(order == its)
            action.setEnabled(not store.read_only)

    def switch(self, order: str | None) -> None:
        store = self.store()
        before = store.setting(ORDER)
        try:
            store.set_setting(ORDER, order)
        except StoreError as err:
            self.restore_checks(before)
            self.status.show_message(f"Not changed: {err}", error=True)
            return
        self.status.show_message(SAID[order])
        if order == UNCERTAINTY:  # the documents detected before without it (found in the worker)
            self.detection.measure()

    def restore_checks(self, order: str | None) -> None:
        self.action.setChecked(order == DISAGREEMENT)
        self.uncertain.setChecked(order == UNCERTAINTY)
