"""The annotation domain: documents, spans, labels and numbers.

Pure Python: no Qt, no SQLite, no spaCy. Offsets are character offsets into the stored text,
end exclusive (spaCy's convention), and every span carries its text so that
``text[start:end] == span.text`` can be checked wherever spans cross a boundary.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field, fields, replace
from enum import StrEnum
from itertools import pairwise
from typing import Any, Self, TypeVar


# The closed sets of words a span and a document are described with: each a StrEnum whose values
# are the strings stored in projects and files (a member equals its string, so code and data that
# hold the bare string keep working; the schema's CHECKs list the same values).
class Layer(StrEnum):
    """Which layer a span belongs to: named entities, or the numbers found in the text."""

    ENTITIES = "entities"
    NUMBERS = "numbers"


class Origin(StrEnum):
    """Where a span in a person's layer came from."""

    MODEL = "model"  # copied from the model's predictions, not yet edited
    HUMAN = "human"  # made or changed by a person
    IMPORT = "import"  # read from an annotated file
    LEARNED = "learned"  # suggested from the person's own decision on the same string (annotator.learning)


class Status(StrEnum):
    """How far a document's labelling is."""

    OPEN = "open"
    DONE = "done"
    SKIPPED = "skipped"


class NumberKind(StrEnum):
    """What a number span's value measures."""

    CARDINAL = "cardinal"
    ORDINAL = "ordinal"
    PERCENT = "percent"
    MONEY = "money"
    QUANTITY = "quantity"
    DURATION = "duration"


DATE = "DATE"  # the entity label whose spans carry the date they name (annotator.dates resolves it)


# The old names hold the members' plain strings: a string crosses into libraries that take only an
# exact str (spaCy's span groups, click's choices, which take an Enum's by name), and code that
# holds these meets no surprise there. New code may name the members; both compare equal.
ENTITIES, NUMBERS = Layer.ENTITIES.value, Layer.NUMBERS.value
LAYERS = tuple(layer.value for layer in Layer)

# Where a span in the human's layer came from.
ORIGIN_MODEL, ORIGIN_HUMAN, ORIGIN_IMPORT = Origin.MODEL.value, Origin.HUMAN.value, Origin.IMPORT.value

OPEN, DONE, SKIPPED = Status.OPEN.value, Status.DONE.value, Status.SKIPPED.value
STATUSES = tuple(status.value for status in Status)

NUMBER_KINDS = tuple(kind.value for kind in NumberKind)


class SpanError(ValueError):
    """A span that does not fit its document (out of range, empty, wrong text, overlapping)."""


@dataclass(frozen=True)
class Span:
    """A labelled stretch of a document's text, in one layer.

    Number spans also carry the parsed ``value``, its ``kind``, whether it is ``approx``
    (vague amounts such as "thousands" keep their lower bound) and the ``unit``: the noun
    the number counts ("drones", "casualties"). A DATE span may carry ``resolved``: the date it
    names as an ISO string (day ``2024-01-02``, month ``2024-01``, year ``2024``, interval
    ``2024-01-01/2024-01-31``) or ``unresolved``; None means not computed or not a date.

    A Span is new (from detection, a file, a key press): it has no id; what the store reads back
    is a :class:`StoredSpan`.
    """

    start: int
    end: int
    label: str
    text: str
    layer: str = ENTITIES
    value: float | None = None
    kind: str | None = None
    approx: bool = False
    unit: str | None = None
    resolved: str | None = None
    origin: str = ORIGIN_HUMAN
    confirmed: bool = True
    annotator: str | None = None

    @classmethod
    def of(cls, text: str, start: int, end: int, label: str, **values: Any) -> Self:
        """Make a span of ``text[start:end]``, checked against the text."""
        span = cls(start=start, end=end, label=label, text=text[start:end], **values)
        check_span(text, span)
        return span

    def key(self) -> tuple[str, int, int, str]:
        """Identity for comparisons across layers and databases: where and what."""
        return (self.layer, self.start, self.end, self.label)

    def overlaps(self, other: Span) -> bool:
        return self.start < other.end and other.start < self.end

    def with_(self, **changes: Any) -> Self:
        return replace(self, **changes)

    def stored_as(self, span_id: int) -> StoredSpan:
        """This span as the store holds it under ``span_id``."""
        return StoredSpan(**{name: getattr(self, name) for name in _SPAN_FIELDS}, id=span_id)

    def as_new(self) -> Span:
        """The span as a new one, to be stored apart from where it was read (another layer)."""
        return self


@dataclass(frozen=True, kw_only=True)
class StoredSpan(Span):
    """A span read from the store: a person's (``id`` the row of ``annotations``) or the model's
    (a row of ``predictions``, numbered apart). Edits, relations and undo name it by its id."""

    id: int

    def as_new(self) -> Span:
        return Span(**{name: getattr(self, name) for name in _SPAN_FIELDS})


_SPAN_FIELDS = tuple(f.name for f in fields(Span))
SpanT = TypeVar("SpanT", bound=Span)  # a Span or a StoredSpan, given back as it came


@dataclass(frozen=True)
class Label:
    name: str
    layer: str = ENTITIES
    colour: str = "#9e9e9e"
    key: str | None = None


# A plain entity read from a file: (start, end, label), its text ``text[start:end]``.
EntityRow = tuple[int, int, str]
# A relation read from a file: (head, child, label), head and child indices into the document's ``spans`` and,
# past them, its plain ``entities`` rows (index ``len(spans) + k`` is ``entities[k]``).
LinkRow = tuple[int, int, str]


@dataclass
class NewDocument:
    """A document read from a file, not yet stored: where it came from is kept for messages.

    Its spans are ``spans`` and ``entities``: the plain entities most annotated files hold (a
    place and a label, nothing else) may come as rows instead of Span objects, so that an import
    of 100,000s of them makes no object for each (that was a fifth of an annotated import's
    time). Stored, they are entities of origin import, as a Span of the same place would be.
    Document labels and relations come stored in the importing person's layer (``annotator``'s,
    when the file says who made them), of origin import; a relation's ends may be plain entity
    rows too (see ``LinkRow``): making them spans was a third of reading and storing a relation
    export's entities."""

    text: str
    meta: dict[str, Any] = field(default_factory=dict)
    spans: list[Span] = field(default_factory=list)
    status: str = OPEN
    source: str = ""
    line: int | None = None
    entities: list[EntityRow] = field(default_factory=list)
    categories: list[str] = field(default_factory=list)  # document labels (annotator.categories)
    links: list[LinkRow] = field(default_factory=list)  # relations between its spans (annotator.relations)
    annotator: str | None = None  # whose layer its spans, labels and relations are (a Prodigy task's); None: the importer's

    @property
    def title(self) -> str:
        return self.meta.get("title") or derive_title(self.text)

    def end(self, index: int) -> Span:
        """The span a relation's end names (a plain entity row made a span; for messages)."""
        if index < len(self.spans):
            return self.spans[index]
        start, end, label = self.entities[index - len(self.spans)]
        return Span(start, end, label, self.text[start:end], origin=ORIGIN_IMPORT)


@dataclass(frozen=True)
class Document:
    id: int
    text: str
    title: str
    meta: dict[str, Any]
    status: str
    hash: str
    created: str
    updated: str

    @property
    def date(self) -> str | None:
        return self.meta.get("date")


@dataclass(frozen=True)
class DocumentSummary:
    """What the document list shows: no text, so that long lists stay light."""

    id: int
    title: str
    date: str | None
    status: str
    span_count: int
    categories: tuple[str, ...] = ()  # the annotator's document labels of it


def content_hash(text: str) -> str:
    """Identity of a document's text, used to refuse duplicates and to match across databases."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def derive_title(text: str, limit: int = 120) -> str:
    """The first line, cut at its first sentence end, shortened to ``limit`` characters."""
    first = next((line.strip() for line in text.splitlines() if line.strip()), "")
    for stop in (". ", "? ", "! "):
        at = first.find(stop)
        if 0 < at < limit:
            first = first[: at + 1]
            break
    return first if len(first) <= limit else first[: limit - 1].rstrip() + "…"


def check_span(text: str, span: Span) -> None:
    """Refuse a span that does not sit on the text exactly."""
    if span.layer not in LAYERS:
        raise SpanError(f"unknown layer {span.layer!r} (expected one of {', '.join(LAYERS)})")
    if not span.label:
        raise SpanError(f"span {span.start}-{span.end} has no label")
    if not (0 <= span.start < span.end <= len(text)):
        raise SpanError(
            f"span {span.start}-{span.end} ({span.label}) is outside the text "
            f"of {len(text)} characters or empty"
        )
    if text[span.start : span.end] != span.text:
        raise SpanError(
            f"span {span.start}-{span.end} ({span.label}) says {span.text!r} "
            f"but the text there is {text[span.start:span.end]!r}"
        )
    if span.kind is not None and span.kind not in NUMBER_KINDS:
        raise SpanError(f"unknown number kind {span.kind!r} (expected one of {', '.join(NUMBER_KINDS)})")


def check_text(text: str) -> None:
    """What an article's text may hold: any character but NUL (U+0000), which no article holds
    and which makes other tools take a file for binary (brat's .txt, CoNLL). U+FEFF is a
    character like any other, kept everywhere (only a file's leading byte-order mark is not text)."""
    at = text.find("\x00")
    if at >= 0:
        raise SpanError(f"the text holds a NUL character (U+0000) at character {at}, which an article may not "
                        "(remove it from the file)")


def check_spans(text: str, spans: Iterable[Span], entities: Iterable[EntityRow] = ()) -> None:
    """Check every span and entity row, and that entities do not overlap one another (numbers may).

    The checks of :func:`check_span` are inlined (imports check 100,000s of spans); it is called
    only for a span that fails them, to say what is wrong."""
    size = len(text)
    places: list[EntityRow] = []
    for span in spans:
        if not (0 <= span.start < span.end <= size and text[span.start : span.end] == span.text and span.label
                and span.layer in LAYERS and (span.kind is None or span.kind in NUMBER_KINDS)):
            check_span(text, span)
        if span.layer == ENTITIES:
            places.append((span.start, span.end, span.label))
    for row in entities:
        start, end, label = row
        if not (0 <= start < end <= size and label):
            check_span(text, _entity(text, row))
        places.append(row)
    places.sort()
    for before, after in pairwise(places):
        if after[0] < before[1]:  # in order of start, the next one overlaps iff it starts too soon
            raise SpanError(overlap_message(_entity(text, after), _entity(text, before)))


def _entity(text: str, place: EntityRow) -> Span:
    start, end, label = place
    return Span(start, end, label, text[start:end])



def overlap_message(new: Span, old: Span) -> str:
    return (
        f"{new.text!r} ({new.label}, {new.start}-{new.end}) overlaps the entity "
        f"{old.text!r} ({old.label}, {old.start}-{old.end}); entities may not overlap"
    )
