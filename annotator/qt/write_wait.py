"""Edits waiting for another program's write lock, as the window lives with them: a timer tries
the lock again, the status bar says how many wait, and closing waits until they are stored."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer

from annotator.qt.status_line import StatusLine
from annotator.session import Session, counted

RETRY_MS = 100  # how often edits waiting for another program's write lock try it again


class WriteWait:
    def __init__(self, owner: QObject, session: Session, status: StatusLine, close: Callable[[], object]) -> None:
        self.session, self.status, self.close = session, status, close
        self.closing = False  # asked to close while edits wait: closes once they are stored
        self.retry_timer = QTimer(owner)
        self.retry_timer.setInterval(RETRY_MS)
        self.retry_timer.timeout.connect(session.retry)
        session.events.waiting.connect(self._waiting)
        session.events.unsaved.connect(self._unsaved)

    def _waiting(self, count: int) -> None:
        """Edits wait for another program's write lock: the window goes on; the timer tries again."""
        self.status.waiting(count, self.session.store.path.name)
        if count:
            self.retry_timer.start()
            return
        self.retry_timer.stop()
        if self.closing:
            self.close()

    def _unsaved(self, why: str) -> None:
        self.closing = False  # the person is told, and stays to read it
        self.status.not_saved(why)

    def may_close(self) -> bool:
        """Closing with edits waiting: said, and done once they are stored (asked again: at once)."""
        if not self.session.waiting or self.closing:
            return True
        self.closing = True
        waiting = len(self.session.waiting)
        verb = "is" if waiting == 1 else "are"
        self.status.show_message(f"Closing once your {counted(waiting, 'waiting edit')} {verb} saved (another program "
                                 f"is writing to {self.session.store.path.name}); close again to leave without them.",
                                 error=True)
        return False
