"""The document a session has open, as the views were last told it: its spans and the selected one.

Every edit is one committed store transaction; the spans are then re-read from the store and
compared with what was shown (:meth:`OpenDocument.sync`), so views draw what is saved, never
what was merely intended.
"""

from __future__ import annotations

from datetime import date

from annotator.dates import article_day
from annotator.domain import Document, Label, Span, StoredSpan
from annotator.session_events import Events, SpanChange
from annotator.storage import Store
from annotator.write_queue import Pending


class OpenDocument:
    """What is open in a session and shown: the document, its spans, the selection, the labels."""

    def __init__(self, store: Store, events: Events) -> None:
        self.store = store
        self.events = events
        self.document: Document | None = None
        self.spans: dict[int, StoredSpan] = {}
        self.current: StoredSpan | None = None
        self.pending: Pending | None = None  # the selected span, while its adding waits
        self.labels: list[Label] = store.labels()

    @property
    def doc_id(self) -> int | None:
        return self.document.id if self.document else None

    @property
    def text(self) -> str:
        return self.document.text if self.document else ""

    @property
    def selected(self) -> Span | None:
        """What keys act on: the selected span, or the one just added while its adding waits."""
        return self.pending.span if self.pending is not None else self.current

    def label(self, name: str) -> Label | None:
        return next((label for label in self.labels if label.name == name), None)

    def day(self) -> date | None:
        """The article's date, which a DATE span's date is resolved against."""
        return article_day(self.document.date if self.document else None)

    def close(self) -> None:
        """Nothing open, nothing selected (before another document or project is)."""
        self.document, self.spans, self.current, self.pending = None, {}, None, None

    def load(self, doc_id: int) -> None:
        """Read a document and its spans — in a read-only project with no layer of the person's,
        the suggestions as they are — and announce it opened."""
        self.document = self.store.document(doc_id)
        spans = self.store.spans(doc_id)
        if self.store.read_only and not spans and not self.store.has_layer(doc_id):
            spans = self.store.predictions(doc_id)
        self.spans = {s.id: s for s in spans}
        self.events.opened.emit(self.document)

    def select(self, span: StoredSpan | None) -> None:
        self.pending = None
        if span is not None and span.id not in self.spans:
            span = None
        if span != self.current:
            self.current = span
            self.events.current.emit(span)

    def reload_labels(self) -> None:
        """After labels were added, renamed, recoloured or removed (which may remove spans too)."""
        self.labels = self.store.labels()
        self.events.labels.emit(self.labels)
        self.sync()

    def sync(self, select: StoredSpan | None = None) -> None:
        """Re-read the open document's spans and announce the difference."""
        if self.document is None:
            return
        fresh = {s.id: s for s in self.store.spans(self.document.id)}
        change = SpanChange(added=[s for i, s in fresh.items() if i not in self.spans],
                            changed=[s for i, s in fresh.items() if i in self.spans and self.spans[i] is not s
                                     and self.spans[i] != s],  # the store gives back an unchanged span as it was
                            removed=[s for i, s in self.spans.items() if i not in fresh])
        self.spans = fresh
        if change:
            self.events.spans.emit(change)
        wanted = select.id if select is not None else (self.current.id if self.current else None)
        now = fresh.get(wanted) if wanted is not None else None
        if now != self.current:
            self.current = now
            self.events.current.emit(now)
        self.events.synced.emit(self.document.id)

    def reread_status(self) -> None:
        """Read the open document's status again (another edit may have changed it); announce a change."""
        if self.document is not None:
            fresh = self.store.document(self.document.id)
            if fresh.status != self.document.status:
                self.document = fresh
                self.events.status.emit(fresh)
