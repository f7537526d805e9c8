"""`evaluate` and `agreement` say exactly what they said before they were made fast.

A small team project is generated (seeded, so always the same): the model's predictions and a
second model's on some documents, three people's layers corrected in every way (relabelled,
resized, deleted, added, number values and resolved dates changed, numbers stacked at one
place), an imported gold, a copy of the suggestions nobody touched, a layer emptied by hand, an
adjudicated layer. Every command's full JSON, and every difference the window lists, are
compared with what they were (tests/data/review_output.json, recorded from the code before).
"""

from __future__ import annotations

import json
import random
from pathlib import Path

from click.testing import CliRunner

from annotator.cli import cli
from annotator.domain import NUMBERS, ORIGIN_IMPORT, ORIGIN_MODEL, NewDocument, Span
from annotator.review.agreement import agreement
from annotator.storage import Store

RECORDED = Path(__file__).resolve().parent / "data" / "review_output.json"
WORDS = ["the", "army", "said", "Kyiv", "and", "Odesa", "were", "hit", "by", "12", "drones", "on", "Tuesday", "while",
         "NATO", "met", "in", "Brussels"]
ENTITY_LABELS = ["PERSON", "GPE", "ORG", "DATE", "NORP"]
NUMBER_LABELS = ["NUMBER", "CASUALTIES", "AMOUNT"]
DAYS = [None, "2024-01-02", "2024-01", "unresolved"]
COMMANDS = {
    "evaluate": ["evaluate", "--json"],
    "evaluate bob": ["evaluate", "--json", "--annotator", "bob"],
    "evaluate final": ["evaluate", "--json", "--final"],
    "evaluate two models mapped": ["evaluate", "--json", "--model", "m1", "--model", "m2", "--map", "PERSON=PER",
                                   "--map", "GPE=LOC", "--map", "NOPE=XYZ"],
    "agreement": ["agreement", "--json"],
}


def places(text: str, rng: random.Random) -> list[tuple[int, int]]:
    """Non-overlapping stretches of one to three words, in text order."""
    words, at = [], 0
    for word in text.split(" "):
        words.append((at, at + len(word)))
        at += len(word) + 1
    out, i = [], rng.randrange(3)
    while i < len(words):
        n = rng.choice([1, 1, 2, 3])
        out.append((words[i][0], words[min(i + n, len(words)) - 1][1]))
        i += n + rng.randrange(1, 4)
    return out


def model_spans(text: str, rng: random.Random) -> list[Span]:
    spans = []
    for start, end in places(text, rng):
        if rng.random() < 0.3:
            value = float(rng.randrange(1, 50))
            spans.append(Span.of(text, start, end, rng.choice(NUMBER_LABELS), layer=NUMBERS, value=value,
                                 kind="cardinal", origin=ORIGIN_MODEL, confirmed=False))
            if rng.random() < 0.3:  # numbers may share a place
                spans.append(Span.of(text, start, end, rng.choice(NUMBER_LABELS), layer=NUMBERS, value=value + 1,
                                     kind="cardinal", origin=ORIGIN_MODEL, confirmed=False))
        else:
            label = rng.choice(ENTITY_LABELS)
            spans.append(Span.of(text, start, end, label, resolved=rng.choice(DAYS) if label == "DATE" else None,
                                 origin=ORIGIN_MODEL, confirmed=False))
    return spans


def corrected(text: str, spans: list[Span], rng: random.Random, origin: str = "human") -> list[Span]:
    """A person's version: some spans relabelled, resized, dropped, values and dates changed, some added."""
    out = []
    entity_ends = [s.end for s in spans if s.layer != NUMBERS]
    for span in spans:
        roll = rng.random()
        if roll < 0.1:
            continue
        if roll < 0.2:
            span = span.with_(label=rng.choice(NUMBER_LABELS if span.layer == NUMBERS else ENTITY_LABELS))
        elif roll < 0.3 and span.end - span.start > 2:
            span = Span.of(text, span.start, span.end - 1, span.label, layer=span.layer, value=span.value,
                           kind=span.kind, resolved=span.resolved)
        elif roll < 0.35 and span.layer == NUMBERS:
            span = span.with_(value=(span.value or 0) + 2)
        elif roll < 0.4 and span.label == "DATE":
            span = span.with_(resolved=rng.choice(DAYS))
        out.append(span.with_(origin=origin, confirmed=True))
    for start, end in places(text, rng)[:3]:  # added by hand where no entity was
        if not any(s.layer != NUMBERS and s.start < end and start < s.end for s in out) and end not in entity_ends:
            out.append(Span.of(text, start, end, rng.choice(["PER", "LOC", "ORG"]), origin=origin))
    return out


def build(path: Path) -> None:
    rng = random.Random(2026)
    texts = [" ".join(rng.choice(WORDS) for _ in range(rng.randrange(20, 60))) + f" ({i})." for i in range(24)]
    with Store(path, annotator="alice") as alice, Store(path, annotator="bob") as bob, \
            Store(path, annotator="carol") as carol:
        ids = alice.add_documents(NewDocument(t) for t in texts).added
        for i, (doc, text) in enumerate(zip(ids, texts)):
            predicted = model_spans(text, rng)
            alice.insert_predictions(doc, predicted, "m1", "1.0")
            if i % 4 == 1:  # a second model, run later: the latest on these documents
                alice.insert_predictions(doc, corrected(text, predicted, rng, ORIGIN_MODEL), "m2", "2.0")
            if i == 3:  # alice's gold here is imported, not corrected from the suggestions
                alice.insert_layer(doc, "alice", corrected(text, predicted, rng, ORIGIN_IMPORT))
            elif i != 5:  # on 5 alice has no layer at all
                alice.insert_layer(doc, "alice", corrected(text, alice.predictions(doc), rng))
            if i % 3:
                bob.insert_layer(doc, "bob", corrected(text, alice.predictions(doc), rng))
            if i % 5 == 0:
                carol.start_layer(doc)  # carol opened it: the suggestions, untouched
            if i % 7 == 0:
                carol.insert_layer(doc, "carol", corrected(text, alice.predictions(doc), rng), replace=True)
            if i % 6 == 0:  # an adjudicated gold imported without numbers, and without some labels
                alice.insert_layer(doc, "final", [s for s in corrected(text, predicted, rng, ORIGIN_IMPORT)
                                                  if s.layer != NUMBERS and s.label not in ("NORP", "ORG")])
            (bob if i == 5 else alice).set_status(doc, "open" if i % 8 == 7 else "done")
        emptied = ids[10]  # bob edits a document down to nothing: a layer with no span
        for span in bob.spans(emptied):
            bob.delete_span(span.id)
        bob.add_span(ids[9], Span.of(texts[9], 0, len(texts[9].split(" ")[0]), "PER"))


def outputs(path: Path) -> dict[str, object]:
    """Each command's JSON, and each pair's differences as the window lists them."""
    found: dict[str, object] = {}
    for name, args in COMMANDS.items():
        result = CliRunner().invoke(cli, [*args, "--db", str(path)] if "--annotator" in args
                                    else [*args, "--db", str(path), "--annotator", "alice"])
        assert result.exit_code == 0, result.output
        found[name] = json.loads(result.output)
    with Store(path, annotator="alice") as store:
        found["differences"] = [
            [[doc_id, d.kind, d.start, d.end, d.describe(pair.second, pair.first)] for doc_id, d in pair.differences]
            for pair in agreement(store)]
    return found


def test_evaluate_and_agreement_say_what_they_said(tmp_path: Path) -> None:
    build(tmp_path / "team.db")
    assert outputs(tmp_path / "team.db") == json.loads(RECORDED.read_text(encoding="utf-8"))
