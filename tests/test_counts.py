"""Suggested COUNTS links: each number -> what it counts, made by detection as suggestions."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from annotator.cli import cli
from annotator.counts import COUNTED, suggest
from annotator.detect.detector import detect_documents
from annotator.detect.pipeline import load_pipeline
from annotator.domain import NUMBERS, NewDocument, Span
from annotator.storage import Store


def number(text: str, word: str, unit: str, kind: str = "cardinal") -> Span:
    start = text.index(word)
    return Span.of(text, start, start + len(word), "NUMBER", layer=NUMBERS, value=1.0, kind=kind, unit=unit)


def entity(text: str, word: str, label: str) -> Span:
    start = text.index(word)
    return Span.of(text, start, start + len(word), label)


def links_of(text: str, spans: list[Span]) -> list[tuple[str, str, str]]:
    _, links = suggest(text, spans)
    return [(link.head.text, link.child.label, link.child.text) for link in links]


def test_a_number_counts_the_entity_that_holds_its_noun() -> None:
    text = "Ukraine says 6 million Ukrainians have fled."
    assert links_of(text, [number(text, "6 million", "ukrainians"), entity(text, "Ukrainians", "NORP")]) == [
        ("6 million", "NORP", "Ukrainians")]


def test_else_it_counts_a_new_span_on_the_noun_phrase_beside_the_entities() -> None:
    text = "Officials estimate 38,000 Russian military casualties."
    assert links_of(text, [number(text, "38,000", "casualties"), entity(text, "Russian", "NORP")]) == [
        ("38,000", COUNTED, "military casualties")]


def test_two_numbers_of_one_noun_share_its_span() -> None:
    text = "They shot down 28 of 38 Russian drones."
    spans = [number(text, "28", "drones"), number(text, "38", "drones"), entity(text, "Russian", "NORP")]
    made, links = suggest(text, spans)
    assert [s.text for s in made] == ["drones"] and [(l.head.text, l.child.text) for l in links] == [
        ("28", "drones"), ("38", "drones")]


def test_durations_measures_and_nouns_out_of_reach_count_nothing() -> None:
    text = "The talks lasted 22 months. Then 5 were seen by the guards at the gate, with drones."
    assert links_of(text, [number(text, "22", "months", "duration"), number(text, "5", "drones")]) == []


def test_detection_suggests_counts_links_and_evaluate_scores_them(db_path: Path) -> None:
    text = "Ukraine says 6 million Ukrainians have fled, and officials counted 38,000 Russian military casualties."
    with Store(db_path, annotator="ann") as store:
        [doc] = store.add_documents([NewDocument(text)]).added
        detect_documents(store, [doc], load_pipeline())
        suggested = [(l.head.text, l.label, l.child.text) for l in store.relations.predicted_links(doc)]
        assert suggested == [("6 million", "COUNTS", "Ukrainians"), ("38,000", "COUNTS", "military casualties")]
        # in the person's layer as suggestions to accept, reject or change
        assert [(l.head.text, l.child.text, l.confirmed) for l in store.relations.links(doc)] == [
            ("6 million", "Ukrainians", False), ("38,000", "military casualties", False)]
        store.set_status(doc, "done")
    result = CliRunner().invoke(cli, ["evaluate", "--db", str(db_path), "--annotator", "ann", "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["relations"]["exact"]["labels"]["COUNTS"]["tp"] == 2
