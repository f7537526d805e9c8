"""Comparing two sets of spans over the same text: matches, scores and disagreements.

Pure functions over domain spans: used for model-vs-human evaluation and for agreement
between annotators alike.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Sequence

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


def _pairs(gold: Sequence[Span], predicted: Sequence[Span], mode: str) -> list[tuple[Span, Span]]:
    """One-to-one matches of the same label: exact boundaries, or any overlap (nearest first)."""
    used: set[int] = set()
    pairs = []
    for g in gold:
        candidates = [
            (i, p) for i, p in enumerate(predicted)
            if i not in used and p.label == g.label
            and ((p.start, p.end) == (g.start, g.end) if mode == EXACT else p.overlaps(g))
        ]
        if candidates:
            i, p = min(candidates, key=lambda c: abs(c[1].start - g.start) + abs(c[1].end - g.end))
            used.add(i)
            pairs.append((g, p))
    return pairs


def score(gold: Sequence[Span], predicted: Sequence[Span], mode: str, into: Scores | None = None) -> Scores:
    scores = into or Scores()
    matched = _pairs(gold, predicted, mode)
    for g, _ in matched:
        scores.label(g.label).tp += 1
    matched_gold = Counter(g.label for g, _ in matched)
    for label, n in Counter(g.label for g in gold).items():
        scores.label(label).fn += n - matched_gold[label]
    for label, n in Counter(p.label for p in predicted).items():
        scores.label(label).fp += n - matched_gold[label]
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
    exact = {s.key() for s in gold} & {s.key() for s in predicted}
    rest_gold = [g for g in gold if g.key() not in exact]
    rest_pred = [p for p in predicted if p.key() not in exact]
    values = {p.key(): p for p in predicted if p.key() in exact}
    out = [Disagreement(WRONG_VALUE, g, values[g.key()]) for g in gold
           if g.key() in values and g.value != values[g.key()].value]
    taken: set[int] = set()
    for g in rest_gold:
        overlapping = [(i, p) for i, p in enumerate(rest_pred) if i not in taken and p.overlaps(g)]
        if not overlapping:
            out.append(Disagreement(MISSED, g, None))
            continue
        i, p = min(overlapping, key=lambda c: (c[1].label != g.label, abs(c[1].start - g.start) + abs(c[1].end - g.end)))
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
