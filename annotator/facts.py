"""The facts table: one row per number, with what it counts, where and when. Pure Python.

What a reviewed project says, as a table an analyst can sort, chart and check: each number's
value and kind, the thing it counts (its COUNTS link's other end: text and label), the place and
the date of its sentence, the document and the offsets. Place and date come from links first
(a LOCATED_IN from the number or from what it counts; a DATE linked to either), else from the
sentence: the GPE/LOC and the DATE nearest the number in it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from annotator.domain import DATE, ENTITIES, NUMBERS, Span
from annotator.relations import Link

PLACE_LABELS = ("GPE", "LOC")
DATE_LABELS = (DATE,)
COLUMNS = ("doc_id", "title", "start", "end", "number", "value", "kind", "approx", "label", "counts", "counts_label",
           "place", "date", "date_resolved", "sentence_start", "sentence_end", "document_labels")


@dataclass(frozen=True)
class Fact:
    number: Span
    counts: Span | None
    place: Span | None
    date: Span | None
    sentence: tuple[int, int]


def facts(spans: Sequence[Span], links: Iterable[Link], sentences: Sequence[tuple[int, int]]) -> list[Fact]:
    """One fact per number span, in text order; ``sentences`` are (start, end) in characters."""
    links = list(links)
    entities = [s for s in spans if s.layer == ENTITIES]
    found = []
    for number in sorted((s for s in spans if s.layer == NUMBERS), key=lambda s: (s.start, s.end)):
        sentence = next(((a, b) for a, b in sentences if a <= number.start < b), (number.start, number.end))
        counts = next((link.child for link in links if link.label == "COUNTS" and link.head.key() == number.key()), None)
        ends = {number.key()} | ({counts.key()} if counts else set())
        linked = [link.child for link in links if link.head.key() in ends] + [
            link.head for link in links if link.child.key() in ends]
        found.append(Fact(number, counts, _nearest(number, sentence, entities, linked, PLACE_LABELS),
                          _nearest(number, sentence, entities, linked, DATE_LABELS), sentence))
    return found


def _nearest(number: Span, sentence: tuple[int, int], entities: Sequence[Span], linked: Sequence[Span],
             labels: tuple[str, ...]) -> Span | None:
    """A linked span of these labels, else the one of its sentence nearest the number."""
    chosen = [s for s in linked if s.label in labels]
    if chosen:
        return chosen[0]
    inside = [s for s in entities if s.label in labels and sentence[0] <= s.start and s.end <= sentence[1]]
    return min(inside, key=lambda s: (abs(s.start - number.start), s.start), default=None)


def row(doc_id: int, title: str, fact: Fact, categories: Sequence[str]) -> tuple[object, ...]:
    """A fact as a row of :data:`COLUMNS`."""
    n, counts, place, date = fact.number, fact.counts, fact.place, fact.date
    return (doc_id, title, n.start, n.end, n.text, n.value, n.kind, n.approx, n.label, counts.text if counts else "",
            counts.label if counts else "", place.text if place else "", date.text if date else "",
            (date.resolved or "") if date else "", *fact.sentence, "; ".join(categories))
