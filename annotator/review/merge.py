"""Merging several people's projects into one: documents matched by content hash, each
person's annotations kept under their name, the model's predictions carried along."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from annotator.domain import DONE, NewDocument, Span
from annotator.storage import Store


@dataclass
class MergeResult:
    documents_added: int = 0
    layers_added: int = 0
    layers_already_there: int = 0
    layers_updated: int = 0
    # Suggestions copied for someone who never worked on the document are the model's, not theirs.
    untouched_left_out: int = 0
    # (source, document title, person) whose layer differs from the one already merged, kept as it was.
    conflicts: list[tuple[Path, str, str]] = field(default_factory=list)


def _content(spans: Sequence[Span]) -> set[tuple]:
    return {(*s.key(), s.value, s.kind, s.approx, s.unit) for s in spans}


def merge(sources: Iterable[Path], into: Store, update: bool = False) -> MergeResult:
    """All or nothing: a failure leaves ``into`` as it was.

    A person's layer already in ``into`` stays as it is when it differs from the source's (reported
    as a conflict), unless ``update``: then the source's replaces it.

    Each source is a file from someone else: before anything is read, its schema must be ours
    (a trigger or view added by hand is refused, not ignored: the file's rows may already have been
    rewritten by it, so its data cannot be trusted either) and SQLite's quick check must pass.
    """
    sources = list(sources)
    for path in sources:
        with Store(path) as source:
            source.quick_check()
    result = MergeResult()
    with into.transaction():
        for path in sources:
            with Store(path) as source:
                for doc in source.iter_documents():
                    target = into.document_id_for_hash(doc.hash)
                    if target is None:
                        target = into.add_documents([NewDocument(doc.text, doc.meta, status=doc.status)]).added[0]
                        result.documents_added += 1
                    elif doc.status == DONE and into.document(target).status != DONE:
                        into.set_status(target, DONE)
                    for model, version in source.prediction_models():
                        predictions = source.predictions(doc.id, model)
                        if predictions and not into.predictions(target, model):
                            into.insert_predictions(target, predictions, model, version)
                    for person in source.annotators(doc.id):
                        if not source.worked_on(doc.id, person):
                            result.untouched_left_out += 1
                            continue
                        spans = source.spans(doc.id, annotator=person)
                        if doc.status == DONE:  # what was left when the document was marked done was accepted
                            spans = [s.with_(confirmed=True) for s in spans]
                        if into.insert_layer(target, person, spans):
                            result.layers_added += 1
                        elif _content(into.spans(target, annotator=person)) == _content(spans):
                            result.layers_already_there += 1
                        elif update:
                            into.insert_layer(target, person, spans, replace=True)
                            result.layers_updated += 1
                        else:
                            result.conflicts.append((path, doc.title, person))
    return result
