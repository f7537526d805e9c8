"""Span records of annotated files, both ways: into checked spans (with the line at fault) and
out of our spans (numbers with their values, documents with their meta)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from annotator.answers import ANSWERS, answers
from annotator.domain import ENTITIES, NUMBER_KINDS, NUMBERS, ORIGIN_IMPORT, STATUSES, Document, EntityRow, Span
from annotator.formats import InputError
from annotator.formats.offsets import CODEPOINTS, Converter, Reading, hint

# Keys our own exports add to meta; they describe the exporting project, not the article.
BOOKKEEPING = ("doc_id", "status", "numbers", "resolved")
ANSWER_STATUS = {"accept": "done", "reject": "skipped", "ignore": "skipped"}
MAX_LABEL = 100  # characters in a label's name a file may bring (a longer one is a column mixed up, or hostile)


_new, _set = object.__new__, object.__setattr__


def entity_row(text: str, start: Any, end: Any, label: Any, record: dict[str, Any] | None = None) -> EntityRow | None:
    """The common case, in one condition: a plain entity (whole-number offsets that fit the text,
    a label, no resolved date, the record's text if it gives one the text there) as a row; None
    for anything else, which :func:`span_from` makes or explains."""
    if (type(start) is int and type(end) is int and type(label) is str and 0 <= start < end <= len(text)
            and label.strip() and len(label) <= MAX_LABEL
            and (not record or (record.get("text", text[start:end]) == text[start:end] and "resolved" not in record))):
        return start, end, label
    return None


@dataclass
class Found:
    """A record's spans as a reader finds them: plain entities as rows (``NewDocument.entities``),
    the rest (numbers, dates, anything to refuse) through :func:`span_from`. Offsets are read in
    the unit of ``reading`` (see :meth:`use`); for code points (most texts) that costs nothing."""

    path: Path
    line: int | str | None
    text: str
    entities: list[EntityRow] = field(default_factory=list)
    spans: list[Span] = field(default_factory=list)
    reading: Reading | None = None
    conv: Converter | None = None

    def use(self, reading: Reading) -> Found:
        """Read the next offsets in ``reading``'s unit."""
        if reading is not self.reading:
            self.reading, self.conv = reading, reading.converter(self.text)
        return self

    def add(self, start: Any, end: Any, label: Any, record: dict[str, Any] | None = None) -> None:
        row = entity_row(self.text, start, end, label, record) if self.conv is None else None
        if row is not None:
            self.entities.append(row)
        else:
            self.spans.append(span_in(self, start, end, label, ENTITIES, record))


def entity_in(found: Found, start: Any, end: Any, label: Any) -> Span:
    """:func:`span_in` of an entity, a plain one (most) made at once: a relation's end read again."""
    if found.conv is None and entity_row(found.text, start, end, label) is not None:
        return plain_entity(found.text, start, end, label)
    return span_in(found, start, end, label)


def plain_entity(text: str, start: int, end: int, label: str) -> Span:
    """A plain entity (see :func:`entity_row`) made without the frozen dataclass's per-field
    ``__init__``: only its start, end, label, text and origin are set, and the other fields read
    their defaults from the class. Set one by one, not through ``__dict__``, the span keeps
    Python's compact attribute storage: less memory, and faster reads of its fields."""
    span = _new(Span)
    _set(span, "start", start)
    _set(span, "end", end)
    _set(span, "label", label)
    _set(span, "text", text[start:end])
    _set(span, "origin", ORIGIN_IMPORT)
    return span


def span_in(found: Found, start: Any, end: Any, label: Any, layer: str = ENTITIES,
            record: dict[str, Any] | None = None) -> Span:
    """:func:`span_from` for offsets in ``found``'s unit; a span that does not fit, but would in
    another unit, is refused with the unit that fits and the flag that takes it."""
    said = record.get("text") if record and isinstance(record.get("text"), str) else None
    unit = found.reading.unit if found.reading else CODEPOINTS
    a, b = found.reading.to_chars(found.conv, found.text, start, end, said, "span", found.line
                                  ) if found.reading else (start, end)
    try:
        return span_from(found.path, found.line, found.text, a, b, label, layer, record)
    except InputError as err:
        more = hint(found.text, start, end, said, unit) if said is not None or "outside the text" in err.reason else ""
        if not more:
            raise
        raise InputError(found.path, err.reason + more, found.line) from None


def span_from(path: Path, line: int | str | None, text: str, start: Any, end: Any, label: Any,
              layer: str = ENTITIES, record: dict[str, Any] | None = None) -> Span:
    """A span of the text from a record's offsets; refuses what does not fit the text.

    The common case (see :func:`entity_row`) is made at once (:func:`plain_entity`)."""
    if layer == ENTITIES and entity_row(text, start, end, label, record) is not None:
        return plain_entity(text, start, end, label)
    if not all(isinstance(v, int) and not isinstance(v, bool) for v in (start, end)):
        raise InputError(path, f"span offsets must be whole numbers, found {start!r} and {end!r}", line)
    if isinstance(label, (int, float)) and not isinstance(label, bool):
        raise InputError(path, f"span {start}-{end} has the label {label!r}: a label must be text", line)
    if not isinstance(label, str) or not label.strip():
        raise InputError(path, f"span {start}-{end} has no label", line)
    if len(label) > MAX_LABEL:
        raise InputError(path, f"span {start}-{end} has a label of {len(label):,} characters ({label[:20]!r}…); a "
                               f"label has at most {MAX_LABEL}", line)
    if start == end and 0 <= start <= len(text):
        raise InputError(path, f"span {start}-{end} ({label}) is empty (start and end are the same)", line)
    if not 0 <= start < end <= len(text):
        raise InputError(path, f"span {start}-{end} ({label}) is outside the text of {len(text)} characters", line)
    record = record or {}
    if isinstance(record.get("text"), str) and record["text"] != text[start:end]:
        raise InputError(path, f"span {start}-{end} ({label}) says {record['text']!r} but the text there is "
                               f"{text[start:end]!r}", line)
    fields: dict[str, Any] = {}
    if layer == NUMBERS:
        value = record.get("value")
        if value is not None and not isinstance(value, (int, float)):
            raise InputError(path, f"number {start}-{end} has a value that is not a number: {value!r}", line)
        kind = record.get("kind")
        if kind is not None and kind not in NUMBER_KINDS:
            raise InputError(path, f"number {start}-{end} has an unknown kind {kind!r}", line)
        fields = {"value": None if value is None else float(value), "kind": kind,
                  "approx": bool(record.get("approx", False)), "unit": record.get("unit")}
    resolved = record.get("resolved")
    if resolved is not None:
        if not isinstance(resolved, str):
            raise InputError(path, f"span {start}-{end} has a resolved date that is not text: {resolved!r}", line)
        fields["resolved"] = resolved
    return Span(start, end, label, text[start:end], layer=layer, origin=ORIGIN_IMPORT, **fields)


def numbers_from(found: Found, records: Any) -> list[Span]:
    if records is None:
        return []
    if not isinstance(records, list) or not all(isinstance(r, dict) for r in records):
        raise InputError(found.path, '"numbers" must be a list of objects', found.line)
    return [span_in(found, r.get("start"), r.get("end"), r.get("label", "NUMBER"), NUMBERS, r) for r in records]


def person(path: Path, line: int | str | None, who: Any, what: str) -> str | None:
    """The name of whoever a file says made an answer (``what`` names the field, for the message):
    their spans, labels and relations go to that person's layer."""
    if who is None:
        return None
    if not isinstance(who, (str, int)) or isinstance(who, bool) or not str(who).strip() or len(str(who)) > MAX_LABEL:
        raise InputError(path, f"{what} must be a name of at most {MAX_LABEL} characters, not {str(who)[:40]!r}", line)
    return str(who)


def status_and_meta(meta: dict[str, Any], answer: Any = None) -> tuple[str, dict[str, Any]]:
    """The document status a file records (our meta, or Prodigy's answer) and the cleaned meta."""
    status = str(meta["status"]) if meta.get("status") in STATUSES else ANSWER_STATUS.get(answer, "open")
    return status, {k: v for k, v in meta.items() if k not in BOOKKEEPING}


def number_record(span: Span, at: Callable[[int], int] = int) -> dict[str, Any]:
    """A number as our formats write it, its offsets in the writer's unit (``at``)."""
    return {"start": at(span.start), "end": at(span.end), "text": span.text, "label": span.label, "value": span.value,
            "approx": span.approx, "kind": span.kind, "unit": span.unit, **resolved_of(span)}


def resolved_of(span: Span) -> dict[str, str]:
    """``{"resolved": ...}`` for a span whose date is resolved, else nothing (formats stay lean)."""
    return {"resolved": span.resolved} if span.resolved is not None else {}


def meta_of(doc: Document) -> dict[str, Any]:
    """What an export says about a document besides its text and spans."""
    ours = bool(answers(doc.meta))  # other people's answers go out with their own layers
    meta = {key: value for key, value in doc.meta.items() if key != ANSWERS or not ours}
    return {**meta, "doc_id": doc.id, "title": doc.title, "status": doc.status}
