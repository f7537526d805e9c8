"""Scoring document labels and relations: a model against a person, or one person against another.

Pure functions over what a review reads from the store. A document's labels score per label:
true positive where both give it, false negative where only the gold does. A relation matches
when its label and both ends match: exactly (the ends at the same places), or overlapping (each
end overlaps the other's, one to one, nearest first). An undirected label's ends match either
way round.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from annotator.review.metrics import EXACT, OVERLAP, Scores

MODES = (EXACT, OVERLAP)


class RelationRow(NamedTuple):
    """A relation as a review reads it (:meth:`Relations.rows`, :meth:`Relations.prediction_rows`)."""

    doc_id: int
    label: str
    head_layer: str
    head_start: int
    head_end: int
    head_label: str
    child_layer: str
    child_start: int
    child_end: int
    child_label: str


def relation_rows(documents: Iterable[list[tuple[Any, ...]]]) -> Iterator[list[RelationRow]]:
    return ([RelationRow(*row) for row in found] for found in documents)


Place = tuple[int, int]


def _ends(row: RelationRow, undirected: frozenset[str]) -> tuple[Place, Place]:
    head, child = (row.head_start, row.head_end), (row.child_start, row.child_end)
    return (min(head, child), max(head, child)) if row.label in undirected else (head, child)


def _overlaps(a: Place, b: Place) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def _distance(a: tuple[Place, Place], b: tuple[Place, Place]) -> int:
    return sum(abs(x - y) for end_a, end_b in zip(a, b) for x, y in zip(end_a, end_b))


def score_relations(gold: Sequence[RelationRow], predicted: Sequence[RelationRow], into: dict[str, Scores],
                    undirected: frozenset[str] = frozenset()) -> None:
    """Count one document's relations ``into`` the scores of each mode it holds (exact, overlap)."""
    gold_keys = [(r.label, _ends(r, undirected)) for r in gold]
    predicted_keys = [(r.label, _ends(r, undirected)) for r in predicted]
    for mode, scores in into.items():
        matched: Counter[str] = Counter()
        if mode == EXACT:
            found = Counter(predicted_keys)
            for key, n in Counter(gold_keys).items():
                matched[key[0]] += min(n, found[key])
        else:
            taken: set[int] = set()
            for label, ends in gold_keys:
                candidates = [(_distance(ends, other), i) for i, (other_label, other) in enumerate(predicted_keys)
                              if i not in taken and other_label == label
                              and _overlaps(ends[0], other[0]) and _overlaps(ends[1], other[1])]
                if candidates:
                    taken.add(min(candidates)[1])
                    matched[label] += 1
        for label, n in Counter(label for label, _ in gold_keys).items():
            scores.label(label).fn += n - matched[label]
            scores.label(label).tp += matched[label]
        for label, n in Counter(label for label, _ in predicted_keys).items():
            scores.label(label).fp += n - matched[label]


def score_categories(gold: set[str], predicted: set[str], into: Scores) -> None:
    """Count one document's labels into ``into``."""
    for label in gold & predicted:
        into.label(label).tp += 1
    for label in gold - predicted:
        into.label(label).fn += 1
    for label in predicted - gold:
        into.label(label).fp += 1


@dataclass
class LinkScores:
    """Document labels and relations of one comparison, over its documents."""

    categories: Scores = field(default_factory=Scores)
    relations: dict[str, Scores] = field(default_factory=lambda: {mode: Scores() for mode in MODES})
    kappa: dict[str, float] = field(default_factory=dict)  # per document label (between people)
    category_documents: int = 0  # documents where the gold gives document labels
    relation_documents: int = 0  # documents where the gold holds relations

    def as_dict(self) -> dict[str, Any]:
        figures: dict[str, Any] = {}
        if self.categories.labels:
            figures["categories"] = {"documents": self.category_documents, **_scores(self.categories)}
            if self.kappa:
                figures["categories"]["kappa"] = {label: round(k, 4) for label, k in sorted(self.kappa.items())}
        if self.relations[EXACT].labels:
            figures["relations"] = {"documents": self.relation_documents,
                                    **{mode: _scores(scores) for mode, scores in self.relations.items()}}
        return figures


def _scores(scores: Scores) -> dict[str, Any]:
    return {"overall": scores.overall.as_dict(),
            "labels": {label: counts.as_dict() for label, counts in sorted(scores.labels.items())}}


def compare_links(gold_categories: Iterable[set[str]], predicted_categories: Iterable[set[str]],
                  gold_relations: Iterable[list[RelationRow]], predicted_relations: Iterable[list[RelationRow]],
                  undirected: frozenset[str] = frozenset(), either: bool = False) -> LinkScores:
    """Score document labels and relations document by document (the iterables run in step, one
    item per document). A kind the gold never gives on these documents is not scored at all (as
    a layer the gold does not annotate): the model's labels there are not counted as wrong.
    ``either``: scored when either side gives it (two people, neither of them the reference)."""
    result = LinkScores()
    given = (lambda pair: pair[0] or pair[1]) if either else (lambda pair: pair[0])
    category_pairs = list(zip(gold_categories, predicted_categories))
    if any(map(given, category_pairs)):
        for gold, predicted in category_pairs:
            result.category_documents += bool(gold)
            score_categories(gold, predicted, result.categories)
    relation_pairs = list(zip(gold_relations, predicted_relations))
    if any(map(given, relation_pairs)):
        for gold_rows, predicted_rows in relation_pairs:
            result.relation_documents += bool(gold_rows)
            score_relations(gold_rows, predicted_rows, result.relations, undirected)
    return result
