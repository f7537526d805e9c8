"""The status bar and the background tasks it reports on.

Dialogs and runners get this object, not the window: they say what happened here and start
their work through it, so none of them needs to know the window (no circle of imports).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QHelpEvent, QPainter, QPaintEvent, QPalette
from PySide6.QtWidgets import QLabel, QSizePolicy, QStatusBar, QToolTip

from annotator.qt.colours import ERROR, WARNING
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
        self.message = Message()
        self.progress = ProgressPanel()
        bar.addWidget(self.message, 1)
        bar.addPermanentWidget(self.progress)
        for label in (self.model_label, self.progress_label, self.save_label):
            label.setContentsMargins(12, 0, 0, 0)  # apart: "3.8.0  0 of 2 done" read as one
            bar.addPermanentWidget(label)

    def show_message(self, text: str, error: bool = False) -> None:
        self.message.setStyleSheet(f"color: {ERROR}; font-weight: bold;" if error else "")
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
        why = (f"{project} is busy: another program is writing to it. Your {edits} saved, in order, "
               "once it is free; you can go on working.")
        self.save_label.setStyleSheet(f"color: {WARNING}; font-weight: bold;")
        self.save_label.setText(f"… {count} edit{'s' if count > 1 else ''} waiting")
        self.save_label.setToolTip(plain_tooltip(why))
        self.message.setStyleSheet(f"color: {WARNING};")
        self.message.setText(why)

    def project_opened(self, read_only: str | None) -> None:
        """A project was opened: saved as it is, or read-only (``read_only`` says why)."""
        self.saved_at = ""
        if read_only is None:
            self._show_saved()
            self.show_message("")  # nothing said of the project left (such as that it was read-only)
            return
        self.is_waiting = False
        self.save_label.setStyleSheet(f"color: {WARNING}; font-weight: bold;")
        self.save_label.setText("read-only")
        self.save_label.setToolTip(plain_tooltip(read_only))
        self.show_message(read_only, error=True)

    def not_saved(self, why: str) -> None:
        """The last edit could not be written: say so where "saved" stood, until an edit is saved."""
        self.is_waiting = False
        self.save_label.setStyleSheet(f"color: {ERROR}; font-weight: bold;")
        self.save_label.setText(f"✗ not saved {datetime.now():%H:%M:%S}")
        self.save_label.setToolTip(plain_tooltip(why))  # names a file: data, not markup

    def run(self, title: str, work: Task, finished: Callable[[Any], None], failure: str) -> Worker:
        """Run ``work`` in the background; a failure is said as ``failure: why``."""
        return self.workers.start(work, finished, lambda m: self.show_message(f"{failure}: {m}", error=True),
                                  self.progress, title)


class Message(QLabel):
    """The status bar's message, on one line: where the bar is too narrow for it, it ends in "…"
    and its tooltip holds all of it (it would otherwise be cut off, or push the saved mark away)."""

    def __init__(self) -> None:
        super().__init__()
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.setMinimumWidth(40)

    def shown(self) -> str:
        """What is written: the message, cut to the room it has."""
        return self.fontMetrics().elidedText(self.text(), Qt.TextElideMode.ElideRight, self.contentsRect().width())

    def paintEvent(self, event: QPaintEvent) -> None:
        """Drawn as the style draws a label's text, without asking for the style: PySide's first
        QStyle from Python builds its enum classes, 10-15 ms of the window's first paint."""
        painter = QPainter(self)
        painter.setPen(self.palette().color(QPalette.ColorRole.WindowText))
        painter.drawText(self.contentsRect(), Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, self.shown())

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            if self.shown() != self.text():
                QToolTip.showText(event.globalPos(), plain_tooltip(self.text()), self)
            else:
                QToolTip.hideText()
            return True
        return super().event(event)
