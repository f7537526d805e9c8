"""A span read from the store is a StoredSpan, whose id is an int; a new Span (from detection, a
file, a key press) has none. Every read gives StoredSpans (and StoredRelations), so what edits them
needs no check that the id is there, and no span is ever written back under another's id."""

from __future__ import annotations

import re
from pathlib import Path

from locks import lock_held

from annotator.domain import NUMBERS, NewDocument, Span, StoredSpan
from annotator.relations import Relation, StoredRelation
from annotator.session import Session
from annotator.storage import Store

TEXT = "Russia lost 38,000 soldiers near Bakhmut, Zelenskyy said on Monday."


def span(word: str, label: str, **fields: object) -> Span:
    start = TEXT.index(word)
    return Span.of(TEXT, start, start + len(word), label, **fields)


def stored(spans: list[StoredSpan]) -> bool:
    return all(type(s) is StoredSpan and type(s.id) is int for s in spans)


def test_a_new_span_has_no_id_and_a_stored_one_keeps_its_own() -> None:
    new = span("Bakhmut", "GPE")
    assert not hasattr(new, "id") and new.as_new() is new
    kept = new.stored_as(7)
    assert isinstance(kept, StoredSpan) and kept.id == 7 and kept.key() == new.key()
    assert kept.with_(label="LOC").id == 7  # changed, it is still that stored span
    assert kept.as_new() == new and type(kept.as_new()) is Span  # to store again elsewhere: no id to collide
    assert kept != new  # a stored span is not a new one of the same place
    assert not hasattr(Relation(1, 2, "COUNTS"), "id") and StoredRelation(1, 2, "COUNTS", id=3).id == 3


def test_every_read_of_the_store_gives_stored_spans_and_relations(any_store: Store) -> None:
    doc = any_store.add_documents([NewDocument(TEXT)]).added[0]
    any_store.save_predictions(doc, [span("Russia", "GPE"), span("Bakhmut", "GPE")], "m", "1")
    assert stored(any_store.predictions(doc)) and stored(any_store.layer(doc, "nobody"))  # the model's, as a layer
    number = any_store.add_span(doc, span("38,000", "CASUALTIES", layer=NUMBERS, value=38000.0, kind="cardinal"))
    soldiers = any_store.add_span(doc, span("soldiers", "NORP"))
    assert stored([number, soldiers, any_store.span(number.id), *any_store.spans(doc), *any_store.layer(doc)])
    relabelled = any_store.update_span(soldiers.id, label="PERSON")
    assert type(relabelled) is StoredSpan and relabelled.id == soldiers.id

    link = any_store.relations.add(number.id, soldiers.id, "COUNTS")
    assert type(link) is StoredRelation and (link.head, link.child) == (number.id, soldiers.id)
    assert any_store.relations.of(doc) == [link] and any_store.relations.relation(link.id) == link
    [ends] = any_store.relations.links(doc)
    assert stored([ends.head, ends.child])

    any_store.delete_span(soldiers.id)  # takes the link with it
    assert any_store.relations.of(doc) == []
    any_store.undo()  # both come back under their own ids
    assert any_store.span(soldiers.id) == relabelled and any_store.relations.of(doc) == [link]


def test_a_layer_copied_from_another_person_is_stored_under_new_ids(any_project: Path | str) -> None:
    with Store(any_project, annotator="first") as first:
        doc = first.add_documents([NewDocument(TEXT)]).added[0]
        theirs = first.add_span(doc, span("Bakhmut", "GPE"))
    with Store(any_project, annotator="final") as final:
        final.add_span(doc, span("Russia", "GPE"))
        assert final.copy_layer(doc, "first") == 1
        [mine] = final.spans(doc)
        assert mine.id != theirs.id and mine.as_new() == theirs.as_new().with_(annotator="final")
        assert final.span(theirs.id) == theirs  # theirs untouched


def test_a_span_whose_adding_waits_is_not_yet_stored_and_is_once_it_is(db_path: Path) -> None:
    with Store(db_path, annotator="tester") as store:
        doc = store.add_documents([NewDocument(TEXT)]).added[0]
    with Store(db_path, annotator="tester") as store:
        session = Session(store)
        session.open(doc)
        with lock_held(db_path):
            assert session.add(32, 39, "GPE")  # waits in line
            assert session.selected is not None and not isinstance(session.selected, StoredSpan)
            assert session.current is None and session.spans == {}
        session.retry()  # the lock is free: stored
        [bakhmut] = session.spans.values()
        assert type(bakhmut) is StoredSpan and session.current == bakhmut == session.selected


def test_no_code_checks_whether_a_stored_span_or_relation_has_its_id() -> None:
    """What reads spans and relations from the store types them stored: an ``id is None`` check (or
    a ``type: ignore`` for one) would say that a stored span might have none."""
    package = Path(__file__).parent.parent / "annotator"
    found = [f"{module.relative_to(package)}:{n}" for module in sorted(package.rglob("*.py"))
             for n, line in enumerate(module.read_text(encoding="utf-8").splitlines(), 1)
             if re.search(r"\.id is (not )?None|\.id or 0\b", line)]
    assert found == []
