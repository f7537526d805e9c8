"""Merging several people's projects into one: documents matched by content hash, each
person's annotations kept under their name, the model's predictions carried along."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from annotator.domain import DONE, NewDocument
from annotator.storage import Store


@dataclass
class MergeResult:
    documents_added: int = 0
    layers_added: int = 0
    layers_already_there: int = 0


def merge(sources: Iterable[Path], into: Store) -> MergeResult:
    """All or nothing: a failure leaves ``into`` as it was."""
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
                        if into.insert_layer(target, person, source.spans(doc.id, annotator=person)):
                            result.layers_added += 1
                        else:
                            result.layers_already_there += 1
    return result
