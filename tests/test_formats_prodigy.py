"""Prodigy's answers both ways: accept is gold, reject is kept apart (never gold, never lost),
ignore stays ignore; who answered and when are kept; the export carries Prodigy's hashes."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner
from murmurhash import hash as murmur

from annotator.cli import cli
from annotator.export import export_documents
from annotator.formats import ReadOptions
from annotator.importing import import_paths
from annotator.storage import Store


def task(text: str, word: str, label: str, answer: str, **extra: object) -> dict:
    start = text.index(word)
    return {"text": text, "spans": [{"start": start, "end": start + len(word), "label": label}], "answer": answer,
            "_input_hash": 1, "_task_hash": 2, **extra}


TASKS = [
    task("Zelenskyy met Blinken in Kyiv.", "Zelenskyy", "PER", "accept", _annotator_id="news-olha",
         _session_id="news-olha", _timestamp=1717000000),
    task("The Pentagon said on Monday.", "Monday", "PER", "reject", _annotator_id="news-taras", _timestamp=1717000100),
    task("Odesa was quiet overnight.", "Odesa", "LOC", "ignore", _session_id="news-2024-06-01_10-00-00"),
]


def imported(tmp_path: Path, store: Store) -> ReadOptions:
    (tmp_path / "answers.jsonl").write_text("".join(json.dumps(t) + "\n" for t in TASKS), encoding="utf-8")
    options = ReadOptions()
    import_paths(store, [tmp_path / "answers.jsonl"], options=options)
    return options


def test_reject_is_kept_apart_from_your_layer_and_every_answer_is_counted(tmp_path: Path, fresh_store: Store) -> None:
    options = imported(tmp_path, fresh_store)
    accepted, rejected, ignored = (fresh_store.document(d) for d in fresh_store.document_ids())
    assert [d.status for d in (accepted, rejected, ignored)] == ["done", "skipped", "skipped"]
    assert [s.text for s in fresh_store.layer(accepted.id, "news-olha")] == ["Zelenskyy"]  # who answered it
    assert fresh_store.spans(rejected.id, annotator="news-taras") == []  # not a layer: done later, nothing is gold
    assert rejected.meta["prodigy"]["rejected"] == [[21, 27, "PER"]]
    assert [s.text for s in fresh_store.layer(ignored.id, "news-2024-06-01_10-00-00")] == ["Odesa"]
    fresh_store.set_status(rejected.id, "done")
    assert fresh_store.spans(rejected.id, annotator="news-taras") == []
    [note] = [n for n in options.notes if "Prodigy answers" in n]
    assert "1 accept (done)" in note and "1 reject (skipped; their 1 span(s) kept apart" in note and "1 ignore" in note


def test_who_answered_and_when_are_kept(tmp_path: Path, fresh_store: Store) -> None:
    imported(tmp_path, fresh_store)
    accepted, rejected, ignored = (fresh_store.document(d).meta for d in fresh_store.document_ids())
    assert (accepted["annotator"], rejected["annotator"], ignored["annotator"]) == (
        "news-olha", "news-taras", "news-2024-06-01_10-00-00")
    assert (accepted["prodigy"]["_timestamp"], rejected["prodigy"]["_timestamp"]) == (1717000000, 1717000100)


def test_answers_go_out_as_they_came_with_prodigy_hashes(tmp_path: Path, fresh_store: Store) -> None:
    imported(tmp_path, fresh_store)
    export_documents(fresh_store, "jsonl", tmp_path / "out.jsonl", status="all")
    out = [json.loads(line) for line in (tmp_path / "out.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [t["answer"] for t in out] == ["accept", "reject", "ignore"]
    assert [[(s["start"], s["end"], s["label"]) for s in t["spans"]] for t in out] == [
        [(0, 9, "PER")], [(21, 27, "PER")], [(0, 5, "LOC")]]
    assert (out[0]["_annotator_id"], out[0]["_session_id"], out[0]["_timestamp"]) == ("news-olha", "news-olha", 1717000000)
    for t in out:  # Prodigy's set_hashes: MurmurHash3 (32-bit, signed) of the input and task keys' sorted JSON
        assert t["_input_hash"] == murmur(json.dumps({"text": t["text"]}, sort_keys=True))
        assert t["_task_hash"] == murmur(str(t["_input_hash"]) + json.dumps({"spans": t["spans"]}, sort_keys=True))
        assert -2**31 <= t["_input_hash"] < 2**31 and -2**31 <= t["_task_hash"] < 2**31
    export_documents(fresh_store, "jsonl", tmp_path / "again.jsonl", status="all")
    again = [json.loads(line) for line in (tmp_path / "again.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [(t["_input_hash"], t["_task_hash"]) for t in again] == [(t["_input_hash"], t["_task_hash"]) for t in out]
    assert len({t["_input_hash"] for t in out}) == 3


def test_each_task_goes_to_the_layer_of_who_answered_it_through_the_command(tmp_path: Path, db_path: Path) -> None:
    text = "Zelenskyy met Blinken in Kyiv."
    tasks = [task(text, "Zelenskyy", "PER", "accept", _annotator_id="news-olha", _timestamp=1717000000,
                  cats={"war": True}),
             task("Odesa was quiet overnight.", "Odesa", "LOC", "accept", _session_id="news-taras"),
             task("Kherson was shelled.", "Kherson", "GPE", "accept")]
    (tmp_path / "answers.jsonl").write_text("".join(json.dumps(t) + "\n" for t in tasks), encoding="utf-8")
    result = CliRunner().invoke(cli, ["import", str(tmp_path / "answers.jsonl"), "--no-detect", "--db", str(db_path)])
    assert result.exit_code == 0, result.output
    with Store(db_path) as store:  # as the command opened it: the importing person
        olha, taras, mine = store.document_ids()
        assert [(s.text, s.annotator) for s in store.spans(olha, annotator="news-olha")] == [("Zelenskyy", "news-olha")]
        assert [s.text for s in store.spans(taras, annotator="news-taras")] == ["Odesa"]
        assert store.spans(olha) == [] and store.spans(taras) == []  # not the importer's
        assert [s.text for s in store.spans(mine)] == ["Kherson"]  # a task that names nobody: the importer's
        assert [c.label for c in store.categories.of(olha, "news-olha")] == ["war"]
        assert {"news-olha", "news-taras", store.annotator} <= set(store.annotators())
        assert store.document(olha).meta["annotator"] == "news-olha"
        assert store.document(olha).meta["prodigy"]["_timestamp"] == 1717000000


def test_an_annotator_name_that_is_not_a_short_name_is_refused(tmp_path: Path, db_path: Path) -> None:
    bad = task("Kyiv.", "Kyiv", "GPE", "accept", _annotator_id="x" * 100_000)
    (tmp_path / "bad.jsonl").write_text(json.dumps(bad) + "\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["import", str(tmp_path / "bad.jsonl"), "--no-detect", "--db", str(db_path)])
    assert result.exit_code != 0 and len(result.output) < 300
    assert f"{tmp_path / 'bad.jsonl'}, line 1: the task's _annotator_id/_session_id must be a name" in result.output
