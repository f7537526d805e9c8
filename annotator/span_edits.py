"""A person's edits of the open document's spans: add, relabel, change, resize, confirm, delete,
accept or clear the suggestions.

Each edit is one store transaction through the session's :class:`~annotator.write_queue.WriteQueue`
(stored now, or in line while another program holds the write lock); once stored, the open
document is read again and what was done said in words (annotator.descriptions). What an edit
decides about a string (annotator.learning) is given to the string's other occurrences in the
same transaction.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from annotator.dates import resolve_resized, resolve_span
from annotator.descriptions import counted, describe_span, describe_update, relabelled, resized
from annotator.domain import NUMBERS, Span, SpanError, StoredSpan
from annotator.learning.consistency import decide, removal
from annotator.open_document import OpenDocument
from annotator.storage import Missing
from annotator.tokens import move_edge
from annotator.write_queue import Pending, WriteQueue

Decided = Callable[[Any], list[tuple[Span, str | None]]]  # what an edit's result says about strings


class SpanEdits:
    """The edits of the spans of the document open in ``shown``, stored through ``queue``."""

    def __init__(self, shown: OpenDocument, queue: WriteQueue) -> None:
        self.shown = shown
        self.queue = queue

    def commit(self, action: Callable[[], Any], describe: Callable[[Any], str], made: Pending | None = None,
               failed: Callable[[Exception], None] | None = None, decided: Decided | None = None,
               removes: bool = False) -> bool:
        """One store edit of the open document; once stored, tell the views what changed and what
        was done (the span it ``made`` selected, if nothing else was since), or why not.

        ``decided`` says what the edit decided about strings (spans and labels, see
        annotator.learning): in the same transaction, their other occurrences are given it."""
        shown = self.shown
        if shown.document is None:
            return False
        doc_id, text, store = shown.document.id, shown.document.text, shown.store
        if decided is not None:
            edit, told, learned = action, describe, [0]

            def action() -> Any:
                with store.transaction():
                    result = edit()
                    learned[0] = decide(store, doc_id, text, decided(result), self._after(result, removes))
                return result

            def describe(result: Any) -> str:
                return told(result) + (f" (+{counted(learned[0], 'suggestion')} from it)" if learned[0] else "")

        def stored(result: Any) -> None:
            select = None
            if made is not None and shown.pending is made:
                select, shown.pending = result, None
            if shown.doc_id == doc_id:
                shown.sync(select)
            else:
                shown.events.marked.emit([doc_id])  # its row in the list
            shown.events.done.emit(describe(result))

        return self.queue.write(action, stored, failed)

    def _after(self, result: StoredSpan, removed: bool) -> list[StoredSpan]:
        """The open document's spans once the edit that made, changed or ``removed`` ``result`` is
        stored: as shown, with that change (a layer of hundreds read again was a third of a
        decision's time); read from the store while earlier changes wait."""
        document = self.shown.document
        if self.queue.waiting or document is None:
            return self.shown.store.spans(document.id) if document is not None else []
        spans = dict(self.shown.spans)
        if removed:
            spans.pop(result.id, None)
        else:
            spans[result.id] = result
        return list(spans.values())

    def target(self) -> tuple[Span, Callable[[], StoredSpan]] | None:
        """The selected span, and how an edit of it finds it when the edit is stored: as shown, or —
        while earlier changes wait — as the store then holds it (by its Pending if being added)."""
        made, span, store = self.shown.pending, self.shown.current, self.shown.store
        if made is not None:
            return made.span, lambda: store.span(made.id())
        if span is None:
            return None
        if not self.queue.waiting:
            return span, lambda: span

        def stored() -> StoredSpan:
            try:
                return store.span(span.id)
            except Missing:
                raise Missing(f"{describe_span(span)} was removed before this change to it was stored") from None

        return span, stored

    def _change(self, find: Callable[[], StoredSpan], changes: Callable[[StoredSpan], dict[str, Any]],
                describe: Callable[[Span, Span], str], learn: bool = True) -> bool:
        """Change fields of the selected span, as ``changes`` says from the span as it is stored."""
        before: list[StoredSpan] = []
        store = self.shown.store

        def action() -> StoredSpan:
            old = find()
            before[:] = [old]
            return store.update_span(old.id, expected=old, **changes(old))

        return self.commit(action, lambda new: describe(before[0], new),
                           decided=(lambda new: _decisions(before[0], new)) if learn else None)

    def add(self, start: int, end: int, name: str) -> bool:
        """Label ``text[start:end]`` with a label (refused with a message if it does not fit)."""
        shown = self.shown
        label = shown.label(name)
        if label is None:
            shown.events.failed.emit(f"There is no label {name}.")
            return False
        if shown.document is None:
            return False
        try:
            span = Span.of(shown.text, start, end, label.name, layer=label.layer,
                           kind="cardinal" if label.layer == NUMBERS else None)
        except SpanError as err:
            shown.events.failed.emit(str(err))
            return False
        span = resolve_span(span, shown.day(), shown.text)  # a person's DATE gets its date too, in its sentence
        doc_id, made, store = shown.document.id, Pending(span), shown.store

        def action() -> StoredSpan:
            made.stored = store.add_span(doc_id, span)
            return made.stored

        def failed(err: Exception) -> None:
            made.refused = str(err)
            if shown.pending is made:
                shown.pending = None
            self.queue.refused(err)

        shown.pending = made
        added = self.commit(action, lambda new: f"Labelled {describe_span(new)}", made, failed,
                            decided=lambda new: [(new, new.label)])
        if shown.pending is made and shown.current is not None:  # it waits: keys now aim at it
            shown.current = None
            shown.events.current.emit(None)
        return added

    def relabel(self, name: str) -> bool:
        target, label = self.target(), self.shown.label(name)
        if target is None or label is None:
            return False
        span, find = target
        if label.layer != span.layer:
            self.shown.events.failed.emit(f"{label.name} is a label of the {label.layer} layer; "
                                          f"the selected span is in the {span.layer} layer.")
            return False
        day, text = self.shown.day(), self.shown.text

        def changes(old: StoredSpan) -> dict[str, Any]:
            # A span relabelled DATE gets the date it means (unless one was given); one that stops
            # being a DATE loses it.
            dated = resolve_span(old.with_(label=label.name, resolved=None), day, text).resolved
            return {"label": label.name,
                    "resolved": old.resolved if label.name == "DATE" and old.resolved is not None else dated}

        return self._change(find, changes, relabelled)

    def update(self, **changes: Any) -> bool:
        """Change fields of the selected span (a number's value, kind, unit; a date's resolution)."""
        target = self.target()
        if target is None:
            return False
        return self._change(target[1], lambda old: changes, describe_update,
                            learn=bool({"label", "start", "end"} & set(changes)))  # what says a string is a name

    def resize(self, edge: str, forward: bool) -> bool:
        target = self.target()
        if target is None:
            return False
        span, find = target
        text, day = self.shown.text, self.shown.day()

        def moved(old: StoredSpan) -> dict[str, Any]:
            start, end = move_edge(text, old.start, old.end, edge, forward)
            # a DATE's date follows its words, unless typed
            return {"start": start, "end": end, "resolved": resolve_resized(old, start, end, text, day)}

        if not self.queue.waiting and move_edge(text, span.start, span.end, edge, forward) == (span.start, span.end):
            return False
        return self._change(find, moved, resized)

    def confirm(self) -> bool:
        target = self.target()
        if target is None:
            return False
        return self._change(target[1], lambda old: {"confirmed": True}, lambda old, new: f"Confirmed {describe_span(new)}")

    def delete(self) -> bool:
        target = self.target()
        if target is None:
            return False
        find, store = target[1], self.shown.store

        def action() -> StoredSpan:
            old = find()
            store.delete_span(old.id, expected=old)
            return old

        deleted = self.commit(action, lambda old: f"Removed {describe_span(old)}",
                              decided=lambda old: [(old, removal(old))], removes=True)
        if self.queue.waiting:  # it will be gone: keys no longer aim at it
            self.shown.select(None)
        return deleted

    def accept_suggestions(self) -> bool:
        doc, store = self.shown.doc_id, self.shown.store
        if doc is None:
            return False
        return self.commit(lambda: store.accept_suggestions(doc), lambda n: f"Accepted {counted(n, 'suggestion')}")

    def clear_suggestions(self) -> bool:
        doc, store = self.shown.doc_id, self.shown.store
        if doc is None:
            return False
        return self.commit(lambda: store.clear_suggestions(doc), lambda n: f"Cleared {counted(n, 'suggestion')}")


def _decisions(old: Span, new: Span) -> list[tuple[Span, str | None]]:
    """What changing a span decides: its string is its label; resized, the string it was is not
    (a suggestion rejected, or the person's own decision on it withdrawn)."""
    return ([(old, removal(old))] if old.text != new.text else []) + [(new, new.label)]
