"""A person's decisions on strings turned into suggestions: pure, so that the window, detection
and the benchmark all apply them the same way.

A decision is the label a person gave a string in a document, or its rejection (they removed the
model's suggestion of it). Decisions on one string that agree are applied to its occurrences
elsewhere as suggestions of origin ``learned`` (unconfirmed, accepted with the usual keys); a
string labelled two ways is a conflict, and its occurrences keep the model's suggestions. Only
suggestions are ever replaced: a span the person made or confirmed is theirs. An occurrence
inside a longer suggested entity ("Kyiv" in "Kyiv Oblast") is left to the longer one.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Generic

from annotator.domain import ENTITIES, ORIGIN_MODEL, Origin, Span, SpanT, StoredSpan
from annotator.learning.strings import Finder, Target, occurrences
from annotator.learning.strings import key as key_of

ORIGIN_LEARNED = Origin.LEARNED.value  # a suggestion made from the person's own decision on the same string
SUGGESTED = (ORIGIN_MODEL, ORIGIN_LEARNED)
REJECTED = ""  # the label of a decision that a string is no entity


@dataclass(frozen=True)
class Decision:
    """What a person decided about a string (``label`` REJECTED: not an entity)."""

    key: str
    label: str
    shape: str

    @property
    def target(self) -> Target:
        return Target(self.key, self.shape)


Decisions = Mapping[str, Decision]  # by key: only the agreed ones


def is_suggestion(span: Span) -> bool:
    return not span.confirmed and span.origin in SUGGESTED


def _learned(text: str, start: int, end: int, label: str) -> Span:
    return Span(start, end, label, text[start:end], origin=ORIGIN_LEARNED, confirmed=False)


def _decide(text: str, spans: Sequence[SpanT], start: int, end: int, decision: Decision) -> tuple[list[SpanT], Span | None]:
    """At one occurrence: the suggestions to remove and the one to add (nothing if the person's own
    span or a longer suggestion is there, or the suggestion there already says it)."""
    there = [s for s in spans if s.layer == ENTITIES and s.start < end and start < s.end]
    if any(not is_suggestion(s) or (s.start <= start and end <= s.end and (s.start, s.end) != (start, end))
           for s in there):
        return [], None
    if decision.label != REJECTED and [(s.start, s.end, s.label) for s in there] == [(start, end, decision.label)]:
        return [], None
    return there, (_learned(text, start, end, decision.label) if decision.label != REJECTED else None)


class Learned:
    """The agreed decisions, ready to apply to many documents (their strings indexed once)."""

    def __init__(self, decisions: Decisions) -> None:
        self.decisions = decisions
        # A rejected string ("the UN") is applied first, leaving room for a name inside it ("UN").
        self.finders = [Finder(d.target for d in decisions.values() if d.label == REJECTED),
                        Finder(d.target for d in decisions.values() if d.label != REJECTED)]

    def __bool__(self) -> bool:
        return bool(self.decisions)


def suggestions(text: str, predictions: Sequence[Span], learned: Learned) -> list[Span]:
    """The suggestions of a document nobody has edited: the model's, with every occurrence of a
    decided string given the decision."""
    spans = list(predictions)
    for finder in learned.finders:
        for start, end, target in list(finder(text)):
            removed, added = _decide(text, _near(spans, start, end), start, end, learned.decisions[target.key])
            if removed or added:
                gone = {id(r) for r in removed}
                spans = [s for s in spans if id(s) not in gone] + ([added] if added else [])
    return sorted(spans, key=lambda s: (s.start, s.end, s.layer))


def propagate(text: str, layer: Sequence[StoredSpan], predictions: Callable[[], Sequence[StoredSpan]], key: str,
              decision: Decision | None) -> tuple[list[StoredSpan], list[Span]]:
    """A new decision on ``key`` (None: it has none now, or a conflict) applied to an open document:
    the suggestions to remove and those to add. Without a decision, the suggestions learned for the
    string fall back to the model's (``predictions``, read only then)."""
    spans, removed, added = list(layer), [], []
    if decision is None:
        for span in spans:
            if span.origin == ORIGIN_LEARNED and not span.confirmed and key_of(span.text) == key:
                removed.append(span)
        dropped = {id(r) for r in removed}
        spans = [s for s in spans if id(s) not in dropped]
        for model in predictions() if removed else ():
            if any(r.overlaps(model) for r in removed) and not any(s.overlaps(model) for s in spans if s.layer == ENTITIES):
                added.append(model.as_new())
                spans.append(model)
        return removed, added
    entities = _Entities(spans)
    for start, end, _ in list(occurrences(text, [decision.target])):
        gone, new = _decide(text, entities.near(start, end), start, end, decision)
        removed += gone
        if new is not None:
            added.append(new)
    return removed, added


def _near(spans: Sequence[Span], start: int, end: int) -> list[Span]:
    """The spans overlapping start-end (in a layer of hundreds: only these are looked at)."""
    return [s for s in spans if s.start < end and start < s.end]


class _Entities(Generic[SpanT]):
    """A layer's entities by place (they never overlap one another): which overlap a stretch, by bisection."""

    def __init__(self, spans: Iterable[SpanT]) -> None:
        self.spans = sorted((s for s in spans if s.layer == ENTITIES), key=lambda s: s.start)
        self.starts = [s.start for s in self.spans]

    def near(self, start: int, end: int) -> list[SpanT]:
        at = bisect_left(self.starts, end)
        found = []
        while at > 0 and self.spans[at - 1].end > start:
            at -= 1
            found.append(self.spans[at])
        return found[::-1]


def refreshed(text: str, layer: Sequence[StoredSpan], predictions: Sequence[Span],
              learned: Learned) -> tuple[list[StoredSpan], list[Span]]:
    """An untouched document's suggestions brought up to date with the decisions: (remove, add)."""
    wanted = suggestions(text, predictions, learned)
    have = {_place(s) for s in layer}
    want = {_place(s) for s in wanted}
    return [s for s in layer if _place(s) not in want], [s.as_new() for s in wanted if _place(s) not in have]


def _place(span: Span) -> tuple[object, ...]:
    return (*span.key(), span.origin, span.value, span.kind, span.resolved)


def agreed(rows: Iterable[tuple[str, str, str]]) -> tuple[dict[str, Decision], dict[str, set[str]]]:
    """From (key, label, shape) rows, one per document: the agreed decisions, and the conflicts
    (key → the labels it was given, REJECTED among them for a rejection)."""
    labels: dict[str, set[str]] = {}
    shapes: dict[str, str] = {}
    for key, label, shape in rows:
        labels.setdefault(key, set()).add(label)
        shapes[key] = shape
    decided = {k: Decision(k, next(iter(v)), shapes[k]) for k, v in labels.items() if len(v) == 1}
    return decided, {k: v for k, v in labels.items() if len(v) > 1}
