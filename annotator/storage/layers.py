"""A person's layer of a document: their spans, edited one undoable change at a time.

Checks (span on its text, no overlapping entities) run inside the write transaction, so two
processes editing the same document cannot both pass them and store a conflict.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from operator import itemgetter
from typing import Any

from annotator.descriptions import describe_change
from annotator.domain import (
    ENTITIES,
    ORIGIN_HUMAN,
    ORIGIN_IMPORT,
    ORIGIN_MODEL,
    Span,
    SpanError,
    check_span,
    check_spans,
    overlap_message,
)
from annotator.learning.suggest import ORIGIN_LEARNED, SUGGESTED, suggestions
from annotator.storage.connection import Connection
from annotator.storage.counts import add_span_counts
from annotator.storage.decisions import Decisions
from annotator.storage.errors import Missing
from annotator.storage.rows import (
    COUNTED,
    INSERT_ANNOTATION,
    REVIEW_COLUMNS,
    SPAN_SELECT,
    annotation_row,
    dump,
    now,
    rows_by_document,
    span_from_row,
    sql_text,
)

_SELECT = f"SELECT id, {SPAN_SELECT}, origin, confirmed, annotator FROM annotations"
_ADD_SPANS = ("INSERT INTO annotations (doc_id, start, [end], label, text, value, kind, approx, unit, resolved, "
              "layer, origin, confirmed, annotator, created, updated)")
_ADD_SPANS_WITH_IDS = _ADD_SPANS.replace("(doc_id,", "(id, doc_id,", 1)


# Given the ids of spans about to be removed, another part removes what depends on them (their
# relations) and returns its history changes, recorded in the same edit before the spans' own.
SpanDependents = Callable[[Sequence[int]], list[dict[str, Any]]]


class Layers:
    db: Connection
    annotator: str
    decisions: Decisions
    span_dependents: list[SpanDependents]  # set by the Store from its parts
    layer_copied: list[Callable[[Sequence[int]], None]]  # told the documents whose layer was copied from predictions

    def _remove_dependents(self, span_ids: Sequence[int]) -> list[dict[str, Any]]:
        return [change for remove in self.span_dependents for change in remove(span_ids)]

    def spans(self, doc_id: int, layer: str | None = None, annotator: str | None = None) -> list[Span]:
        """The human's spans of a document (by default this store's annotator), in text order."""
        sql = f"{_SELECT} WHERE doc_id = ? AND annotator = ?"
        params: list[Any] = [doc_id, annotator or self.annotator]
        if layer:
            sql += " AND layer = ?"
            params.append(layer)
        return [span_from_row(row) for row in self.db.execute(sql + " ORDER BY start, [end], layer", params)]

    def span_rows(self, doc_ids: Sequence[int], annotator: str) -> Iterator[list[tuple[Any, ...]]]:
        """Each document's spans of a person as plain rows: (doc_id, *REVIEW_COLUMNS, origin), in
        the order of :meth:`spans` (the same place and layer: by label, then as stored), one list
        per id of ``doc_ids``. A review reads thousands of documents: one query per document and a
        Span object per span were most of its time."""
        columns = ", ".join(f"[{c}]" for c in REVIEW_COLUMNS)
        return rows_by_document(
            self.db, f"SELECT doc_id, {columns}, origin FROM annotations WHERE annotator = ? AND doc_id IN ({{ids}}) "
                     "ORDER BY doc_id, start, [end], layer, label, id", [annotator], doc_ids)

    def layer(self, doc_id: int, annotator: str | None = None) -> list[Span]:
        """A person's layer of a document; for a document they never touched, the model's suggestions."""
        who = annotator or self.annotator
        return self.spans(doc_id, annotator=who) if self.has_layer(doc_id, who) else self.predictions(doc_id)  # type: ignore[attr-defined]

    def has_layer(self, doc_id: int, annotator: str | None = None) -> bool:
        """Whether the person holds spans of the document or has edited it (even to delete everything)."""
        who = annotator or self.annotator
        return self.db.execute(
            "SELECT 1 FROM annotations WHERE doc_id = ? AND annotator = ? UNION ALL "
            "SELECT 1 FROM edits WHERE doc_id = ? AND annotator = ?", [doc_id, who, doc_id, who]
        ).fetchone() is not None

    def worked_on(self, doc_id: int, annotator: str) -> bool:
        """Whether the person's layer is their own work, not the model's suggestions copied untouched:
        they edited the document here, or hold a confirmed span or one that is not the model's."""
        return self.db.execute(
            "SELECT 1 FROM edits WHERE doc_id = ? AND annotator = ? UNION ALL "
            "SELECT 1 FROM annotations WHERE doc_id = ? AND annotator = ? AND (confirmed = 1 OR origin NOT IN (?, ?))",
            [doc_id, annotator, doc_id, annotator, *SUGGESTED],
        ).fetchone() is not None

    def annotators(self, doc_id: int | None = None) -> list[str]:
        if doc_id is None:  # from the counters: no scan of the spans
            return self.db.column("SELECT DISTINCT annotator FROM span_counts WHERE n > 0 ORDER BY annotator")
        return self.db.column("SELECT DISTINCT annotator FROM annotations WHERE doc_id = ? ORDER BY annotator", [doc_id])

    def span(self, span_id: int) -> Span:
        row = self.db.execute(f"{_SELECT} WHERE id = ?", [span_id]).fetchone()
        if row is None:
            raise Missing(f"no span {span_id}")
        return span_from_row(row)

    def _mine(self, span_id: int, expected: Span | None) -> Span:
        """The span of that id, if it is still the one a window showed (``expected``: same place,
        label and person): SQLite reuses the ids of deleted spans, so an id remembered since may
        now be another person's span, or one a merge put there."""
        span = self.span(span_id)
        if expected is not None and (*span.key(), span.annotator) != (*expected.key(), expected.annotator):
            raise Missing(f"{expected.label} {expected.text!r} is no longer there: another program changed "
                           "this document since (open it again to see it as it is now)")
        return span

    def add_span(self, doc_id: int, span: Span) -> Span:
        """Add a span to the human's layer (one undoable edit). Refuses overlapping entities."""
        span = span.with_(annotator=self.annotator, id=None)
        with self.db.write():
            self._check_fits(doc_id, span)
            stored = self._insert_annotation(doc_id, span, now())
            self._record(doc_id, f"add {span.label} {span.text!r}", [{"op": "add", "before": None, "after": dump(stored)}])  # type: ignore[attr-defined]
        return stored

    def update_span(self, span_id: int, expected: Span | None = None, **changes: Any) -> Span:
        """Relabel, resize, or edit a number's value/kind/unit or a date's resolution (one undoable edit).

        ``start``/``end`` changes take the new text from the document. Any change by a person
        makes the span the human's and confirms it. ``expected``: see :meth:`_mine`.
        """
        with self.db.write():
            old = self._mine(span_id, expected)
            doc_id = self.db.one("SELECT doc_id FROM annotations WHERE id = ?", [span_id])
            new = old.with_(**changes)
            if "start" in changes or "end" in changes:
                text = self.document(doc_id).text  # type: ignore[attr-defined]
                new = new.with_(text=text[new.start : new.end] if 0 <= new.start < new.end <= len(text) else "")
            if set(changes) != {"confirmed"}:  # anything but a bare confirm makes the span the human's
                new = new.with_(origin=ORIGIN_HUMAN, confirmed=True)
            self._check_fits(doc_id, new, ignore=span_id)
            self._write_annotation(new)
            self._record(doc_id, describe_change(old, new), [{"op": "update", "before": dump(old), "after": dump(new)}])  # type: ignore[attr-defined]
        return new

    def delete_span(self, span_id: int, expected: Span | None = None) -> None:
        with self.db.write():
            old = self._mine(span_id, expected)
            doc_id = self.db.one("SELECT doc_id FROM annotations WHERE id = ?", [span_id])
            changes = self._remove_dependents([span_id])
            self.db.execute("DELETE FROM annotations WHERE id = ?", [span_id])
            changes.append({"op": "delete", "before": dump(old), "after": None})
            self._record(doc_id, f"delete {old.label} {old.text!r}", changes)  # type: ignore[attr-defined]

    def accept_suggestions(self, doc_id: int) -> int:
        """Confirm every unreviewed model suggestion of a document (one undoable edit)."""
        with self.db.write():
            pending = [s for s in self.spans(doc_id) if not s.confirmed]
            return self._bulk(doc_id, "accept suggestions", [(s, s.with_(confirmed=True)) for s in pending])

    def clear_suggestions(self, doc_id: int) -> int:
        """Remove every unreviewed model suggestion of a document (one undoable edit)."""
        with self.db.write():
            pending = [s for s in self.spans(doc_id) if not s.confirmed]
            return self._bulk(doc_id, "clear suggestions", [(s, None) for s in pending])

    def _bulk(self, doc_id: int, action: str, pairs: Sequence[tuple[Span, Span | None]]) -> int:
        if not pairs:
            return 0
        changes = self._remove_dependents([old.id for old, new in pairs if new is None and old.id is not None])
        for old, new in pairs:
            if new is None:
                self.db.execute("DELETE FROM annotations WHERE id = ?", [old.id])
                changes.append({"op": "delete", "before": dump(old), "after": None})
            else:
                self._write_annotation(new)
                changes.append({"op": "update", "before": dump(old), "after": dump(new)})
        self._record(doc_id, action, changes)  # type: ignore[attr-defined]
        return len(pairs)

    def _check_fits(self, doc_id: int, span: Span, ignore: int | None = None) -> None:
        text = self.db.one("SELECT text FROM documents WHERE id = ?", [doc_id])
        if text is None:
            raise Missing(f"no document {doc_id}")
        check_span(text, span)
        if span.layer != ENTITIES:
            return
        row = self.db.execute(
            f"{_SELECT} WHERE doc_id = ? AND annotator = ? AND layer = ? AND start < ? AND [end] > ? AND id IS NOT ? LIMIT 1",
            [doc_id, span.annotator or self.annotator, ENTITIES, span.end, span.start, ignore],
        ).fetchone()
        if row:
            raise SpanError(overlap_message(span, span_from_row(row)))

    def _insert_annotation(self, doc_id: int, span: Span, stamp: str) -> Span:
        row = annotation_row(doc_id, span, self.annotator, stamp)
        span_id = self.db.execute(INSERT_ANNOTATION, row).lastrowid
        add_span_counts(self.db, {COUNTED(row): 1})
        return span.with_(id=span_id, annotator=span.annotator or self.annotator)

    def _add_spans(self, doc_spans: Iterable[tuple[int, Sequence[Span]]], stamp: str,
                   as_model_copy: bool = False, entities: Sequence[tuple[int, int, int, str, str]] = (),
                   ids: dict[int, list[int]] | None = None) -> Counter[tuple[str, str, str, str]]:
        """Store new spans of documents (SQLite picks their ids). Returns how many per counter key
        (annotator, layer, label, origin) for the caller to count (an import: once published).
        ``as_model_copy`` stores them as this annotator's unconfirmed copy of the model's (without
        copying each Span object: that was a quarter of detection's storing time). ``entities``
        are an import's plain entities as rows (doc_id, start, end, label, text).

        Only what differs from span to span is bound: what spans share (layer, origin, confirmed,
        annotator, time) goes into the statement as literals, and so do the empty number and date
        fields of plain entities. Binding all 17 columns was half of an import's storing time
        (sqlite3 binds None and bool through its slow adaptation path).

        With ``ids`` (an import whose relations join its spans) the spans' ids are given, not
        picked, and each document's are put in ``ids`` in the order of its spans, then of its
        entity rows (as ``NewDocument.links`` counts them): reading them back was half of storing
        an import's relations."""
        groups: dict[tuple[str, str, bool, str, bool], list[tuple[Any, ...]]] = defaultdict(list)
        places: list[tuple[int, tuple[str, str, bool, str, bool], int]] = []  # with ids: each span's group and row
        for doc_id, spans in doc_spans:
            for s in spans:
                plain = s.value is None and s.kind is None and not s.approx and s.unit is None and s.resolved is None
                row = (doc_id, s.start, s.end, s.label, s.text)
                key = ((s.layer, ORIGIN_MODEL, False, self.annotator, plain) if as_model_copy
                       else (s.layer, s.origin, s.confirmed, s.annotator or self.annotator, plain))
                group = groups[key]
                if ids is not None:
                    places.append((doc_id, key, len(group)))
                group.append(row if plain else (*row, s.value, s.kind, int(s.approx), s.unit, s.resolved))
        rows_key = (ENTITIES, ORIGIN_IMPORT, True, self.annotator, True)
        spans_before_rows = len(groups[rows_key]) if entities else 0
        if entities:
            groups[rows_key] += entities
        counts: Counter[tuple[str, str, str, str]] = Counter()
        first: dict[tuple[str, str, bool, str, bool], int] = {}
        next_id = 0 if ids is None else self.db.one("SELECT coalesce(max(id), 0) + 1 FROM annotations")
        for key, rows in groups.items():
            layer, origin, confirmed, annotator, plain = key
            details = "NULL, NULL, 0, NULL, NULL" if plain else "?, ?, ?, ?, ?"
            shared = ", ".join([sql_text(layer), sql_text(origin), str(int(confirmed)), sql_text(annotator),
                                sql_text(stamp), sql_text(stamp)])
            if ids is None:
                self.db.executemany(f"{_ADD_SPANS} VALUES (?, ?, ?, ?, ?, {details}, {shared})", rows)
            else:
                first[key], next_id = next_id, next_id + len(rows)
                self.db.executemany(f"{_ADD_SPANS_WITH_IDS} VALUES (?, ?, ?, ?, ?, ?, {details}, {shared})",
                                    [(span_id, *row) for span_id, row in enumerate(rows, first[key])])
            for label, n in Counter(map(itemgetter(3), rows)).items():
                counts[annotator, layer, label, origin] += n
        if ids is not None:  # each document's spans, then its entity rows
            for doc_id, key, position in places:
                ids.setdefault(doc_id, []).append(first[key] + position)
            for span_id, entity in enumerate(entities, first.get(rows_key, 0) + spans_before_rows):
                ids.setdefault(entity[0], []).append(span_id)
        return counts

    def _write_annotation(self, span: Span) -> bool:
        """Store a span's new values; False if the span is no longer there (its id may since be
        another person's span: deleted ids are reused)."""
        return self.db.execute(
            "UPDATE annotations SET start = ?, [end] = ?, label = ?, text = ?, value = ?, kind = ?, approx = ?, "
            "unit = ?, resolved = ?, origin = ?, confirmed = ?, updated = ? WHERE id = ? AND annotator = ?",
            [span.start, span.end, span.label, span.text, span.value, span.kind, int(span.approx),
             span.unit, span.resolved, span.origin, int(span.confirmed), now(), span.id, span.annotator],
        ).rowcount > 0

    def insert_layer(self, doc_id: int, annotator: str, spans: Sequence[Span], replace: bool = False) -> bool:
        """Bring in another database's layer of a person as it is; False if they already have one here
        (unless ``replace``: then theirs here is replaced by it)."""
        with self.db.write():
            if not replace and self.db.execute(
                    "SELECT 1 FROM annotations WHERE doc_id = ? AND annotator = ?", [doc_id, annotator]).fetchone():
                return False
            check_spans(self.document(doc_id).text, spans)  # type: ignore[attr-defined]
            self.db.execute("DELETE FROM annotations WHERE doc_id = ? AND annotator = ?", [doc_id, annotator])
            self._ensure_labels(spans)  # type: ignore[attr-defined]
            stamp = now()
            add_span_counts(self.db, self._add_spans([(doc_id, [s.with_(annotator=annotator) for s in spans])], stamp))
        return True

    def copy_layer(self, doc_id: int, source: str) -> int:
        """Make this annotator's layer a copy of ``source``'s (one undoable edit, e.g. adjudication)."""
        with self.db.write():
            old = self.spans(doc_id)
            new = [s.with_(annotator=self.annotator, id=None, confirmed=True) for s in self.layer(doc_id, source)]
            changes = self._remove_dependents([span.id for span in old if span.id is not None])
            for span in old:
                self.db.execute("DELETE FROM annotations WHERE id = ?", [span.id])
                changes.append({"op": "delete", "before": dump(span), "after": None})
            stamp = now()
            for span in new:
                changes.append({"op": "add", "before": None, "after": dump(self._insert_annotation(doc_id, span, stamp))})
            self._record(doc_id, f"take {source}'s version", changes)  # type: ignore[attr-defined]
        return len(new)

    def _touched(self, doc_id: int) -> bool:
        """Whether this annotator has edited the document or holds imported spans for it."""
        return self.db.execute(
            "SELECT 1 FROM edits WHERE doc_id = ? AND annotator = ? UNION ALL "
            "SELECT 1 FROM annotations WHERE doc_id = ? AND annotator = ? AND origin NOT IN (?, ?)",
            [doc_id, self.annotator, doc_id, self.annotator, *SUGGESTED],
        ).fetchone() is not None

    def _copy_to_layer(self, doc_spans: Sequence[tuple[int, Sequence[Span]]], stamp: str) -> None:
        """The human's layer of each document starts as the model's suggestions, unconfirmed, and
        what the person decided on the same strings elsewhere (annotator.learning)."""
        self._ensure_labels([s for _, spans in doc_spans for s in spans])  # type: ignore[attr-defined]
        learned = self.decisions.learned() if self.decisions.enabled() else None
        if learned:
            doc_spans = [(d, suggestions(self.document(d).text, spans, learned)) for d, spans in doc_spans]  # type: ignore[attr-defined]
        model = [(d, [s for s in spans if s.origin != ORIGIN_LEARNED]) for d, spans in doc_spans]
        taught = [(d, [s for s in spans if s.origin == ORIGIN_LEARNED]) for d, spans in doc_spans]
        add_span_counts(self.db, self._add_spans(model, stamp, as_model_copy=True) + self._add_spans(taught, stamp))
        for copied in self.layer_copied:
            copied([doc_id for doc_id, _ in doc_spans])

    def start_layer(self, doc_id: int) -> bool:
        """Give this annotator a layer for the document, copied from the latest predictions.

        Detection copies predictions for the annotator who ran it; another person opening the
        document starts from the same suggestions. Nothing happens once they have a layer.
        """
        if self.has_layer(doc_id):
            return False
        with self.db.write():
            if self.has_layer(doc_id):  # another process of theirs was quicker
                return False
            predictions = self.predictions(doc_id)  # type: ignore[attr-defined]
            if not predictions:
                return False
            self._copy_to_layer([(doc_id, predictions)], now())
        return True

