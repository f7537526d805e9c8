"""A module the window will want later (the Review's, which brings matplotlib: about 0.6 s of CPU),
imported in a background thread once the person pauses, not while they type.

A Python thread importing holds the GIL: a key press made meanwhile waited for it at every switch,
and on a loaded machine for the importing thread to get a core (bench/learning_edit.py --phases
--at-once: about 20 such waits in each of the slowest presses). So the import starts after
:data:`IDLE_MS` without a key press, and each key press before that puts it off again.
"""

from __future__ import annotations

import importlib

from PySide6.QtCore import QObject, QTimer

from annotator.qt.workers import Workers

IDLE_MS = 1500  # a pause in typing: the import (about a second of wall time) rarely meets a key press


class Preload:
    def __init__(self, parent: QObject, module: str) -> None:
        self.module = module
        self.workers = Workers(parent)
        self.started = self.finished = False
        self.timer = QTimer(parent)
        self.timer.setSingleShot(True)
        self.timer.setInterval(IDLE_MS)
        self.timer.timeout.connect(self._start)
        self.timer.start()

    def postpone(self) -> None:
        """A key press: wait for the next pause (nothing once the import has started)."""
        if not self.started:
            self.timer.start()

    def _start(self) -> None:
        self.started = True
        self.workers.start(lambda progress, cancelled: importlib.import_module(self.module),
                           lambda _: self._finished(), lambda _: self._finished())  # failed: Ctrl+R imports it and says why

    def _finished(self) -> None:
        self.finished = True
