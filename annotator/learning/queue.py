"""Which unreviewed document comes next: in the list's order (the default), or — the project's
setting ``queue_order`` "disagreement" — first the open documents on which a newly trained model
and the one it replaced disagree most, where a person's look teaches the next model most, or —
"uncertainty" — first those whose suggestions the model is least sure of (the expected number a
person will change, measured at detection: annotator.detect.uncertainty, kept by
``store.uncertainty``; detection measures it while the project follows this order).

The disagreement of a document is 1 − F1 of the two models' entity suggestions (exact spans and
labels; 0 when both suggest the same, or nothing). It is measured when a background retraining
switches models (annotator.train.retrain), as the open documents are detected again, and kept in
the project beside its settings: only documents with some disagreement are kept.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence

from annotator.domain import ENTITIES, OPEN, Span
from annotator.storage import Store

ORDER = "queue_order"  # project setting: None (the list's order), DISAGREEMENT or UNCERTAINTY
DISAGREEMENT = "disagreement"
UNCERTAINTY = "uncertainty"
SCORES = "queue_disagreement"  # project setting: {doc_id: disagreement} as JSON


def disagreement(before: Sequence[Span], after: Sequence[Span]) -> float:
    """1 − F1 of two models' entity suggestions of a document, by exact span and label."""
    old = {(s.start, s.end, s.label) for s in before if s.layer == ENTITIES}
    new = {(s.start, s.end, s.label) for s in after if s.layer == ENTITIES}
    if not old and not new:
        return 0.0
    return 1 - 2 * len(old & new) / (len(old) + len(new))


def follows_disagreement(store: Store) -> bool:
    return store.setting(ORDER) == DISAGREEMENT


def follows_uncertainty(store: Store) -> bool:
    """Whether next unreviewed goes first where suggestions are least certain (and detection measures it)."""
    return store.setting(ORDER) == UNCERTAINTY


def scores(store: Store) -> dict[int, float]:
    """The documents' disagreements measured so far (none: an empty dict)."""
    try:
        stored = json.loads(store.setting(SCORES) or "{}")
        return {int(doc_id): float(score) for doc_id, score in stored.items()}
    except (ValueError, TypeError, AttributeError):  # a hand-edited setting: no order rather than a failure
        return {}


def keep_scores(store: Store, measured: Mapping[int, float]) -> None:
    """Keep the disagreements just measured (replacing those of the same documents)."""
    kept = {**scores(store), **measured}
    store.set_setting(SCORES, json.dumps({str(k): round(v, 4) for k, v in kept.items() if v > 0}))


def next_document(store: Store, current: int | None) -> int | None:
    """The open document (other than ``current``) the models disagree on most, or whose suggestions
    are least certain, as the project says; None when it follows the list's order or no open
    document has a score (the list's order then)."""
    order = store.setting(ORDER)
    if order == UNCERTAINTY:
        return store.uncertainty.most_uncertain_open(current)
    if order != DISAGREEMENT:
        return None
    for doc_id, _ in sorted(scores(store).items(), key=lambda item: (-item[1], item[0])):
        if doc_id != current and _status(store, doc_id) == OPEN:
            return doc_id
    return None


def _status(store: Store, doc_id: int) -> str | None:
    try:
        return store.document(doc_id).status
    except KeyError:  # removed since it was measured
        return None
