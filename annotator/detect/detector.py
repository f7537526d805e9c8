"""Batch pre-annotation: run a pipeline over stored documents and store what it finds."""

from __future__ import annotations

from datetime import date
from typing import Callable, Iterator, Sequence

from annotator.dates import article_day, resolve_span
from annotator.detect.pipeline import Pipeline
from annotator.storage import Store


def detect_documents(
    store: Store,
    doc_ids: Sequence[int],
    pipeline: Pipeline,
    progress: Callable[[int], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
    batch_size: int = 64,
    n_process: int = 1,
) -> int:
    """Predict and store each document's spans; returns how many documents were done.

    Each document is committed on its own, so an interruption (Ctrl+C, the window's cancel)
    loses only the document in flight. The human's edits are never overwritten: see
    :meth:`Store.save_predictions`. DATE entities get the date they refer to, resolved against
    the article's own date (its ``date`` meta).
    """
    stop = cancelled or (lambda: False)
    dates: dict[int, date | None] = {}

    def texts() -> Iterator[str]:
        for doc_id in doc_ids:
            if stop():
                return
            document = store.document(doc_id)
            dates[doc_id] = article_day(document.date)
            yield document.text

    done = 0
    for doc_id, spans in zip(doc_ids, pipeline.predict(texts(), batch_size=batch_size, n_process=n_process)):
        article_date = dates.pop(doc_id)
        spans = [resolve_span(s, article_date) for s in spans]
        store.save_predictions(doc_id, spans, pipeline.name, pipeline.version)
        done += 1
        if progress:
            progress(done)
        if stop():
            break
    return done
