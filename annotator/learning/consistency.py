"""A person's decision applied at once: recorded, and its string's other occurrences in the open
document given it as suggestions, inside the edit's own transaction (one undo undoes both).
Documents nobody has edited get the decisions when detected (the copy into the layer applies
them) and when opened (:func:`refresh`)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from annotator.domain import ENTITIES, ORIGIN_HUMAN, Span, StoredSpan
from annotator.learning.strings import key, learnable
from annotator.learning.suggest import ORIGIN_LEARNED, REJECTED, propagate, refreshed
from annotator.storage import Store
from annotator.storage.rows import load


def decide(store: Store, doc_id: int, text: str, decisions: Sequence[tuple[Span, str | None]],
           layer: Sequence[StoredSpan]) -> int:
    """The person gave each span's string its label (REJECTED: removed the suggestion; None: removed
    their own span, so their decision there is withdrawn), ``layer`` being the document's spans
    after the edit; how many suggestions that changed."""
    if not store.decisions.enabled():
        return 0
    spans = {s.id: s for s in layer if s.layer == ENTITIES}
    changed = 0
    for span, label in decisions:
        if span.layer != ENTITIES or not learnable(key(span.text)):
            continue
        k = store.decisions.forget(doc_id, span.text) if label is None else store.decisions.record(doc_id, span.text, label)
        removed, added = propagate(text, list(spans.values()), lambda: store.predictions(doc_id, layer=ENTITIES), k,
                                   store.decisions.decided(k).get(k))
        changes = store.decisions.replace_suggestions(doc_id, removed, added)
        store.decisions.extend_last_edit(doc_id, changes)
        for change in changes:
            if change["op"] == "delete":
                spans.pop(change["before"]["id"], None)
            else:
                spans[change["after"]["id"]] = load(change["after"])
        changed += len(added) + len([r for r in removed if all(not r.overlaps(a) for a in added)])
    return changed


def removal(span: Span) -> str | None:
    """What removing a span decides: a suggestion (or an imported span) is rejected; the person's
    own span takes back their decision in that document."""
    return None if span.origin == ORIGIN_HUMAN else REJECTED


SPAN_OPS = ("add", "update", "delete")  # the history's changes of a span (storage/history.py)


def reconsider(store: Store, doc_id: int, changes: Sequence[dict[str, Any]]) -> None:
    """After an undo or redo (inside its transaction): the person's decisions in the document on
    the strings it changed are what its layer now says — a label undone is no longer a decision,
    a removal undone no longer a rejection. The suggestions it made were part of the edit, and
    were undone or redone with it."""
    if not store.decisions.enabled():
        return
    strings = {key(side["text"]) for change in changes if change.get("op") in SPAN_OPS  # not statuses, labels, links
               for side in (change.get("before"), change.get("after"))
               if isinstance(side, dict) and side.get("layer", ENTITIES) == ENTITIES and side.get("origin") != ORIGIN_LEARNED}
    if not strings:
        return
    for k in strings:
        store.decisions.forget(doc_id, k)
    for text, label in store.decisions.own(doc_id, ENTITIES):  # not the whole layer: a third of an undo's time
        if key(text) in strings:
            store.decisions.record(doc_id, text, label)


def refresh(store: Store, doc_id: int, text: str) -> bool:
    """Bring the suggestions of a document nobody has edited up to date with the decisions
    (not an edit: the document stays untouched); whether anything changed."""
    if not store.decisions.enabled() or store.worked_on(doc_id, store.annotator):
        return False
    learned = store.decisions.learned()
    layer = store.spans(doc_id)
    if not learned or not layer:
        return False
    removed, added = refreshed(text, layer, store.predictions(doc_id), learned)
    if not (removed or added):
        return False
    with store.transaction():
        store.decisions.replace_suggestions(doc_id, removed, added)
    return True
