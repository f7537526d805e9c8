"""Agreement between annotators: pairwise span F1 and Cohen's kappa over tokens, per label.

Tokens are the word/punctuation tokens of :mod:`annotator.tokens` (a regex, no spaCy); each
token takes the label of the span that covers it, or "O". Entities and numbers are separate
layers (a number may lie inside an entity), so each layer has its own token sequence and kappa;
a label's kappa is taken on its layer's sequence (that label against everything else).
"""

from __future__ import annotations

from bisect import bisect_left
from collections import Counter
from collections.abc import Hashable, Sequence
from dataclasses import dataclass, field
from itertools import combinations, repeat
from typing import Any, TypeVar

from annotator.domain import ENTITIES, LAYERS, NUMBERS
from annotator.review.links import LinkScores, compare_links, relation_rows
from annotator.review.metrics import EXACT, AnySpan, Disagreement, Scores, disagreements, rows, score
from annotator.storage import Store
from annotator.tokens import token_bounds

OUTSIDE = "O"


def token_labels(starts: Sequence[int], ends: Sequence[int], spans: Sequence[AnySpan]) -> dict[int, str]:
    """The label of each token some span covers whole (``starts`` and ``ends``: those of the
    text's tokens, :func:`~annotator.tokens.token_bounds`), by the token's number: that of the
    first span (in ``spans`` order) covering it; every other token is "O".

    Walks only the tokens inside each span (found by bisection), so a long article costs little.
    """
    labels: dict[int, str] = {}
    count = len(ends)
    for span in reversed(spans):  # earlier spans written last, so they win
        i, end, label = bisect_left(starts, span.start), span.end, span.label
        while i < count and ends[i] <= end:
            labels[i] = label
            i += 1
    return labels


def count_token_pairs(into: Counter[tuple[str, str]], size: int, first: dict[int, str], second: dict[int, str]) -> None:
    """Count how often each (first's label, second's label) pair occurs over ``size`` tokens into
    ``into``, from the labels of the tokens each covers (:func:`token_labels`): those neither
    covers are ("O", "O"). In C per token: this runs on every document and layer."""
    into.update(zip(first.values(), map(second.get, first, repeat(OUTSIDE))))
    only_second = second.keys() - first.keys()
    into.update(zip(repeat(OUTSIDE), map(second.__getitem__, only_second)))
    if size > len(first) + len(only_second):
        into[OUTSIDE, OUTSIDE] += size - len(first) - len(only_second)


def cohen_kappa(a: Sequence[Hashable], b: Sequence[Hashable]) -> float:
    """(observed - chance agreement) / (1 - chance agreement); 1.0 when both are constant and equal."""
    return _kappa(Counter(zip(a, b)))


Tag = TypeVar("Tag", bound=Hashable)  # what a token is labelled with


def _kappa(pairs: Counter[tuple[Tag, Tag]]) -> float:
    """Cohen's kappa from how often each (first's label, second's label) pair occurs."""
    n = sum(pairs.values())
    if n == 0:
        return 0.0
    ca: Counter[Tag] = Counter()
    cb: Counter[Tag] = Counter()
    for (x, y), count in pairs.items():
        ca[x] += count
        cb[y] += count
    observed = sum(count for (x, y), count in pairs.items() if x == y) / n
    chance = sum(ca[label] * cb[label] for label in ca) / (n * n)
    return 1.0 if chance == 1 else (observed - chance) / (1 - chance)


def _label_kappa(pairs: Counter[tuple[Tag, Tag]], label: Tag) -> float:
    """Kappa of one label against everything else, from the same pair counts (no pass over tokens)."""
    binary: Counter[tuple[bool, bool]] = Counter()
    for (x, y), count in pairs.items():
        binary[(x == label, y == label)] += count
    return _kappa(binary)


@dataclass
class PairAgreement:
    first: str
    second: str
    documents: int = 0
    spans: Scores = field(default_factory=Scores)
    kappa: float = 0.0  # over entity tokens
    numbers_kappa: float = 0.0  # over number tokens
    label_kappa: dict[str, float] = field(default_factory=dict)
    differences: list[tuple[int, Disagreement]] = field(default_factory=list)
    links: LinkScores = field(default_factory=LinkScores)  # document labels (F1, kappa) and relations (F1)

    def as_dict(self) -> dict[str, Any]:
        return {"annotators": [self.first, self.second], "documents": self.documents,
                "span_f1": round(self.spans.overall.f1, 4),
                "labels": {label: {"span_f1": round(c.f1, 4), "kappa": round(self.label_kappa.get(label, 0.0), 4)}
                           for label, c in sorted(self.spans.labels.items())},
                "kappa": round(self.kappa, 4), "numbers_kappa": round(self.numbers_kappa, 4),
                "differences": len(self.differences), **self.links.as_dict()}


def pair_agreement(store: Store, first: str, second: str) -> PairAgreement:
    """On the documents both people worked on: span F1 (first as reference; F1 is symmetric) and
    kappa. Their spans are read as rows, a few queries for all documents."""
    result = PairAgreement(first, second)
    pairs: dict[str, Counter[tuple[str, str]]] = {layer: Counter() for layer in LAYERS}
    # an untouched copy of the model's suggestions is nobody's judgement
    ids = [i for i in store.document_ids() if store.worked_on(i, first) and store.worked_on(i, second)]
    for doc_id, mine, theirs in zip(ids, rows(store.span_rows(ids, first)), rows(store.span_rows(ids, second))):
        starts, ends = token_bounds(store.document(doc_id).text)
        result.documents += 1
        score(mine, theirs, EXACT, result.spans)  # both layers at once: a match is in one layer
        found: list[tuple[int, Disagreement]] = []
        for layer in LAYERS:
            a = [s for s in mine if s.layer == layer]
            b = [s for s in theirs if s.layer == layer]
            count_token_pairs(pairs[layer], len(starts), token_labels(starts, ends, a), token_labels(starts, ends, b))
            found += [(doc_id, d) for d in disagreements(a, b)]
        result.differences += sorted(found, key=lambda item: item[1].start)
    result.kappa = _kappa(pairs[ENTITIES])
    result.numbers_kappa = _kappa(pairs[NUMBERS])
    for layer in LAYERS:
        for label in {x for pair in pairs[layer] for x in pair} - {OUTSIDE}:
            result.label_kappa[label] = _label_kappa(pairs[layer], label)
    result.links = link_agreement(store, ids, first, second)
    return result


def link_agreement(store: Store, ids: list[int], first: str, second: str) -> LinkScores:
    """Document labels (F1 and Cohen's kappa per label, over the documents) and relations (F1)
    of two people on the documents both worked on."""
    mine, theirs = list(store.categories.rows(ids, first)), list(store.categories.rows(ids, second))
    undirected = frozenset(label.name for label in store.relations.labels() if not label.directed)
    links = compare_links(mine, theirs, relation_rows(store.relations.rows(ids, first)),
                          relation_rows(store.relations.rows(ids, second)), undirected, either=True)
    if links.categories.labels:
        links.kappa = {label: cohen_kappa([label in a for a in mine], [label in b for b in theirs])
                       for label in links.categories.labels}
    return links


def agreement(store: Store) -> list[PairAgreement]:
    people = [a for a in store.annotators() if a != "final"]
    return [pair_agreement(store, a, b) for a, b in combinations(people, 2)]
