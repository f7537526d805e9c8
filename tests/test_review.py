"""Evaluation, agreement, merging and adjudication on small hand-built projects, with the right
figures worked out by hand in the comments."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from annotator.cli import cli
from annotator.domain import NUMBERS, NewDocument, Span
from annotator.review.agreement import agreement, cohen_kappa
from annotator.review.evaluate import evaluate
from annotator.review.merge import merge
from annotator.storage import NotAProjectError, Store

TEXT = "Alice met Bob in Paris and Berlin today with two aides."


def span(word: str, label: str, **fields) -> Span:
    start = TEXT.index(word)
    return Span.of(TEXT, start, start + len(word), label, **fields)


MODEL = [span("Alice", "PERSON"), span("Bob", "ORG"), span("in", "LOC"), span("Paris", "GPE"),
         span("Berlin today", "GPE"), span("two", "NUMBER", layer=NUMBERS, value=2.0, kind="cardinal")]
HUMAN = [span("Alice", "PERSON"), span("Bob", "PERSON"), span("Paris", "GPE"), span("Berlin", "GPE"),
         span("today", "DATE"), span("two", "NUMBER", layer=NUMBERS, value=3.0, kind="cardinal")]


@pytest.fixture
def reviewed(fresh_store: Store) -> Store:
    doc = fresh_store.add_documents([NewDocument(TEXT)]).added[0]
    fresh_store.save_predictions(doc, MODEL, "en_test", "1.0")
    fresh_store.clear_suggestions(doc)
    for s in HUMAN:
        fresh_store.add_span(doc, s)
    fresh_store.set_status(doc, "done")
    return fresh_store


def test_model_against_human(reviewed: Store) -> None:
    report = evaluate(reviewed)
    exact, overlap = report.scores["exact"]["entities"], report.scores["overlap"]["entities"]
    # Exact: Alice and Paris match; Bob ORG, in LOC, "Berlin today" are wrong; Bob PERSON, Berlin, today missed.
    assert (exact.overall.tp, exact.overall.fp, exact.overall.fn) == (2, 3, 3)
    assert exact.overall.precision == exact.overall.recall == pytest.approx(0.4)
    assert (exact.labels["PERSON"].precision, exact.labels["PERSON"].recall) == (1.0, 0.5)
    # Overlap: "Berlin today" GPE now counts for Berlin GPE: 3 right, 2 wrong, 2 missed.
    assert (overlap.overall.tp, overlap.overall.fp, overlap.overall.fn) == (3, 2, 2)
    assert overlap.overall.f1 == pytest.approx(0.6)
    assert overlap.labels["GPE"].f1 == 1.0
    # "two" is found at the right place with the wrong value (2, the human says 3).
    assert (report.values_right, report.values_found) == (0, 1)
    assert report.as_dict()["edits"] == \
        {"accepted": 2, "relabelled": 1, "resized": 1, "deleted": 1, "value corrected": 1, "added": 1}
    kinds = [(d.kind, (d.predicted or d.gold).text) for _, d in report.disagreements]
    assert kinds == [("wrong label", "Bob"), ("spurious", "in"), ("wrong boundary", "Berlin today"), ("missed", "today"),
                     ("wrong value", "two")]
    assert report.disagreements[-1][1].describe() == "wrong value: model “two” NUMBER = 2 — human “two” NUMBER = 3"


def test_evaluate_command_json_and_html(reviewed: Store, tmp_path: Path) -> None:
    out = tmp_path / "report.html"
    result = CliRunner().invoke(cli, ["evaluate", "--db", str(reviewed.path), "--annotator", "tester", "--json",
                                      "--html", str(out)])
    assert result.exit_code == 0, result.output
    figures = json.loads(result.output)
    assert figures["scores"]["overlap"]["entities"]["overall"]["f1"] == 0.6
    assert figures["number_values"] == {"right": 0, "found": 1, "accuracy": 0.0}
    page = out.read_text(encoding="utf-8")
    assert page.count("<svg") == 4 and "wrong boundary" in page and "http" not in page.split("<body>")[0]


def two_people(db_path: Path) -> None:
    text = "Alice met Bob in Paris and Berlin today."
    put = lambda store, word, label: store.add_span(doc, Span.of(text, text.index(word), text.index(word) + len(word), label))  # noqa: E731
    with Store(db_path, annotator="alice") as alice, Store(db_path, annotator="bob") as bob:
        doc = alice.add_documents([NewDocument(text)]).added[0]
        for word, label in (("Alice", "PERSON"), ("Paris", "GPE"), ("Berlin", "GPE")):
            put(alice, word, label)
        for word, label in (("Alice", "PERSON"), ("Paris", "LOC"), ("Bob", "PERSON")):
            put(bob, word, label)


def test_agreement_between_two_people(db_path: Path) -> None:
    two_people(db_path)
    with Store(db_path) as store:
        [pair] = agreement(store)
    # Span F1 with alice as reference: 1 match (Alice) of 3 each way: P = R = F1 = 1/3.
    assert pair.spans.overall.f1 == pytest.approx(1 / 3)
    # Tokens: Alice met Bob in Paris and Berlin today .  alice: PERSON O O O GPE O GPE O O
    #                                                    bob:   PERSON O PERSON O LOC O O O O
    # observed 6/9; chance (1*2 + 6*6)/81 = 38/81; kappa = (54-38)/(81-38) = 16/43.
    assert pair.kappa == pytest.approx(16 / 43)
    # PERSON alone: observed 8/9, chance (1*2 + 8*7)/81 = 58/81, kappa = (72-58)/(81-58) = 14/23.
    assert pair.label_kappa["PERSON"] == pytest.approx(14 / 23)
    assert len(pair.differences) == 3


def test_kappa_of_identical_constant_labels_is_one() -> None:
    assert cohen_kappa(["O", "O"], ["O", "O"]) == 1.0


def test_merge_keeps_each_person_and_is_idempotent_and_all_or_nothing(tmp_path: Path) -> None:
    text = "Kyiv was hit."
    for person, label in (("alice", "GPE"), ("bob", "LOC")):
        with Store(tmp_path / f"{person}.db", annotator=person) as store:
            docs = [NewDocument(text)] + ([NewDocument("Only Alice has this.")] if person == "alice" else [])
            doc = store.add_documents(docs).added[0]
            store.add_span(doc, Span.of(text, 0, 4, label))
    sources = [tmp_path / "alice.db", tmp_path / "bob.db"]
    result = CliRunner().invoke(cli, ["merge", *map(str, sources), "--into", str(tmp_path / "team.db")])
    assert result.exit_code == 0, result.output
    assert "2 new document(s), 2 annotation layer(s) added" in result.output
    with Store(tmp_path / "team.db") as team:
        doc = team.document_id_for_hash(team.document(team.document_ids()[0]).hash)
        assert {p: [s.label for s in team.spans(doc, annotator=p)] for p in team.annotators(doc)} == \
            {"alice": ["GPE"], "bob": ["LOC"]}
        again = merge(sources, team)
        assert (again.documents_added, again.layers_added, again.layers_already_there) == (0, 0, 2)
    (tmp_path / "broken.db").write_bytes(b"this is not a database" * 100)
    with Store(tmp_path / "fresh.db") as fresh:
        with pytest.raises(NotAProjectError, match=r"broken\.db is not an annotator project"):
            merge([tmp_path / "alice.db", tmp_path / "broken.db"], fresh)
        assert fresh.count_documents() == 0


def test_adjudicate_then_export_the_final_layer(db_path: Path, tmp_path: Path) -> None:
    two_people(db_path)
    result = CliRunner().invoke(cli, ["adjudicate", "--prefer", "bob", "--db", str(db_path)])
    assert result.exit_code == 0 and "Final layer of 1 document(s) taken from bob." in result.output
    with Store(db_path, annotator="final") as final:
        doc = final.document_ids()[0]
        paris = next(s for s in final.spans(doc) if s.text == "Paris")
        final.update_span(paris.id, label="GPE")  # the reviewer corrects bob's version
        final.set_status(doc, "done")
    result = CliRunner().invoke(cli, ["export", "--format", "doccano", str(tmp_path / "final.jsonl"), "--final",
                                      "--db", str(db_path)])
    assert result.exit_code == 0, result.output
    record = json.loads((tmp_path / "final.jsonl").read_text(encoding="utf-8"))
    assert [(record["text"][s:e], label) for s, e, label in record["label"]] == \
        [("Alice", "PERSON"), ("Bob", "PERSON"), ("Paris", "GPE")]
