"""Training on the project's labels: a tiny real ``spacy train`` run, and what a user then gets —
a registered, versioned model that ``detect --model NAME`` uses, numbers labelled by the trained
classifier, and the human's layer untouched."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from annotator.cli import cli
from annotator.domain import ENTITIES, NUMBERS, OPEN, NewDocument
from annotator.storage import Store
from annotator.train.synthetic import labelled_news
from annotator.train.trainer import Settings, train

STEPS = "30"


def run(db: Path, *args: str) -> object:
    return CliRunner().invoke(cli, ["--db", str(db), "--annotator", "tester", *args], catch_exceptions=False)


def f1(gold: set, found: set) -> float:
    hits = len(gold & found)
    return 2 * hits / (len(gold) + len(found)) if gold or found else 1.0


@pytest.fixture(scope="module")
def trained(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, object]:
    """A project of 30 generated done documents and a model trained on them for 30 steps."""
    folder = tmp_path_factory.mktemp("trained")
    db = folder / "project.db"
    with Store(db, annotator="tester") as store:
        store.add_documents(labelled_news(30, seed=3))
    result = run(db, "train", "--output", str(folder / "models" / "news"), "--max-steps", STEPS)
    return db, folder, result


def test_train_reports_and_registers_a_versioned_model(trained) -> None:
    db, folder, result = trained
    assert result.exit_code == 0, result.output
    assert "Registered as 'news'" in result.output
    model = folder / "models" / "news" / "v1" / "model-best"
    meta = json.loads((model / "meta.json").read_text())
    assert (meta["name"], meta["version"]) == ("news", "0.1.0")
    record = meta["annotator"]
    assert record["annotator"] == "tester"
    assert record["documents"] == {"train": 24, "dev": 6}
    assert record["labels"] == {ENTITIES: ["GPE", "ORG", "PERSON"], NUMBERS: ["AMOUNT", "CASUALTIES", "NUMBER", "WEAPONS"]}
    assert record["base"]["name"].startswith("en_core_web_sm")
    listed = run(db, "models", "--json")
    rows = json.loads(listed.output)
    assert [(r["name"], r["version"], r["path"]) for r in rows] == [("news", "0.1.0", str(model.resolve()))]
    assert rows[0]["ents_f"] > 0.5 and rows[0]["spans_numbers_f"] is not None


def test_detect_by_model_name_scores_above_chance_and_keeps_human_edits(trained) -> None:
    db, _, _ = trained
    with Store(db, annotator="tester") as store:
        ids = store.document_ids()
        human_before = {i: store.layer(i) for i in ids}
    result = run(db, "detect", "--all", "--model", "news")
    assert result.exit_code == 0, result.output
    with Store(db, annotator="tester") as store:
        assert {i: store.layer(i) for i in ids} == human_before  # never overwritten
        gold = {(i, s.start, s.end, s.label) for i in ids for s in human_before[i] if s.layer == ENTITIES}
        found = {(i, s.start, s.end, s.label) for i in ids for s in store.predictions(i, layer=ENTITIES)}
        numbers = {(i, s.start, s.end): s.label for i in ids for s in human_before[i] if s.layer == NUMBERS}
        predicted = {(i, s.start, s.end): s.label for i in ids for s in store.predictions(i, layer=NUMBERS)}
        assert {model for model, _ in store.prediction_models()} == {"en_news"}
    assert f1(gold, found) > 0.6
    # The classifier gives the rule-found numbers a person's labels, not all NUMBER.
    same = [k for k in numbers if k in predicted]
    right = sum(numbers[k] == predicted[k] for k in same)
    assert len(same) == len(numbers)
    assert right / len(same) > 0.6
    assert {"CASUALTIES", "WEAPONS", "AMOUNT"} <= set(predicted.values())


def test_new_documents_are_pre_annotated_with_the_trained_model(trained, tmp_path: Path) -> None:
    _, folder, _ = trained
    db = tmp_path / "other.db"
    with Store(db, annotator="tester") as store:
        store.add_documents(NewDocument(d.text, status=OPEN) for d in labelled_news(3, seed=99))
    model = folder / "models" / "news" / "v1" / "model-best"
    assert run(db, "detect", "--model", str(model)).exit_code == 0
    with Store(db, annotator="tester") as store:
        labels = {s.label for i in store.document_ids() for s in store.layer(i)}
    assert {"PERSON", "GPE"} <= labels and labels & {"CASUALTIES", "WEAPONS", "AMOUNT"}


def test_a_stopped_training_keeps_the_best_model_and_the_next_run_is_a_new_version(tmp_path: Path) -> None:
    with Store(tmp_path / "p.db", annotator="tester") as store:
        store.add_documents(labelled_news(8, seed=5))
        seen: list[int] = []

        def stop_after_first_score() -> bool:
            return bool(seen)

        first = train(store, Settings(tmp_path / "m", max_steps=5000), progress=lambda p: seen.append(p.step)
                      if p.dev_f1 is not None else None, cancelled=stop_after_first_score)
        assert not first.finished and first.record["finished"] is False
        assert first.path == tmp_path / "m" / "v1" / "model-best" and (first.path / "meta.json").exists()
        second = train(store, Settings(tmp_path / "m", base="blank", max_steps=2))
        assert (second.version, second.path.parent.name, second.record["base"]["name"]) == ("0.2.0", "v2", "blank")
        assert [(m["name"], m["info"]["version"]) for m in store.models()] == [("m", "0.2.0")]


def test_training_errors_are_one_line(tmp_path: Path) -> None:
    db = tmp_path / "p.db"
    with Store(db, annotator="tester") as store:
        store.add_documents(labelled_news(1, seed=1))
    result = run(db, "train", "--output", str(tmp_path / "m"))
    assert result.exit_code == 1
    assert result.output.strip() == "Error: training needs at least 2 done documents with annotations; this project has 1"
    result = run(db, "detect", "--model", "no_such_model")
    assert result.exit_code == 1 and len(result.output.strip().splitlines()) == 1


def test_a_base_that_does_not_load_is_one_line_and_leaves_no_version_behind(tmp_path: Path) -> None:
    db = tmp_path / "p.db"
    with Store(db, annotator="tester") as store:
        store.add_documents(labelled_news(2, seed=1))
    result = run(db, "train", "--output", str(tmp_path / "m"), "--base", "no_such_pipeline")
    assert result.exit_code == 1
    assert result.output.startswith("Error: cannot load the base pipeline 'no_such_pipeline'")
    assert len(result.output.strip().splitlines()) == 1
    assert list((tmp_path / "m").iterdir()) == []


def test_train_curve_prints_dev_f1_per_share(tmp_path: Path) -> None:
    db = tmp_path / "p.db"
    with Store(db, annotator="tester") as store:
        store.add_documents(labelled_news(10, seed=2))
    result = run(db, "train-curve", "--max-steps", "2", "--base", "blank")
    assert result.exit_code == 0, result.output
    rows = [line for line in result.output.splitlines() if "%" in line and "│" in line]
    assert [r.split("│")[1].strip() for r in rows] == ["25%", "50%", "75%", "100%"]
    assert [r.split("│")[2].strip() for r in rows] == ["2", "4", "6", "8"]
    with Store(db, annotator="tester") as store:
        assert store.models() == []
