"""Span matching by sorted sweep gives exactly the matches of the brute-force definition."""

from __future__ import annotations

from collections import Counter

from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.domain import NUMBERS, Span
from annotator.review.metrics import (
    EXACT,
    MISSED,
    OVERLAP,
    SPURIOUS,
    WRONG_BOUNDARY,
    WRONG_LABEL,
    WRONG_VALUE,
    Disagreement,
    Scores,
    _pairs,
    disagreements,
    score,
)

TEXT = "x" * 60


def distance(a: Span, b: Span) -> int:
    return abs(a.start - b.start) + abs(a.end - b.end)


def brute_pairs(gold: list[Span], predicted: list[Span], mode: str) -> list[tuple[Span, Span]]:
    """The definition: each gold span in turn takes the nearest unused predicted span of its label
    (exact boundaries, or any overlap); ties go to the earlier one. Quadratic."""
    used: set[int] = set()
    pairs = []
    for g in gold:
        candidates = [(i, p) for i, p in enumerate(predicted) if i not in used and p.label == g.label
                      and ((p.start, p.end) == (g.start, g.end) if mode == EXACT else p.overlaps(g))]
        if candidates:
            i, p = min(candidates, key=lambda c: distance(c[1], g))
            used.add(i)
            pairs.append((g, p))
    return pairs


def brute_disagreements(gold: list[Span], predicted: list[Span]) -> list[Disagreement]:
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
        i, p = min(overlapping, key=lambda c: (c[1].label != g.label, distance(c[1], g)))
        taken.add(i)
        kind = WRONG_LABEL if (p.start, p.end) == (g.start, g.end) else WRONG_BOUNDARY if p.label == g.label \
            else f"{WRONG_LABEL} and boundary"
        out.append(Disagreement(kind, g, p))
    out += [Disagreement(SPURIOUS, None, p) for i, p in enumerate(rest_pred) if i not in taken]
    return sorted(out, key=lambda d: d.start)


@st.composite
def span_sets(draw: st.DrawFn) -> list[Span]:
    """Spans anywhere in a short text — nested, overlapping, repeated — with few labels and values."""
    spans = []
    for _ in range(draw(st.integers(0, 25))):
        start = draw(st.integers(0, len(TEXT) - 1))
        end = draw(st.integers(start + 1, min(len(TEXT), start + draw(st.sampled_from([1, 3, 8, 30])))))
        spans.append(Span.of(TEXT, start, end, draw(st.sampled_from(["A", "B", "C"])),
                             value=draw(st.sampled_from([None, 1.0, 2.0]))))
    return spans


@settings(max_examples=400, deadline=None)
@given(span_sets(), span_sets(), st.sampled_from([EXACT, OVERLAP]))
def test_sweep_matches_the_brute_force_definition(gold: list[Span], predicted: list[Span], mode: str) -> None:
    same = lambda pairs: [(id(g), id(p)) for g, p in pairs]  # noqa: E731  (the very same spans, not equal ones)
    assert same(_pairs(gold, predicted, mode)) == same(brute_pairs(gold, predicted, mode))


@settings(max_examples=400, deadline=None)
@given(span_sets(), span_sets())
def test_disagreements_are_those_of_the_brute_force_definition(gold: list[Span], predicted: list[Span]) -> None:
    assert disagreements(gold, predicted) == brute_disagreements(gold, predicted)


def counts(scores: Scores) -> dict[str, tuple[int, int, int]]:
    return {label: (c.tp, c.fp, c.fn) for label, c in scores.labels.items()}


@settings(max_examples=400, deadline=None)
@given(span_sets(), span_sets(), st.integers(0, 3), st.integers(0, 3))
def test_exact_counts_are_those_of_the_brute_force_matches(gold: list[Span], predicted: list[Span], twice_gold: int,
                                                            twice_predicted: int) -> None:
    """score in exact mode counts what the brute-force matches count; the first few spans of
    each side may come twice."""
    gold, predicted = gold + gold[:twice_gold], predicted + predicted[:twice_predicted]
    matched = Counter(g.label for g, _ in brute_pairs(gold, predicted, EXACT))
    in_gold, in_predicted = Counter(g.label for g in gold), Counter(p.label for p in predicted)
    assert counts(score(gold, predicted, EXACT)) == {
        label: (matched[label], in_predicted[label] - matched[label], in_gold[label] - matched[label])
        for label in in_gold | in_predicted}


def test_an_exact_match_is_in_one_layer() -> None:
    """An entity and a number at the same place with the same label name are not a match."""
    entity = Span.of(TEXT, 0, 3, "X")
    assert counts(score([entity], [entity.with_(layer=NUMBERS)], EXACT)) == {"X": (0, 1, 1)}
