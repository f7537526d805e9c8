"""The window's Model menu: train on the done documents in the background, choose the model that
pre-annotates, and re-detect the open documents with it.

Training is ``annotator train`` in a worker (spaCy runs in a child process, so the window stays
responsive); Cancel stops it the way Ctrl+C does and keeps the best model so far. Re-detecting
never overwrites a document a person has edited (see ``Store.save_predictions``). The model
chosen is kept in the project (its ``settings``), so it is chosen again whenever, and wherever,
the project is opened.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QAction, QActionGroup
from PySide6.QtWidgets import QComboBox, QDialog, QDialogButtonBox, QFormLayout, QLineEdit, QMainWindow, QMenu, QSpinBox, QWidget

from annotator.domain import OPEN
from annotator.qt.detection import DetectionRunner
from annotator.qt.status_line import StatusLine
from annotator.session import LOCK_WAIT_S, counted
from annotator.storage import Store, StoreError
from annotator.train.models import MODEL_SETTING, chosen_model, model_rows, resolve_model

if TYPE_CHECKING:
    from annotator.train.run import Progress
    from annotator.train.trainer import Settings, Trained

DEFAULT_MODEL = "Installed English pipeline (default)"
BLANK_BASE = "Blank (learn from scratch)"


class TrainingStatus(QObject):
    """Carries the dev scores from the worker thread to the status bar."""

    text = Signal(str)


class TrainDialog(QDialog):
    """Where the model goes, how long to train, and what to start from."""

    def __init__(self, store: Store, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Train a model on the done documents")
        self.output = QLineEdit(str(store.path.resolve().parent / "models" / store.path.stem))
        self.steps = QSpinBox()
        self.steps.setRange(1, 100_000)
        self.steps.setValue(1000)
        self.base = QComboBox()
        self.base.addItems(["Installed English pipeline", BLANK_BASE])
        form = QFormLayout(self)
        form.addRow("Model folder", self.output)
        form.addRow("Steps", self.steps)
        form.addRow("Start from", self.base)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Train")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        form.addRow(self.buttons)

    def settings(self) -> Settings:
        from annotator.train.trainer import BLANK, Settings

        base = BLANK if self.base.currentText() == BLANK_BASE else None
        return Settings(Path(self.output.text().strip()), base=base, max_steps=self.steps.value())


class ModelMenu:
    """Model → Train…, Use for pre-annotation ▸, Re-detect open documents."""

    def __init__(self, window: QMainWindow, status: StatusLine, store: Callable[[], Store],
                 detection: DetectionRunner) -> None:
        self.window, self.status, self.store, self.detection = window, status, store, detection
        bar = window.menuBar()
        help_menu = next((a for a in bar.actions() if a.text() == "&Help"), None)
        self.menu = QMenu("&Model", window)
        if help_menu:
            bar.insertMenu(help_menu, self.menu)
        else:
            bar.addMenu(self.menu)
        self.train_action = self._add("&Train on done documents…", self.ask_to_train)
        self.use_menu = self.menu.addMenu("&Use for pre-annotation")
        self.use_menu.aboutToShow.connect(self.fill_use_menu)
        self.redetect_action = self._add("&Re-detect open documents", self.redetect)
        self.scores = TrainingStatus()
        self.scores.text.connect(lambda text: status.progress.label.setText(text))
        self.dialog: TrainDialog | None = None
        self.in_use = DEFAULT_MODEL
        self.session_only = False  # the model in use could not be kept in the project

    def _add(self, text: str, slot: Callable[[], Any]) -> QAction:
        action = QAction(text, self.window)
        action.triggered.connect(slot)
        self.menu.addAction(action)
        return action

    # -- training --------------------------------------------------------------------------

    def ask_to_train(self) -> None:
        self.dialog = TrainDialog(self.store(), self.window)
        self.dialog.accepted.connect(lambda: self.train(self.dialog.settings()))
        self.dialog.open()

    def train(self, settings: Settings) -> None:
        db, annotator = self.store().path, self.store().annotator
        scores = self.scores

        def work(progress: Callable[[int, int], None], cancelled: Callable[[], bool]) -> Trained:
            from annotator.train.trainer import train

            def report(step: Progress) -> None:
                progress(min(step.step, step.max_steps), step.max_steps)
                if step.scores and "ents_f" in step.scores:
                    scores.text.emit(f"Training — dev F1 {step.scores['ents_f']:.3f}")

            with Store(db, annotator) as store:
                return train(store, settings, report, cancelled)

        self.train_action.setEnabled(False)
        worker = self.status.workers.start(work, self._trained, self._failed, self.status.progress, "Training")
        worker.signals.done.connect(lambda: self.train_action.setEnabled(True))

    def _trained(self, result: Trained) -> None:
        how = "Trained" if result.finished else "Training stopped; kept the best model so far:"
        self.status.show_message(f"{how} {result.name} {result.version} (entities F1 {result.scores.get('ents_f', 0):.3f})"
                                 " — Model → Use for pre-annotation to use it.")

    def _failed(self, message: str) -> None:
        self.status.show_message(f"Training failed: {message}", error=True)

    # -- choosing the model ----------------------------------------------------------------

    def fill_use_menu(self) -> None:
        """The default pipeline and every registered model, the one in use checked."""
        self.use_menu.clear()
        group = QActionGroup(self.use_menu)
        choices = [(DEFAULT_MODEL, None)] + [
            (f"{row['name']} {row['version']} — entities F1 {row['ents_f'] or 0:.3f}", row["name"])
            for row in model_rows(self.store())]
        for text, name in choices:
            action = QAction(text, self.use_menu, checkable=True)
            action.setChecked((name or DEFAULT_MODEL) == self.in_use)
            action.triggered.connect(lambda _=False, name=name: self.use(name))
            group.addAction(action)
            self.use_menu.addAction(action)

    def use(self, name: str | None) -> None:
        """Pre-annotate with this registered model (None: the installed default) from now on,
        kept in the project, and re-detect the open documents with it. Where the choice cannot be
        kept (read-only; another program holds the write lock: the window does not wait) it holds
        for this session only, as the status bar says; read-only, nothing is re-detected."""
        store = self.store()
        try:
            path = resolve_model(store, name)
        except ValueError as err:
            self.status.show_message(str(err), error=True)
            return
        self._choose(name, path)
        try:
            with store.lock_wait(LOCK_WAIT_S):
                store.set_setting(MODEL_SETTING, name)
            self.session_only = False
        except StoreError as err:
            self.session_only = True
            self.status.model_label.setText(f"model: {name or 'default'} (this session only)")
            self.status.show_message(f"{name or 'The default model'} chosen for this session only, not kept in the "
                                     f"project: {err}", error=True)
            if store.read_only:
                return
        else:
            self.status.model_label.setText(f"model: {name or 'default'} (loading…)")
        self.redetect()

    def restore(self) -> None:
        """A project was opened: choose the model chosen for it before, if it is still registered
        and its folder is there; else the default, and say why."""
        store = self.store()
        for action in (self.train_action, self.redetect_action):  # both write to the project
            action.setEnabled(not store.read_only)
        try:
            name, path = chosen_model(store)
        except ValueError as err:
            self.status.show_message(f"The model chosen for this project cannot be used ({err}); "
                                     "pre-annotating with the default.", error=True)
            name, path = None, None
        self._choose(name, path)
        self.session_only = False
        if name is not None:
            self.status.model_label.setText(f"model: {name}")
        elif store.read_only:  # nothing is pre-annotated there: no model loads ("loading…" stayed)
            self.status.model_label.setText("model: not run (read-only)")

    def switched(self, name: str, path: str) -> None:
        """A background run chose its model for the project (annotator.qt.retraining): use it from now on."""
        self._choose(name, path)
        self.session_only = False
        self.status.model_label.setText(f"model: {name}")

    def _choose(self, name: str | None, path: str | None) -> None:
        if (self.detection.model, self.in_use) != (path, name or DEFAULT_MODEL):
            self.detection.model, self.detection.pipeline = path, None
        self.in_use = name or DEFAULT_MODEL

    def redetect(self) -> None:
        """Detect the open documents again with the model in use; edited ones keep their layer."""
        runner = self.detection
        db, annotator = self.store().path, self.store().annotator

        def work(progress: Callable[[int, int], None], cancelled: Callable[[], bool]) -> int:
            from annotator.detect.detector import detect_documents
            from annotator.detect.pipeline import load_pipeline

            if runner.pipeline is None:
                runner.pipeline = load_pipeline(runner.model)
            with Store(db, annotator) as store:
                ids = store.document_ids(OPEN)
                progress(0, len(ids))
                return detect_documents(store, ids, runner.pipeline, progress=lambda n: progress(n, len(ids)),
                                        cancelled=cancelled)

        self.status.workers.start(work, self._redetected, self._redetect_failed, self.status.progress, "Re-detecting")

    def _redetected(self, count: int) -> None:
        pipeline = self.detection.pipeline
        name = f"{pipeline.name} {pipeline.version}" if pipeline else self.in_use
        self.status.model_label.setText(f"model: {name}" + (" (this session only)" if self.session_only else ""))
        self.status.show_message(f"Re-detected {counted(count, 'open document')} with {name}; edited ones kept as they were.")
        self.detection.detected(count)

    def _redetect_failed(self, message: str) -> None:
        self.status.model_label.setText("⚠ model failed")
        self.status.show_message(f"Detection failed: {message}", error=True)
