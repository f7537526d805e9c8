"""A person's layer of a document: their spans, edited one undoable change at a time.

Checks (span on its text, no overlapping entities) run inside the write transaction, so two
processes editing the same document cannot both pass them and store a conflict.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
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
    StoredSpan,
    check_span,
    check_spans,
    overlap_message,
)
from annotator.learning.suggest import SUGGESTED
from annotator.storage.connection import Connection
from annotator.storage.counts import add_span_counts
from annotator.storage.documents import Documents
from annotator.storage.errors import Missing, UndoRefused
from annotator.storage.history import Edit
from annotator.storage.labels import Labels
from annotator.storage.parts import Part, Record
from annotator.storage.predictions import Predictions
from annotator.storage.rows import (
    ANNOTATION_SELECT,
    DETAIL_COLUMNS,
    NO_DETAILS,
    PLACE_COLUMNS,
    REVIEW_COLUMNS,
    UPDATE_ANNOTATION,
    changeable_values,
    detail_values,
    dump,
    insert_span,
    load,
    now,
    place_values,
    rows_by_document,
    span_from_row,
)

_SELECT = f"SELECT {ANNOTATION_SELECT} FROM annotations"
# Spans stored in bulk (see add): each row's own values, its details if it has any, then what its group shares.
_OWN = ("doc_id", *PLACE_COLUMNS[1:])  # an import's plain entities come as rows of these
_NO_DETAILS = dict(zip(DETAIL_COLUMNS, NO_DETAILS, strict=True))  # what a plain entity's rows share besides
_LABEL_OF_ROW = itemgetter(_OWN.index("label"))


# Given the ids of spans about to be removed, another part removes what depends on them (their
# relations) and returns its history changes, recorded in the same edit before the spans' own.
SpanDependents = Callable[[Sequence[int]], list[dict[str, Any]]]


class Spans(Part):
    """``store.spans``: people's layers. Called, it gives a document's spans (:meth:`of`). Built
    with the parts it reads (documents, labels, the predictions a layer falls back to) and
    ``dependents``: what other parts remove with a span (its relations)."""

    def __init__(self, db: Connection, annotator: str, record: Record, documents: Documents, labels: Labels,
                 predictions: Predictions, dependents: Sequence[SpanDependents] = ()) -> None:
        super().__init__(db, annotator, record)
        self.documents, self.labels, self.predictions = documents, labels, predictions
        self.dependents = list(dependents)
        self._read: dict[Any, StoredSpan] = {}  # the spans :meth:`of` last made, by their row

    def _remove_dependents(self, span_ids: Sequence[int]) -> list[dict[str, Any]]:
        return [change for remove in self.dependents for change in remove(span_ids)]

    def of(self, doc_id: int, layer: str | None = None, annotator: str | None = None) -> list[StoredSpan]:
        """The human's spans of a document (by default this store's annotator), in text order."""
        sql = f"{_SELECT} WHERE doc_id = ? AND annotator = ?"
        params: list[Any] = [doc_id, annotator or self.annotator]
        if layer:
            sql += " AND layer = ?"
            params.append(layer)
        # The open document's layer is read again after every edit: a row unchanged since the last
        # read gives back the same (immutable) span, not a new one (most of a read's time, and
        # of comparing what changed).
        read, made = self._read, {}
        for row in self.db.execute(sql + " ORDER BY start, [end], layer", params):
            made[row] = read.get(row) or span_from_row(row)
        self._read = made
        return list(made.values())

    __call__ = of

    def span_rows(self, doc_ids: Sequence[int], annotator: str) -> Iterator[list[tuple[Any, ...]]]:
        """Each document's spans of a person as plain rows: (doc_id, *REVIEW_COLUMNS, origin), in
        the order of :meth:`of` (the same place and layer: by label, then as stored), one list
        per id of ``doc_ids``. A review reads thousands of documents: one query per document and a
        Span object per span were most of its time."""
        columns = ", ".join(f"[{c}]" for c in REVIEW_COLUMNS)
        return rows_by_document(
            self.db, f"SELECT doc_id, {columns}, origin FROM annotations WHERE annotator = ? AND doc_id IN ({{ids}}) "
                     "ORDER BY doc_id, start, [end], layer, label, id", [annotator], doc_ids)

    def layer(self, doc_id: int, annotator: str | None = None) -> list[StoredSpan]:
        """A person's layer of a document; for a document they never touched, the model's suggestions."""
        who = annotator or self.annotator
        return self.of(doc_id, annotator=who) if self.has_layer(doc_id, who) else self.predictions(doc_id)

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

    def people(self, doc_ids: Sequence[int]) -> dict[int, list[str]]:
        """Everyone with a layer of each document: spans, document labels, or an edit (even one that
        left it empty), by name; a document nobody has a layer of is left out."""
        marks = ", ".join("?" * len(doc_ids))
        found: dict[int, list[str]] = {}
        for doc_id, person in self.db.execute(
                f"SELECT doc_id, annotator FROM annotations WHERE doc_id IN ({marks}) UNION SELECT doc_id, annotator "
                f"FROM document_categories WHERE doc_id IN ({marks}) UNION SELECT doc_id, annotator FROM edits "
                f"WHERE doc_id IN ({marks}) ORDER BY 1, 2", [*doc_ids] * 3):
            found.setdefault(doc_id, []).append(person)
        return found

    def annotators(self, doc_id: int | None = None) -> list[str]:
        if doc_id is None:  # from the counters: no scan of the spans
            return self.db.column("SELECT DISTINCT annotator FROM span_counts WHERE n > 0 ORDER BY annotator")
        return self.db.column("SELECT DISTINCT annotator FROM annotations WHERE doc_id = ? ORDER BY annotator", [doc_id])

    def span(self, span_id: int) -> StoredSpan:
        row = self.db.execute(f"{_SELECT} WHERE id = ?", [span_id]).fetchone()
        if row is None:
            raise Missing(f"no span {span_id}")
        return span_from_row(row)

    def _mine(self, span_id: int, expected: Span | None) -> StoredSpan:
        """The span of that id, if it is still the one a window showed (``expected``: same place,
        label and person): SQLite reuses the ids of deleted spans, so an id remembered since may
        now be another person's span, or one a merge put there."""
        span = self.span(span_id)
        if expected is not None and (*span.key(), span.annotator) != (*expected.key(), expected.annotator):
            raise Missing(f"{expected.label} {expected.text!r} is no longer there: another program changed "
                           "this document since (open it again to see it as it is now)")
        return span

    def add_span(self, doc_id: int, span: Span) -> StoredSpan:
        """Add a span to the human's layer (one undoable edit). Refuses overlapping entities."""
        span = span.as_new().with_(annotator=self.annotator)
        with self.db.write():
            self._check_fits(doc_id, span)
            stored = self._insert_annotation(doc_id, span, now())
            self.record(doc_id, f"add {span.label} {span.text!r}", [{"op": "add", "before": None, "after": dump(stored)}])
        return stored

    def update_span(self, span_id: int, expected: Span | None = None, **changes: Any) -> StoredSpan:
        """Relabel, resize, or edit a number's value/kind/unit or a date's resolution (one undoable edit).

        ``start``/``end`` changes take the new text from the document. Any change by a person
        makes the span the human's and confirms it. ``expected``: see :meth:`_mine`.
        """
        with self.db.write():
            old = self._mine(span_id, expected)
            doc_id = self.db.one("SELECT doc_id FROM annotations WHERE id = ?", [span_id])
            new = old.with_(**changes)
            if "start" in changes or "end" in changes:
                text = self.documents.document(doc_id).text
                new = new.with_(text=text[new.start : new.end] if 0 <= new.start < new.end <= len(text) else "")
            if set(changes) != {"confirmed"}:  # anything but a bare confirm makes the span the human's
                new = new.with_(origin=ORIGIN_HUMAN, confirmed=True)
            self._check_fits(doc_id, new, ignore=span_id)
            self._write_annotation(new)
            self.record(doc_id, describe_change(old, new), [{"op": "update", "before": dump(old), "after": dump(new)}])
        return new

    def delete_span(self, span_id: int, expected: Span | None = None) -> None:
        with self.db.write():
            old = self._mine(span_id, expected)
            doc_id = self.db.one("SELECT doc_id FROM annotations WHERE id = ?", [span_id])
            changes = self._remove_dependents([span_id])
            self.db.execute("DELETE FROM annotations WHERE id = ?", [span_id])
            changes.append({"op": "delete", "before": dump(old), "after": None})
            self.record(doc_id, f"delete {old.label} {old.text!r}", changes)

    def accept_suggestions(self, doc_id: int) -> int:
        """Confirm every unreviewed model suggestion of a document (one undoable edit)."""
        with self.db.write():
            pending = [s for s in self.of(doc_id) if not s.confirmed]
            return self._bulk(doc_id, "accept suggestions", [(s, s.with_(confirmed=True)) for s in pending])

    def clear_suggestions(self, doc_id: int) -> int:
        """Remove every unreviewed model suggestion of a document (one undoable edit)."""
        with self.db.write():
            pending = [s for s in self.of(doc_id) if not s.confirmed]
            return self._bulk(doc_id, "clear suggestions", [(s, None) for s in pending])

    def _bulk(self, doc_id: int, action: str, pairs: Sequence[tuple[StoredSpan, StoredSpan | None]]) -> int:
        if not pairs:
            return 0
        changes = self._remove_dependents([old.id for old, new in pairs if new is None])
        for old, new in pairs:
            if new is None:
                self.db.execute("DELETE FROM annotations WHERE id = ?", [old.id])
                changes.append({"op": "delete", "before": dump(old), "after": None})
            else:
                self._write_annotation(new)
                changes.append({"op": "update", "before": dump(old), "after": dump(new)})
        self.record(doc_id, action, changes)
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

    def _insert_annotation(self, doc_id: int, span: Span, stamp: str) -> StoredSpan:
        span_id = insert_span(self.db, doc_id, span, self.annotator, stamp)
        return span.with_(annotator=span.annotator or self.annotator).stored_as(span_id)

    def add(self, doc_spans: Iterable[tuple[int, Sequence[Span]]], stamp: str,
            as_model_copy: bool = False, entities: Sequence[tuple[int, int, int, str, str]] = (),
            ids: dict[int, list[int]] | None = None,
            theirs: Mapping[str, Sequence[tuple[int, int, int, str, str]]] | None = None) -> Counter[tuple[str, str, str, str]]:
        """Store new spans of documents (SQLite picks their ids). Returns how many per counter key
        (annotator, layer, label, origin) for the caller to count (an import: once published).
        ``as_model_copy`` stores them as this annotator's unconfirmed copy of the model's (without
        copying each Span object: that was a quarter of detection's storing time). ``entities``
        are an import's plain entities as rows (doc_id, start, end, label, text), and ``theirs`` such
        rows by the person a file says made them (their ids are not put in ``ids``).

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
                details = detail_values(s)
                plain = details == NO_DETAILS
                row = (doc_id, *place_values(s))
                key = ((s.layer, ORIGIN_MODEL, False, self.annotator, plain) if as_model_copy
                       else (s.layer, s.origin, s.confirmed, s.annotator or self.annotator, plain))
                group = groups[key]
                if ids is not None:
                    places.append((doc_id, key, len(group)))
                group.append(row if plain else (*row, *details))
        rows_key = (ENTITIES, ORIGIN_IMPORT, True, self.annotator, True)
        spans_before_rows = len(groups[rows_key]) if entities else 0
        if entities:
            groups[rows_key] += entities
        for person, rows in (theirs or {}).items():  # after each group's spans: their places in ``ids`` stay
            groups[ENTITIES, ORIGIN_IMPORT, True, person, True] += rows
        counts: Counter[tuple[str, str, str, str]] = Counter()
        first: dict[tuple[str, str, bool, str, bool], int] = {}
        next_id = 0 if ids is None else self.db.reserve_ids("annotations", sum(map(len, groups.values())))
        for key, rows in groups.items():
            layer, origin, confirmed, annotator, plain = key
            shared = {"layer": layer, "origin": origin, "confirmed": confirmed, "annotator": annotator,
                      "created": stamp, "updated": stamp, **(_NO_DETAILS if plain else {})}
            columns = _OWN if plain else (*_OWN, *DETAIL_COLUMNS)
            if ids is None:
                self.db.bulk_insert("annotations", columns, rows, shared)
            else:
                first[key], next_id = next_id, next_id + len(rows)
                self.db.bulk_insert("annotations", ("id", *columns),
                                    [(span_id, *row) for span_id, row in enumerate(rows, first[key])], shared)
            for label, n in Counter(map(_LABEL_OF_ROW, rows)).items():
                counts[annotator, layer, label, origin] += n
        if ids is not None:  # each document's spans, then its entity rows
            for doc_id, key, position in places:
                ids.setdefault(doc_id, []).append(first[key] + position)
            for span_id, entity in enumerate(entities, first.get(rows_key, 0) + spans_before_rows):
                ids.setdefault(entity[0], []).append(span_id)
        return counts

    def _write_annotation(self, span: StoredSpan) -> bool:
        """Store a span's new values; False if the span is no longer there (its id may since be
        another person's span: deleted ids are reused)."""
        return self.db.execute(UPDATE_ANNOTATION, [*changeable_values(span), now(), span.id, span.annotator]).rowcount > 0

    def insert_layer(self, doc_id: int, annotator: str, spans: Sequence[Span], replace: bool = False) -> bool:
        """Bring in another database's layer of a person as it is; False if they already have one here
        (unless ``replace``: then theirs here is replaced by it)."""
        with self.db.write():
            if not replace and self.db.execute(
                    "SELECT 1 FROM annotations WHERE doc_id = ? AND annotator = ?", [doc_id, annotator]).fetchone():
                return False
            check_spans(self.documents.document(doc_id).text, spans)
            self.db.execute("DELETE FROM annotations WHERE doc_id = ? AND annotator = ?", [doc_id, annotator])
            self.labels.ensure(spans)
            stamp = now()
            add_span_counts(self.db, self.add([(doc_id, [s.with_(annotator=annotator) for s in spans])], stamp))
        return True

    def copy_layer(self, doc_id: int, source: str) -> int:
        """Make this annotator's layer a copy of ``source``'s (one undoable edit, e.g. adjudication)."""
        with self.db.write():
            old = self.of(doc_id)
            new = [s.as_new().with_(annotator=self.annotator, confirmed=True) for s in self.layer(doc_id, source)]
            changes = self._remove_dependents([span.id for span in old])
            for span in old:
                self.db.execute("DELETE FROM annotations WHERE id = ?", [span.id])
                changes.append({"op": "delete", "before": dump(span), "after": None})
            stamp = now()
            for made in new:
                changes.append({"op": "add", "before": None, "after": dump(self._insert_annotation(doc_id, made, stamp))})
            self.record(doc_id, f"take {source}'s version", changes)
        return len(new)

    def replay(self, edit: Edit, current: dict[str, Any] | None, target: dict[str, Any] | None, what: str) -> None:
        """Undo or redo one change of a span (ops add, update, delete), after checking that the
        span it finds is the one the edit left; a label renamed since is followed."""
        if current is not None:
            self._check_same_span(edit, current, what)
        if target is None:
            assert current is not None  # a change has a side: a removal has its before
            self.db.execute("DELETE FROM annotations WHERE id = ? AND annotator = ?",
                            [current["id"], current.get("annotator") or edit.annotator])
            return
        span = load(target)
        span = span.with_(label=self.labels.current(span.label, edit.at, what), annotator=span.annotator or edit.annotator)
        if current is None or not self._write_annotation(span):
            # added back, or changed back after its label's removal took it away
            if self.db.one("SELECT 1 FROM annotations WHERE id = ?", [span.id]):
                raise UndoRefused(f"cannot {what}: another change has since taken the place of its span")
            insert_span(self.db, edit.doc_id, span, self.annotator, now())
    def _check_same_span(self, edit: Edit, recorded: dict[str, Any], what: str) -> None:
        """The span the edit left at ``recorded["id"]`` must still be that span (same document,
        place, person and label, a rename followed) before undo/redo touches it: SQLite reuses the
        ids of deleted spans, and a merge or another person may have put a different span there.
        A span that is gone is not checked (undo of an add then has nothing to remove)."""
        row = self.db.execute("SELECT doc_id, layer, start, [end], annotator, label FROM annotations WHERE id = ?",
                              [recorded["id"]]).fetchone()
        if row is None:
            return
        expected = (edit.doc_id, recorded["layer"], recorded["start"], recorded["end"],
                    recorded.get("annotator") or edit.annotator)
        labels = (recorded["label"], self._current_label_or_none(recorded["label"], edit.at))
        if tuple(row[:5]) != expected or row[5] not in labels:
            raise UndoRefused(f"cannot {what}: another change has since taken the place of its span")

    def _current_label_or_none(self, name: str, since: str) -> str | None:
        try:
            return self.labels.current(name, since, "")
        except UndoRefused:
            return None

