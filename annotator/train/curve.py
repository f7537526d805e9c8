"""``annotator train-curve``: does more labelling still help? The same training on growing
shares of the training documents, scored on the same dev documents."""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from annotator.storage import Store
from annotator.train.data import labelled_documents, split, whose_layer
from annotator.train.run import Progress
from annotator.train.trainer import Settings, train

SHARES = (0.25, 0.5, 0.75, 1.0)


@dataclass
class Point:
    share: float
    documents: int
    scores: dict[str, float]
    seconds: float


def train_curve(store: Store, settings: Settings, shares: Sequence[float] = SHARES,
                progress: Callable[[float, Progress], None] | None = None) -> list[Point]:
    """Train once per share (the first ``share`` of the shuffled training documents); the models
    go to a temporary folder unless ``settings.output`` is given, and none is registered."""
    train_docs, dev_docs = split(labelled_documents(store, whose_layer(store, settings.final)),
                                 settings.dev, settings.seed)
    points = []
    with tempfile.TemporaryDirectory(prefix="annotator-curve-") as scratch:
        root = settings.output or Path(scratch)
        for share in shares:
            part = train_docs[: max(1, round(len(train_docs) * share))]
            run = replace(settings, output=root / f"{round(share * 100)}%")
            report = (lambda p, share=share: progress(share, p)) if progress else None
            result = train(store, run, report, register=False, documents=part, dev_documents=dev_docs)
            points.append(Point(share, len(part), result.scores, result.record["seconds"]))
            if not result.finished:
                break
    return points
