"""Scoring models against a gold set in another tagset: label mapping, what is left out, the
confusion matrix, several models side by side, and label names kept literal in the HTML report.
Every figure is worked out by hand in the comments."""

from __future__ import annotations

import json
import warnings
from html import escape
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.cli import cli
from annotator.domain import NUMBERS, NewDocument, Span
from annotator.storage import Store

CONLL = """-DOCSTART- -X- O O

Alice B-PER
met O
Bob B-PER
in O
Paris B-LOC
and O
Berlin B-LOC
today O
for O
NATO B-ORG
talks O
with O
two O
Germans B-MISC
. O
"""
TEXT = "Alice met Bob in Paris and Berlin today for NATO talks with two Germans ."


def at(word: str, label: str, **fields) -> Span:
    start = TEXT.index(word)
    return Span.of(TEXT, start, start + len(word), label, **fields)


# An OntoNotes model: Bob taken for an organisation, "Berlin today" too long, and a CARDINAL and
# a number the CoNLL gold does not annotate at all.
ONTO = [at("Alice", "PERSON"), at("Bob", "ORG"), at("Paris", "GPE"), at("Berlin today", "GPE"), at("NATO", "ORG"),
        at("two", "CARDINAL"), at("Germans", "NORP"), at("two", "NUMBER", layer=NUMBERS, value=2.0, kind="cardinal")]
# A model trained on the gold's tagset: only Germans wrong (ORG instead of MISC).
TUNED = [at("Alice", "PER"), at("Bob", "PER"), at("Paris", "LOC"), at("Berlin", "LOC"), at("NATO", "ORG"),
         at("Germans", "ORG")]
MAP = ["--map", "PERSON=PER", "--map", "GPE=LOC", "--map", "NORP=MISC"]


def run(*args: str) -> dict:
    result = CliRunner().invoke(cli, [*args], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    return json.loads(result.output) if "--json" in args else {"output": result.output}


@pytest.fixture
def gold(db_path: Path, tmp_path: Path) -> Path:
    """The CoNLL file imported as gold's layer, marked done on import, with two models' predictions stored."""
    (tmp_path / "gold.conll").write_text(CONLL, encoding="utf-8")
    run("import", str(tmp_path / "gold.conll"), "--status", "done", "--no-detect", "--db", str(db_path),
        "--annotator", "gold")
    with Store(db_path, annotator="gold") as store:
        [doc] = store.document_ids("done")
        assert store.document(doc).text == TEXT
        store.insert_predictions(doc, ONTO, "onto", "3.8")
        store.insert_predictions(doc, TUNED, "tuned", "1")
    return db_path


def evaluate(db: Path, *args: str) -> dict:
    return run("evaluate", "--db", str(db), "--annotator", "gold", "--json", *args)


def test_unmapped_labels_are_listed_not_scored_and_the_confusion_shows_the_mapping(gold: Path) -> None:
    figures = evaluate(gold, "--model", "onto")
    # Gold: Alice PER, Bob PER, Paris LOC, Berlin LOC, NATO ORG, Germans MISC. Of the model's labels
    # only ORG is the gold's: NATO right, Bob ORG wrong. tp 1, fp 1, fn 5: P 1/2, R 1/6,
    # F1 = 2 * 1/2 * 1/6 / (1/2 + 1/6) = 1/4. (Scoring the unknown labels as wrong would give
    # P 1/7 and F1 2/13 = 0.15, blaming the model for the gold's tagset.)
    overall = figures["scores"]["exact"]["entities"]["overall"]
    assert (overall["tp"], overall["fp"], overall["fn"]) == (1, 1, 5)
    assert overall["f1"] == 0.25
    assert figures["not_scored"] == {"entities": {"CARDINAL": 1, "GPE": 2, "NORP": 1, "PERSON": 1},
                                     "numbers": {"NUMBER": 1}}
    assert figures["left_out_layers"] == ["numbers"] and "numbers" not in figures["scores"]["exact"]
    # Which label was given instead of which: PER as PERSON (Alice) and ORG (Bob), LOC as GPE
    # twice (Paris; Berlin, with a boundary too), MISC as NORP.
    assert {(c["gold"], c["model"]): c["count"] for c in figures["confusion"]["entities"]} == \
        {("PER", "PERSON"): 1, ("PER", "ORG"): 1, ("LOC", "GPE"): 2, ("ORG", "ORG"): 1, ("MISC", "NORP"): 1}


def test_mapping_scores_the_model_in_the_gold_tagset(gold: Path) -> None:
    figures = evaluate(gold, "--model", "onto", *MAP)
    # Mapped: Alice PER, Bob ORG, Paris LOC, "Berlin today" LOC, NATO ORG, Germans MISC (CARDINAL
    # stays unscored). Exact: Alice, Paris, NATO, Germans right (4); Bob ORG and "Berlin today"
    # wrong (2); Bob PER and Berlin missed (2): P = R = F1 = 4/6.
    exact = figures["scores"]["exact"]["entities"]
    assert (exact["overall"]["tp"], exact["overall"]["fp"], exact["overall"]["fn"]) == (4, 2, 2)
    assert exact["overall"]["f1"] == pytest.approx(2 / 3, abs=1e-4)
    # PER: Alice right, Bob missed: P 1, R 1/2, F1 2/3.
    assert (exact["labels"]["PER"]["precision"], exact["labels"]["PER"]["recall"]) == (1.0, 0.5)
    # Overlap: "Berlin today" now counts for Berlin: 5 right, 1 wrong, 1 missed: 5/6.
    assert figures["scores"]["overlap"]["entities"]["overall"]["f1"] == pytest.approx(5 / 6, abs=1e-4)
    assert figures["not_scored"]["entities"] == {"CARDINAL": 1}
    assert {(c["gold"], c["model"]): c["count"] for c in figures["confusion"]["entities"]} == \
        {("PER", "PER"): 1, ("PER", "ORG"): 1, ("LOC", "LOC"): 2, ("ORG", "ORG"): 1, ("MISC", "MISC"): 1}
    # An imported gold never saw the suggestions: no edits are counted against it.
    assert set(figures["edits"].values()) == {0}


def test_a_mapping_file_in_either_form(gold: Path, tmp_path: Path) -> None:
    pairs = tmp_path / "onto.map"
    pairs.write_text("# OntoNotes to CoNLL\nPERSON=PER\nGPE\tLOC\n\nNORP = MISC\n", encoding="utf-8")
    as_json = tmp_path / "onto.json"
    as_json.write_text(json.dumps({"PERSON": "PER", "GPE": "LOC", "NORP": "MISC"}), encoding="utf-8")
    for path in (pairs, as_json):
        figures = evaluate(gold, "--model", "onto", "--map-file", str(path))
        assert figures["mapping"] == {"GPE": "LOC", "NORP": "MISC", "PERSON": "PER"}
        assert figures["scores"]["exact"]["entities"]["overall"]["f1"] == pytest.approx(2 / 3, abs=1e-4)
    # --map adds to (and wins over) the file; a target the gold never uses is pointed out.
    figures = evaluate(gold, "--model", "onto", "--map-file", str(pairs), "--map", "NORP=NATIONALITY")
    assert figures["unused_mapping"] == ["NATIONALITY"]
    assert figures["not_scored"]["entities"] == {"CARDINAL": 1, "NATIONALITY": 1}


def test_a_bad_mapping_is_one_line(gold: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad.map"
    bad.write_text("PERSON=PER\nGPE LOC\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["evaluate", "--db", str(gold), "--annotator", "gold", "--map-file", str(bad)])
    assert result.exit_code == 1
    assert result.output.strip().splitlines() == [f"Error: {bad}, line 2: expected MODEL_LABEL=GOLD_LABEL, found 'GPE LOC'"]
    result = CliRunner().invoke(cli, ["evaluate", "--db", str(gold), "--annotator", "gold", "--map", "PERSON"])
    assert result.exit_code == 1 and "expected MODEL_LABEL=GOLD_LABEL, found 'PERSON'" in result.output


def test_two_models_side_by_side(gold: Path) -> None:
    figures = evaluate(gold, "--model", "onto", "--model", "tuned", *MAP)
    onto, tuned = figures["models"]
    assert (onto["model"], tuned["model"]) == ("onto 3.8 (stored)", "tuned 1 (stored)")
    assert onto["documents"] == tuned["documents"] == 1
    # tuned: all right but Germans ORG (fp) instead of MISC (fn): tp 5, fp 1, fn 1: 5/6.
    assert tuned["scores"]["exact"]["entities"]["overall"]["f1"] == pytest.approx(5 / 6, abs=1e-4)
    assert onto["scores"]["exact"]["entities"]["overall"]["f1"] == pytest.approx(2 / 3, abs=1e-4)
    assert {(c["gold"], c["model"]): c["count"] for c in tuned["confusion"]["entities"]
            if c["gold"] != c["model"]} == {("MISC", "ORG"): 1}
    table = run("evaluate", "--db", str(gold), "--annotator", "gold", "--model", "onto", "--model", "tuned",
                *MAP)["output"]
    assert "onto 3.8 (stored)" in table and "tuned 1 (stored)" in table
    assert "0.667 / 0.833" in table and "0.833 / 0.833" in table  # overall F1 exact / overlap per model
    assert "numbers left out: the gold has no spans in this layer" in table
    assert "onto 3.8 (stored): not scored, labels the gold does not annotate: entities CARDINAL (1); numbers NUMBER (1)" in table
    assert "tuned 1 (stored): not scored" not in table and "Suggestions" not in table


def test_fresh_pipelines_beside_stored_predictions(gold: Path, tmp_path: Path) -> None:
    import spacy

    nlp = spacy.blank("en")
    nlp.add_pipe("entity_ruler").add_patterns([{"label": "PER", "pattern": "Alice"}, {"label": "LOC", "pattern": "Paris"}])
    nlp.to_disk(tmp_path / "rules")
    with Store(gold) as store:
        store.register_model("rules-v1", str(tmp_path / "rules"), {})
    figures = evaluate(gold, "--model", str(tmp_path / "rules"), "--model", "rules-v1", "--model", "tuned")
    by_path, registered, tuned = figures["models"]
    assert by_path["model"].endswith("(fresh run)") and registered["model"] == by_path["model"]
    # Alice and Paris right, nothing wrong, 4 missed: P 1, R 1/3, F1 1/2. The rules find numbers
    # too, but the gold has none: left out.
    assert by_path["scores"] == registered["scores"]
    assert by_path["scores"]["exact"]["entities"]["overall"]["f1"] == 0.5
    assert by_path["left_out_layers"] == ["numbers"] and tuned["documents"] == 1
    result = CliRunner().invoke(cli, ["evaluate", "--db", str(gold), "--model", "no-such-model"])
    assert result.exit_code == 1 and len(result.output.strip().splitlines()) == 1
    assert "cannot load the spaCy pipeline 'no-such-model'" in result.output


def test_resolved_dates_scored_where_the_model_found_the_date(db_path: Path) -> None:
    text = "Kyiv was hit on Monday, last week and in March."
    date = lambda word, resolved: Span.of(text, text.index(word), text.index(word) + len(word), "DATE",  # noqa: E731
                                          resolved=resolved)
    with Store(db_path, annotator="gold") as store:
        doc = store.add_documents([NewDocument(text, meta={"date": "2024-01-03"})]).added[0]
        for span in (date("Monday", "2024-01-01"), date("last week", "2023-12-25/2023-12-31"),
                     date("in March", "2024-03")):
            store.add_span(doc, span)
        store.set_status(doc, "done")
        # Monday resolved right; last week resolved to this week (wrong); "March" at another place.
        store.insert_predictions(doc, [date("Monday", "2024-01-01"), date("last week", "2024-01-01/2024-01-07"),
                                       date("March", "2024-03")], "dated", "1")
    figures = evaluate(db_path, "--model", "dated")
    # Found at the right place: Monday and last week; of them one resolved right: 1 of 2.
    assert figures["resolved_dates"] == {"right": 1, "found": 2, "accuracy": 0.5}
    output = run("evaluate", "--db", str(db_path), "--annotator", "gold", "--model", "dated")["output"]
    assert "Dates resolved right: 1 of 2 found at the right place (50.0%)" in output


def test_label_names_are_literal_in_the_html_report(db_path: Path, tmp_path: Path) -> None:
    (tmp_path / "odd.conll").write_text("Alice B-$\\foo$\nmet O\nBob B-<b>x</b>\n", encoding="utf-8")
    run("import", str(tmp_path / "odd.conll"), "--status", "done", "--no-detect", "--db", str(db_path),
        "--annotator", "gold")
    with Store(db_path, annotator="gold") as store:
        [doc] = store.document_ids("done")
        text = store.document(doc).text
        store.insert_predictions(doc, [Span.of(text, 0, 5, "$\\foo$"), Span.of(text, 10, 13, "PERSON")], "odd", "1")
    out = tmp_path / "report.html"
    result = CliRunner().invoke(cli, ["evaluate", "--db", str(db_path), "--annotator", "gold", "--model", "odd",
                                      "--map", "PERSON=<b>x</b>", "--html", str(out)])
    assert result.exit_code == 0, result.output
    page = out.read_text(encoding="utf-8")
    # Drawn as it is written, in the chart's text and in the tables; markup only escaped.
    assert ">$\\foo$</text>" in page and "<td>$\\foo$</td>" in page
    assert "<b>" not in page and "&lt;b&gt;x&lt;/b&gt;" in page
    assert "$\\foo$" in result.output and "<b>x</b>" in result.output


NAMES = st.text(st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp")), min_size=1, max_size=12)


@settings(max_examples=20, deadline=None)
@given(st.lists(NAMES, min_size=1, max_size=8, unique=True))
def test_any_label_name_is_drawn_as_written(names: list[str]) -> None:
    from annotator.review.metrics import Counts
    from annotator.review.report_html import chart

    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no glyph warnings either: the browser draws the text
        svg = chart([(name, Counts(1, 1, 0)) for name in names], "entities (exact)")
    for name in names:
        assert f">{escape(name, quote=False)}</text>" in svg


def test_a_gold_document_without_entities_keeps_the_model_out_of_the_persons_layer(tmp_path: Path) -> None:
    """A file that says "done, and there are no spans" is gold: detection on import stores the model's
    spans as predictions only, export writes none, and evaluate counts each of them a false positive."""
    gold = tmp_path / "gold.jsonl"
    article = {"text": "Zelenskyy met Blinken in Kyiv on Tuesday.", "spans": [], "meta": {"status": "done"}}
    gold.write_text(json.dumps(article) + "\n")
    db = str(tmp_path / "gold.db")
    run("import", str(gold), "--status", "done", "--db", db)
    with Store(Path(db)) as store:
        assert len(store.predictions(1)) >= 3 and store.spans(1) == []
    run("export", str(tmp_path / "out.jsonl"), "--format", "jsonl", "--db", db)
    assert json.loads((tmp_path / "out.jsonl").read_text())["spans"] == []
    report = run("evaluate", "--json", "--db", db)
    overall = report["scores"]["exact"]["entities"]["overall"]
    assert (report["documents"], overall["tp"], overall["fn"], overall["precision"], overall["f1"]) == (1, 0, 0, 0.0, 0.0)
    assert overall["fp"] >= 3


def test_a_fresh_run_says_which_dates_the_model_and_the_date_finder_suggested(db_path: Path, tmp_path: Path) -> None:
    """The model (here a ruler tagging "Monday") and the rule-based date finder ("last night")."""
    import spacy

    nlp = spacy.blank("en")
    nlp.add_pipe("entity_ruler").add_patterns([{"label": "DATE", "pattern": "Monday"}])
    nlp.to_disk(tmp_path / "dated")
    text = "Police said on Monday that a fire broke out last night."
    date = lambda word, resolved: Span.of(text, text.index(word), text.index(word) + len(word), "DATE",  # noqa: E731
                                          resolved=resolved)
    with Store(db_path, annotator="gold") as store:
        doc = store.add_documents([NewDocument(text, meta={"date": "2024-01-03"})]).added[0]
        for span in (date("Monday", "2024-01-01"), date("last night", "2024-01-02")):
            store.add_span(doc, span)
        store.set_status(doc, "done")
    figures = evaluate(db_path, "--model", str(tmp_path / "dated"))
    assert figures["resolved_dates"] == {"right": 2, "found": 2, "accuracy": 1.0, "suggested_by": {"model": 1, "rules": 1}}
    output = run("evaluate", "--db", str(db_path), "--annotator", "gold", "--model", str(tmp_path / "dated"))["output"]
    assert "Dates resolved right: 2 of 2 found at the right place (100.0%); DATE suggestions: 1 by the model, 1 by the rules" \
        in output
