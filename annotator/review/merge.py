"""Merging several people's projects into one: documents matched by content hash, each
person's annotations (spans, document labels, relations) kept under their name, the model's
predictions carried along. Span ids differ from project to project: a relation is carried by
its ends' places and labels, and joined again to the spans of the same places here."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from annotator.categories import Category
from annotator.domain import DONE, NewDocument, Span
from annotator.relations import Link
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


@dataclass(frozen=True)
class _Layer:
    """A person's work on a document as it travels between projects: spans, document labels, and
    relations by their ends' places (their span ids are the source's: remapped on the way in)."""

    spans: Sequence[Span]
    categories: list[Category]
    links: list[Link]

    def content(self) -> tuple[set[tuple[Any, ...]], set[str], set[tuple[Any, ...]]]:
        return ({(*s.key(), s.value, s.kind, s.approx, s.unit) for s in self.spans},
                {c.label for c in self.categories},
                {(link.head.key(), link.child.key(), link.label) for link in self.links})


def _read(source: Store, doc_id: int, person: str, done: bool) -> _Layer:
    spans = source.spans(doc_id, annotator=person)
    if done:  # what was left when the document was marked done was accepted
        spans = [s.with_(confirmed=True) for s in spans]
    return _Layer(spans, source.categories.of(doc_id, person), source.relations.links(doc_id, person))


def _insert(into: Store, doc_id: int, person: str, layer: _Layer, replace: bool) -> bool:
    """Bring in a person's layer; False if they already have one here (spans or document labels), unless ``replace``."""
    if not replace and (into.spans(doc_id, annotator=person) or into.categories.of(doc_id, person)):
        return False
    into.insert_layer(doc_id, person, layer.spans, replace=True)
    into.categories.insert_layer(doc_id, person, layer.categories, replace=True)
    into.relations.insert_links(doc_id, person, layer.links, replace=True)
    return True


def _carry_predictions(source: Store, into: Store, doc_id: int, target: int) -> None:
    """The models' spans, their suggested relations and their document labels, where ``into`` has none of that model."""
    for model, version in source.prediction_models():
        predictions = source.predictions(doc_id, model)
        if predictions and not into.predictions(target, model):
            into.insert_predictions(target, predictions, model, version)
            into.relations.save_predictions(target, source.relations.predicted_links(doc_id, model), model, version)
    for model in source.categories.prediction_models():
        suggested = source.categories.suggestions(doc_id, model)
        if suggested and not into.categories.suggestions(target, model):
            version = source.categories.prediction_version(doc_id, model)
            into.categories.save_predictions(target, {s.label: s.score for s in suggested}, model, version)


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
                    _carry_predictions(source, into, doc.id, target)
                    people = sorted({*source.annotators(doc.id), *source.categories.annotators(doc.id)})
                    for person in people:
                        if not source.worked_on(doc.id, person):
                            result.untouched_left_out += 1
                            continue
                        layer = _read(source, doc.id, person, doc.status == DONE)
                        if _insert(into, target, person, layer, replace=False):
                            result.layers_added += 1
                        elif _read(into, target, person, False).content() == layer.content():
                            result.layers_already_there += 1
                        elif update:
                            _insert(into, target, person, layer, replace=True)
                            result.layers_updated += 1
                        else:
                            result.conflicts.append((path, doc.title, person))
    return result
