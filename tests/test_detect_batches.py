"""Detection stores its predictions in batches: what a user keeps when it is interrupted, and
what a person editing meanwhile keeps."""

from __future__ import annotations

from collections.abc import Sequence
from itertools import pairwise
from pathlib import Path

import pytest

from annotator.detect.detector import DetectionInterrupted, detect_documents
from annotator.detect.pipeline import Pipeline, load_pipeline
from annotator.domain import NewDocument, Span
from annotator.storage import Store

ARTICLE = "Drones struck Kyiv overnight and 38 people were hurt, officials in Kharkiv said. (Report {}.)"


@pytest.fixture(scope="module")
def pipeline() -> Pipeline:
    return load_pipeline()


@pytest.fixture(autouse=True)
def batches_by_size(monkeypatch: pytest.MonkeyPatch) -> None:
    """A batch ends at its size here, never after ``BATCH_WORK_S`` of detection: on a loaded machine
    the first document alone (spaCy reads a whole batch of texts before it hands one back) can
    take that long, and every batch would be of one document."""
    from annotator.detect import detector

    monkeypatch.setattr(detector, "BATCH_WORK_S", float("inf"))


def add_articles(store: Store, n: int) -> list[int]:
    return store.add_documents(NewDocument(ARTICLE.format(i)) for i in range(n)).added


def detected(path: Path, ids: Sequence[int]) -> list[int]:
    """The documents another process sees predictions for (committed ones only)."""
    with Store(path, annotator="someone else") as other:
        missing = set(other.documents_without_predictions())
    return [i for i in ids if i not in missing]


def test_ctrl_c_keeps_every_finished_document_and_the_next_run_does_the_rest(
        fresh_store: Store, pipeline: Pipeline) -> None:
    ids = add_articles(fresh_store, 12)

    def interrupt_after_seven(done: int) -> None:
        if done == 7:
            raise KeyboardInterrupt

    with pytest.raises(DetectionInterrupted) as caught:
        detect_documents(fresh_store, ids, pipeline, progress=interrupt_after_seven)
    assert caught.value.kept == 7
    assert detected(fresh_store.path, ids) == ids[:7]
    assert all(fresh_store.spans(i) for i in ids[:7])
    assert detect_documents(fresh_store, fresh_store.documents_without_predictions(), pipeline) == 5
    assert detected(fresh_store.path, ids) == ids


def test_ctrl_c_while_a_batch_is_written_still_keeps_that_batch(
        fresh_store: Store, pipeline: Pipeline, monkeypatch: pytest.MonkeyPatch) -> None:
    ids = add_articles(fresh_store, 12)
    save = fresh_store.save_many_predictions
    batches: list[int] = []

    def interrupted_in_the_first_transaction(batch: Sequence[tuple[int, Sequence[Span]]], model: str,
                                             version: str) -> list[bool]:
        batches.append(len(batch))
        if len(batches) == 1:
            with fresh_store.transaction():  # rolled back by the interrupt, like a real Ctrl+C mid-write
                save(batch, model, version)
                raise KeyboardInterrupt
        return save(batch, model, version)

    monkeypatch.setattr(fresh_store, "save_many_predictions", interrupted_in_the_first_transaction)
    with pytest.raises(DetectionInterrupted) as caught:
        detect_documents(fresh_store, ids, pipeline)
    assert batches[0] > 1 and batches[1] == batches[0]
    assert caught.value.kept == batches[0]
    assert detected(fresh_store.path, ids) == ids[: batches[0]]


def test_several_documents_share_a_transaction_and_progress_counts_each(fresh_store: Store,
                                                                        pipeline: Pipeline) -> None:
    ids = add_articles(fresh_store, 30)
    reported: list[int] = []
    seen: list[int] = []

    def watch(done: int) -> None:
        reported.append(done)
        seen.append(len(detected(fresh_store.path, ids)))

    assert detect_documents(fresh_store, ids, pipeline, progress=watch) == 30
    assert reported == list(range(1, 31))
    assert seen[0] == 0 and max(b - a for a, b in pairwise(seen)) > 1  # committed a batch at a time
    assert detected(fresh_store.path, ids) == ids


def test_an_edit_made_while_its_document_waits_in_a_batch_is_kept(fresh_store: Store, pipeline: Pipeline) -> None:
    ids = add_articles(fresh_store, 12)
    texts = {i: fresh_store.document(i).text for i in ids}
    mine: dict[int, Span] = {}

    def edit_meanwhile(done: int) -> None:
        if done == 2:  # the window, in its own connection: one predicted-not-stored document, one not yet predicted
            with Store(fresh_store.path, annotator=fresh_store.annotator) as window:
                for doc_id in (ids[0], ids[10]):
                    start = texts[doc_id].index("officials")
                    mine[doc_id] = window.add_span(doc_id, Span.of(texts[doc_id], start, start + 9, "NORP"))

    detect_documents(fresh_store, ids, pipeline, progress=edit_meanwhile)
    for doc_id in (ids[0], ids[10]):
        assert fresh_store.spans(doc_id) == [mine[doc_id]]
        assert {s.text for s in fresh_store.predictions(doc_id)} >= {"Kyiv", "Kharkiv"}
    assert {s.text for s in fresh_store.spans(ids[1])} >= {"Kyiv", "Kharkiv"}
    assert all(s.origin == "model" for s in fresh_store.spans(ids[1]))
