"""How spans and times are stored: column order, row tuples, and the JSON kept in the history."""

from __future__ import annotations

import getpass
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import fields
from datetime import UTC, datetime
from operator import attrgetter, itemgetter
from typing import Any

from annotator.domain import ORIGIN_MODEL, Span, StoredSpan
from annotator.storage.connection import Connection
from annotator.storage.counts import add_span_counts

_FIELDS = tuple(f.name for f in fields(StoredSpan))  # a new Span's, then the id
_FLAGS = tuple(f.name for f in fields(Span) if f.type in (bool, "bool"))  # stored 0/1, read back as bools
# The columns that hold a span, each named as the Span field it holds: the one list that the
# statements, row tuples and readers below are made from (a new column is one edit here).
PLACE_COLUMNS = ("layer", "start", "end", "label", "text")
DETAIL_COLUMNS = ("value", "kind", "approx", "unit", "resolved")  # a number's or a date's; empty on a plain entity
SPAN_COLUMNS = (*PLACE_COLUMNS, *DETAIL_COLUMNS)
PERSON_COLUMNS = ("origin", "confirmed", "annotator")  # what a person's span has beside a prediction
SPAN_SELECT = ", ".join(f"[{c}]" for c in SPAN_COLUMNS)
SPAN_MARKS = ", ".join("?" * len(SPAN_COLUMNS))
# A person's span as read: SELECT ANNOTATION_SELECT FROM annotations (see span_from_row).
ANNOTATION_READ = ("id", *SPAN_COLUMNS, *PERSON_COLUMNS)
ANNOTATION_SELECT = ", ".join(f"[{c}]" for c in ANNOTATION_READ)
PREDICTION_READ = ("id", *SPAN_COLUMNS)  # a model's, from predictions (see prediction_from_row)
PREDICTION_SELECT = ", ".join(f"[{c}]" for c in PREDICTION_READ)
# The rows a person's layer is made of; imports, copies and single edits all insert through it.
_ANNOTATION_INSERT = ("id", "doc_id", *SPAN_COLUMNS, *PERSON_COLUMNS, "created", "updated")
_INSERT_ANNOTATION = (f"INSERT INTO annotations ({', '.join(f'[{c}]' for c in _ANNOTATION_INSERT)}) "
                      f"VALUES ({', '.join('?' * len(_ANNOTATION_INSERT))})")
# What the span counters count by, in span_counts' column order.
COUNTER_KEY = ("annotator", "layer", "label", "origin")
_COUNTED = itemgetter(*(_ANNOTATION_INSERT.index(c) for c in COUNTER_KEY))
# What a person may change of a stored span (its layer and owner stay).
_CHANGEABLE = tuple(c for c in (*SPAN_COLUMNS, *PERSON_COLUMNS) if c not in ("layer", "annotator"))
UPDATE_ANNOTATION = (f"UPDATE annotations SET {', '.join(f'[{c}] = ?' for c in _CHANGEABLE)}, updated = ? "
                     "WHERE id = ? AND annotator = ?")
span_values = attrgetter(*SPAN_COLUMNS)  # a span's values in the order of SPAN_COLUMNS
place_values = attrgetter(*PLACE_COLUMNS[1:])  # start, end, label, text: a bulk row's own values after doc_id
detail_values = attrgetter(*DETAIL_COLUMNS)
changeable_values = attrgetter(*_CHANGEABLE)
NO_DETAILS: tuple[Any, ...] = tuple(f.default for f in fields(Span) if f.name in DETAIL_COLUMNS)  # a plain entity's details
NO_DETAILS_SQL = ", ".join("NULL" if d is None else str(int(d)) for d in NO_DETAILS)  # the same as SQL literals
# What a review reads of each span: after the document's id, these and then its origin.
REVIEW_COLUMNS = ("layer", "start", "end", "label", "text", "value", "resolved")
_REVIEW_CHUNK = 500  # documents a query
# Documents of an unfinished import are invisible to every read (see imports.py).
VISIBLE = "d.id NOT IN (SELECT doc_id FROM pending_docs)"


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds")


def default_annotator() -> str:
    try:
        return getpass.getuser() or "annotator"
    except Exception:  # no login name (some containers): still a usable name
        return "annotator"


def insert_span(db: Connection, doc_id: int, span: Span, annotator: str, stamp: str) -> int:
    """Store one span of a person's layer (``annotator``'s unless the span names its own) and
    count it; its id kept if it has one (undo restores it). Returns the id."""
    [span_id] = insert_spans(db, doc_id, [span], annotator, stamp)
    return span_id


def insert_spans(db: Connection, doc_id: int, spans: Sequence[Span], annotator: str, stamp: str) -> list[int]:
    """Store spans of a person's layer as insert_span does, the counters updated once for all
    (a decision on a name met 40 times in an article adds 40 suggestions). Their ids, in order."""
    rows = []
    for span in spans:
        values = {**_fields(span), "doc_id": doc_id, "annotator": span.annotator or annotator, "created": stamp, "updated": stamp}
        rows.append(tuple(values[c] for c in _ANNOTATION_INSERT))
    ids = [db.insert(_INSERT_ANNOTATION, row) for row in rows]
    add_span_counts(db, Counter(map(_COUNTED, rows)))
    return ids


def _reader(columns: Sequence[str], **fixed: Any) -> Callable[[Sequence[Any]], StoredSpan]:
    """How a row of ``columns`` (each named as the Span field it holds, and its id) becomes a
    StoredSpan, the fields it lacks ``fixed``: its values put in the order of Span's fields once, by
    name, and the yes-or-no ones (stored 0 or 1) made bools. Positional, not by keyword: a layer of
    300 spans is read on every key press."""
    extra = tuple(fixed.values())
    take = itemgetter(*((*columns, *fixed).index(name) for name in _FIELDS[:-1]))
    at_id = columns.index("id")
    flags = tuple(i for i, name in enumerate(_FIELDS) if name in _FLAGS and name not in fixed)

    def read(row: Sequence[Any]) -> StoredSpan:
        values = list(take((*row, *extra) if extra else row))
        for i in flags:
            values[i] = bool(values[i])
        return StoredSpan(*values, id=row[at_id])

    return read


span_from_row = _reader(ANNOTATION_READ)  # from SELECT ANNOTATION_SELECT FROM annotations
prediction_from_row = _reader(PREDICTION_READ, origin=ORIGIN_MODEL, confirmed=False, annotator=None)  # the model's


def dump(span: StoredSpan) -> dict[str, Any]:
    """A span as the history keeps it (its fields are all plain values: no deep copy needed).
    By field, not ``vars``: an imported span holds only the fields that differ from the defaults."""
    return {name: getattr(span, name) for name in _FIELDS}


def _fields(span: Span) -> dict[str, Any]:
    """A span's fields as a row of its layer holds them: a new span's id None (SQLite picks one)."""
    return dump(span) if isinstance(span, StoredSpan) else {**{name: getattr(span, name) for name in _FIELDS[:-1]}, "id": None}


def load(data: dict[str, Any]) -> StoredSpan:
    return StoredSpan(**data)


def rows_by_document(db: Connection, sql: str, params: Sequence[Any],
                     doc_ids: Sequence[int]) -> Iterator[list[tuple[Any, ...]]]:
    """The rows of ``sql`` (its ``{ids}`` where the documents' ids go; each row's first column
    the document's id) grouped by document: one list per id of ``doc_ids``, in their order, a
    query per 500 documents."""
    for first in range(0, len(doc_ids), _REVIEW_CHUNK):
        chunk = doc_ids[first : first + _REVIEW_CHUNK]
        by_document: dict[int, list[tuple[Any, ...]]] = {doc_id: [] for doc_id in chunk}
        for row in db.execute(sql.format(ids=", ".join("?" * len(chunk))), [*params, *chunk]):
            by_document[row[0]].append(row)
        yield from by_document.values()
