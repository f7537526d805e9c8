"""Comparing two sets of spans over the same text: matches, scores and disagreements.

Pure functions over domain spans: used for model-vs-human evaluation and for agreement
between annotators alike.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import Counter, deque
from dataclasses import dataclass, field
from itertools import accumulate
from typing import Iterator, Sequence

from annotator.domain import Span

EXACT, OVERLAP = "exact", "overlap"
MISSED, SPURIOUS, WRONG_LABEL, WRONG_BOUNDARY = "missed", "spurious", "wrong label", "wrong boundary"
WRONG_VALUE = "wrong value"  # a number at the right place with the right label, read as another value


@dataclass
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, other: "Counts") -> None:
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
        return self.labels.setdefault(name, Counts())

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

    def __init__(self, spans: Sequence[Span]) -> None:
        self.spans = spans
        self.order = sorted(range(len(spans)), key=lambda i: spans[i].start)
        self.starts = [spans[i].start for i in self.order]
        self.reach = list(accumulate((spans[i].end for i in self.order), max))

    def overlapping(self, start: int, end: int) -> Iterator[int]:
        """Indices (into the spans given) of those that overlap ``[start, end)``."""
        i = bisect_left(self.starts, end) - 1
        while i >= 0 and self.reach[i] > start:
            j = self.order[i]
            if self.spans[j].end > start:
                yield j
            i -= 1


def _distance(a: Span, b: Span) -> int:
    return abs(a.start - b.start) + abs(a.end - b.end)


def _nearest(index: _ByStart, g: Span, taken: set[int], same_label_first: bool = False) -> int | None:
    """The unused span overlapping ``g`` nearest to it — of its label only, or with
    ``same_label_first`` of any label, its own first; ties go to the lowest index (the first in
    the caller's order)."""
    best, best_rank = None, None
    for i in index.overlapping(g.start, g.end):
        p = index.spans[i]
        if i in taken or (not same_label_first and p.label != g.label):
            continue
        rank = (p.label != g.label, _distance(p, g), i)
        if best_rank is None or rank < best_rank:
            best, best_rank = i, rank
    return best


def _pairs(gold: Sequence[Span], predicted: Sequence[Span], mode: str) -> list[tuple[Span, Span]]:
    """One-to-one matches of the same label, each gold span in turn taking the nearest unused
    predicted one: exact boundaries, or any overlap (nearest first; ties to the earlier one)."""
    pairs = []
    if mode == EXACT:
        queues: dict[tuple, deque[Span]] = {}
        for p in predicted:
            queues.setdefault((p.start, p.end, p.label), deque()).append(p)
        for g in gold:
            queue = queues.get((g.start, g.end, g.label))
            if queue:
                pairs.append((g, queue.popleft()))
        return pairs
    index, taken = _ByStart(predicted), set()
    for g in gold:
        best = _nearest(index, g, taken)
        if best is not None:
            taken.add(best)
            pairs.append((g, predicted[best]))
    return pairs


def score(gold: Sequence[Span], predicted: Sequence[Span], mode: str, into: Scores | None = None) -> Scores:
    scores = into or Scores()
    matched = Counter(g.label for g, _ in _pairs(gold, predicted, mode))
    for label, n in matched.items():
        scores.label(label).tp += n
    for label, n in Counter(g.label for g in gold).items():
        scores.label(label).fn += n - matched[label]
    for label, n in Counter(p.label for p in predicted).items():
        scores.label(label).fp += n - matched[label]
    return scores


def value_matches(gold: Sequence[Span], predicted: Sequence[Span]) -> tuple[int, int]:
    """Of the numbers found at the right place, how many carry the right value: (right, found)."""
    by_place = {(p.start, p.end): p for p in predicted}
    found = [(g, by_place[(g.start, g.end)]) for g in gold if (g.start, g.end) in by_place]
    return sum(1 for g, p in found if g.value == p.value), len(found)


@dataclass(frozen=True)
class Disagreement:
    kind: str
    gold: Span | None
    predicted: Span | None

    @property
    def start(self) -> int:
        return min(s.start for s in (self.gold, self.predicted) if s is not None)

    @property
    def end(self) -> int:
        return max(s.end for s in (self.gold, self.predicted) if s is not None)

    def describe(self, predicted_by: str = "model", gold_by: str = "human") -> str:
        show = lambda s: (f"“{s.text}” {s.label}" + ("" if s.value is None else f" = {s.value:g}")  # noqa: E731
                          if s else "nothing")
        return f"{self.kind}: {predicted_by} {show(self.predicted)} — {gold_by} {show(self.gold)}"


def disagreements(gold: Sequence[Span], predicted: Sequence[Span]) -> list[Disagreement]:
    """Every place where the two differ, named the way a reviewer thinks of it."""
    gold_keys, pred_keys = [s.key() for s in gold], [s.key() for s in predicted]
    exact = set(gold_keys) & set(pred_keys)
    rest_gold = [g for g, key in zip(gold, gold_keys) if key not in exact]
    rest_pred = [p for p, key in zip(predicted, pred_keys) if key not in exact]
    values = {key: p for p, key in zip(predicted, pred_keys) if key in exact}
    out = [Disagreement(WRONG_VALUE, g, values[key]) for g, key in zip(gold, gold_keys)
           if key in values and g.value != values[key].value]
    taken: set[int] = set()
    index = _ByStart(rest_pred)
    for g in rest_gold:
        i = _nearest(index, g, taken, same_label_first=True)
        if i is None:
            out.append(Disagreement(MISSED, g, None))
            continue
        p = rest_pred[i]
        taken.add(i)
        kind = WRONG_LABEL if (p.start, p.end) == (g.start, g.end) else WRONG_BOUNDARY if p.label == g.label \
            else f"{WRONG_LABEL} and boundary"
        out.append(Disagreement(kind, g, p))
    out += [Disagreement(SPURIOUS, None, p) for i, p in enumerate(rest_pred) if i not in taken]
    return sorted(out, key=lambda d: d.start)


def edit_counts(model: Sequence[Span], human: Sequence[Span]) -> Counter[str]:
    """What the person did to the model's suggestions: accepted, relabelled, resized, deleted,
    value corrected (numbers), and what they added by hand."""
    counts: Counter[str] = Counter()
    for d in disagreements(list(human), list(model)):
        counts[{MISSED: "added", SPURIOUS: "deleted", WRONG_BOUNDARY: "resized",
                WRONG_VALUE: "value corrected"}.get(d.kind, "relabelled")] += 1
    values = {s.key(): s.value for s in human}
    counts["accepted"] += sum(1 for s in model if s.key() in values and values[s.key()] == s.value)
    return counts
