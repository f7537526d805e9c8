"""Running slow work off the UI thread, with a progress bar and a cancel button.

A :class:`Worker` runs ``fn(progress, cancelled)`` on the global QThreadPool. The pool does not
own Python references, so :class:`Workers` keeps each worker alive until it has finished.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QPushButton, QWidget

from annotator.failures import failure_line, log_details, user_errors

Task = Callable[[Callable[[int, int], None], Callable[[], bool]], Any]


class WorkerSignals(QObject):
    progress = Signal(int, int)  # done, total
    finished = Signal(object)  # the function's result
    failed = Signal(str)  # a one-line message
    done = Signal()  # after finished or failed, always


class Worker(QRunnable):
    def __init__(self, fn: Task) -> None:
        super().__init__()
        self.setAutoDelete(False)
        self.fn = fn
        self.signals = WorkerSignals()
        self._cancel = threading.Event()

    def cancel(self) -> None:
        self._cancel.set()

    def run(self) -> None:
        try:
            result = self.fn(self.signals.progress.emit, self._cancel.is_set)
        except Exception as err:  # one line for the user; a bug's traceback goes to the error log, not the terminal
            if not isinstance(err, user_errors()):
                log_details(err)
            self.signals.failed.emit(failure_line(err))
        else:
            self.signals.finished.emit(result)
        finally:
            self.signals.done.emit()


class Workers(QObject):
    """Starts workers and holds them until they are done."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.running: list[Worker] = []

    def start(self, fn: Task, on_finished: Callable[[Any], None] | None = None,
              on_failed: Callable[[str], None] | None = None, progress: ProgressPanel | None = None,
              title: str = "") -> Worker:
        worker = Worker(fn)
        if on_finished:
            worker.signals.finished.connect(on_finished)
        if on_failed:
            worker.signals.failed.connect(on_failed)
        if progress:
            progress.track(worker, title)
        worker.signals.done.connect(lambda: self.running.remove(worker))
        self.running.append(worker)
        QThreadPool.globalInstance().start(worker)
        return worker

    def wait(self, msecs: int = 30000) -> bool:
        return QThreadPool.globalInstance().waitForDone(msecs)


class ProgressPanel(QWidget):
    """What the status bar shows while a worker runs: what, how far, and a Cancel button."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.label = QLabel()
        self.bar = QProgressBar()
        self.bar.setMaximumWidth(220)
        self.cancel = QPushButton("Cancel")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for widget in (self.label, self.bar, self.cancel):
            layout.addWidget(widget)
        self.worker: Worker | None = None
        self.cancel.clicked.connect(self._cancel)
        self.hide()

    def track(self, worker: Worker, title: str) -> None:
        self.worker = worker
        self.label.setText(title)
        self.bar.setRange(0, 0)
        self.cancel.setEnabled(True)
        worker.signals.progress.connect(self._progress)
        worker.signals.done.connect(self._done)
        self.show()

    def _progress(self, done: int, total: int) -> None:
        self.bar.setRange(0, max(total, 1))
        self.bar.setValue(done)
        self.bar.setFormat(f"{done} of {total}")

    def _cancel(self) -> None:
        if self.worker:
            self.worker.cancel()
            self.cancel.setEnabled(False)
            self.label.setText(self.label.text() + " — cancelling…")

    def _done(self) -> None:
        self.worker = None
        self.hide()
