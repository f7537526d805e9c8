"""A person's decision applied at once: recorded, and its string's other occurrences in the open
document given it as suggestions, inside the edit's own transaction (one undo undoes both).
Documents nobody has edited get the decisions when detected (the copy into the layer applies
them) and when opened (:func:`refresh`)."""

from __future__ import annotations

from annotator.domain import ENTITIES, ORIGIN_HUMAN, Span
from annotator.learning.suggest import REJECTED, propagate, refreshed
from annotator.storage import Store


def decide(store: Store, doc_id: int, text: str, span: Span, label: str | None) -> int:
    """The person gave ``span``'s string ``label`` (REJECTED: removed the suggestion; None: removed
    their own span, so their decision there is withdrawn); how many suggestions it changed."""
    if span.layer != ENTITIES or not store.decisions.enabled():
        return 0
    k = store.decisions.forget(doc_id, span.text) if label is None else store.decisions.record(doc_id, span.text, label)
    removed, added = propagate(text, store.spans(doc_id), store.predictions(doc_id), k, store.decisions.decided(k).get(k))
    store.decisions.extend_last_edit(doc_id, store.decisions.replace_suggestions(doc_id, removed, added))
    return len(added) + len([r for r in removed if all(not r.overlaps(a) for a in added)])


def removal(span: Span) -> str | None:
    """What removing a span decides: a suggestion (or an imported span) is rejected; the person's
    own span takes back their decision in that document."""
    return None if span.origin == ORIGIN_HUMAN else REJECTED


def refresh(store: Store, doc_id: int, text: str) -> bool:
    """Bring the suggestions of a document nobody has edited up to date with the decisions
    (not an edit: the document stays untouched); whether anything changed."""
    if not store.decisions.enabled() or store.worked_on(doc_id, store.annotator):
        return False
    decided = store.decisions.decided()
    layer = store.spans(doc_id)
    if not decided or not layer:
        return False
    removed, added = refreshed(text, layer, store.predictions(doc_id), decided)
    if not (removed or added):
        return False
    with store.transaction():
        store.decisions.replace_suggestions(doc_id, removed, added)
    return True
