"""Comparing two sets of spans over the same text: matches, scores and disagreements.

Pure functions over spans: used for model-vs-human evaluation and for agreement between
annotators alike. They take domain Spans or the SpanRows a review reads from the store
(tuples with the fields the comparisons use, named as a Span's: made in a tenth of the time).
"""

from __future__ import annotations

from bisect import bisect_left
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import accumulate, repeat
from operator import attrgetter, eq, itemgetter
from typing import Any, NamedTuple

from annotator.domain import Span


class SpanRow(NamedTuple):
    """A span of a document as a review reads it (:meth:`Store.span_rows`, :meth:`Store.prediction_rows`)."""

    doc_id: int
    layer: str
    start: int
    end: int
    label: str
    text: str
    value: float | None
    resolved: str | None
    origin: str

    @classmethod
    def of(cls, doc_id: int, span: Span) -> SpanRow:
        return cls(doc_id, span.layer, span.start, span.end, span.label, span.text, span.value, span.resolved,
                   span.origin)

    def key(self) -> tuple[str, int, int, str]:
        """As :meth:`Span.key`: where and what."""
        return self[1:5]


AnySpan = Span | SpanRow


def rows(documents: Iterable[list[tuple[Any, ...]]]) -> Iterator[list[SpanRow]]:
    """Each document's rows as the store gives them, as SpanRows."""
    new = tuple.__new__
    return ([new(SpanRow, row) for row in found] for found in documents)

# Read in C over a whole list (map), for Spans and SpanRows alike: a call of Span.key per span was a tenth of a review.
KEY = attrgetter("layer", "start", "end", "label")
PLACE = attrgetter("start", "end", "label")
SPOT = attrgetter("start", "end")
VALUE = attrgetter("value")
LABEL = attrgetter("label")
RESOLVED = attrgetter("resolved")
START = attrgetter("start")
_MISSING = object()  # no span there

EXACT, OVERLAP = "exact", "overlap"
MISSED, SPURIOUS, WRONG_LABEL, WRONG_BOUNDARY = "missed", "spurious", "wrong label", "wrong boundary"
WRONG_VALUE = "wrong value"  # a number at the right place with the right label, read as another value


@dataclass
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, other: Counts) -> None:
        self.tp, self.fp, self.fn = self.tp + other.tp, self.fp + other.fp, self.fn + other.fn

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def as_dict(self) -> dict[str, float]:
        return {"tp": self.tp, "fp": self.fp, "fn": self.fn, "precision": round(self.precision, 4),
                "recall": round(self.recall, 4), "f1": round(self.f1, 4)}


@dataclass
class Scores:
    """Counts per label and over all labels, for one matching mode."""

    labels: dict[str, Counts] = field(default_factory=dict)

    def label(self, name: str) -> Counts:
        counts = self.labels.get(name)
        if counts is None:
            counts = self.labels[name] = Counts()
        return counts

    @property
    def overall(self) -> Counts:
        total = Counts()
        for counts in self.labels.values():
            total.add(counts)
        return total


class _ByStart:
    """Spans sorted by start, to find those overlapping a stretch without scanning them all.

    Walks back from the last span starting before the stretch ends and stops once no earlier
    span reaches into it (a running maximum of ends), so each lookup costs a bisection plus the
    spans near the stretch: a document's matching is O(n log n), not O(n²).
    """

    def __init__(self, spans: Sequence[AnySpan]) -> None:
        self.spans = spans
        starts = list(map(START, spans))
        self.order = sorted(range(len(spans)), key=starts.__getitem__)
        self.starts = [starts[i] for i in self.order]
        self.reach = list(accumulate((spans[i].end for i in self.order), max))


def _nearest(index: _ByStart, g: AnySpan, taken: set[int], same_label_first: bool = False) -> int | None:
    """The unused span overlapping ``g`` nearest to it — of its label only, or with
    ``same_label_first`` of any label, its own first; ties go to the lowest index (the first in
    the caller's order). The walk of :class:`_ByStart` is written out here: it runs for every
    span without a match at its very place."""
    start, end, label = g.start, g.end, g.label
    spans, order, reach = index.spans, index.order, index.reach
    best, best_rank = None, None
    i = bisect_left(index.starts, end) - 1
    while i >= 0 and reach[i] > start:
        j = order[i]
        i -= 1
        p = spans[j]
        if p.end <= start or j in taken:
            continue
        other_label = p.label != label
        if other_label and not same_label_first:
            continue
        rank = (other_label, abs(p.start - start) + abs(p.end - end), j)
        if best_rank is None or rank < best_rank:
            best, best_rank = j, rank
    return best


def _pairs(gold: Sequence[AnySpan], predicted: Sequence[AnySpan], mode: str) -> list[tuple[AnySpan, AnySpan]]:
    """One-to-one matches of the same label, each gold span in turn taking the nearest unused
    predicted one: exact boundaries, or any overlap (nearest first; ties to the earlier one).

    An unused predicted span at the very same place with the same label is the nearest there
    can be (ties: the earliest), so it is taken without a search; only the gold
    spans without one are looked up among the overlapping ones (most spans match exactly)."""
    places = list(map(PLACE, predicted))
    first = dict(zip(reversed(places), range(len(places) - 1, -1, -1)))  # the earliest at each place
    later: dict[int, int] = {}  # the next at the same place, if two are
    if len(first) < len(places):
        last: dict[tuple[int, int, str], int] = {}
        for i, place in enumerate(places):
            if place in last:
                later[last[place]] = i
            last[place] = i
    pairs: list[tuple[AnySpan, AnySpan]] = []
    taken: set[int] = set()
    index = None
    for g, place in zip(gold, map(PLACE, gold)):
        best = first.get(place)
        while best is not None and best in taken:  # taken by an earlier gold span
            best = later.get(best)
        if best is None:
            if mode == EXACT:
                continue
            index = index or _ByStart(predicted)
            best = _nearest(index, g, taken)
            if best is None:
                continue
        taken.add(best)
        pairs.append((g, predicted[best]))
    return pairs


def score(gold: Sequence[AnySpan], predicted: Sequence[AnySpan], mode: str, into: Scores | None = None) -> Scores:
    scores = into or Scores()
    score_modes(gold, predicted, {mode: scores})
    return scores


def score_modes(gold: Sequence[AnySpan], predicted: Sequence[AnySpan], into: dict[str, Scores]) -> None:
    """:func:`score` in each mode ``into`` holds (exact, overlap), counting each side's labels once."""
    in_gold, in_predicted = Counter(map(LABEL, gold)), Counter(map(LABEL, predicted))
    for mode, scores in into.items():
        if mode == EXACT:
            matched = _exact_matches(gold, predicted)
        else:
            matched = Counter([g.label for g, _ in _pairs(gold, predicted, mode)])
        for label, n in matched.items():
            scores.label(label).tp += n
        for label, n in in_gold.items():
            scores.label(label).fn += n - matched[label]
        for label, n in in_predicted.items():
            scores.label(label).fp += n - matched[label]


def _exact_matches(gold: Sequence[AnySpan], predicted: Sequence[AnySpan]) -> Counter[str]:
    """Labels of the exact matches: as many at a place (in a layer) as the fewer of the two have there."""
    gold_places, predicted_places = list(map(KEY, gold)), list(map(KEY, predicted))
    in_gold, in_predicted = set(gold_places), set(predicted_places)
    if len(in_gold) == len(gold_places) or len(in_predicted) == len(predicted_places):  # one side has each once
        return Counter(map(_LABEL_OF_KEY, in_gold & in_predicted))
    found = Counter(predicted_places)
    matched: Counter[str] = Counter()
    for place, n in Counter(gold_places).items():
        if place in found:
            matched[place[3]] += min(n, found[place])
    return matched


_LABEL_OF_KEY = itemgetter(3)


def value_matches(gold: Sequence[AnySpan], predicted: Sequence[AnySpan]) -> tuple[int, int]:
    """Of the numbers found at the right place, how many carry the right value: (right, found)."""
    by_place = dict(zip(map(SPOT, predicted), map(VALUE, predicted)))
    theirs = list(map(by_place.get, map(SPOT, gold), repeat(_MISSING)))  # in C: this runs on every document
    return sum(map(eq, map(VALUE, gold), theirs)), len(theirs) - theirs.count(_MISSING)


@dataclass(frozen=True)
class Disagreement:
    kind: str
    gold: AnySpan | None
    predicted: AnySpan | None

    @property
    def start(self) -> int:
        gold, predicted = self.gold, self.predicted  # (no generator: sorting calls this for every one)
        if gold is None or predicted is None:
            return self._either().start
        return min(gold.start, predicted.start)

    @property
    def end(self) -> int:
        gold, predicted = self.gold, self.predicted
        if gold is None or predicted is None:
            return self._either().end
        return max(gold.end, predicted.end)

    @property
    def layer(self) -> str:
        """The layer it is in: the gold's, else the prediction's."""
        return self._either().layer

    def _either(self) -> AnySpan:
        """The gold span, else the predicted one (the one span of something missed or extra)."""
        span = self.gold or self.predicted
        if span is None:
            raise ValueError("a disagreement has at least one span")
        return span

    def describe(self, predicted_by: str = "model", gold_by: str = "human") -> str:
        return f"{self.kind}: {predicted_by} {_show(self.predicted)} — {gold_by} {_show(self.gold)}"


def _show(span: AnySpan | None) -> str:
    if span is None:
        return "nothing"
    return f"“{span.text}” {span.label}" + ("" if span.value is None else f" = {span.value:g}")


def disagreements(gold: Sequence[AnySpan], predicted: Sequence[AnySpan]) -> list[Disagreement]:
    """Every place where the two differ, named the way a reviewer thinks of it."""
    gold_keys, pred_keys = list(map(KEY, gold)), list(map(KEY, predicted))
    same_place = dict(zip(pred_keys, predicted))  # the last at each place and label
    rest_gold: list[AnySpan] = []
    out = []
    for g, key in zip(gold, gold_keys):
        p = same_place.get(key)
        if p is None:
            rest_gold.append(g)
        elif g.value != p.value:
            out.append(Disagreement(WRONG_VALUE, g, p))
    in_gold = set(gold_keys)
    rest_pred = [p for p, key in zip(predicted, pred_keys) if key not in in_gold]
    taken: set[int] = set()
    index = _ByStart(rest_pred) if rest_gold and rest_pred else None
    for g in rest_gold:
        i = _nearest(index, g, taken, same_label_first=True) if index else None
        if i is None:
            out.append(Disagreement(MISSED, g, None))
            continue
        p = rest_pred[i]
        taken.add(i)
        kind = WRONG_LABEL if (p.start, p.end) == (g.start, g.end) else WRONG_BOUNDARY if p.label == g.label \
            else f"{WRONG_LABEL} and boundary"
        out.append(Disagreement(kind, g, p))
    out += [Disagreement(SPURIOUS, None, p) for i, p in enumerate(rest_pred) if i not in taken]
    return sorted(out, key=START)


def edit_counts(model: Sequence[AnySpan], human: Sequence[AnySpan],
                found: Sequence[Disagreement] | None = None) -> Counter[str]:
    """What the person did to the model's suggestions: accepted, relabelled, resized, deleted,
    value corrected (numbers), and what they added by hand. ``found``: the two's disagreements,
    ``disagreements(human, model)``, if the caller has them already."""
    counts: Counter[str] = Counter()
    for d in disagreements(list(human), list(model)) if found is None else found:
        counts[{MISSED: "added", SPURIOUS: "deleted", WRONG_BOUNDARY: "resized",
                WRONG_VALUE: "value corrected"}.get(d.kind, "relabelled")] += 1
    values = dict(zip(map(KEY, human), map(VALUE, human)))
    counts["accepted"] += sum(map(eq, map(values.get, map(KEY, model), repeat(_MISSING)), map(VALUE, model)))
    return counts
