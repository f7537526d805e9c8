"""The status bar and the background tasks it reports on.

Dialogs and runners get this object, not the window: they say what happened here and start
their work through it, so none of them needs to know the window (no circle of imports).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QStatusBar

from annotator.qt.plain import plain_tooltip
from annotator.qt.workers import ProgressPanel, Task, Worker, Workers

SAVED_TIP = "Every edit is committed to the project database when it is made."


class StatusLine:
    def __init__(self, bar: QStatusBar, workers: Workers) -> None:
        self.workers = workers
        self.model_label = QLabel("model: loading…")
        self.progress_label = QLabel()
        self.save_label = QLabel("✓ saved")  # each edit is committed as made, or waits its turn, said
        self.save_label.setToolTip(SAVED_TIP)
        self.saved_at = ""  # when an edit was last stored
        self.is_waiting = False  # the label says edits wait for another program's write lock
        self.message = QLabel()
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        self.progress = ProgressPanel()
        bar.addWidget(self.message, 1)
        bar.addPermanentWidget(self.progress)
        for label in (self.model_label, self.progress_label, self.save_label):
            bar.addPermanentWidget(label)

    def show_message(self, text: str, error: bool = False) -> None:
        self.message.setStyleSheet("color: #b91c1c; font-weight: bold;" if error else "")
        self.message.setText(text)

    def saved(self) -> None:
        """An edit was stored (said as saved once no other edit waits)."""
        self.saved_at = f" {datetime.now():%H:%M:%S}"
        if not self.is_waiting:
            self._show_saved()

    def _show_saved(self) -> None:
        self.is_waiting = False
        self.save_label.setStyleSheet("")
        self.save_label.setText(f"✓ saved{self.saved_at}")
        self.save_label.setToolTip(SAVED_TIP)

    def waiting(self, count: int, project: str) -> None:
        """``count`` edits wait for another program's write lock: say so plainly, where "saved"
        stands and on the message line; at 0, back to "saved" (unless "not saved" was said since)."""
        if not count:
            if self.is_waiting:
                self._show_saved()
            return
        self.is_waiting = True
        edits = "edit waits and is" if count == 1 else f"{count} edits wait and are"
        why = (f"Project busy: another program is writing to {project}. Your {edits} saved as soon as "
               "it is free, in order; you can go on reading and working.")
        self.save_label.setStyleSheet("color: #b45309; font-weight: bold;")
        self.save_label.setText(f"… {count} edit{'s' if count > 1 else ''} waiting")
        self.save_label.setToolTip(plain_tooltip(why))
        self.message.setStyleSheet("color: #b45309;")
        self.message.setText(why)

    def project_opened(self, read_only: str | None) -> None:
        """A project was opened: saved as it is, or read-only (``read_only`` says why)."""
        self.saved_at = ""
        if read_only is None:
            self._show_saved()
            return
        self.is_waiting = False
        self.save_label.setStyleSheet("color: #b45309; font-weight: bold;")
        self.save_label.setText("read-only")
        self.save_label.setToolTip(plain_tooltip(read_only))
        self.show_message(read_only, error=True)

    def not_saved(self, why: str) -> None:
        """The last edit could not be written: say so where "saved" stood, until an edit is saved."""
        self.is_waiting = False
        self.save_label.setStyleSheet("color: #b91c1c; font-weight: bold;")
        self.save_label.setText(f"✗ not saved {datetime.now():%H:%M:%S}")
        self.save_label.setToolTip(plain_tooltip(why))  # names a file: data, not markup

    def run(self, title: str, work: Task, finished: Callable[[Any], None], failure: str) -> Worker:
        """Run ``work`` in the background; a failure is said as ``failure: why``."""
        return self.workers.start(work, finished, lambda m: self.show_message(f"{failure}: {m}", error=True),
                                  self.progress, title)
