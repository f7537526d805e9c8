"""Document labels and relations in the store: kept, checked, counted, undone and redone across a
restart, and a span's removal taking its relations with it in the same undoable edit."""

from __future__ import annotations

import sqlite3
import tempfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.categories import CategoryError, CategoryLabel
from annotator.domain import NUMBERS, NewDocument, Span
from annotator.relations import Link, RelationError, RelationLabel
from annotator.storage import SCHEMA_VERSION, Store, UndoRefused
from annotator.storage.counts import miscounted

TEXT = "Russia lost 38,000 soldiers near Bakhmut, Zelenskyy said on Monday."


def add_doc(store: Store, text: str = TEXT) -> int:
    return store.add_documents([NewDocument(text)]).added[0]


def span(word: str, label: str, text: str = TEXT, **fields) -> Span:
    start = text.index(word)
    return Span.of(text, start, start + len(word), label, **fields)


def spans_of(store: Store, doc: int) -> tuple[Span, Span, Span]:
    number = store.add_span(doc, span("38,000", "CASUALTIES", layer=NUMBERS, value=38000.0, kind="cardinal"))
    soldiers = store.add_span(doc, span("soldiers", "NORP"))
    place = store.add_span(doc, span("Bakhmut", "GPE"))
    return number, soldiers, place


def described(store: Store, doc: int, annotator: str | None = None) -> list[tuple[str, str, str]]:
    return sorted((link.head.text, link.label, link.child.text) for link in store.relations.links(doc, annotator))


def test_a_new_project_has_the_news_relation_labels_and_no_document_labels(any_store: Store) -> None:
    assert any_store.schema_version == SCHEMA_VERSION >= 9
    assert [label.name for label in any_store.relations.labels()] == ["COUNTS", "LOCATED_IN", "ATTACKED", "SAID"]
    assert any_store.categories.labels() == []


def test_document_labels_toggle_and_a_single_choice_group_keeps_one(any_store: Store) -> None:
    doc = add_doc(any_store)
    for name, group in (("war", "topic"), ("economy", "topic"), ("relevant", "relevance"), ("irrelevant", "relevance")):
        any_store.categories.add_label(CategoryLabel(name, group))
    any_store.categories.set_group("relevance", exclusive=True)
    any_store.categories.toggle(doc, "war")
    any_store.categories.toggle(doc, "economy")
    any_store.categories.toggle(doc, "relevant")
    toggle = any_store.categories.toggle(doc, "irrelevant")
    assert toggle.added == {"irrelevant"} and toggle.removed == {"relevant"}
    assert [c.label for c in any_store.categories.of(doc)] == ["war", "economy", "irrelevant"]
    any_store.categories.toggle(doc, "war")
    assert [c.label for c in any_store.categories.of(doc)] == ["economy", "irrelevant"]
    with pytest.raises(CategoryError, match="no document label 'sport'"):
        any_store.categories.toggle(doc, "sport")
    with pytest.raises(CategoryError, match="single-choice"):
        any_store.categories.set_labels(doc, ["relevant", "irrelevant"])
    stats = any_store.stats()["categories"]
    assert stats == [{"label": "economy", "origin": "human", "count": 1},
                     {"label": "irrelevant", "origin": "human", "count": 1}]


def test_category_toggles_undo_and_redo_across_a_restart(any_project: Path) -> None:
    with Store(any_project, annotator="ann") as store:
        doc = add_doc(store)
        store.categories.add_label(CategoryLabel("relevant", "relevance"))
        store.categories.add_label(CategoryLabel("irrelevant", "relevance"))
        store.categories.set_group("relevance", exclusive=True)
        store.categories.toggle(doc, "relevant")
        store.categories.toggle(doc, "irrelevant")  # drops "relevant" in the same edit
    with Store(any_project, annotator="ann") as store:
        assert [c.label for c in store.categories.of(doc)] == ["irrelevant"]
        edit = store.undo()
        assert edit is not None and edit.action == "tag document irrelevant"
        assert [c.label for c in store.categories.of(doc)] == ["relevant"]
    with Store(any_project, annotator="ann") as store:
        store.undo()
        assert store.categories.of(doc) == []
        store.redo()
        store.redo()
        assert [c.label for c in store.categories.of(doc)] == ["irrelevant"]
        assert store.stats()["categories"] == [{"label": "irrelevant", "origin": "human", "count": 1}]


def test_a_relation_is_checked_stored_and_counted(any_store: Store) -> None:
    doc, other = add_doc(any_store), add_doc(any_store, "Kyiv was hit by 12 drones.")
    number, soldiers, place = spans_of(any_store, doc)
    drones = any_store.add_span(other, span("drones", "PRODUCT", text="Kyiv was hit by 12 drones."))
    relation = any_store.relations.add(number.id, soldiers.id, "COUNTS")
    assert (relation.head, relation.child, relation.label, relation.annotator) == (number.id, soldiers.id, "COUNTS", "tester")
    assert described(any_store, doc) == [("38,000", "COUNTS", "soldiers")]
    with pytest.raises(RelationError, match="already linked"):
        any_store.relations.add(number.id, soldiers.id, "COUNTS")
    with pytest.raises(RelationError, match="different documents"):
        any_store.relations.add(number.id, drones.id, "COUNTS")
    with pytest.raises(RelationError, match="to itself"):
        any_store.relations.add(number.id, number.id, "COUNTS")
    with pytest.raises(RelationError, match="no relation label 'OWNS'"):
        any_store.relations.add(number.id, place.id, "OWNS")
    with pytest.raises(RelationError, match="child span is not there"):
        any_store.relations.add(number.id, 999, "COUNTS")
    any_store.relations.add_label(RelationLabel("NEAR", directed=False, heads=("GPE", "NORP")))
    with pytest.raises(RelationError, match="NEAR allows a head of GPE, NORP, not CASUALTIES '38,000'"):
        any_store.relations.add(number.id, place.id, "NEAR")
    near = any_store.relations.add(place.id, soldiers.id, "NEAR")  # undirected: kept in text order
    assert (near.head, near.child) == (soldiers.id, place.id)
    assert any_store.stats()["relations"] == [{"label": "COUNTS", "origin": "human", "count": 1},
                                                {"label": "NEAR", "origin": "human", "count": 1}]


def test_relations_of_another_persons_layer_are_refused(any_project: Path) -> None:
    with Store(any_project, annotator="ann") as ann, Store(any_project, annotator="bob") as bob:
        doc = add_doc(ann)
        number, soldiers, _ = spans_of(ann, doc)
        theirs = bob.add_span(doc, span("Bakhmut", "GPE"))
        with pytest.raises(RelationError, match="different people's layers"):
            ann.relations.add(number.id, theirs.id, "LOCATED_IN")
        with pytest.raises(RelationError, match="ann's layer: this is bob's"):
            bob.relations.add(number.id, soldiers.id, "COUNTS")


def test_removing_a_span_removes_its_links_in_one_edit_and_undo_brings_both_back(any_project: Path) -> None:
    with Store(any_project, annotator="ann") as store:
        doc = add_doc(store)
        number, soldiers, place = spans_of(store, doc)
        store.relations.add(number.id, soldiers.id, "COUNTS")
        store.relations.add(soldiers.id, place.id, "LOCATED_IN")
        store.delete_span(soldiers.id)
        assert store.relations.of(doc) == []
        assert store.history(doc, limit=1)[0].action == "delete NORP 'soldiers'"
        assert store.stats()["relations"] == []
    with Store(any_project, annotator="ann") as store:  # after a restart
        store.undo()
        assert [s.text for s in store.spans(doc)] == ["38,000", "soldiers", "Bakhmut"]
        assert described(store, doc) == [("38,000", "COUNTS", "soldiers"), ("soldiers", "LOCATED_IN", "Bakhmut")]
        store.redo()
        assert store.relations.of(doc) == [] and len(store.spans(doc)) == 2
        store.undo()
        store.undo()  # the LOCATED_IN link
        assert described(store, doc) == [("38,000", "COUNTS", "soldiers")]
        assert store.stats()["relations"] == [{"label": "COUNTS", "origin": "human", "count": 1}]


def test_clearing_suggestions_and_taking_a_version_remove_links_undoably(any_store: Store) -> None:
    doc = add_doc(any_store)
    suggested = [span("38,000", "CASUALTIES", layer=NUMBERS, value=38000.0, kind="cardinal"), span("soldiers", "NORP")]
    any_store.save_predictions(doc, suggested, "m", "1")
    any_store.relations.save_predictions(doc, [Link(*suggested, "COUNTS")], "m", "1", copy_to_layer=True)
    links = any_store.relations.of(doc)
    assert [(r.label, r.origin, r.confirmed) for r in links] == [("COUNTS", "model", False)]
    assert any_store.clear_suggestions(doc) == 2
    assert any_store.relations.of(doc) == []
    any_store.undo()
    assert described(any_store, doc) == [("38,000", "COUNTS", "soldiers")]


def test_a_second_person_opening_the_document_gets_the_suggested_links(any_project: Path) -> None:
    with Store(any_project, annotator="ann") as store:
        doc = add_doc(store)
        suggested = [span("38,000", "CASUALTIES", layer=NUMBERS), span("soldiers", "NORP")]
        store.save_predictions(doc, suggested, "m", "1")
        assert store.relations.save_predictions(doc, [Link(*suggested, "COUNTS")], "m", "1") == 1
        assert [(link.head.text, link.child.text) for link in store.relations.predicted_links(doc)] == [
            ("38,000", "soldiers")]
    with Store(any_project, annotator="bob") as bob:
        assert bob.start_layer(doc)
        assert described(bob, doc) == [("38,000", "COUNTS", "soldiers")]
        assert bob.stats()["relation_predictions"] == [{"label": "COUNTS", "model": "m", "count": 1}]


def test_relation_relabel_and_confirm_are_undoable_and_a_removed_label_refuses_undo(any_store: Store) -> None:
    doc = add_doc(any_store)
    number, soldiers, _ = spans_of(any_store, doc)
    relation = any_store.relations.add(number.id, soldiers.id, "COUNTS")
    changed = any_store.relations.update(relation.id, label="SAID")
    assert (changed.label, changed.origin, changed.confirmed) == ("SAID", "human", True)
    any_store.undo()
    assert any_store.relations.relation(relation.id).label == "COUNTS"
    any_store.relations.remove(relation.id)
    assert any_store.relations.remove_label("COUNTS") == 0
    with pytest.raises(UndoRefused, match="relation label COUNTS no longer exists"):
        any_store.undo()
    assert any_store.relations.of(doc) == []


def test_renaming_and_removing_labels_carry_to_their_uses(any_store: Store) -> None:
    doc = add_doc(any_store)
    number, soldiers, _ = spans_of(any_store, doc)
    any_store.relations.add(number.id, soldiers.id, "COUNTS")
    any_store.relations.update_label("COUNTS", new_name="QUANTIFIES")
    assert described(any_store, doc) == [("38,000", "QUANTIFIES", "soldiers")]
    assert any_store.stats()["relations"] == [{"label": "QUANTIFIES", "origin": "human", "count": 1}]
    assert any_store.relations.remove_label("QUANTIFIES") == 1
    assert any_store.relations.of(doc) == [] and any_store.stats()["relations"] == []
    any_store.categories.add_label(CategoryLabel("war", key="w"))
    any_store.categories.toggle(doc, "war")
    any_store.categories.update_label("war", new_name="conflict")
    assert [c.label for c in any_store.categories.of(doc)] == ["conflict"]
    with pytest.raises(ValueError, match="key 'w' is already used"):
        any_store.categories.add_label(CategoryLabel("weather", key="w"))
    assert any_store.categories.remove_label("conflict") == 1
    assert any_store.categories.of(doc) == [] and any_store.stats()["categories"] == []


def test_the_database_itself_refuses_a_dangling_relation(fresh_store: Store) -> None:
    doc = add_doc(fresh_store)
    number, _, _ = spans_of(fresh_store, doc)
    with pytest.raises(Exception, match="FOREIGN KEY"), fresh_store.transaction():
        fresh_store.db.execute("INSERT INTO relations (doc_id, head, child, label, origin, annotator, created) "
                               "VALUES (?, ?, 999, 'COUNTS', 'human', 'tester', 'now')", [doc, number.id])


def test_a_schema_8_project_is_upgraded_with_its_spans_kept(db_path: Path) -> None:
    with Store(db_path, annotator="ann") as store:
        doc = add_doc(store)
        store.add_span(doc, span("Bakhmut", "GPE"))
    conn = sqlite3.connect(db_path)
    for table in ("assignments", "decisions", "link_counts", "relation_predictions", "relations", "relation_labels",
                  "category_predictions", "document_categories", "category_labels", "category_groups"):
        conn.execute(f"DROP TABLE {table}")
    conn.execute("PRAGMA user_version = 8")
    conn.commit()
    conn.close()
    with Store(db_path, annotator="ann") as store:
        assert store.schema_version == SCHEMA_VERSION
        assert [s.text for s in store.spans(doc)] == ["Bakhmut"]
        assert len(store.relations.labels()) == 4


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["toggle", "link", "unlink", "delete", "undo", "redo"]),
                          st.integers(0, 5)), max_size=25))
def test_any_edits_then_undoing_all_leave_nothing_and_the_counters_agree(steps) -> None:
    with tempfile.TemporaryDirectory() as folder, Store(Path(folder) / "p.db", annotator="ann") as store:
        doc = add_doc(store)
        for name in ("a", "b", "c"):
            store.categories.add_label(CategoryLabel(name, "g"))
        store.categories.set_group("g", exclusive=bool(len(steps) % 2))
        words = ["Russia", "38,000", "soldiers", "Bakhmut", "Zelenskyy", "Monday"]
        for word in words:
            store.add_span(doc, span(word, "ORG"))
        base = store.history(limit=1)[0].id

        def mine() -> bool:  # edits of the steps left to undo (the spans' adding stays)
            return any(e.state == "done" and e.id > base for e in store.history(limit=10_000))
        for op, n in steps:
            ids = [s.id for s in store.spans(doc)]
            relations = store.relations.of(doc)
            if op == "toggle":
                store.categories.toggle(doc, "abc"[n % 3])
            elif op == "link" and len(ids) > 1:
                head, child = ids[n % len(ids)], ids[(n + 1) % len(ids)]
                if not any((r.head, r.child) == (head, child) for r in relations):
                    store.relations.add(head, child, "COUNTS")
            elif op == "unlink" and relations:
                store.relations.remove(relations[n % len(relations)].id)
            elif op == "delete" and ids:
                store.delete_span(ids[n % len(ids)])
            elif op == "undo" and mine():
                store.undo()
            elif op == "redo":
                store.redo()
            counted = {(r["label"], r["count"]) for r in store.stats()["relations"]}
            assert counted == {(label, n) for label, n in store.db.execute(
                "SELECT label, count(*) FROM relations GROUP BY label")}
        while mine():
            store.undo()
        assert store.relations.of(doc) == [] and store.categories.of(doc) == []
        assert len(store.spans(doc)) == len(words)
        assert store.stats()["relations"] == [] and store.stats()["categories"] == []


def test_an_import_brings_document_labels_and_relations_all_or_nothing(any_store: Store) -> None:
    spans = [span("38,000", "CASUALTIES", layer=NUMBERS, origin="import"), span("soldiers", "NORP", origin="import"),
             span("Bakhmut", "GPE", origin="import")]
    doc = NewDocument(TEXT, spans=spans, categories=["war", "relevant"], links=[(0, 1, "COUNTS"), (1, 2, "STATIONED_IN")])
    [doc_id] = any_store.add_documents([doc]).added
    assert [(c.label, c.origin) for c in any_store.categories.of(doc_id)] == [("war", "import"), ("relevant", "import")]
    assert described(any_store, doc_id) == [("38,000", "COUNTS", "soldiers"), ("soldiers", "STATIONED_IN", "Bakhmut")]
    assert any_store.relations.label("STATIONED_IN") is not None  # a label the file brought
    assert {r["origin"] for r in any_store.stats()["relations"]} == {"import"}
    bad = NewDocument("Another text about Kyiv.", spans=[span("Kyiv", "GPE", text="Another text about Kyiv.")],
                      links=[(0, 3, "COUNTS")], source="peer.jsonl", line=2)
    with pytest.raises(RelationError, match=r"peer.jsonl, line 2: COUNTS relation joins span 3, which is not among"):
        any_store.add_documents([NewDocument("A third one."), bad])
    assert any_store.count_documents() == 1


def test_an_import_in_chunks_joins_each_relation_to_its_own_spans_and_keeps_the_counters_exact(
        fresh_store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("annotator.storage.imports.CHUNK_SPANS", 5)  # a chunk per document or two
    docs = []
    for i in range(6):
        text = f"{TEXT} Report {i}."
        spans = [span("38,000", "CASUALTIES", text, layer=NUMBERS, value=38000.0, origin="import"),
                 span("soldiers", "NORP", text, origin="import"), span("Bakhmut", "GPE", text, origin="import")]
        monday = text.index("Monday")
        links = [(0, 1, "COUNTS"), (1, 2, "LOCATED_IN"), (1, 2, "LOCATED_IN")] if i % 2 else [(2, 0, "SAID"), (0, 3, "ON")]
        docs.append(NewDocument(text, spans=spans, entities=[(monday, monday + 6, "DATE")], links=links))
    added = fresh_store.add_documents(docs).added
    for i, doc_id in enumerate(added):  # a relation the file repeats is stored once
        assert described(fresh_store, doc_id) == ([("38,000", "COUNTS", "soldiers"), ("soldiers", "LOCATED_IN", "Bakhmut")]
                                                  if i % 2 else [("38,000", "ON", "Monday"), ("Bakhmut", "SAID", "38,000")])
    expected = {("COUNTS", 3), ("LOCATED_IN", 3), ("SAID", 3), ("ON", 3)}  # an end past the spans: an entity row
    assert {(r["label"], r["count"]) for r in fresh_store.stats()["relations"]} == expected
    assert miscounted(fresh_store.db) == 0
    bad = NewDocument("Kyiv.", spans=[span("Kyiv", "GPE", text="Kyiv.")], links=[(0, 1, "COUNTS")], source="f", line=9)
    with pytest.raises(RelationError):  # after chunks of relations were stored: all of them go, and their counts
        fresh_store.add_documents([NewDocument(f"{TEXT} Again {i}.", spans=[span("soldiers", "NORP"), span("Bakhmut", "GPE")],
                                               links=[(0, 1, "LOCATED_IN")]) for i in range(4)] + [bad])
    assert fresh_store.count_documents() == 6 and miscounted(fresh_store.db) == 0
    assert {(r["label"], r["count"]) for r in fresh_store.stats()["relations"]} == expected


def test_the_document_list_shows_and_filters_by_document_label(any_store: Store) -> None:
    ids = [add_doc(any_store, f"Article number {i}.") for i in range(4)]
    any_store.categories.add_label(CategoryLabel("war"))
    any_store.categories.add_label(CategoryLabel("economy"))
    for doc in ids[1:3]:
        any_store.categories.toggle(doc, "war")
    any_store.categories.toggle(ids[2], "economy")
    assert [s.categories for s in any_store.list_documents()] == [(), ("war",), ("economy", "war"), ()]
    assert [s.id for s in any_store.list_documents(category="war")] == ids[1:3]
    assert any_store.count_documents(category="economy") == 1
    assert any_store.position_of(ids[2], category="war") == 1 and any_store.position_of(ids[0], category="war") is None
    assert any_store.summary(ids[2]).categories == ("economy", "war")
    with Store(any_store.path, annotator="bob") as bob:  # another person's labels are theirs
        assert bob.count_documents(category="war") == 0 and bob.summary(ids[2]).categories == ()


def test_removing_a_span_label_removes_the_relations_of_its_spans_and_their_counts(any_store: Store) -> None:
    doc = add_doc(any_store)
    number, soldiers, place = spans_of(any_store, doc)
    any_store.relations.add(number.id, soldiers.id, "COUNTS")
    any_store.relations.add(number.id, place.id, "LOCATED_IN")
    any_store.remove_label("NORP")
    assert described(any_store, doc) == [("38,000", "LOCATED_IN", "Bakhmut")]
    assert any_store.stats()["relations"] == [{"label": "LOCATED_IN", "origin": "human", "count": 1}]


def test_document_labels_and_relations_are_domain_modules_free_of_qt_sql_and_spacy() -> None:
    from test_layering import PACKAGE, imported_modules

    for module in ("categories.py", "relations.py"):
        assert imported_modules(PACKAGE / module) <= {"__future__", "collections", "dataclasses", "annotator"}
