"""The session's line of changes waiting for another program's write lock.

While another program holds the project's write lock, an edit does not hold up the window: it
waits a moment (``LOCK_WAIT_S``), then joins the changes waiting in line (:attr:`WriteQueue.waiting`),
which :meth:`WriteQueue.retry` — called on a timer by the window — stores in order as soon as the
lock is free, announcing each as it is stored; past ``lock_limit_s`` they are given up, said
unsaved. An edit of a span whose adding still waits finds it once it is stored (:class:`Pending`).
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from annotator.descriptions import counted, describe_span
from annotator.domain import Span, SpanError, StoredSpan
from annotator.session_events import Events
from annotator.storage import LockedError, Missing, Store, StoreError

# What a failed edit raises: refusals from the domain and the store (what it is about is gone), and
# the store's failures (read-only, locked, disk full): the views then draw nothing new and the status
# bar says why. Anything else is a programming error, and is not passed off as a refusal.
REFUSALS: tuple[type[Exception], ...] = (SpanError, ValueError, Missing, StoreError)

LOCK_WAIT_S = 0.1  # how long an edit may hold up the window waiting for another program's write lock
LOCK_LIMIT_S = 15.0  # how long edits then wait in line before they are given up (as a command waits)


class Pending:
    """A span whose adding waits for the write lock: edits made to it meanwhile find it by this."""

    def __init__(self, span: Span) -> None:
        self.span = span
        self.stored: StoredSpan | None = None
        self.refused = "it waits"  # why it was not stored, once it was not

    def id(self) -> int:
        if self.stored is None:
            raise Missing(f"{describe_span(self.span)} was not stored ({self.refused}), nor this change to it")
        return self.stored.id


@dataclass
class Change:
    """One store call of the session (one transaction, or several it may safely start again)."""

    action: Callable[[], Any]
    stored: Callable[[Any], None]  # tells the views, once it is stored
    failed: Callable[[Exception], None]  # says why not
    refused: bool = False


class WriteQueue:
    """Stores a session's changes in order, now or once another program lets go of the write lock."""

    def __init__(self, store: Callable[[], Store], events: Events) -> None:
        self.store = store  # the project now open (the session may switch to another)
        self.events = events
        self.waiting: deque[Change] = deque()  # changes waiting for the write lock, in order
        self.lock_limit_s = LOCK_LIMIT_S
        self._blocked_since = 0.0  # when the lock last kept the first waiting change out

    def write(self, action: Callable[[], Any], stored: Callable[[Any], None],
              failed: Callable[[Exception], None] | None = None) -> bool:
        """Store a change now, or put it in line while another program holds the write lock (or
        earlier changes wait): ``stored`` is called once it is stored. False if it was refused."""
        change = Change(action, stored, failed or self.refused)
        if self.waiting:
            self.waiting.append(change)
            self.events.waiting.emit(len(self.waiting))
            self.retry()
            return not change.refused
        try:
            with self.store().lock_wait(LOCK_WAIT_S):
                result = action()
        except LockedError:
            self._blocked_since = time.monotonic()
            self.waiting.append(change)
            self.events.waiting.emit(len(self.waiting))
            return True
        except REFUSALS as err:
            change.failed(err)
            return False
        stored(result)
        return True

    def retry(self) -> None:
        """Store the waiting changes, in order, without waiting for the lock; give them up once
        another program has kept it for ``lock_limit_s``."""
        count = len(self.waiting)
        try:
            while self.waiting:
                change = self.waiting.popleft()  # an unexpected error drops it: said once, not every retry
                try:
                    with self.store().lock_wait(0):
                        result = change.action()
                except LockedError:
                    self.waiting.appendleft(change)
                    if time.monotonic() - self._blocked_since > self.lock_limit_s:
                        self._give_up()
                    break
                except REFUSALS as err:
                    change.refused = True
                    change.failed(err)
                else:
                    change.stored(result)
                self._blocked_since = time.monotonic()
        finally:
            if len(self.waiting) != count:
                self.events.waiting.emit(len(self.waiting))

    def _give_up(self) -> None:
        """The lock stayed taken too long: every waiting change is refused (said unsaved)."""
        given_up = list(self.waiting)
        self.waiting.clear()
        error = LockedError(f"{self.store().path} is busy: another program kept it locked for "
                            f"{self.lock_limit_s:.0f} s; {counted(len(given_up), 'change')} not stored (try again)")
        for change in given_up:
            change.refused = True
            change.failed(error)

    def refused(self, err: Exception) -> None:
        """Say why a change was not stored; a store's failure also says the change is unsaved."""
        self.events.failed.emit(str(err))
        if isinstance(err, StoreError):
            self.events.unsaved.emit(str(err))
