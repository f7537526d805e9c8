"""Model → Retrain in the background…: after every N documents marked done, ``annotator train``
runs in a worker (progress and Cancel in the status bar) and its model replaces the one in use
for the documents not yet edited when it scores better (annotator.train.retrain); the status bar
says which way it went. N and the training steps are the project's settings; N 0 (the default)
is off, and no run starts before the project has ``MINIMUM_DONE`` done documents.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QMainWindow, QSpinBox, QWidget

from annotator.domain import DONE
from annotator.qt.status_line import StatusLine
from annotator.session import Session
from annotator.storage import Store, StoreError
from annotator.train.retrain import EVERY, MINIMUM_DONE, STEPS, Retrained, describe, due, every, retrain, steps

if TYPE_CHECKING:
    from annotator.qt.training import ModelMenu


class RetrainDialog(QDialog):
    """How often to retrain, and how long each run trains."""

    def __init__(self, store: Store, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Retrain in the background")
        self.every = QSpinBox()
        self.every.setRange(0, 100_000)
        self.every.setSpecialValueText("off")
        self.every.setValue(every(store))
        self.every.setToolTip(f"0: off. Runs start once the project has {MINIMUM_DONE} done documents.")
        self.steps = QSpinBox()
        self.steps.setRange(1, 100_000)
        self.steps.setValue(steps(store))
        form = QFormLayout(self)
        form.addRow("After every N documents marked done", self.every)
        form.addRow("Training steps", self.steps)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        form.addRow(self.buttons)


class BackgroundRetraining:
    """Counts documents marked done and starts a run when N more are."""

    def __init__(self, window: QMainWindow, models: ModelMenu, session: Session, status: StatusLine,
                 store: Callable[[], Store]) -> None:
        self.window, self.models, self.status, self.store = window, models, status, store
        self.action = models.menu.addAction("Retrain in the &background…", self.ask)
        self.dialog: RetrainDialog | None = None
        self.running = False
        self.at_last_run = 0  # done documents when the project was opened or the last run started
        for event in (session.events.status, session.events.marked, session.events.listed):
            event.connect(lambda _: self.check())

    def restore(self) -> None:
        """A project was opened: count from its done documents now."""
        store = self.store()
        self.at_last_run = store.count_documents(DONE)
        self.action.setEnabled(not store.read_only)

    def ask(self) -> None:
        self.dialog = RetrainDialog(self.store(), self.window)
        self.dialog.accepted.connect(self._set)
        self.dialog.open()

    def _set(self) -> None:
        assert self.dialog is not None
        n, total = self.dialog.every.value(), self.dialog.steps.value()
        try:
            self.store().set_setting(EVERY, str(n) if n else None)
            self.store().set_setting(STEPS, str(total))
        except StoreError as err:
            self.status.show_message(f"Not changed: {err}", error=True)
            return
        self.status.show_message(f"Retraining after every {n:,} documents marked done ({total:,} steps)." if n else
                                 "Background retraining is off.")

    def check(self) -> None:
        """After a document (or many) changed status: start a run if one is due."""
        store = self.store()
        if self.running or store.read_only:
            return
        done = store.count_documents(DONE)
        if due(done, self.at_last_run, every(store)):
            self.at_last_run = done
            self.start()

    def start(self) -> None:
        store, in_use = self.store(), self.models.detection.model
        db, annotator = store.path, store.annotator

        def work(progress: Callable[[int, int], None], cancelled: Callable[[], bool]) -> Retrained:
            with Store(db, annotator) as own:
                return retrain(own, in_use, progress, cancelled)

        self.running = True
        worker = self.status.workers.start(work, self._finished, self._failed, self.status.progress, "Retraining")
        worker.signals.done.connect(self._done)

    def _done(self) -> None:
        self.running = False

    def _finished(self, result: Retrained) -> None:
        was = self.models.in_use
        if result.switched:
            self.models.switched(result.name, result.path)
            self.models.detection.detected(result.redetected)
        self.status.show_message(describe(result, was))

    def _failed(self, message: str) -> None:
        self.status.show_message(f"Retraining failed: {message}", error=True)
