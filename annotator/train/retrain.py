"""Retraining while people label: ``annotator train`` on the done documents, and the new model
taken for the documents not yet edited only if it scores better than the one in use.

Both models are scored the same way, on the same held-out documents (exact entity spans and
labels, micro F1; see annotator.review.metrics), so that "better" compares like with like: the
registered F1 of the model in use was measured on another split, and the installed default has
none. A new model that wins is registered (under the project's background name) and chosen for
the project, and the open documents are detected again with it: a document someone has edited
keeps its layer (``Store.save_predictions``). One that does not win is kept on disk, unregistered.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from annotator.domain import ENTITIES, OPEN, Span
from annotator.learning.queue import disagreement, keep_scores
from annotator.storage import Store
from annotator.train.data import Labelled, labelled_documents, split, whose_layer
from annotator.train.models import MODEL_SETTING
from annotator.train.run import Progress
from annotator.train.trainer import Settings, train

if TYPE_CHECKING:
    from annotator.detect.pipeline import Pipeline

EVERY = "retrain_every"  # project setting: retrain after every N documents marked done (unset: off)
STEPS = "retrain_steps"  # project setting: training steps of a background run
DEFAULT_STEPS = 1000
MINIMUM_DONE = 10  # done documents before the first background run: a few to hold out, the rest to learn from
Step = Callable[[int, int], None]  # done, total: what a worker reports
CHUNK = 500  # open documents detected again between two measures of disagreement


@dataclass(frozen=True)
class Retrained:
    """What a background run came to."""

    name: str  # the new model's name and version
    version: str
    f1: float  # its dev F1, and that of the model in use, on the same held-out documents
    in_use_f1: float
    switched: bool  # it beat the model in use and now pre-annotates the documents not yet edited
    redetected: int  # documents detected again with it
    finished: bool  # False: cancelled (then nothing is switched)
    path: str = ""  # the new model's folder


def every(store: Store) -> int:
    """The project's N (0: background retraining is off)."""
    value = store.setting(EVERY)
    return int(value) if value and value.isdigit() else 0


def steps(store: Store) -> int:
    value = store.setting(STEPS)
    return int(value) if value and value.isdigit() and int(value) > 0 else DEFAULT_STEPS


def due(done: int, at_last_run: int, n: int) -> bool:
    """Whether a run is due: N more documents done since the last one, and enough done to learn from."""
    return n > 0 and done >= MINIMUM_DONE and done - at_last_run >= n


def output_folder(store: Store) -> Path:
    """Where background runs put their versions: beside the project, apart from models trained by hand."""
    return store.path.resolve().parent / "models" / f"{store.path.stem}-background"


def dev_f1(predicted: Sequence[Sequence[Span]], documents: Sequence[Labelled]) -> float:
    """Micro F1 of exact entity spans over the held-out documents."""
    from annotator.review.metrics import EXACT, Scores, score

    scores = Scores()
    for spans, document in zip(predicted, documents, strict=True):
        score([s for s in document.spans if s.layer == ENTITIES],
              [s for s in spans if s.layer == ENTITIES], EXACT, scores)
    return scores.overall.f1


def retrain(store: Store, in_use: str | None, progress: Step, cancelled: Callable[[], bool]) -> Retrained:
    """Train as ``annotator train`` does on the project's done documents; if the new model's dev F1
    beats that of ``in_use`` (a model folder or name; None: the installed default) on the same
    documents, register it, choose it for the project and detect the open documents with it."""
    from annotator.detect.pipeline import load_pipeline

    total = steps(store)
    settings = Settings(output_folder(store), max_steps=total, name=f"{store.path.stem}_background")
    train_docs, dev_docs = split(labelled_documents(store, whose_layer(store, False)), settings.dev, settings.seed)

    def report(step: Progress) -> None:
        progress(min(step.step, total), total)

    trained = train(store, settings, report, cancelled, register=False, documents=train_docs, dev_documents=dev_docs)
    result = Retrained(trained.name, trained.version, 0.0, 0.0, False, 0, trained.finished, str(trained.path))
    if not trained.finished:
        return result
    new = load_pipeline(str(trained.path))
    texts = [d.text for d in dev_docs]
    result = replace(result, f1=dev_f1(list(new.predict(texts)), dev_docs),
                     in_use_f1=dev_f1(list(load_pipeline(in_use).predict(texts)), dev_docs))
    if cancelled() or result.f1 <= result.in_use_f1:
        return result
    store.register_model(trained.name, str(trained.path.resolve()), {**trained.record, "version": trained.version})
    store.set_setting(MODEL_SETTING, trained.name)
    return replace(result, switched=True, redetected=redetect(store, new, progress, cancelled))


def redetect(store: Store, pipeline: Pipeline, progress: Step, cancelled: Callable[[], bool]) -> int:
    """Detect the open documents again with the new model, measuring on each how much it
    disagrees with the model before it (annotator.learning.queue); how many were detected."""
    from annotator.detect.detector import detect_documents

    ids, done = store.document_ids(OPEN), 0
    progress(0, len(ids))
    for first in range(0, len(ids), CHUNK):
        chunk = ids[first : first + CHUNK]
        before = {doc_id: store.predictions(doc_id) for doc_id in chunk}
        count = detect_documents(store, chunk, pipeline, progress=partial(_advanced, progress, done, len(ids)),
                                 cancelled=cancelled)
        keep_scores(store, {doc_id: disagreement(before[doc_id], store.predictions(doc_id)) for doc_id in chunk[:count]})
        done += count
        if count < len(chunk):  # cancelled
            break
    return done


def _advanced(progress: Step, before: int, total: int, done: int) -> None:
    progress(before + done, total)


def describe(result: Retrained, in_use: str) -> str:
    """The status bar's line for a finished run."""
    figures = f"dev F1 {result.f1:.3f} against {result.in_use_f1:.3f} for {in_use}"
    if not result.finished:
        return f"Retraining cancelled; {in_use} stays in use."
    if result.switched:
        return (f"Retrained {result.name} {result.version}: {figures}; it now pre-annotates the documents not yet "
                f"edited ({result.redetected:,} detected again).")
    return f"Retrained {result.name} {result.version}: {figures}; {in_use} stays in use."
