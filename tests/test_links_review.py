"""Document labels and relations in the review: stats, evaluate (model against gold), agreement
between people, merge (relations follow their spans to new ids) and adjudication."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from annotator.categories import CategoryLabel
from annotator.cli import cli
from annotator.domain import NUMBERS, NewDocument, Span
from annotator.relations import Link
from annotator.review.adjudicate import FINAL, take_categories, take_version
from annotator.review.links import RelationRow, score_relations
from annotator.review.metrics import EXACT, OVERLAP, Scores
from annotator.storage import Store

TEXTS = ["Russia lost 38,000 soldiers near Bakhmut.", "Kyiv was hit by 12 drones on Monday.",
         "Officials in Odesa said 5 people died."]


def at(text: str, word: str, label: str, **fields) -> Span:
    start = text.index(word)
    return Span.of(text, start, start + len(word), label, **fields)


def run(*args: str) -> str:
    result = CliRunner().invoke(cli, list(args))
    assert result.exit_code == 0, result.output
    return result.output


def labelled(store: Store) -> list[int]:
    """Three documents with spans, and the document labels war / economy (multi-label)."""
    ids = store.add_documents([NewDocument(t) for t in TEXTS]).added
    for name in ("war", "economy"):
        if store.categories.label(name) is None:
            store.categories.add_label(CategoryLabel(name, "topic"))
    return ids


def link(store: Store, doc: int, text: str, head: str, child: str, label: str) -> None:
    spans = {s.text: s for s in store.spans(doc)}
    for word in (head, child):
        if word not in spans:
            spans[word] = store.add_span(doc, at(text, word, "NUMBER" if word[0].isdigit() else "NORP",
                                                 layer=NUMBERS if word[0].isdigit() else "entities"))
    store.relations.add(spans[head].id, spans[child].id, label)


def test_evaluate_scores_a_models_document_labels_and_relations_against_the_gold(db_path: Path) -> None:
    with Store(db_path, annotator="gold") as store:
        ids = labelled(store)
        # the model: war on all three, economy on the first; COUNTS 38,000 -> soldiers, 12 -> drones (wrong: -> Kyiv)
        model_spans = {0: [at(TEXTS[0], "38,000", "NUMBER", layer=NUMBERS), at(TEXTS[0], "soldiers", "NORP")],
                       1: [at(TEXTS[1], "12", "NUMBER", layer=NUMBERS), at(TEXTS[1], "Kyiv", "GPE")],
                       2: [at(TEXTS[2], "5", "NUMBER", layer=NUMBERS), at(TEXTS[2], "people died", "NORP")]}
        for i, doc in enumerate(ids):
            store.insert_predictions(doc, model_spans[i], "m", "1")
            store.categories.save_predictions(doc, {"war": 0.9, "economy": 0.8 if i == 0 else 0.1}, "m", "1")
        store.relations.save_predictions(ids[0], [Link(*model_spans[0], "COUNTS")], "m", "1")
        store.relations.save_predictions(ids[1], [Link(*model_spans[1], "COUNTS")], "m", "1")
        store.relations.save_predictions(ids[2], [Link(*model_spans[2], "COUNTS")], "m", "1")
        # the gold: war on the first two, economy on the third; 38,000 -> soldiers, 12 -> drones, 5 -> people
        store.categories.toggle(ids[0], "war")
        store.categories.toggle(ids[1], "war")
        store.categories.toggle(ids[2], "economy")
        link(store, ids[0], TEXTS[0], "38,000", "soldiers", "COUNTS")
        link(store, ids[1], TEXTS[1], "12", "drones", "COUNTS")
        link(store, ids[2], TEXTS[2], "5", "people", "COUNTS")  # the model's child "people died" overlaps
        for doc in ids:
            store.set_status(doc, "done")
    figures = json.loads(run("evaluate", "--db", str(db_path), "--annotator", "gold", "--json"))
    categories = figures["categories"]
    assert categories["labels"]["war"] == {"tp": 2, "fp": 1, "fn": 0, "precision": 0.6667, "recall": 1.0, "f1": 0.8}
    assert categories["labels"]["economy"] == {"tp": 0, "fp": 1, "fn": 1, "precision": 0.0, "recall": 0.0, "f1": 0.0}
    relations = figures["relations"]
    assert relations["exact"]["overall"] | {} == {"tp": 1, "fp": 2, "fn": 2, "precision": 0.3333, "recall": 0.3333,
                                                  "f1": 0.3333}
    assert relations["overlap"]["overall"]["tp"] == 2  # 5 -> "people died" overlaps 5 -> "people"
    said = run("evaluate", "--db", str(db_path), "--annotator", "gold")
    assert "document labels" in said and "relations" in said and "F1 overlap" in said
    stats = json.loads(run("stats", "--db", str(db_path), "--json"))
    assert {(r["label"], r["count"]) for r in stats["categories"]} == {("war", 2), ("economy", 1)}
    assert stats["relations"] == [{"label": "COUNTS", "origin": "human", "count": 3}]
    assert stats["relation_predictions"] == [{"label": "COUNTS", "model": "m", "count": 3}]
    assert "Relations" in run("stats", "--db", str(db_path))


def test_agreement_gives_kappa_per_document_label_and_relation_f1(db_path: Path) -> None:
    with Store(db_path, annotator="ann") as ann, Store(db_path, annotator="bob") as bob:
        ids = labelled(ann)
        # war: ann 1 1 0 0, bob 1 0 0 0 over four documents -> kappa 0.5
        ids.append(ann.add_documents([NewDocument("A quiet day in Lviv.")]).added[0])
        for store, chosen in ((ann, [0, 1]), (bob, [0])):
            for i in chosen:
                store.categories.toggle(ids[i], "war")
            for doc in ids:
                store.categories.toggle(doc, "economy")  # both give economy everywhere: kappa 1
        link(ann, ids[0], TEXTS[0], "38,000", "soldiers", "COUNTS")
        link(bob, ids[0], TEXTS[0], "38,000", "soldiers", "COUNTS")
        link(bob, ids[1], TEXTS[1], "12", "drones", "COUNTS")
    [pair] = json.loads(run("agreement", "--db", str(db_path), "--json"))
    assert pair["categories"]["kappa"] == {"economy": 1.0, "war": 0.5}
    assert pair["categories"]["labels"]["war"]["f1"] == round(2 / 3, 4)
    assert pair["relations"]["exact"]["overall"]["f1"] == round(2 / 3, 4)
    assert "document labels" in run("agreement", "--db", str(db_path))


def test_merge_carries_relations_to_the_new_span_ids_and_document_labels(tmp_path: Path) -> None:
    with Store(tmp_path / "team.db", annotator="lead") as team:  # the team project already holds other spans
        doc = team.add_documents([NewDocument(TEXTS[0])]).added[0]
        for word in ("Russia", "Bakhmut"):
            team.add_span(doc, at(TEXTS[0], word, "GPE"))
    with Store(tmp_path / "alice.db", annotator="alice") as alice:
        doc = labelled(alice)[0]
        alice.categories.toggle(doc, "war")
        link(alice, doc, TEXTS[0], "38,000", "soldiers", "COUNTS")
        source_ids = sorted(s.id for s in alice.spans(doc))
    run("merge", str(tmp_path / "alice.db"), "--into", str(tmp_path / "team.db"))
    with Store(tmp_path / "team.db", annotator="alice") as team:
        doc = team.document_id_for_hash(Store(tmp_path / "alice.db").document(1).hash)
        [relation] = team.relations.links(doc, "alice")
        assert (relation.head.text, relation.label, relation.child.text) == ("38,000", "COUNTS", "soldiers")
        stored = team.relations.of(doc, "alice")[0]
        assert sorted([stored.head, stored.child]) != source_ids  # new ids, joined again by place
        assert [c.label for c in team.categories.of(doc, "alice")] == ["war"]
    again = run("merge", str(tmp_path / "alice.db"), "--into", str(tmp_path / "team.db"))
    assert "0 annotation layer(s) added, 1 already there" in again


def test_adjudication_takes_spans_with_their_links_and_the_document_labels(db_path: Path) -> None:
    with Store(db_path, annotator="ann") as ann:
        doc = labelled(ann)[0]
        ann.categories.toggle(doc, "war")
        link(ann, doc, TEXTS[0], "38,000", "soldiers", "COUNTS")
    run("adjudicate", "--db", str(db_path), "--prefer", "ann")
    with Store(db_path, annotator=FINAL) as final:
        assert [(r.head.text, r.child.text) for r in final.relations.links(doc)] == [("38,000", "soldiers")]
        assert [c.label for c in final.categories.of(doc)] == ["war"]
        final.undo()  # each taken as an undoable edit
        assert final.categories.of(doc) == []
    with Store(db_path, annotator="bob") as bob:
        bob.add_span(doc, at(TEXTS[0], "38,000", "NUMBER", layer=NUMBERS))
        bob.add_span(doc, at(TEXTS[0], "Bakhmut", "GPE"))
        link(bob, doc, TEXTS[0], "38,000", "Bakhmut", "LOCATED_IN")
    with Store(db_path, annotator=FINAL) as final:
        take_version(final, doc, "bob", 0, len(TEXTS[0]))
        assert sorted(r.label for r in final.relations.links(doc)) == ["LOCATED_IN"]
        assert take_categories(final, doc, "ann") == 1


def rows(pairs) -> list[RelationRow]:
    return [RelationRow(1, label, "entities", h[0], h[1], "X", "entities", c[0], c[1], "Y") for label, h, c in pairs]


places = st.tuples(st.integers(0, 20), st.integers(1, 5)).map(lambda p: (p[0], p[0] + p[1]))
relation = st.tuples(st.sampled_from(["A", "B"]), places, places)


@given(st.lists(relation, max_size=8), st.lists(relation, max_size=8))
def test_relation_scores_count_every_relation_once_and_overlap_finds_at_least_exact(gold, predicted) -> None:
    scores = {EXACT: Scores(), OVERLAP: Scores()}
    score_relations(rows(gold), rows(predicted), scores)
    for mode in (EXACT, OVERLAP):
        total = scores[mode].overall
        assert total.tp + total.fn == len(gold) and total.tp + total.fp == len(predicted)
    assert scores[OVERLAP].overall.tp >= scores[EXACT].overall.tp
    same = {EXACT: Scores()}
    score_relations(rows(gold), rows(gold), same)
    assert same[EXACT].overall.fp == same[EXACT].overall.fn == 0


def test_an_undirected_relation_matches_either_way_round() -> None:
    gold, predicted = rows([("NEAR", (0, 3), (5, 8))]), rows([("NEAR", (5, 8), (0, 3))])
    directed, undirected = {EXACT: Scores()}, {EXACT: Scores()}
    score_relations(gold, predicted, directed)
    score_relations(gold, predicted, undirected, frozenset({"NEAR"}))
    assert (directed[EXACT].overall.tp, undirected[EXACT].overall.tp) == (0, 1)


def test_labels_are_listed_added_renamed_and_removed_from_the_command_line(db_path: Path) -> None:
    db = ["--db", str(db_path)]
    assert "No document labels yet" in run("labels", "list", *db)
    run("labels", "add-category", "relevant", "--group", "relevance", "--single-choice", "--key", "r", *db)
    run("labels", "add-category", "irrelevant", "--group", "relevance", *db)
    run("labels", "add-relation", "ALLIED_WITH", "--undirected", "--head", "GPE", "--child", "GPE", *db)
    run("labels", "rename", "relation", "SAID", "QUOTED", *db)
    assert "Removed the relation label ATTACKED (0 relations lost it)." in run("labels", "remove", "relation", "ATTACKED", *db)
    listed = json.loads(run("labels", "list", "--json", *db))
    assert [(c["name"], c["single_choice"]) for c in listed["categories"]] == [("relevant", True), ("irrelevant", True)]
    assert [r["name"] for r in listed["relations"]] == ["COUNTS", "LOCATED_IN", "QUOTED", "ALLIED_WITH"]
    assert listed["relations"][-1] == {"name": "ALLIED_WITH", "directed": False, "heads": ["GPE"], "children": ["GPE"],
                                       "key": None, "colour": listed["relations"][-1]["colour"]}
    run("labels", "group", "relevance", "--multi-label", *db)
    assert "multi" in run("labels", "list", *db)
    failed = CliRunner().invoke(cli, ["labels", "add-category", "relevant", *db])
    assert failed.exit_code == 1 and failed.output.strip() == "Error: a document label named 'relevant' already exists"
    failed = CliRunner().invoke(cli, ["labels", "remove", "category", "sport", *db])
    assert failed.output.strip() == "Error: no document label 'sport'"
