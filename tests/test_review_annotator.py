"""Evaluation scores a person's own work: a done document they never annotated is not a perfect score."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from annotator.cli import cli
from annotator.domain import NewDocument, Span
from annotator.storage import Store

TEXT = "Alice met Bob in Paris."


def at(word: str, label: str) -> Span:
    start = TEXT.index(word)
    return Span.of(TEXT, start, start + len(word), label)


@pytest.fixture
def team(db_path: Path) -> Path:
    """Alice corrected the model's Bob ORG to PERSON and marked the document done."""
    with Store(db_path, annotator="alice") as alice:
        doc = alice.add_documents([NewDocument(TEXT)]).added[0]
        alice.save_predictions(doc, [at("Alice", "PERSON"), at("Bob", "ORG")], "en_test", "1")
        alice.update_span(next(s for s in alice.spans(doc) if s.text == "Bob").id, label="PERSON")
        alice.set_status(doc, "done")
    return db_path


def evaluate(*args: str):
    return CliRunner().invoke(cli, ["evaluate", *args])


def test_someone_without_annotations_is_told_whose_to_score(team: Path) -> None:
    result = evaluate("--db", str(team), "--annotator", "carol")
    assert result.exit_code != 0
    assert "carol has annotated none of the 1 document(s) marked done" in result.output
    assert "annotators here: alice" in result.output


def test_the_persons_layer_is_scored(team: Path) -> None:
    result = evaluate("--db", str(team), "--annotator", "alice")
    assert result.exit_code == 0, result.output
    # Alice PERSON right; Bob ORG wrong, Bob PERSON missed: P = R = 1/2.
    assert "1 document(s) marked done, annotated by alice" in result.output
    assert "│ overall │ 0.500   │ 0.500" in result.output


def test_the_final_layer_is_scored_with_final(team: Path) -> None:
    with Store(team, annotator="final") as final:
        final.copy_layer(1, "alice")
        final.delete_span(next(s for s in final.spans(1) if s.text == "Alice").id)
    result = evaluate("--db", str(team), "--final", "--json")
    assert result.exit_code == 0, result.output
    # final: Bob PERSON only. Model: Alice PERSON (spurious), Bob ORG (wrong): tp 0, fp 2, fn 1.
    assert '"annotator": "final"' in result.output
    assert '"tp": 0,\n          "fp": 2,\n          "fn": 1' in result.output
