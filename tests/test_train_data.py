"""What a model learns from: done documents only, in the right person's (or the final) layer."""

from __future__ import annotations

import pytest

from annotator.domain import DONE, OPEN, NewDocument, Span
from annotator.storage import Store
from annotator.train.data import label_summary, labelled_documents, split, whose_layer

TEXT = "Zelenskyy met Rutte in Kyiv, where 12 drones fell."


def doc(n: int, status: str) -> NewDocument:
    text = f"{TEXT} (Report {n}.)"
    return NewDocument(text, status=status, spans=[Span.of(text, 0, 9, "PERSON"), Span.of(text, 23, 27, "GPE")])


def test_only_done_documents_with_the_persons_layer_are_learnt_from(fresh_store: Store) -> None:
    done, _, other = fresh_store.add_documents([doc(1, DONE), doc(2, OPEN), NewDocument("Not annotated.", status=DONE)]).added
    fresh_store.insert_layer(other, "final", [Span.of("Not annotated.", 0, 3, "ORG")])
    assert whose_layer(fresh_store, final=False) == "tester"
    docs = labelled_documents(fresh_store, "tester")
    assert [d.doc_id for d in docs] == [done]
    assert label_summary(docs) == {"entities": ["GPE", "PERSON"], "numbers": []}
    assert whose_layer(fresh_store, final=True) == "final"
    assert [d.doc_id for d in labelled_documents(fresh_store, "final")] == [other]


def test_the_layer_of_the_only_annotator_when_it_is_not_mine(db_path) -> None:
    with Store(db_path, annotator="alice") as store:
        store.add_documents([doc(1, DONE)])
    with Store(db_path, annotator="bob") as store:
        assert whose_layer(store, final=False) == "alice"


@pytest.mark.parametrize(("count", "dev", "sizes"), [(2, 0.2, (1, 1)), (10, 0.2, (8, 2)), (10, 0.95, (1, 9)), (5, 0.5, (3, 2))])
def test_split_keeps_a_document_on_each_side(fresh_store: Store, count: int, dev: float, sizes: tuple[int, int]) -> None:
    fresh_store.add_documents(doc(n, DONE) for n in range(count))
    train, held = split(labelled_documents(fresh_store, "tester"), dev, seed=1)
    assert (len(train), len(held)) == sizes
    assert not {d.doc_id for d in train} & {d.doc_id for d in held}
    assert split(labelled_documents(fresh_store, "tester"), dev, seed=1) == (train, held)  # the seed decides
