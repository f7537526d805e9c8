"""The open document's document labels and relations, and their edits: the session's part for
what is not a span. Qt-free, as the session is.

Built on a :class:`~annotator.session.Session` (``Links(session)``): each edit goes through the
session's write queue (committed at once, or waiting in line while another program holds the
write lock) and is one undoable edit; once stored, the document's labels and relations are
read again and the difference announced on :attr:`Links.events`. Undo, redo, a span's removal
(which takes its relations) and opening another document announce theirs the same way.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from annotator.categories import Category, CategorySuggestion, Scheme
from annotator.descriptions import describe_span
from annotator.domain import StoredSpan
from annotator.relations import RelationLabel, StoredRelation
from annotator.session import Session
from annotator.session_events import Event
from annotator.storage import Store


@dataclass(frozen=True)
class RelationChange:
    """How the open document's relations changed in one edit (ids are the store's)."""

    added: list[StoredRelation] = field(default_factory=list)
    changed: list[StoredRelation] = field(default_factory=list)
    removed: list[StoredRelation] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.added or self.changed or self.removed)


class LinkEvents:
    def __init__(self) -> None:
        self.categories: Event[list[Category]] = Event()  # the open document's labels, all of them, as now stored
        self.relations: Event[RelationChange] = Event()  # relations of the open document added/changed/removed
        self.scheme: Event[Scheme] = Event()  # the project's document labels changed
        self.relation_labels: Event[list[RelationLabel]] = Event()  # the project's relation labels changed


class Links:
    """Document labels and relations of the document open in ``session``."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.events = LinkEvents()
        self.scheme: Scheme = session.store.categories.scheme()
        self.relation_labels: list[RelationLabel] = session.store.relations.labels()
        self.categories: list[Category] = []
        self.suggestions: list[CategorySuggestion] = []  # the model's document labels of the open document
        self.relations: dict[int, StoredRelation] = {}
        session.events.opened.connect(lambda _: self._sync())
        session.events.synced.connect(lambda _: self._sync())
        session.events.labels.connect(lambda _: self.reload_labels())

    @property
    def store(self) -> Store:
        return self.session.store

    def relation_label(self, name: str) -> RelationLabel | None:
        return next((label for label in self.relation_labels if label.name == name), None)

    def relations_of(self, span_id: int) -> list[StoredRelation]:
        """The open document's relations with the span at either end (the side panel, the arcs)."""
        return [r for r in self.relations.values() if span_id in (r.head, r.child)]

    def reload_labels(self) -> None:
        """After document or relation labels were added, renamed, recoloured or removed."""
        self.scheme = self.store.categories.scheme()
        self.relation_labels = self.store.relations.labels()
        self.events.scheme.emit(self.scheme)
        self.events.relation_labels.emit(self.relation_labels)
        self._sync()

    def _sync(self) -> None:
        """Read the open document's labels and relations again; announce what changed."""
        doc_id = self.session.doc_id
        categories = self.store.categories.of(doc_id) if doc_id is not None else []
        fresh = {r.id: r for r in self.store.relations.of(doc_id)} if doc_id is not None else {}
        self.suggestions = self.store.categories.suggestions(doc_id) if doc_id is not None else []
        if categories != self.categories:
            self.categories = categories
            self.events.categories.emit(categories)
        change = RelationChange(added=[r for i, r in fresh.items() if i not in self.relations],
                                changed=[r for i, r in fresh.items() if i in self.relations and self.relations[i] != r],
                                removed=[r for i, r in self.relations.items() if i not in fresh])
        self.relations = fresh
        if change:
            self.events.relations.emit(change)

    # -- edits ---------------------------------------------------------------------------------

    def toggle(self, name: str) -> bool:
        """Give the open document a document label, or take it away (one undoable edit)."""
        doc_id = self.session.doc_id
        if doc_id is None:
            return False
        if self.scheme.label(name) is None:
            self.session.events.failed.emit(f"There is no document label {name}.")
            return False

        def said(toggle: Any) -> str:
            if name in toggle.removed:
                return f"Took the document label {name} away"
            return f"Labelled the document {name}" + (f" (instead of {', '.join(sorted(toggle.removed))})"
                                                      if toggle.removed else "")

        return self.session.edits.commit(lambda: self.store.categories.toggle(doc_id, name), said)

    def link(self, child: StoredSpan, name: str) -> bool:
        """Link the selected span (the head) to ``child``, a span of the open document, with a
        relation label (one undoable edit). The selected span may be one whose adding waits for
        the write lock: the link is then stored right after it."""
        target = self.session.edits.target()
        if target is None:
            self.session.events.failed.emit("Select the span to link from first.")
            return False
        head, find = target

        def action() -> StoredRelation:
            return self.store.relations.add(find().id, child.id, name)

        return self.session.edits.commit(action, lambda _: f"Linked {describe_span(head)} {name} {describe_span(child)}")

    def unlink(self, relation_id: int) -> bool:
        """Remove a relation of the open document (one undoable edit)."""
        return self._edit(lambda: self.store.relations.remove(relation_id), "Removed the link")

    def relabel(self, relation_id: int, name: str) -> bool:
        """Give a relation another label (one undoable edit)."""
        return self._edit(lambda: self.store.relations.update(relation_id, label=name), "Relabelled the link")

    def confirm(self, relation_id: int) -> bool:
        """Accept a suggested relation as it is (one undoable edit)."""
        return self._edit(lambda: self.store.relations.update(relation_id, confirmed=True), "Confirmed the link")

    def _edit(self, action: Callable[[], StoredRelation], verb: str) -> bool:
        spans = self.session.spans

        def said(relation: StoredRelation) -> str:
            ends = [spans.get(relation.head), spans.get(relation.child)]
            if ends[0] is None or ends[1] is None:
                return f"{verb} {relation.label}"
            return f"{verb} {describe_span(ends[0])} {relation.label} {describe_span(ends[1])}"

        return self.session.edits.commit(action, said)
