"""What a model learns from: the done documents' spans in one person's (or the final) layer."""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass

from annotator.counts import counted_phrase
from annotator.domain import DONE, ENTITIES, NUMBERS, Span
from annotator.storage import Store

FINAL = "final"


@dataclass(frozen=True)
class Labelled:
    doc_id: int
    hash: str
    text: str
    spans: Sequence[Span]
    categories: frozenset[str] = frozenset()  # its document labels (none given: not learnt from for them)


def whose_layer(store: Store, final: bool) -> str:
    """The final layer, else this store's person if they annotated, else the only annotator."""
    if final:
        return FINAL
    present = [a for a in store.annotators() if a != FINAL]
    return store.annotator if store.annotator in present or len(present) != 1 else present[0]


def labelled_documents(store: Store, annotator: str) -> list[Labelled]:
    """The done documents that have a layer of ``annotator``'s, with that layer's spans (but the
    counted noun phrases: a link's ends, not entities to learn)."""
    out = []
    for doc_id in store.document_ids(DONE):
        if not store.has_layer(doc_id, annotator):
            continue
        doc = store.document(doc_id)
        spans = [s for s in store.layer(doc_id, annotator) if not counted_phrase(s)]
        out.append(Labelled(doc_id, doc.hash, doc.text, spans,
                            frozenset(c.label for c in store.categories.of(doc_id, annotator))))
    return out


def split(docs: Sequence[Labelled], dev: float, seed: int) -> tuple[list[Labelled], list[Labelled]]:
    """Shuffle with the seed and cut: (train, dev), at least one document in each."""
    if len(docs) < 2:
        raise ValueError(f"training needs at least 2 done documents with annotations; this project has {len(docs)}")
    if not 0 < dev < 1:
        raise ValueError("--dev takes the share of documents held out for scoring, between 0 and 1 (e.g. 0.2)")
    order = list(docs)
    random.Random(seed).shuffle(order)
    held = min(len(order) - 1, max(1, round(len(order) * dev)))
    return order[held:], order[:held]


def labels_of(docs: Sequence[Labelled], layer: str) -> list[str]:
    return sorted({s.label for d in docs for s in d.spans if s.layer == layer})


def label_summary(docs: Sequence[Labelled]) -> dict[str, list[str]]:
    return {ENTITIES: labels_of(docs, ENTITIES), NUMBERS: labels_of(docs, NUMBERS)}


def categories_of(docs: Sequence[Labelled]) -> list[str]:
    """The document labels the documents carry (what a text classifier learns)."""
    return sorted({label for d in docs for label in d.categories})
