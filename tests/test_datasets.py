"""Training datasets: every format exports, re-imports to the same documents and spans, and is
accepted by the tools it is for (spaCy's convert, debug data and train)."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from annotator.cli import cli
from annotator.detect.pipeline import read_doc_bin
from annotator.domain import NUMBERS, NewDocument, Span
from annotator.export import export_documents
from annotator.formats import InputError
from annotator.importing import import_paths
from annotator.storage import Store

ARTICLES = [
    "Ukraine’s military said Tuesday it shot down 28 of 38 Russian drones over Kharkiv 🇺🇦.",
    "Volodymyr Zelenskyy said the offensive in Kursk had caused 38,000 Russian military casualties.",
    "=HYPERLINK(\"http://evil\") @Blinken met NATO officials in Brussels on Monday.",
]
ENTITIES = [
    [("Ukraine", "GPE"), ("Tuesday", "DATE"), ("Kharkiv", "GPE")],
    [("Volodymyr Zelenskyy", "PERSON"), ("Kursk", "GPE")],
    [("@Blinken", "PERSON"), ("NATO", "ORG"), ("Brussels", "GPE")],
]
NUMBER_SPANS = [[("28", 28, "drones"), ("38", 38, "drones")], [("38,000", 38000, "casualties")], []]


def build(store: Store) -> list[int]:
    ids = store.add_documents([NewDocument(t, {"date": f"2025-01-0{i + 1}"}) for i, t in enumerate(ARTICLES)]).added
    for doc_id, text, ents, nums in zip(ids, ARTICLES, ENTITIES, NUMBER_SPANS):
        for word, label in ents:
            start = text.index(word)
            store.add_span(doc_id, Span.of(text, start, start + len(word), label))
        for word, value, unit in nums:
            start = text.index(f" {word} ") + 1
            store.add_span(doc_id, Span.of(text, start, start + len(word), "CASUALTIES" if value > 100 else "NUMBER",
                                           layer=NUMBERS, value=value, kind="cardinal", unit=unit, approx=value > 100))
        store.set_status(doc_id, "done")
    return ids


@pytest.fixture
def project(fresh_store: Store) -> Store:
    build(fresh_store)
    return fresh_store


def content(store: Store) -> list[tuple]:
    """What must survive a round trip: texts, statuses, meta and every span's fields."""
    out = []
    for doc in store.iter_documents():
        meta = {k: v for k, v in doc.meta.items() if k not in ("source", "title")}
        spans = [(s.layer, s.start, s.end, s.label, s.text, s.value, s.kind, s.approx, s.unit) for s in store.layer(doc.id)]
        out.append((doc.text, doc.status, meta, spans))
    return out


@pytest.mark.parametrize("fmt, name", [("spacy", "out.spacy"), ("jsonl", "out.jsonl"), ("doccano", "out.jsonl")])
def test_round_trip(project: Store, tmp_path: Path, fmt: str, name: str) -> None:
    report = export_documents(project, fmt, tmp_path / name)
    assert (report.documents, report.spans, report.problems) == (3, 11, [])
    with Store(tmp_path / "copy.db", annotator="other") as copy:
        result = import_paths(copy, [tmp_path / name])
        assert len(result.added) == 3
        assert content(copy) == content(project)
        assert all(s.origin == "import" for d in copy.document_ids() for s in copy.spans(d))


def test_prodigy_lines_are_what_prodigy_writes(project: Store, tmp_path: Path) -> None:
    export_documents(project, "jsonl", tmp_path / "p.jsonl")
    task = json.loads((tmp_path / "p.jsonl").read_text(encoding="utf-8").splitlines()[0])
    assert set(task) == {"text", "meta", "tokens", "spans", "numbers", "answer", "_input_hash", "_task_hash"}
    drones = task["spans"][2]
    assert drones == {"start": task["text"].index("Kharkiv"), "end": task["text"].index("Kharkiv") + 7, "label": "GPE",
                      "token_start": drones["token_start"], "token_end": drones["token_start"]}
    token = task["tokens"][drones["token_start"]]
    assert (token["text"], token["start"], token["end"]) == ("Kharkiv", drones["start"], drones["end"])
    assert task["numbers"][0] == {"start": task["text"].index("28"), "end": task["text"].index("28") + 2, "text": "28",
                                  "label": "NUMBER", "value": 28.0, "approx": False, "kind": "cardinal", "unit": "drones"}
    assert task["answer"] == "accept"


def test_doccano_and_its_entities_variant_import(tmp_path: Path, fresh_store: Store) -> None:
    text = "Kyiv and Kharkiv were hit."
    (tmp_path / "d.jsonl").write_text(
        json.dumps({"text": text, "label": [[0, 4, "GPE"]]}) + "\n"
        + json.dumps({"text": text + " Again.",
                      "entities": [{"id": 1, "start_offset": 9, "end_offset": 16, "label": "GPE"}]}) + "\n",
        encoding="utf-8")
    ids = import_paths(fresh_store, [tmp_path / "d.jsonl"]).added
    assert [[s.text for s in fresh_store.spans(i)] for i in ids] == [["Kyiv"], ["Kharkiv"]]


def test_conll_is_read_back_by_spacy_convert_and_by_us(project: Store, tmp_path: Path) -> None:
    export_documents(project, "conll", tmp_path / "a.conll")
    lines = (tmp_path / "a.conll").read_text(encoding="utf-8").splitlines()
    assert lines[0] == "-DOCSTART- -X- O O" and "Kharkiv B-GPE" in lines and "Zelenskyy I-PERSON" in lines
    converted = tmp_path / "converted"
    converted.mkdir()
    run = subprocess.run([sys.executable, "-m", "spacy", "convert", str(tmp_path / "a.conll"), str(converted), "-c", "ner"],
                         capture_output=True, text=True)
    assert run.returncode == 0, run.stdout + run.stderr
    docs = read_doc_bin((converted / "a.spacy").read_bytes())
    assert [[(e.text, e.label_) for e in d.ents] for d in docs] == ENTITIES
    with Store(tmp_path / "copy.db") as copy:
        ids = import_paths(copy, [tmp_path / "a.conll"]).added
        assert [[(s.text, s.label) for s in copy.spans(i)] for i in ids] == ENTITIES


@pytest.mark.parametrize("scheme, tags", [
    ("IOB1", ["I-PER", "I-PER", "O", "I-LOC"]),
    ("IOB2", ["B-PER", "I-PER", "O", "B-LOC"]),
    ("BILUO", ["B-PER", "L-PER", "O", "U-LOC"]),
])
def test_conll_schemes_written_by_other_tools(fresh_store: Store, tmp_path: Path, scheme: str, tags: list[str]) -> None:
    words = ["Vitali", "Klitschko", "visited", "Kyiv"]
    (tmp_path / "x.iob").write_text("\n".join(f"{w}\tNNP\t{t}" for w, t in zip(words, tags)) + "\n", encoding="utf-8")
    [doc_id] = import_paths(fresh_store, [tmp_path / "x.iob"]).added
    assert fresh_store.document(doc_id).text == "Vitali Klitschko visited Kyiv"
    assert [(s.text, s.label) for s in fresh_store.spans(doc_id)] == [("Vitali Klitschko", "PER"), ("Kyiv", "LOC")]
    assert {"PER", "LOC"} <= {l.name for l in fresh_store.labels()}


def test_csv_rows_neutralise_formulas(project: Store, tmp_path: Path) -> None:
    export_documents(project, "csv", tmp_path / "s.csv")
    rows = list(csv.DictReader((tmp_path / "s.csv").open(encoding="utf-8", newline="")))
    assert len(rows) == 11
    formula = next(r for r in rows if r["label"] == "PERSON" and "Blinken" in r["text"])
    assert formula["text"] == "'@Blinken" and formula["title"].startswith("'=HYPERLINK")
    number = next(r for r in rows if r["text"] == "38,000")
    assert (number["layer"], number["value"], number["unit"]) == ("numbers", "38000.0", "casualties")
    with pytest.raises(InputError, match="table of spans"):
        import_paths(project, [tmp_path / "s.csv"])


def test_a_span_off_token_boundaries_is_reported_not_moved(fresh_store: Store, tmp_path: Path) -> None:
    text = "Kharkiv was hit."
    doc = fresh_store.add_documents([NewDocument(text, status="done")]).added[0]
    fresh_store.add_span(doc, Span.of(text, 0, 5, "GPE"))  # "Khark"
    report = export_documents(fresh_store, "spacy", tmp_path / "x.spacy")
    assert report.spans == 0 and "'Khark' (0-5) does not align with token boundaries" in report.problems[0]
    assert export_documents(fresh_store, "doccano", tmp_path / "x.jsonl").spans == 1  # characters need no tokens


BAD = {
    "range.jsonl": ('{"text": "Kyiv", "spans": [{"start": 0, "end": 9, "label": "GPE"}]}\n', 1, "outside the text"),
    "overlap.jsonl": ('{"text": "ok"}\n{"text": "New York", "label": [[0, 8, "GPE"], [4, 8, "GPE"]]}\n', 2, "overlaps"),
    "triple.jsonl": ('{"text": "Kyiv", "label": [[0, 4]]}\n', 1, "[start, end, \"LABEL\"]"),
    "offsets.jsonl": ('{"text": "Kyiv", "spans": [{"start": "0", "end": 4, "label": "GPE"}]}\n', 1, "whole numbers"),
    "wrongtext.jsonl": ('{"text": "Kyiv", "numbers": [{"start": 0, "end": 4, "text": "Kiev", "value": 1}]}\n', 1, "says 'Kiev'"),
    "tag.conll": ("Kyiv B-GPE\nwas O\nhit X-GPE\n", 3, "unknown tag 'X-GPE'"),
    "onecolumn.conll": ("Kyiv B-GPE\nwas\n", 2, "expected a token and a tag"),
}


@pytest.mark.parametrize("name", sorted(BAD))
def test_bad_annotated_input_names_file_and_line_and_imports_nothing(tmp_path: Path, db_path: Path, name: str) -> None:
    content_, line, message = BAD[name]
    path = tmp_path / name
    path.write_text(content_, encoding="utf-8")
    result = CliRunner().invoke(cli, ["import", str(path), "--db", str(db_path), "--no-detect"])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert f"{path}, line {line}" in result.output and message in result.output
    with Store(db_path) as store:
        assert store.count_documents() == 0


def test_a_damaged_spacy_file_is_refused(tmp_path: Path, fresh_store: Store) -> None:
    (tmp_path / "x.spacy").write_bytes(b"not a docbin")
    with pytest.raises(InputError, match="not a spaCy DocBin file"):
        import_paths(fresh_store, [tmp_path / "x.spacy"])


def test_export_command_with_split(project: Store, tmp_path: Path) -> None:
    out = tmp_path / "corpus"
    result = CliRunner().invoke(cli, ["export", "--format", "spacy", str(out), "--split", "0.67", "--seed", "1",
                                      "--db", str(project.path), "--annotator", "tester"])
    assert result.exit_code == 0, result.output
    train, dev = (read_doc_bin((out / f"{part}.spacy").read_bytes()) for part in ("train", "dev"))
    assert (len(train), len(dev)) == (2, 1)
    assert sorted(d.text for d in train + dev) == sorted(ARTICLES)


@pytest.mark.slow
def test_spacy_debug_data_and_train_accept_the_export(tmp_path: Path, fresh_store: Store) -> None:
    # spaCy's debug data wants at least 100 training examples for a new pipeline.
    people, places = ["Vitali Klitschko", "Antony Blinken", "Serhiy Popko"], ["Kyiv", "Kharkiv", "Kherson", "Sumy"]
    for i in range(130):
        person, place = people[i % 3], places[i % 4]
        text = f"{person} visited {place} on day {i}, officials said."
        doc = fresh_store.add_documents([NewDocument(text, status="done")]).added[0]
        fresh_store.add_span(doc, Span.of(text, 0, len(person), "PERSON"))
        start = text.index(place)
        fresh_store.add_span(doc, Span.of(text, start, start + len(place), "GPE"))
        fresh_store.add_span(doc, Span.of(text, start + len(place) + 8, start + len(place) + 8 + len(str(i)), "NUMBER",
                                          layer=NUMBERS, value=i, kind="cardinal"))
    corpus = tmp_path / "corpus"
    export_documents(fresh_store, "spacy", corpus, split=0.8, seed=2)
    config = tmp_path / "config.cfg"
    spacy_cmd = [sys.executable, "-m", "spacy"]
    subprocess.run([*spacy_cmd, "init", "config", str(config), "-l", "en", "-p", "ner"], check=True, capture_output=True)
    paths = ["--paths.train", str(corpus / "train.spacy"), "--paths.dev", str(corpus / "dev.spacy")]
    debug = subprocess.run([*spacy_cmd, "debug", "data", str(config), *paths], capture_output=True, text=True)
    assert debug.returncode == 0, debug.stdout + debug.stderr
    assert "Corpus is loadable" in debug.stdout
    train = subprocess.run([*spacy_cmd, "train", str(config), "--output", str(tmp_path / "model"), *paths,
                            "--training.max_steps", "20", "--training.eval_frequency", "10"], capture_output=True, text=True)
    assert train.returncode == 0, train.stdout + train.stderr
    assert (tmp_path / "model" / "model-best" / "meta.json").exists()
