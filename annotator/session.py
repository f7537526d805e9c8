"""The open document of a project and every edit made to it, as events views subscribe to.

Qt-free (as napari's layer models are): the window's parts — article, label bar, number editor,
document list — each subscribe to the events they draw, so an edit redraws only what changed.
Every edit is one committed store transaction; the spans are then re-read from the store and
compared with what was shown, so views draw what is saved, never what was merely intended.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Generic, TypeVar

from annotator.dates import article_day, resolve_resized, resolve_span
from annotator.domain import NUMBERS, Document, Label, Span, SpanError
from annotator.storage import Store, StoreError
from annotator.tokens import move_edge

T = TypeVar("T")

# What a failed edit raises: refusals from the domain and the store, and the store's failures
# (read-only, locked, disk full): the views then draw nothing new and the status bar says why.
REFUSALS: tuple[type[Exception], ...] = (SpanError, ValueError, KeyError, StoreError)


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

    added: list[Span] = field(default_factory=list)
    changed: list[Span] = field(default_factory=list)
    removed: list[Span] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.added or self.changed or self.removed)


class Events:
    def __init__(self) -> None:
        self.opened: Event[Document] = Event()  # a document was opened (its spans come with it)
        self.spans: Event[SpanChange] = Event()  # spans of the open document were added/changed/removed
        self.current: Event[Span | None] = Event()  # the selected span changed
        self.labels: Event[list[Label]] = Event()  # the project's labels changed
        self.status: Event[Document] = Event()  # the open document's status changed
        self.marked: Event[list[int]] = Event()  # several documents were given a status (their ids)
        self.done: Event[str] = Event()  # an edit was stored: what was done, for the status bar
        self.failed: Event[str] = Event()  # an edit was refused or failed: why, one line
        self.unsaved: Event[str] = Event()  # the store could not write (read-only, locked, disk full)


def describe_span(span: Span) -> str:
    return f"{span.label} {span.text!r}"


def describe_update(old: Span, new: Span) -> str:
    """What changing a span's fields did, in the words of the review's edit counts."""
    said = []
    if new.label != old.label:
        said.append(f"relabelled {old.label} → {new.label}")
    if new.value != old.value:
        number = lambda v: "?" if v is None else f"{v:,.10g}"  # noqa: E731
        said.append(f"value corrected {number(old.value)} → {number(new.value)}")
    if new.resolved != old.resolved:
        said.append(f"date resolved as {new.resolved or 'nothing'}")
    if (new.kind, new.unit, new.approx) != (old.kind, old.unit, old.approx):
        said.append("details changed")
    what = "; ".join(said) or "confirmed"
    return f"{describe_span(new)}: {what}"


class Session:
    """Edits of one annotator on one store, one document open at a time."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.events = Events()
        self.document: Document | None = None
        self.spans: dict[int, Span] = {}
        self.current: Span | None = None
        self.labels: list[Label] = store.labels()

    def switch(self, store: Store) -> None:
        """Work on another project: nothing is open until a document is."""
        self.store = store
        self.document, self.spans, self.current = None, {}, None
        self.reload_labels()

    @property
    def doc_id(self) -> int | None:
        return self.document.id if self.document else None

    @property
    def text(self) -> str:
        return self.document.text if self.document else ""

    def label(self, name: str) -> Label | None:
        return next((label for label in self.labels if label.name == name), None)

    # -- what is open --------------------------------------------------------------------------

    def open(self, doc_id: int) -> None:
        """Open a document: the person's layer starts from the model's suggestions.

        In a read-only project nothing is copied: a document the person has no layer of shows the
        suggestions as they are. If the copy cannot be written now, it opens as it is, and says why.
        """
        if not self.store.read_only:
            try:
                self.store.start_layer(doc_id)
            except StoreError as err:
                self._refused(err)
        self.document = self.store.document(doc_id)
        spans = self.store.spans(doc_id)
        if self.store.read_only and not spans and not self.store.has_layer(doc_id):
            spans = self.store.predictions(doc_id)
        self.spans = {s.id: s for s in spans if s.id is not None}
        self.current = None
        self.events.opened.emit(self.document)

    def select(self, span: Span | None) -> None:
        if span is not None and span.id not in self.spans:
            span = None
        if span != self.current:
            self.current = span
            self.events.current.emit(span)

    def reload_labels(self) -> None:
        """After labels were added, renamed, recoloured or removed (which may remove spans too)."""
        self.labels = self.store.labels()
        self.events.labels.emit(self.labels)
        self._sync()

    # -- edits ---------------------------------------------------------------------------------

    def _commit(self, action: Callable[[], Any], describe: Callable[[Any], str]) -> bool:
        """Run one store edit; then tell the views what changed and what was done, or why not."""
        if self.document is None:
            return False
        try:
            result = action()
        except REFUSALS as err:
            self._refused(err)
            return False
        self._sync(result if isinstance(result, Span) else None)
        self.events.done.emit(describe(result))
        return True

    def _refused(self, err: Exception) -> None:
        message = str(err.args[0] if isinstance(err, KeyError) and err.args else err)
        self.events.failed.emit(message)
        if isinstance(err, StoreError):
            self.events.unsaved.emit(message)

    def _sync(self, select: Span | None = None) -> None:
        """Re-read the open document's spans and announce the difference."""
        if self.document is None:
            return
        fresh = {s.id: s for s in self.store.spans(self.document.id) if s.id is not None}
        change = SpanChange(added=[s for i, s in fresh.items() if i not in self.spans],
                            changed=[s for i, s in fresh.items() if i in self.spans and self.spans[i] != s],
                            removed=[s for i, s in self.spans.items() if i not in fresh])
        self.spans = fresh
        if change:
            self.events.spans.emit(change)
        wanted = select.id if select is not None else (self.current.id if self.current else None)
        now = fresh.get(wanted) if wanted is not None else None
        if now != self.current:
            self.current = now
            self.events.current.emit(now)

    def add(self, start: int, end: int, name: str) -> bool:
        """Label ``text[start:end]`` with a label (refused with a message if it does not fit)."""
        label = self.label(name)
        if label is None:
            self.events.failed.emit(f"There is no label {name}.")
            return False
        try:
            span = Span.of(self.text, start, end, label.name, layer=label.layer,
                           kind="cardinal" if label.layer == NUMBERS else None)
        except SpanError as err:
            self.events.failed.emit(str(err))
            return False
        span = self._dated(span)  # a person's DATE gets its date too
        return self._commit(lambda: self.store.add_span(self.document.id, span), lambda new: f"Labelled {describe_span(new)}")

    def _dated(self, span: Span) -> Span:
        """A DATE span with the date it means, resolved against the article's date, in its sentence."""
        return resolve_span(span, article_day(self.document.date if self.document else None), self.text)

    def relabel(self, name: str) -> bool:
        span, label = self.current, self.label(name)
        if span is None or label is None:
            return False
        if label.layer != span.layer:
            self.events.failed.emit(f"{label.name} is a label of the {label.layer} layer; "
                                    f"the selected span is in the {span.layer} layer.")
            return False
        # A span relabelled DATE gets the date it means (unless one was given); one that stops
        # being a DATE loses it.
        dated = self._dated(span.with_(label=label.name, resolved=None)).resolved
        resolved = span.resolved if label.name == "DATE" and span.resolved is not None else dated
        return self._commit(lambda: self.store.update_span(span.id, label=label.name, resolved=resolved),
                            lambda new: f"Relabelled {span.label} → {describe_span(new)}")

    def update(self, **changes: Any) -> bool:
        """Change fields of the selected span (a number's value, kind, unit; a date's resolution)."""
        span = self.current
        if span is None:
            return False
        return self._commit(lambda: self.store.update_span(span.id, **changes), lambda new: describe_update(span, new))

    def resize(self, edge: str, forward: bool) -> bool:
        span = self.current
        if span is None:
            return False
        start, end = move_edge(self.text, span.start, span.end, edge, forward)
        if (start, end) == (span.start, span.end):
            return False
        day = article_day(self.document.date if self.document else None)
        resolved = resolve_resized(span, start, end, self.text, day)  # a DATE's follows its words, unless typed
        return self._commit(lambda: self.store.update_span(span.id, start=start, end=end, resolved=resolved),
                            lambda new: f"Now {describe_span(new)}" + (f" ({resolved})" if resolved != span.resolved else ""))

    def confirm(self) -> bool:
        span = self.current
        if span is None:
            return False
        return self._commit(lambda: self.store.update_span(span.id, confirmed=True),
                            lambda new: f"Confirmed {describe_span(new)}")

    def delete(self) -> bool:
        span = self.current
        if span is None:
            return False
        return self._commit(lambda: self.store.delete_span(span.id), lambda _: f"Removed {describe_span(span)}")

    def accept_suggestions(self) -> bool:
        doc = self.doc_id
        return self._commit(lambda: self.store.accept_suggestions(doc), lambda n: f"Accepted {n} suggestion(s)")

    def clear_suggestions(self) -> bool:
        doc = self.doc_id
        return self._commit(lambda: self.store.clear_suggestions(doc), lambda n: f"Cleared {n} suggestion(s)")

    def set_status(self, status: str) -> bool:
        doc = self.doc_id
        if not self._commit(lambda: self.store.set_status(doc, status), lambda _: f"Marked {status}"):
            return False
        self.document = self.store.document(doc)
        self.events.status.emit(self.document)
        return True

    def mark(self, doc_ids: list[int], status: str) -> list[int]:
        """Give several documents a status, one undoable store call each: the ids that changed.

        Each is first given the person's layer from the suggestions, as opening it would: marked
        done unopened, a document's gold is what the model suggested, not "nothing there".
        A failure stops there (the documents before it keep their new status) and says why.
        """
        changed: list[int] = []
        for doc_id in doc_ids:
            try:
                self.store.start_layer(doc_id)
                if self.store.summary(doc_id).status != status:
                    self.store.set_status(doc_id, status)
                    changed.append(doc_id)
            except REFUSALS as err:
                self._refused(err)
                break
        else:
            unchanged = len(doc_ids) - len(changed)
            self.events.done.emit(f"Marked {len(changed)} document(s) {status}"
                                  + (f"; {unchanged} already were." if unchanged else "."))
        if self.doc_id in changed:
            self.document = self.store.document(self.doc_id)
            self.events.status.emit(self.document)
        self.events.marked.emit(changed)
        return changed

    def undo(self) -> bool:
        return self._replay(self.store.undo, "Nothing to undo.", "Undid")

    def redo(self) -> bool:
        return self._replay(self.store.redo, "Nothing to redo.", "Redid")

    def _replay(self, action: Callable[[], Any], nothing: str, verb: str) -> bool:
        try:
            edit = action()
        except REFUSALS as err:
            self._refused(err)
            return False
        if edit is None:
            self.events.failed.emit(nothing)
            return False
        if edit.doc_id != self.doc_id:
            self.open(edit.doc_id)
        else:
            self._sync()
            status = self.store.document(edit.doc_id)
            if status.status != self.document.status:
                self.document = status
                self.events.status.emit(status)
        self.events.done.emit(f"{verb}: {edit.action}{outcome(edit.changes, verb == 'Undid')}")
        return True


def outcome(changes: list[dict[str, Any]], undone: bool) -> str:
    """What a single undone or redone change left behind ("now PERSON 'Zelenskyy'")."""
    if len(changes) != 1 or changes[0].get("op") == "status":
        return ""
    result = changes[0]["before" if undone else "after"]
    return f" — now {result['label']} {result['text']!r}" if result else " — removed"
