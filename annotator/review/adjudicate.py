"""Picking one annotator's version of a stretch of text into the final, adjudicated layer, with
the relations between the spans taken, and one annotator's document labels."""

from __future__ import annotations

from annotator.storage import Store

FINAL = "final"


def take_version(final: Store, doc_id: int, source: str, start: int, end: int) -> int:
    """Replace the final layer's spans within [start, end) by ``source``'s; returns how many were taken.

    The final layer starts as a copy of the first version picked for the document.
    """
    assert final.annotator == FINAL
    if not final.has_layer(doc_id):  # an emptied final layer stays emptied
        final.copy_layer(doc_id, source)
        final.relations.take(doc_id, source)
        return len(final.spans(doc_id))
    for span in final.spans(doc_id):
        if span.start < end and start < span.end:
            final.delete_span(span.id)
    taken = [s for s in final.layer(doc_id, source) if s.start < end and start < s.end]
    for span in taken:
        final.add_span(doc_id, span.with_(confirmed=True))
    final.relations.take(doc_id, source)  # the links whose two ends the final layer now holds
    return len(taken)


def take_categories(final: Store, doc_id: int, source: str) -> int:
    """Make the final layer's document labels ``source``'s (one undoable edit); how many they are."""
    assert final.annotator == FINAL
    chosen = [c.label for c in final.categories.of(doc_id, source)]
    final.categories.set_labels(doc_id, chosen)
    return len(chosen)
