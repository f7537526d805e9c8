"""How spans and times are stored: column order, row tuples, and the JSON kept in the history."""

from __future__ import annotations

import getpass
from collections.abc import Iterator, Sequence
from dataclasses import fields
from datetime import UTC, datetime
from operator import itemgetter
from typing import Any

from annotator.domain import ORIGIN_MODEL, Span
from annotator.storage.connection import Connection

_FIELDS = tuple(f.name for f in fields(Span))
SPAN_COLUMNS = ("layer", "start", "end", "label", "text", "value", "kind", "approx", "unit", "resolved")
SPAN_SELECT = ", ".join(f"[{c}]" for c in SPAN_COLUMNS)
SPAN_MARKS = ", ".join("?" * len(SPAN_COLUMNS))

# The rows a person's layer is made of; imports, copies and single edits all insert through it.
INSERT_ANNOTATION = (
    f"INSERT INTO annotations (id, doc_id, {SPAN_SELECT}, origin, confirmed, annotator, created, updated) "
    f"VALUES (?, ?, {SPAN_MARKS}, ?, ?, ?, ?, ?)"
)
# What the span counters count an INSERT_ANNOTATION row by: annotator, layer, label, origin.
COUNTED = itemgetter(14, 2, 5, 12)
# What a review reads of each span: after the document's id, these and then its origin.
REVIEW_COLUMNS = ("layer", "start", "end", "label", "text", "value", "resolved")
_REVIEW_CHUNK = 500  # documents a query
# Documents of an unfinished import are invisible to every read (see imports.py).
VISIBLE = "d.id NOT IN (SELECT doc_id FROM pending_docs)"


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds")


def sql_text(value: str) -> str:
    """A text as an SQL literal, for values shared by many rows of one statement (names, times)."""
    if "\x00" in value:
        raise ValueError(f"a name may not hold the NUL character: {value!r}")
    return "'" + value.replace("'", "''") + "'"


def default_annotator() -> str:
    try:
        return getpass.getuser() or "annotator"
    except Exception:  # no login name (some containers): still a usable name
        return "annotator"


def span_values(span: Span) -> tuple[Any, ...]:
    """A span's values in the order of ``SPAN_COLUMNS``."""
    return (span.layer, span.start, span.end, span.label, span.text, span.value, span.kind, int(span.approx),
            span.unit, span.resolved)


def annotation_row(doc_id: int, span: Span, annotator: str, stamp: str) -> tuple[Any, ...]:
    """The values of ``INSERT_ANNOTATION`` (the span's id kept if it has one: undo restores it)."""
    return (span.id, doc_id, *span_values(span), span.origin, int(span.confirmed), span.annotator or annotator,
            stamp, stamp)


def span_from_row(row: Sequence[Any]) -> Span:
    """From ``SELECT id, SPAN_SELECT, origin, confirmed, annotator``."""
    (span_id, layer, start, end, label, text, value, kind, approx, unit, resolved, origin, confirmed, annotator) = row
    return Span(start=start, end=end, label=label, text=text, layer=layer, value=value, kind=kind,
                approx=bool(approx), unit=unit, resolved=resolved, origin=origin, confirmed=bool(confirmed),
                annotator=annotator, id=span_id)


def prediction_from_row(row: Sequence[Any]) -> Span:
    """From ``SELECT id, SPAN_SELECT`` on predictions: the model's, never confirmed."""
    (span_id, layer, start, end, label, text, value, kind, approx, unit, resolved) = row
    return Span(start=start, end=end, label=label, text=text, layer=layer, value=value, kind=kind,
                approx=bool(approx), unit=unit, resolved=resolved, origin=ORIGIN_MODEL, confirmed=False,
                id=span_id)


def dump(span: Span) -> dict[str, Any]:
    """A span as the history keeps it (its fields are all plain values: no deep copy needed).
    By field, not ``vars``: an imported span holds only the fields that differ from the defaults."""
    return {name: getattr(span, name) for name in _FIELDS}


def load(data: dict[str, Any]) -> Span:
    return Span(**data)


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
