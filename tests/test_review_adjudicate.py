"""Picking versions into the final layer, one stretch of text at a time."""

from __future__ import annotations

from pathlib import Path

from annotator.domain import NewDocument, Span
from annotator.review.adjudicate import FINAL, take_version
from annotator.storage import Store

TEXT = "Alice met Bob in Paris."


def at(word: str, label: str) -> Span:
    start = TEXT.index(word)
    return Span.of(TEXT, start, start + len(word), label)


def where(word: str) -> tuple[int, int]:
    return TEXT.index(word), TEXT.index(word) + len(word)


def test_the_first_pick_starts_the_final_layer_later_picks_change_only_their_stretch(db_path: Path) -> None:
    with Store(db_path, annotator="alice") as alice, Store(db_path, annotator="bob") as bob:
        doc = alice.add_documents([NewDocument(TEXT)]).added[0]
        for word, label in (("Bob", "PERSON"), ("Paris", "GPE")):
            alice.add_span(doc, at(word, label))
        for word, label in (("Bob", "ORG"), ("Paris", "LOC")):
            bob.add_span(doc, at(word, label))
    with Store(db_path, annotator=FINAL) as final:
        assert take_version(final, doc, "bob", *where("Bob")) == 2  # bob's whole layer to start from
        assert take_version(final, doc, "alice", *where("Paris")) == 1
        assert [(s.text, s.label) for s in final.spans(doc)] == [("Bob", "ORG"), ("Paris", "GPE")]
        for span in final.spans(doc):
            final.delete_span(span.id)
        # The reviewer emptied the final layer: a pick now brings only that stretch back.
        assert take_version(final, doc, "alice", *where("Bob")) == 1
        assert [(s.text, s.label) for s in final.spans(doc)] == [("Bob", "PERSON")]
