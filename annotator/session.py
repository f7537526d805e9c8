"""The open document of a project and every edit made to it, as events views subscribe to.

Qt-free (as napari's layer models are): the window's parts — article, label bar, number editor,
document list — each subscribe to the events they draw (annotator.session_events), so an edit
redraws only what changed. :class:`Session` is the facade the window and the tests use; each job
is its own module, joined here:

- what is open and shown, re-read after each edit: annotator.open_document
- the line of changes waiting for another program's write lock: annotator.write_queue
- the edits of spans: annotator.span_edits; of statuses: annotator.status_edits
- undo and redo: annotator.undo_redo
- the words for what was done: annotator.descriptions
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from typing import Any

from annotator.descriptions import counted
from annotator.domain import Document, Label, Span, StoredSpan
from annotator.learning.consistency import refresh
from annotator.open_document import OpenDocument
from annotator.session_events import Events, SpanChange
from annotator.span_edits import SpanEdits
from annotator.status_edits import Progress, StatusEdits
from annotator.storage import Edit, Store
from annotator.storage.marking import Marked, Selection
from annotator.undo_redo import UndoRedo
from annotator.write_queue import LOCK_LIMIT_S, LOCK_WAIT_S, Change, Pending, WriteQueue

# What the views import from here, besides the Session: they need not know which piece holds it.
__all__ = ["LOCK_LIMIT_S", "LOCK_WAIT_S", "Session", "SpanChange", "counted"]


class Session:
    """Edits of one annotator on one store, one document open at a time."""

    def __init__(self, store: Store) -> None:
        self.events = Events()
        self.shown = OpenDocument(store, self.events)
        self.queue = WriteQueue(lambda: self.shown.store, self.events)
        self.edits = SpanEdits(self.shown, self.queue)
        self.statuses = StatusEdits(self.shown, self.queue)
        self.undo_redo = UndoRedo(self.shown, self.queue, self.open)

    def switch(self, store: Store) -> None:
        """Work on another project (with nothing waiting): nothing is open until a document is."""
        self.shown.store = store
        self.shown.close()
        self.reload_labels()

    # -- what is open (annotator.open_document) -------------------------------------------------

    @property
    def store(self) -> Store:
        return self.shown.store

    @property
    def document(self) -> Document | None:
        return self.shown.document

    @property
    def spans(self) -> dict[int, StoredSpan]:
        return self.shown.spans

    @property
    def current(self) -> StoredSpan | None:
        return self.shown.current

    @property
    def pending(self) -> Pending | None:
        """The span just added, while its adding waits for the write lock."""
        return self.shown.pending

    @property
    def labels(self) -> list[Label]:
        return self.shown.labels

    @property
    def doc_id(self) -> int | None:
        return self.shown.doc_id

    @property
    def text(self) -> str:
        return self.shown.text

    @property
    def selected(self) -> Span | None:
        """What keys act on: the selected span, or the one just added while its adding waits."""
        return self.shown.selected

    def label(self, name: str) -> Label | None:
        return self.shown.label(name)

    def open(self, doc_id: int) -> None:
        """Open a document: the person's layer starts from the model's suggestions.

        In a read-only project nothing is copied: a document the person has no layer of shows the
        suggestions as they are. While the project is locked the copy waits in line, drawn once stored.
        """
        self.shown.close()
        if not self.store.read_only:
            self.queue.write(lambda: self._start_layer(doc_id),
                             lambda copied: self.shown.sync() if copied and self.doc_id == doc_id else None)
        self.shown.load(doc_id)

    def _start_layer(self, doc_id: int) -> bool:
        """The person's layer of a document, from the suggestions: the model's, and — for a
        document nobody edited — the person's decisions on its strings made since it was detected."""
        copied = self.store.start_layer(doc_id)
        return refresh(self.store, doc_id, self.store.document(doc_id).text) or copied

    def select(self, span: StoredSpan | None) -> None:
        self.shown.select(span)

    def reload_labels(self) -> None:
        """After labels were added, renamed, recoloured or removed (which may remove spans too)."""
        self.shown.reload_labels()

    # -- the write queue (annotator.write_queue) -------------------------------------------------

    @property
    def waiting(self) -> deque[Change]:
        """The changes waiting for another program's write lock, in order."""
        return self.queue.waiting

    @property
    def lock_limit_s(self) -> float:
        """How long changes wait in line for the lock before they are given up."""
        return self.queue.lock_limit_s

    @lock_limit_s.setter
    def lock_limit_s(self, seconds: float) -> None:
        self.queue.lock_limit_s = seconds

    def retry(self) -> None:
        """Store the waiting changes now if the lock is free (the window calls it on a timer)."""
        self.queue.retry()

    # -- edits (annotator.span_edits, annotator.status_edits, annotator.undo_redo) -----------------

    def add(self, start: int, end: int, name: str) -> bool:
        """Label ``text[start:end]`` with a label (refused with a message if it does not fit)."""
        return self.edits.add(start, end, name)

    def relabel(self, name: str) -> bool:
        return self.edits.relabel(name)

    def update(self, **changes: Any) -> bool:
        """Change fields of the selected span (a number's value, kind, unit; a date's resolution)."""
        return self.edits.update(**changes)

    def resize(self, edge: str, forward: bool) -> bool:
        return self.edits.resize(edge, forward)

    def confirm(self) -> bool:
        return self.edits.confirm()

    def delete(self) -> bool:
        return self.edits.delete()

    def accept_suggestions(self) -> bool:
        return self.edits.accept_suggestions()

    def clear_suggestions(self) -> bool:
        return self.edits.clear_suggestions()

    def set_status(self, status: str) -> bool:
        return self.statuses.set_status(status)

    def mark_work(self, selection: Selection, status: str) -> Callable[[Progress, Callable[[], bool]], Marked]:
        return self.statuses.mark_work(selection, status)

    def marked(self, result: Marked) -> None:
        self.statuses.marked(result)

    def undo(self) -> bool:
        return self.undo_redo.undo()

    def redo(self) -> bool:
        return self.undo_redo.redo()

    def replay_work(self, verb: str) -> Callable[[Progress, Callable[[], bool]], Edit | None] | None:
        return self.undo_redo.replay_work(verb)

    def replayed(self, edit: Edit | None, verb: str) -> None:
        self.undo_redo.replayed(edit, verb)
