"""What a session announces, and to whom: each view subscribes to the events it draws.

Qt-free (as napari's layer models are): an edit redraws only what its events say changed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from annotator.domain import Document, Label, StoredSpan

T = TypeVar("T")


class Event(Generic[T]):
    """A list of callbacks, called in order with one value."""

    def __init__(self) -> None:
        self._callbacks: list[Callable[[T], Any]] = []

    def connect(self, callback: Callable[[T], Any]) -> None:
        self._callbacks.append(callback)

    def emit(self, value: T) -> None:
        for callback in list(self._callbacks):
            callback(value)


@dataclass(frozen=True)
class SpanChange:
    """How the open document's spans changed in one edit (ids are the store's)."""

    added: list[StoredSpan] = field(default_factory=list)
    changed: list[StoredSpan] = field(default_factory=list)
    removed: list[StoredSpan] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.added or self.changed or self.removed)


class Events:
    def __init__(self) -> None:
        self.opened: Event[Document] = Event()  # a document was opened (its spans come with it)
        self.spans: Event[SpanChange] = Event()  # spans of the open document were added/changed/removed
        self.current: Event[StoredSpan | None] = Event()  # the selected span changed
        self.labels: Event[list[Label]] = Event()  # the project's labels changed
        self.status: Event[Document] = Event()  # the open document's status changed
        self.marked: Event[list[int]] = Event()  # documents edited while not open (ids)
        self.listed: Event[None] = Event()  # many documents changed status at once: the list re-reads its rows
        self.done: Event[str] = Event()  # an edit was stored: what was done, for the status bar
        self.failed: Event[str] = Event()  # an edit was refused or failed: why, one line
        self.unsaved: Event[str] = Event()  # the store could not write (read-only, locked, disk full)
        self.waiting: Event[int] = Event()  # how many changes now wait for another program's write lock
        self.synced: Event[int] = Event()  # the open document was read again after a change (its id): other parts re-read theirs
