"""Batch pre-annotation: run a pipeline over stored documents and store what it finds."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Sequence
from datetime import date

from annotator import counts
from annotator.dates import article_day, resolve_span
from annotator.detect.pipeline import Pipeline
from annotator.domain import Span
from annotator.learning.queue import follows_uncertainty
from annotator.relations import Link
from annotator.storage import Store
from annotator.storage.pacing import Pacer

BATCH_WORK_S = 1.0  # at most about this much detection work waits in memory for its transaction


class DetectionInterrupted(KeyboardInterrupt):
    """Ctrl+C during detection, once the documents finished before it are stored (``kept``)."""

    def __init__(self, kept: int) -> None:
        super().__init__(kept)
        self.kept = kept


def detect_documents(
    store: Store,
    doc_ids: Sequence[int],
    pipeline: Pipeline,
    progress: Callable[[int], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
    batch_size: int = 64,
    n_process: int = 1,
    measure: bool | None = None,
) -> int:
    """Predict and store each document's spans; returns how many documents were done.

    Documents are stored in batches, one transaction each (see :class:`StoredBatches`); ``progress``
    still hears of every document. A cancel stores the batch in hand, and so does Ctrl+C (then
    :class:`DetectionInterrupted` says how many were kept): only a killed process loses its last
    batch, at most about ``BATCH_WORK_S`` of work, which the next ``detect --new`` redoes. The
    human's edits are never overwritten, even one made while its document waited in a batch: see
    :meth:`Store.save_many_predictions`. DATE entities get the date they refer to, resolved
    against the article's own date (its ``date`` meta), read in their sentence. Each counting
    number gets a suggested COUNTS link to what it counts (:mod:`annotator.counts`). A pipeline that
    ``measure``s how sure it is of each document (by default while the project's next unreviewed
    follows that: annotator.learning.queue) keeps that with the predictions.
    """
    pipeline.measure_uncertainty(follows_uncertainty(store) if measure is None else measure)
    stop = cancelled or (lambda: False)
    dates: dict[int, tuple[date | None, str]] = {}

    def texts() -> Iterator[str]:
        for doc_id in doc_ids:
            if stop():
                return
            document = store.document(doc_id)
            dates[doc_id] = (article_day(document.date), document.text)
            yield document.text

    batches = StoredBatches(store, pipeline.name, pipeline.version)
    done = 0
    try:
        for doc_id, found in zip(doc_ids, pipeline.predict_all(texts(), batch_size=batch_size, n_process=n_process)):
            article_date, text = dates.pop(doc_id)
            spans, links = annotated(found.spans, article_date, text)
            batches.add(doc_id, spans, found.categories, links, found.uncertainty)
            done += 1
            if progress:
                progress(done)
            if stop():
                break
        batches.store()
    except KeyboardInterrupt:
        batches.store()  # an interrupted transaction was rolled back; the batch is still in hand
        raise DetectionInterrupted(batches.stored) from None
    return done


def annotated(spans: list[Span], article_date: date | None, text: str) -> tuple[list[Span], list[Link]]:
    """What detection stores of one article, here or on a cluster's worker: the model's spans with
    each DATE entity's date resolved against the article's date (read in its sentence), the spans
    the numbers count, and the suggested COUNTS links (:mod:`annotator.counts`)."""
    spans = [resolve_span(s, article_date, text) for s in spans]
    counted, links = counts.suggest(text, spans)
    return spans + counted, links


class StoredBatches:
    """Predicted documents waiting for their transaction. A batch is stored when it would hold
    the write lock about ``pacing.LOCK_TARGET_S`` (a window's edit waits at most that long; the
    size follows how long the last batch took) or when it holds ``BATCH_WORK_S`` of detection
    work (what a killed process may lose), whichever comes first."""

    def __init__(self, store: Store, model: str, version: str) -> None:
        self.project, self.model = store, (model, version)
        self.pending: list[tuple[int, list[Span]]] = []
        self.categories: list[tuple[int, dict[str, float]]] = []  # a trained model's document labels
        self.links: dict[int, list[Link]] = {}  # suggested relations (COUNTS)
        self.uncertainty: list[tuple[int, float]] = []  # when the pipeline measures it (detect/uncertainty.py)
        self.pace = Pacer(start=8, most=1000)
        self.stored = 0
        self.since = time.perf_counter()

    def add(self, doc_id: int, spans: list[Span], categories: dict[str, float], links: Sequence[Link] = (),
            uncertainty: float | None = None) -> None:
        self.pending.append((doc_id, spans))
        if uncertainty is not None:
            self.uncertainty.append((doc_id, uncertainty))
        if categories:
            self.categories.append((doc_id, categories))
        if links:
            self.links[doc_id] = list(links)
        if len(self.pending) >= self.pace.limit or time.perf_counter() - self.since >= BATCH_WORK_S:
            self.store()

    def store(self) -> None:
        if self.pending:
            started = time.perf_counter()
            with self.project.transaction():
                copied = self.project.save_many_predictions(self.pending, *self.model)
                self.project.categories.save_many_predictions(self.categories, *self.model)
                if self.uncertainty:
                    self.project.uncertainty.keep(self.uncertainty)
                for (doc_id, _), copy in zip(self.pending, copied, strict=True):
                    if doc_id in self.links:
                        self.project.relations.save_predictions(doc_id, self.links[doc_id], *self.model, copy_to_layer=copy)
            self.pace.took(time.perf_counter() - started, len(self.pending))
            self.stored += len(self.pending)
            self.pending, self.categories, self.links, self.uncertainty = [], [], {}, []
        self.since = time.perf_counter()
