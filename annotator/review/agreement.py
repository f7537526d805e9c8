"""Agreement between annotators: pairwise span F1 and Cohen's kappa over tokens, per label.

Tokens are the word/punctuation tokens of :mod:`annotator.tokens` (a regex, no spaCy); each
token takes the label of the span that covers it, or "O". Entities and numbers are separate
layers (a number may lie inside an entity), so each layer has its own token sequence and kappa;
a label's kappa is taken on its layer's sequence (that label against everything else).
"""

from __future__ import annotations

from bisect import bisect_left
from collections import Counter
from dataclasses import dataclass, field
from itertools import combinations
from typing import Hashable, Sequence

from annotator.domain import ENTITIES, LAYERS, NUMBERS, Span
from annotator.review.metrics import EXACT, Disagreement, Scores, disagreements, score
from annotator.storage import Store
from annotator.tokens import tokens

OUTSIDE = "O"


def token_labels(text: str, spans: Sequence[Span]) -> list[str]:
    """Each token's label: that of the first span (in ``spans`` order) covering it whole, else "O".

    Walks only the tokens inside each span (found by bisection), so a long article costs little.
    """
    found = tokens(text)
    starts = [start for start, _ in found]
    labels = [OUTSIDE] * len(found)
    for span in reversed(spans):  # earlier spans written last, so they win
        i = bisect_left(starts, span.start)
        while i < len(found) and found[i][1] <= span.end:
            labels[i] = span.label
            i += 1
    return labels


def cohen_kappa(a: Sequence[Hashable], b: Sequence[Hashable]) -> float:
    """(observed - chance agreement) / (1 - chance agreement); 1.0 when both are constant and equal."""
    n = len(a)
    if n == 0:
        return 0.0
    observed = sum(x == y for x, y in zip(a, b)) / n
    ca, cb = Counter(a), Counter(b)
    chance = sum(ca[label] * cb[label] for label in ca) / (n * n)
    return 1.0 if chance == 1 else (observed - chance) / (1 - chance)


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

    def as_dict(self) -> dict:
        return {"annotators": [self.first, self.second], "documents": self.documents,
                "span_f1": round(self.spans.overall.f1, 4),
                "labels": {label: {"span_f1": round(c.f1, 4), "kappa": round(self.label_kappa.get(label, 0.0), 4)}
                           for label, c in sorted(self.spans.labels.items())},
                "kappa": round(self.kappa, 4), "numbers_kappa": round(self.numbers_kappa, 4),
                "differences": len(self.differences)}


def pair_agreement(store: Store, first: str, second: str) -> PairAgreement:
    """On the documents both people worked on: span F1 (first as reference; F1 is symmetric) and kappa."""
    result = PairAgreement(first, second)
    tokens_a: dict[str, list[str]] = {layer: [] for layer in LAYERS}
    tokens_b: dict[str, list[str]] = {layer: [] for layer in LAYERS}
    for doc_id in store.document_ids():
        if not (store.worked_on(doc_id, first) and store.worked_on(doc_id, second)):
            continue  # an untouched copy of the model's suggestions is nobody's judgement
        text = store.document(doc_id).text
        result.documents += 1
        found: list[tuple[int, Disagreement]] = []
        for layer in LAYERS:
            a = store.spans(doc_id, layer, first)
            b = store.spans(doc_id, layer, second)
            score(a, b, EXACT, result.spans)
            tokens_a[layer] += token_labels(text, a)
            tokens_b[layer] += token_labels(text, b)
            found += [(doc_id, d) for d in disagreements(a, b)]
        result.differences += sorted(found, key=lambda item: item[1].start)
    result.kappa = cohen_kappa(tokens_a[ENTITIES], tokens_b[ENTITIES])
    result.numbers_kappa = cohen_kappa(tokens_a[NUMBERS], tokens_b[NUMBERS])
    for layer in LAYERS:
        a, b = tokens_a[layer], tokens_b[layer]
        for label in (set(a) | set(b)) - {OUTSIDE}:
            result.label_kappa[label] = cohen_kappa([x == label for x in a], [y == label for y in b])
    return result


def agreement(store: Store) -> list[PairAgreement]:
    people = [a for a in store.annotators() if a != "final"]
    return [pair_agreement(store, a, b) for a, b in combinations(people, 2)]
