"""Several people's answers on one text, as Prodigy's multi-user sessions write them (`db-out`: one
task per session, the same `_input_hash`) and as a Label Studio 1.x task holds them (several
annotations, each with its `completed_by`): one document, each person's layer, `agreement` between
them; `export --all-layers` gives each person's answer back, and a round trip keeps the layers."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st
from murmurhash import hash as murmur

from annotator.cli import cli
from annotator.export import export_documents
from annotator.formats import WriteOptions
from annotator.importing import import_paths
from annotator.review.agreement import agreement
from annotator.storage import Store

TEXT = "Zelenskyy met Blinken in Kyiv on Monday 👍🏽 after talks in Odesa."
OTHER = "Kherson was shelled overnight."
WORDS = ("Zelenskyy", "Blinken", "Kyiv", "Monday", "Odesa")


def prodigy_task(text: str, session: str, found: list[tuple[str, str]], answer: str = "accept",
                 timestamp: int = 1717000000) -> dict:
    """A task as Prodigy's db-out writes it after ner.manual in a named session (`?session=alice`):
    tokens, spans with token indices, the view, the answer, and who and when."""
    words = text.split(" ")
    tokens, at = [], 0
    for i, word in enumerate(words):
        tokens.append({"text": word, "start": at, "end": at + len(word), "id": i, "ws": i < len(words) - 1})
        at += len(word) + 1
    spans = []
    for word, label in found:
        start = text.index(word)
        first = next(t["id"] for t in tokens if t["start"] <= start < t["end"] + 1)
        last = next(t["id"] for t in tokens if t["start"] < start + len(word) <= t["end"])
        spans.append({"start": start, "end": start + len(word), "token_start": first, "token_end": last, "label": label})
    input_hash = murmur(json.dumps({"text": text}, sort_keys=True))
    return {"text": text, "meta": {"source": "news"}, "_input_hash": input_hash, "_task_hash": murmur(str(input_hash)),
            "_is_binary": False, "tokens": tokens, "_view_id": "ner_manual", "spans": spans, "answer": answer,
            "_timestamp": timestamp, "_annotator_id": f"news_ner-{session}", "_session_id": f"news_ner-{session}"}


def db_out(tmp_path: Path, tasks: list[dict], name: str = "news_ner.jsonl") -> Path:
    path = tmp_path / name
    path.write_text("".join(json.dumps(t, ensure_ascii=False) + "\n" for t in tasks), encoding="utf-8")
    return path


def layers(store: Store) -> dict[tuple[str, str], list[tuple[str, str]]]:
    """Each (text, person)'s spans as (words, label)."""
    found = {}
    for doc_id in store.document_ids():
        text = store.document(doc_id).text
        for person in store.annotators(doc_id):
            found[text, person] = [(s.text, s.label) for s in store.spans(doc_id, annotator=person)]
    return found


ALICE = [("Zelenskyy", "PER"), ("Blinken", "PER"), ("Kyiv", "GPE")]
BOB = [("Zelenskyy", "PER"), ("Blinken", "ORG"), ("Odesa", "GPE")]
SESSIONS = [prodigy_task(TEXT, "alice", ALICE, timestamp=1717000000),
            prodigy_task(OTHER, "alice", [("Kherson", "GPE")], timestamp=1717000050),
            prodigy_task(TEXT, "bob", BOB, answer="ignore", timestamp=1717000100),
            prodigy_task(OTHER, "bob", [("Kherson", "LOC")], timestamp=1717000150)]


def test_two_sessions_answers_on_one_text_are_one_document_with_each_persons_layer(tmp_path: Path,
                                                                                  any_project: Path | str) -> None:
    db_path = any_project  # a file, then a database on a PostgreSQL server
    result = CliRunner().invoke(cli, ["import", str(db_out(tmp_path, SESSIONS)), "--no-detect", "--db", str(db_path)])
    assert result.exit_code == 0, result.output
    assert "Imported 2 document(s)" in result.output and "Skipped" not in result.output
    assert "2 answer(s) by another person on a text already read became that person's layer" in result.output
    with Store(db_path) as store:
        assert layers(store) == {(TEXT, "news_ner-alice"): ALICE, (TEXT, "news_ner-bob"): BOB,
                                 (OTHER, "news_ner-alice"): [("Kherson", "GPE")], (OTHER, "news_ner-bob"): [("Kherson", "LOC")]}
        first = store.document(store.document_ids()[0])
        assert first.status == "done"  # alice accepted: her gold is there, though bob ignored it
    result = CliRunner().invoke(cli, ["agreement", "--json", "--db", str(db_path)])
    assert result.exit_code == 0, result.output
    [pair] = json.loads(result.output)
    assert pair["annotators"] == ["news_ner-alice", "news_ner-bob"] and pair["documents"] == 2
    assert pair["span_f1"] == 0.25  # of alice's 4 spans and bob's 4, one is the same (Zelenskyy PER): P = R = 1/4


def test_each_persons_answer_goes_out_as_their_own_task_and_comes_back_as_their_layer(tmp_path: Path, db_path: Path) -> None:
    with Store(db_path, annotator="lead") as store:
        import_paths(store, [db_out(tmp_path, SESSIONS)])
        before = agreement(store)[0].as_dict()
        report = export_documents(store, "jsonl", tmp_path / "out.jsonl", status="all",
                                  options=WriteOptions(all_layers=True))
    assert report.documents == 2
    out = [json.loads(line) for line in (tmp_path / "out.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [(t["text"], t["_annotator_id"], t["_session_id"], t["answer"], t["_timestamp"]) for t in out] == [
        (TEXT, "news_ner-alice", "news_ner-alice", "accept", 1717000000),
        (TEXT, "news_ner-bob", "news_ner-bob", "ignore", 1717000100),
        (OTHER, "news_ner-alice", "news_ner-alice", "accept", 1717000050),
        (OTHER, "news_ner-bob", "news_ner-bob", "accept", 1717000150)]
    assert [[(s["start"], s["end"], s["label"]) for s in t["spans"]] for t in out[:2]] == [
        [(TEXT.index(w), TEXT.index(w) + len(w), label) for w, label in found] for found in (ALICE, BOB)]
    assert out[0]["_input_hash"] == out[1]["_input_hash"] != out[2]["_input_hash"]  # one text, as Prodigy hashes it
    assert "answers" not in out[0]["meta"]
    with Store(tmp_path / "again.db", annotator="someone") as again:
        import_paths(again, [tmp_path / "out.jsonl"])
        assert layers(again) == {(TEXT, "news_ner-alice"): ALICE, (TEXT, "news_ner-bob"): BOB,
                                 (OTHER, "news_ner-alice"): [("Kherson", "GPE")], (OTHER, "news_ner-bob"): [("Kherson", "LOC")]}
        assert agreement(again)[0].as_dict() == before


def test_a_rejecting_answer_is_kept_apart_and_goes_out_again_beside_the_accepting_one(tmp_path: Path, fresh_store: Store) -> None:
    tasks = [prodigy_task(TEXT, "alice", ALICE), prodigy_task(TEXT, "bob", [("Monday", "PER")], answer="reject")]
    import_paths(fresh_store, [db_out(tmp_path, tasks)])
    [doc_id] = fresh_store.document_ids()
    assert fresh_store.spans(doc_id, annotator="news_ner-bob") == []  # a reject is not gold
    export_documents(fresh_store, "jsonl", tmp_path / "out.jsonl", status="all", options=WriteOptions(all_layers=True))
    out = [json.loads(line) for line in (tmp_path / "out.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [(t["_annotator_id"], t["answer"], [s["label"] for s in t["spans"]]) for t in out] == [
        ("news_ner-alice", "accept", ["PER", "PER", "GPE"]), ("news_ner-bob", "reject", ["PER"])]


def test_the_same_persons_second_answer_and_a_text_stored_before_stay_duplicates(tmp_path: Path, fresh_store: Store) -> None:
    import_paths(fresh_store, [db_out(tmp_path, [prodigy_task(OTHER, "alice", [("Kherson", "GPE")])], "earlier.jsonl")])
    tasks = [prodigy_task(TEXT, "alice", ALICE), prodigy_task(TEXT, "alice", BOB), prodigy_task(OTHER, "bob", [])]
    result = import_paths(fresh_store, [db_out(tmp_path, tasks)])
    assert (len(result.added), result.joined, len(result.duplicates)) == (1, 0, 2)
    assert layers(fresh_store) == {(OTHER, "news_ner-alice"): [("Kherson", "GPE")], (TEXT, "news_ner-alice"): ALICE}


def labelstudio_task(text: str, annotations: list[tuple[object, list[tuple[str, str]]]], task_id: int = 1) -> dict:
    """A task as Label Studio 1.x exports it (JSON): its annotations, each with its `completed_by`
    (a user's id, or an object with id and email) and `labels` results in code points."""
    return {"id": task_id, "data": {"text": text}, "predictions": [], "annotations": [
        {"id": 100 + n, "completed_by": who, "was_cancelled": False, "ground_truth": False, "lead_time": 12.5,
         "created_at": "2026-11-02T20:38:25.027900Z", "task": task_id, "result": [
             {"id": f"r{n}-{i}", "from_name": "label", "to_name": "text", "type": "labels", "origin": "manual",
              "value": {"start": text.index(w), "end": text.index(w) + len(w), "text": w, "labels": [label]}}
             for i, (w, label) in enumerate(found)]}
        for n, (who, found) in enumerate(annotations)]}


def test_a_label_studio_tasks_annotations_are_each_persons_layer_both_ways(tmp_path: Path, db_path: Path) -> None:
    tasks = [labelstudio_task(TEXT, [({"id": 1, "email": "olha@example.org", "first_name": "", "last_name": ""}, ALICE),
                                     (2, BOB), (2, [("Kyiv", "LOC")])]),
             labelstudio_task(OTHER, [(2, [("Kherson", "LOC")])], task_id=2)]
    (tmp_path / "export.json").write_text(json.dumps(tasks, ensure_ascii=False), encoding="utf-8")
    result = CliRunner().invoke(cli, ["import", str(tmp_path / "export.json"), "--no-detect", "--db", str(db_path)])
    assert result.exit_code == 0, result.output
    assert "1 further annotation(s) by the same person (the first was taken)" in result.output
    with Store(db_path) as store:
        assert layers(store) == {(TEXT, "olha@example.org"): ALICE, (TEXT, "2"): BOB, (OTHER, "2"): [("Kherson", "LOC")]}
        assert store.spans(store.document_ids()[0]) == []  # not the importer's
        before = agreement(store)[0].as_dict()
    assert before["documents"] == 1
    result = CliRunner().invoke(cli, ["export", str(tmp_path / "out.json"), "--format", "labelstudio", "--all-layers",
                                      "--status", "all", "--db", str(db_path)])
    assert result.exit_code == 0, result.output
    out = json.loads((tmp_path / "out.json").read_text(encoding="utf-8"))
    assert [[a["completed_by"] for a in t["annotations"]] for t in out] == [[{"email": "olha@example.org"}, 2], [2]]
    assert [[r["value"]["text"] for r in a["result"]] for a in out[0]["annotations"]] == [
        [w for w, _ in ALICE], [w for w, _ in BOB]]
    assert "answers" not in out[0]["data"]
    with Store(tmp_path / "again.db") as again:
        import_paths(again, [tmp_path / "out.json"])
        assert layers(again) == {(TEXT, "olha@example.org"): ALICE, (TEXT, "2"): BOB, (OTHER, "2"): [("Kherson", "LOC")]}
        assert agreement(again)[0].as_dict() == before


def test_all_layers_is_refused_in_one_line_by_a_format_that_writes_one(tmp_path: Path, db_path: Path) -> None:
    CliRunner().invoke(cli, ["import", str(db_out(tmp_path, SESSIONS)), "--no-detect", "--db", str(db_path)])
    result = CliRunner().invoke(cli, ["export", str(tmp_path / "out.conll"), "--format", "conll", "--all-layers",
                                      "--db", str(db_path)])
    assert result.exit_code != 0 and len(result.output.strip().splitlines()) == 1
    assert "--all-layers" in result.output and "jsonl and labelstudio" in result.output
    assert "Traceback" not in result.output


people = st.sampled_from(["alice", "bob", "carol", "dmytro"])
answer = st.lists(st.tuples(st.sampled_from(WORDS), st.sampled_from(["PER", "GPE", "ORG"])),
                  unique_by=lambda pair: pair[0], max_size=4)


@settings(max_examples=20, deadline=None)
@given(answers=st.lists(st.tuples(st.sampled_from([TEXT, OTHER + " Odesa Kyiv Monday Zelenskyy Blinken"]), people, answer,
                                  st.sampled_from(["accept", "ignore"])), min_size=1, max_size=8),
       fmt=st.sampled_from(["jsonl", "labelstudio"]))
def test_any_answers_in_any_order_are_each_persons_layer_after_a_round_trip(answers: list, fmt: str) -> None:
    expected: dict[tuple[str, str], list[tuple[str, str]]] = {}
    tasks = []
    for text, who, found, said in answers:
        if (text, f"news_ner-{who}") in expected:
            continue  # a person's second answer on a text is a duplicate (tested above)
        ordered = sorted(found, key=lambda pair: text.index(pair[0]))
        expected[text, f"news_ner-{who}"] = ordered
        tasks.append(prodigy_task(text, who, ordered, answer=said))
    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        with Store(tmp / "first.db", annotator="lead") as store:
            import_paths(store, [db_out(tmp, tasks)])
            assert {k: v for k, v in layers(store).items() if v} == {k: v for k, v in expected.items() if v}
            assert len(store.document_ids()) == len({text for text, *_ in answers})
            export_documents(store, fmt, tmp / f"out.{fmt}", status="all", options=WriteOptions(all_layers=True))
        with Store(tmp / "again.db", annotator="someone") as again:
            import_paths(again, [tmp / f"out.{fmt}"], fmt=fmt)
            assert {k: v for k, v in layers(again).items() if v} == {k: v for k, v in expected.items() if v}


def test_more_answers_on_one_text_than_a_document_keeps_is_refused_in_one_line(tmp_path: Path, db_path: Path) -> None:
    from annotator.answers import MAX_PEOPLE

    tasks = [{"text": OTHER, "answer": "accept", "_annotator_id": f"p{n}", "spans": []} for n in range(MAX_PEOPLE + 1)]
    path = db_out(tmp_path, [prodigy_task(TEXT, "alice", ALICE), *tasks])
    result = CliRunner().invoke(cli, ["import", str(path), "--no-detect", "--db", str(db_path)])
    assert result.exit_code != 0 and "Traceback" not in result.output
    [line] = result.output.strip().splitlines()
    assert f"{path}, line {MAX_PEOPLE + 2}: more than 1,000 people's answers on one text" in line
    with Store(db_path) as store:
        assert store.document_ids() == []  # all or nothing


meta_values = st.one_of(st.text(max_size=3), st.integers(0, 3),
                        st.dictionaries(st.sampled_from(["_timestamp", "answer", "_session_id"]), st.integers(0, 2), max_size=2))
one_answer = st.tuples(st.dictionaries(st.sampled_from(["source", "prodigy", "url", "date"]), meta_values, max_size=4),
                       st.sampled_from(["done", "skipped", "open"]))


@settings(max_examples=200, deadline=None)
@given(given_answers=st.lists(one_answer, min_size=1, max_size=6))
def test_each_persons_answer_is_given_back_as_it_came_whatever_the_others_said(given_answers: list) -> None:
    from annotator.answers import joined, meta_for

    people = [(f"p{n}", {**meta, "annotator": f"p{n}"}, status) for n, (meta, status) in enumerate(given_answers)]
    _, meta, status = people[0]
    for who, theirs, their_status in people[1:]:
        meta, status = joined(meta, status, who, theirs, their_status)
    assert status == ("done" if any(s == "done" for *_, s in people) else people[0][2])  # someone's gold is there
    for who, theirs, their_status in people:
        assert meta_for(meta, status, who) == (theirs, their_status)
