"""The open document of a project and every edit made to it, as events views subscribe to.

Qt-free (as napari's layer models are): the window's parts — article, label bar, number editor,
document list — each subscribe to the events they draw, so an edit redraws only what changed.
Every edit is one committed store transaction; the spans are then re-read from the store and
compared with what was shown, so views draw what is saved, never what was merely intended.

While another program holds the project's write lock, an edit does not hold up the window: it
waits a moment (``LOCK_WAIT_S``), then joins the changes waiting in line (``waiting``), which
:meth:`Session.retry` — called on a timer by the window — stores in order as soon as the lock
is free, announcing each as it is stored; past ``lock_limit_s`` they are given up, said unsaved.
An edit of a span whose adding still waits finds it once it is stored (:class:`Pending`).
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from annotator.dates import article_day, resolve_resized, resolve_span
from annotator.domain import NUMBERS, Document, Label, Span, SpanError
from annotator.learning.consistency import decide, reconsider, refresh, removal
from annotator.storage import LockedError, Store, StoreError
from annotator.storage.marking import Marked, Selection
from annotator.tokens import move_edge

T = TypeVar("T")
Progress = Callable[[int, int], None]  # done, total: what a worker reports

# What a failed edit raises: refusals from the domain and the store, and the store's failures
# (read-only, locked, disk full): the views then draw nothing new and the status bar says why.
REFUSALS: tuple[type[Exception], ...] = (SpanError, ValueError, KeyError, StoreError)

LOCK_WAIT_S = 0.1  # how long an edit may hold up the window waiting for another program's write lock
LOCK_LIMIT_S = 15.0  # how long edits then wait in line before they are given up (as a command waits)


def counted(n: int, noun: str) -> str:
    """"1 document", "3 documents": what the status line says, rather than "document(s)"."""
    return f"{n:,} {noun}" + ("" if n == 1 else "s")


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
        self.marked: Event[list[int]] = Event()  # documents edited while not open (ids)
        self.listed: Event[None] = Event()  # many documents changed status at once: the list re-reads its rows
        self.done: Event[str] = Event()  # an edit was stored: what was done, for the status bar
        self.failed: Event[str] = Event()  # an edit was refused or failed: why, one line
        self.unsaved: Event[str] = Event()  # the store could not write (read-only, locked, disk full)
        self.waiting: Event[int] = Event()  # how many changes now wait for another program's write lock
        self.synced: Event[int] = Event()  # the open document was read again after a change (its id): other parts re-read theirs


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


class Pending:
    """A span whose adding waits for the write lock: edits made to it meanwhile find it by this."""

    def __init__(self, span: Span) -> None:
        self.span = span
        self.stored: Span | None = None
        self.refused = "it waits"  # why it was not stored, once it was not

    def id(self) -> int:
        if self.stored is None or self.stored.id is None:
            raise KeyError(f"{describe_span(self.span)} was not stored ({self.refused}), nor this change to it")
        return self.stored.id


@dataclass
class _Change:
    """One store call of the session (one transaction, or several it may safely start again)."""

    action: Callable[[], Any]
    stored: Callable[[Any], None]  # tells the views, once it is stored
    failed: Callable[[Exception], None]  # says why not
    refused: bool = False


class Session:
    """Edits of one annotator on one store, one document open at a time."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.events = Events()
        self.document: Document | None = None
        self.spans: dict[int, Span] = {}
        self.current: Span | None = None
        self.pending: Pending | None = None  # the selected span, while its adding waits
        self.waiting: deque[_Change] = deque()  # changes waiting for the write lock, in order
        self.lock_limit_s = LOCK_LIMIT_S
        self._blocked_since = 0.0  # when the lock last kept the first waiting change out
        self.labels: list[Label] = store.labels()

    def switch(self, store: Store) -> None:
        """Work on another project (with nothing waiting): nothing is open until a document is."""
        self.store = store
        self.document, self.spans, self.current, self.pending = None, {}, None, None
        self.reload_labels()

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

    # -- what is open --------------------------------------------------------------------------

    def open(self, doc_id: int) -> None:
        """Open a document: the person's layer starts from the model's suggestions.

        In a read-only project nothing is copied: a document the person has no layer of shows the
        suggestions as they are. While the project is locked the copy waits in line, drawn once stored.
        """
        self.document, self.spans, self.current, self.pending = None, {}, None, None
        if not self.store.read_only:
            self._write(lambda: self._start_layer(doc_id),
                        lambda copied: self._sync() if copied and self.doc_id == doc_id else None)
        self.document = self.store.document(doc_id)
        spans = self.store.spans(doc_id)
        if self.store.read_only and not spans and not self.store.has_layer(doc_id):
            spans = self.store.predictions(doc_id)
        self.spans = {s.id: s for s in spans if s.id is not None}
        self.events.opened.emit(self.document)

    def _start_layer(self, doc_id: int) -> bool:
        """The person's layer of a document, from the suggestions: the model's, and — for a
        document nobody edited — the person's decisions on its strings made since it was detected."""
        copied = self.store.start_layer(doc_id)
        return refresh(self.store, doc_id, self.store.document(doc_id).text) or copied

    def select(self, span: Span | None) -> None:
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
        self._sync()

    # -- storing -------------------------------------------------------------------------------

    def _write(self, action: Callable[[], Any], stored: Callable[[Any], None],
               failed: Callable[[Exception], None] | None = None) -> bool:
        """Store a change now, or put it in line while another program holds the write lock (or
        earlier changes wait): ``stored`` is called once it is stored. False if it was refused."""
        change = _Change(action, stored, failed or self._refused)
        if self.waiting:
            self.waiting.append(change)
            self.events.waiting.emit(len(self.waiting))
            self.retry()
            return not change.refused
        try:
            with self.store.lock_wait(LOCK_WAIT_S):
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
                    with self.store.lock_wait(0):
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
        error = LockedError(f"{self.store.path} is busy: another program kept it locked for "
                            f"{self.lock_limit_s:.0f} s; {counted(len(given_up), 'change')} not stored (try again)")
        for change in given_up:
            change.refused = True
            change.failed(error)

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
        self.events.synced.emit(self.document.id)

    # -- edits ---------------------------------------------------------------------------------

    def _commit(self, action: Callable[[], Any], describe: Callable[[Any], str], made: Pending | None = None,
                failed: Callable[[Exception], None] | None = None,
                decided: Callable[[Any], list[tuple[Span, str | None]]] | None = None, removes: bool = False) -> bool:
        """One store edit of the open document; once stored, tell the views what changed and what
        was done (the span it ``made`` selected, if nothing else was since), or why not.

        ``decided`` says what the edit decided about strings (spans and labels, see
        annotator.learning): in the same transaction, their other occurrences are given it."""
        if self.document is None:
            return False
        doc_id, text = self.document.id, self.document.text
        if decided is not None:
            edit, told, learned = action, describe, [0]

            def action() -> Any:
                with self.store.transaction():
                    result = edit()
                    learned[0] = decide(self.store, doc_id, text, decided(result), self._after(result, removes))
                return result

            def describe(result: Any) -> str:
                return told(result) + (f" (+{counted(learned[0], 'suggestion')} from it)" if learned[0] else "")

        def stored(result: Any) -> None:
            select = None
            if made is not None and self.pending is made:
                select, self.pending = result, None
            if self.doc_id == doc_id:
                self._sync(select)
            else:
                self.events.marked.emit([doc_id])  # its row in the list
            self.events.done.emit(describe(result))

        return self._write(action, stored, failed)

    def _after(self, result: Span, removed: bool) -> list[Span]:
        """The open document's spans once the edit that made, changed or ``removed`` ``result`` is
        stored: as shown, with that change (a layer of hundreds read again was a third of a
        decision's time); read from the store while earlier changes wait."""
        if self.waiting or self.document is None:
            return self.store.spans(self.document.id) if self.document is not None else []
        spans = dict(self.spans)
        if removed:
            spans.pop(result.id, None)  # type: ignore[arg-type]
        else:
            spans[result.id] = result  # type: ignore[index]
        return list(spans.values())

    def _target(self) -> tuple[Span, Callable[[], Span]] | None:
        """The selected span, and how an edit of it finds it when the edit is stored: as shown, or —
        while earlier changes wait — as the store then holds it (by its Pending if being added)."""
        made, span = self.pending, self.current
        if made is not None:
            return made.span, lambda: self.store.span(made.id())
        if span is None:
            return None
        if not self.waiting:
            return span, lambda: span

        def stored() -> Span:
            try:
                return self.store.span(span.id)  # type: ignore[arg-type]
            except KeyError:
                raise KeyError(f"{describe_span(span)} was removed before this change to it was stored") from None

        return span, stored

    def _change(self, find: Callable[[], Span], changes: Callable[[Span], dict[str, Any]],
                describe: Callable[[Span, Span], str], learn: bool = True) -> bool:
        """Change fields of the selected span, as ``changes`` says from the span as it is stored."""
        before: list[Span] = []

        def action() -> Span:
            old = find()
            before[:] = [old]
            return self.store.update_span(old.id, expected=old, **changes(old))  # type: ignore[arg-type]

        return self._commit(action, lambda new: describe(before[0], new),
                            decided=(lambda new: _decisions(before[0], new)) if learn else None)

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
        span = resolve_span(span, self._day(), self.text)  # a person's DATE gets its date too, in its sentence
        doc_id, made = self.document.id, Pending(span)  # type: ignore[union-attr]

        def action() -> Span:
            made.stored = self.store.add_span(doc_id, span)
            return made.stored

        def failed(err: Exception) -> None:
            made.refused = str(err.args[0] if isinstance(err, KeyError) and err.args else err)
            if self.pending is made:
                self.pending = None
            self._refused(err)

        self.pending = made
        added = self._commit(action, lambda new: f"Labelled {describe_span(new)}", made, failed,
                             decided=lambda new: [(new, new.label)])
        if self.pending is made and self.current is not None:  # it waits: keys now aim at it
            self.current = None
            self.events.current.emit(None)
        return added

    def _day(self) -> Any:
        """The article's date, which a DATE span's date is resolved against."""
        return article_day(self.document.date if self.document else None)

    def relabel(self, name: str) -> bool:
        target, label = self._target(), self.label(name)
        if target is None or label is None:
            return False
        span, find = target
        if label.layer != span.layer:
            self.events.failed.emit(f"{label.name} is a label of the {label.layer} layer; "
                                    f"the selected span is in the {span.layer} layer.")
            return False
        day, text = self._day(), self.text

        def changes(old: Span) -> dict[str, Any]:
            # A span relabelled DATE gets the date it means (unless one was given); one that stops
            # being a DATE loses it.
            dated = resolve_span(old.with_(label=label.name, resolved=None), day, text).resolved
            return {"label": label.name,
                    "resolved": old.resolved if label.name == "DATE" and old.resolved is not None else dated}

        return self._change(find, changes, lambda old, new: f"Relabelled {old.label} → {describe_span(new)}")

    def update(self, **changes: Any) -> bool:
        """Change fields of the selected span (a number's value, kind, unit; a date's resolution)."""
        target = self._target()
        if target is None:
            return False
        return self._change(target[1], lambda old: changes, describe_update,
                            learn=bool({"label", "start", "end"} & set(changes)))  # what says a string is a name

    def resize(self, edge: str, forward: bool) -> bool:
        target = self._target()
        if target is None:
            return False
        span, find = target
        text, day = self.text, self._day()

        def moved(old: Span) -> dict[str, Any]:
            start, end = move_edge(text, old.start, old.end, edge, forward)
            # a DATE's date follows its words, unless typed
            return {"start": start, "end": end, "resolved": resolve_resized(old, start, end, text, day)}

        if not self.waiting and move_edge(text, span.start, span.end, edge, forward) == (span.start, span.end):
            return False
        return self._change(find, moved, lambda old, new: f"Now {describe_span(new)}"
                            + (f" ({new.resolved})" if new.resolved != old.resolved else ""))

    def confirm(self) -> bool:
        target = self._target()
        if target is None:
            return False
        return self._change(target[1], lambda old: {"confirmed": True}, lambda old, new: f"Confirmed {describe_span(new)}")

    def delete(self) -> bool:
        target = self._target()
        if target is None:
            return False
        find = target[1]

        def action() -> Span:
            old = find()
            self.store.delete_span(old.id, expected=old)  # type: ignore[arg-type]
            return old

        deleted = self._commit(action, lambda old: f"Removed {describe_span(old)}",
                               decided=lambda old: [(old, removal(old))], removes=True)
        if self.waiting:  # it will be gone: keys no longer aim at it
            self.select(None)
        return deleted

    def accept_suggestions(self) -> bool:
        doc = self.doc_id
        return self._commit(lambda: self.store.accept_suggestions(doc), lambda n: f"Accepted {counted(n, 'suggestion')}")

    def clear_suggestions(self) -> bool:
        doc = self.doc_id
        return self._commit(lambda: self.store.clear_suggestions(doc), lambda n: f"Cleared {counted(n, 'suggestion')}")

    def set_status(self, status: str) -> bool:
        if self.document is None:
            return False
        doc = self.document.id

        def stored(_: Any) -> None:
            if self.doc_id != doc:
                self.events.marked.emit([doc])
                self.events.done.emit(f"Marked {status}")
                return
            self._sync()
            self.events.done.emit(f"Marked {status}")
            self.document = self.store.document(doc)
            self.events.status.emit(self.document)

        return self._write(lambda: self.store.set_status(doc, status), stored)

    def mark_work(self, selection: Selection, status: str) -> Callable[[Progress, Callable[[], bool]], Marked]:
        """Marking a selection of the list (up to every document), as work for a worker with its
        own Store: one transaction and one undoable edit (storage/marking.py); :meth:`marked`
        tells the views once it is stored."""
        path, annotator = self.store.path, self.store.annotator

        def work(progress: Progress, cancelled: Callable[[], bool]) -> Marked:
            with Store(path, annotator) as store:
                return store.mark_documents(selection, status, progress, cancelled)

        return work

    def marked(self, result: Marked) -> None:
        """A marking was stored: the list re-reads its rows, the open document its status."""
        said = f"Marked {counted(result.changed, 'document')} {result.status}"
        self.events.done.emit(said + (f"; {result.unchanged:,} already were." if result.unchanged else "."))
        self._many_changed()

    def _many_changed(self) -> None:
        self.events.listed.emit(None)
        if self.document is not None:
            fresh = self.store.document(self.document.id)
            if fresh.status != self.document.status:
                self.document = fresh
                self.events.status.emit(fresh)

    def replay_work(self, verb: str) -> Callable[[Progress, Callable[[], bool]], Any] | None:
        """An undo (``verb`` "undo") or redo of many documents marked at once, as work for a
        worker (it rewrites their statuses); None when the next one is an everyday edit."""
        edit = self.store.next_replay(verb)
        if edit is None or not edit.bulk:
            return None
        path, annotator = self.store.path, self.store.annotator

        def work(progress: Progress, cancelled: Callable[[], bool]) -> Any:
            with Store(path, annotator) as store:
                return store.undo() if verb == "undo" else store.redo()

        return work

    def replayed(self, edit: Any, verb: str) -> None:
        """An undo or redo was stored (here or by a worker): show what it changed."""
        if edit is None:
            self.events.failed.emit(f"Nothing to {verb}.")
            return
        if edit.bulk:
            self._many_changed()
        elif edit.doc_id != self.doc_id:
            self.open(edit.doc_id)
        else:
            self._sync()
            status = self.store.document(edit.doc_id)
            if status.status != self.document.status:  # type: ignore[union-attr]
                self.document = status
                self.events.status.emit(status)
        self.events.done.emit(f"{'Undid' if verb == 'undo' else 'Redid'}: {edit.action}{outcome(edit.changes, verb == 'undo')}")

    def undo(self) -> bool:
        return self._replay("undo")

    def redo(self) -> bool:
        return self._replay("redo")

    def _replay(self, verb: str) -> bool:
        def action() -> Any:
            with self.store.transaction():
                edit = self.store.undo() if verb == "undo" else self.store.redo()
                if edit is None:
                    raise ValueError(f"Nothing to {verb}.")
                reconsider(self.store, edit.doc_id, edit.changes)
            return edit

        return self._write(action, lambda edit: self.replayed(edit, verb))


def _decisions(old: Span, new: Span) -> list[tuple[Span, str | None]]:
    """What changing a span decides: its string is its label; resized, the string it was is not
    (a suggestion rejected, or the person's own decision on it withdrawn)."""
    return ([(old, removal(old))] if old.text != new.text else []) + [(new, new.label)]


def outcome(changes: list[dict[str, Any]], undone: bool) -> str:
    """What a single undone or redone change left behind ("now PERSON 'Zelenskyy'")."""
    if len(changes) != 1 or changes[0].get("op") not in ("add", "update", "delete"):  # a span's
        return ""
    result = changes[0]["before" if undone else "after"]
    return f" — now {result['label']} {result['text']!r}" if result else " — removed"
