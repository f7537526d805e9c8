"""Document labels and relations in the peers' files: imported whole, exported back in the peer's shape."""

from __future__ import annotations

import json
from pathlib import Path

from annotator.domain import DONE, NUMBERS, NewDocument, Span
from annotator.export import export_documents
from annotator.formats import ReadOptions
from annotator.importing import import_paths
from annotator.storage import Store

DATA = Path(__file__).parent / "data"
TEXT = "Russia launched 28 drones at Odesa, Zelenskyy said."


def relations(store: Store) -> list[tuple[str, str, str]]:
    return [(link.head.text, link.label, link.child.text) for d in store.document_ids() for link in store.relations.links(d)]


def test_doccanos_relation_example_keeps_every_relation_and_goes_back_as_it_came(tmp_path: Path, fresh_store: Store) -> None:
    source = DATA / "doccano" / "relation_extraction.jsonl"
    options = ReadOptions()
    import_paths(fresh_store, [source], options=options)
    assert options.warnings == []
    assert relations(fresh_store) == [("Google", "foundedAt", "September 4, 1998"), ("Google", "foundedBy", "Larry Page"),
                                      ("Google", "foundedBy", "Sergey Brin")]
    export_documents(fresh_store, "doccano", tmp_path / "back.jsonl", status="all")
    [original] = [json.loads(line) for line in source.read_text(encoding="utf-8").splitlines()]
    [back] = [json.loads(line) for line in (tmp_path / "back.jsonl").read_text(encoding="utf-8").splitlines()]
    assert (back["text"], back["entities"], back["relations"]) == (original["text"], original["entities"],
                                                                  original["relations"])


def test_doccano_classification_and_intent_exports_bring_document_labels(tmp_path: Path, fresh_store: Store) -> None:
    lines = [{"text": "Kyiv was hit.", "label": ["war", "relevant"]},
             {"text": "Odesa was calm.", "entities": [[0, 5, "GPE"]], "cats": ["calm"]},
             {"text": "Kharkiv news.", "cats": {"war": 0.9, "calm": 0.1}}]
    (tmp_path / "c.jsonl").write_text("\n".join(json.dumps(x) for x in lines), encoding="utf-8")
    import_paths(fresh_store, [tmp_path / "c.jsonl"], fmt="doccano")
    ids = fresh_store.document_ids()
    assert [sorted(c.label for c in fresh_store.categories.of(d)) for d in ids] == [["relevant", "war"], ["calm"], ["war"]]
    assert [(s.text, s.label) for s in fresh_store.layer(ids[1])] == [("Odesa", "GPE")]


def test_label_studio_choices_and_relations_come_in_and_go_back(tmp_path: Path, fresh_store: Store) -> None:
    def region(word: str, label: str) -> dict:
        start = TEXT.index(word)
        return {"id": word[:4], "from_name": "label", "to_name": "text", "type": "labels",
                "value": {"start": start, "end": start + len(word), "text": word, "labels": [label]}}

    result = [region("Russia", "GPE"), region("Odesa", "GPE"), region("Zelenskyy", "PERSON"),
              {"from_name": "sentiment", "to_name": "text", "type": "choices", "value": {"choices": ["war", "attack"]}},
              {"from_id": "Russ", "to_id": "Odes", "type": "relation", "direction": "right", "labels": ["ATTACKED"]},
              {"from_id": "Odes", "to_id": "Zele", "type": "relation", "direction": "left", "labels": ["SAID"]},
              {"from_id": "Russ", "to_id": "Zele", "type": "relation", "direction": "right", "labels": []}]
    task = {"id": 1, "data": {"text": TEXT}, "annotations": [{"id": 5, "result": result, "was_cancelled": False}]}
    (tmp_path / "ls.json").write_text(json.dumps([task]), encoding="utf-8")
    options = ReadOptions()
    import_paths(fresh_store, [tmp_path / "ls.json"], options=options)
    assert options.warnings == []
    [doc] = fresh_store.document_ids()
    assert [c.label for c in fresh_store.categories.of(doc)] == ["war", "attack"]
    assert relations(fresh_store) == [("Russia", "ATTACKED", "Odesa"), ("Zelenskyy", "SAID", "Odesa"),
                                      ("Russia", "RELATED", "Zelenskyy")]
    export_documents(fresh_store, "labelstudio", tmp_path / "back.json", status="all")
    [back] = json.loads((tmp_path / "back.json").read_text(encoding="utf-8"))
    written = back["annotations"][0]["result"]
    assert [r["value"]["choices"] for r in written if r["type"] == "choices"] == [["war", "attack"]]
    texts = {r["id"]: r["value"]["text"] for r in written if r["type"] == "labels"}
    assert [(texts[r["from_id"]], r["labels"], texts[r["to_id"]]) for r in written if r["type"] == "relation"] == [
        ("Russia", ["ATTACKED"], "Odesa"), ("Zelenskyy", ["SAID"], "Odesa"), ("Russia", ["RELATED"], "Zelenskyy")]


def test_prodigy_rel_manual_and_textcat_answers_come_in_and_go_back(tmp_path: Path, fresh_store: Store) -> None:
    def span(word: str, label: str, token: int) -> dict:
        start = TEXT.index(word)
        return {"start": start, "end": start + len(word), "token_start": token, "token_end": token, "label": label}

    drones, odesa = span("drones", "WEAPON", 3), span("Odesa", "GPE", 5)
    tasks = [{"text": TEXT, "spans": [drones, odesa], "answer": "accept", "accept": ["attack"],
              "relations": [{"head": 3, "child": 5, "head_span": drones, "child_span": odesa, "label": "LOCATED_IN"}]},
             {"text": "Kyiv was calm.", "label": "calm", "answer": "accept"},
             {"text": "Lviv was hit.", "label": "calm", "answer": "reject"}]
    (tmp_path / "p.jsonl").write_text("\n".join(json.dumps(t) for t in tasks), encoding="utf-8")
    import_paths(fresh_store, [tmp_path / "p.jsonl"])
    ids = fresh_store.document_ids()
    assert [[c.label for c in fresh_store.categories.of(d)] for d in ids] == [["attack"], ["calm"], []]
    assert relations(fresh_store) == [("drones", "LOCATED_IN", "Odesa")]
    export_documents(fresh_store, "jsonl", tmp_path / "back.jsonl", status="all")
    first = json.loads((tmp_path / "back.jsonl").read_text(encoding="utf-8").splitlines()[0])
    assert first["accept"] == ["attack"]
    [rel] = first["relations"]
    assert (rel["head"], rel["child"], rel["label"]) == (3, 5, "LOCATED_IN")
    assert {k: rel["head_span"][k] for k in drones} == drones and {k: rel["child_span"][k] for k in odesa} == odesa


def test_a_count_link_from_a_number_survives_doccano_in_its_meta(tmp_path: Path, fresh_store: Store) -> None:
    number = Span.of(TEXT, 16, 18, "NUMBER", layer=NUMBERS, value=28.0, kind="cardinal", unit="drones")
    drones = Span.of(TEXT, 19, 25, "WEAPON")
    fresh_store.add_documents([NewDocument(TEXT, status=DONE, spans=[number, drones], links=[(0, 1, "COUNTS")])])
    report = export_documents(fresh_store, "doccano", tmp_path / "d.jsonl")
    assert report.problems == []
    line = json.loads((tmp_path / "d.jsonl").read_text(encoding="utf-8"))
    assert line["relations"] == [] and line["meta"]["relations"] == [{"from_id": 1, "to_id": 0, "type": "COUNTS"}]
    with Store(tmp_path / "b.db") as back:
        import_paths(back, [tmp_path / "d.jsonl"], fmt="doccano")
        assert relations(back) == [("28", "COUNTS", "drones")]


def test_a_format_without_relations_says_how_many_it_left_behind(tmp_path: Path, fresh_store: Store) -> None:
    drones, odesa = Span.of(TEXT, 19, 25, "WEAPON"), Span.of(TEXT, 29, 34, "GPE")
    fresh_store.add_documents([NewDocument(TEXT, status=DONE, spans=[drones, odesa], links=[(0, 1, "LOCATED_IN")],
                                           categories=["attack"])])
    report = export_documents(fresh_store, "conll", tmp_path / "d.conll")
    assert report.problems == ["1 document label(s) and 1 relation(s) not written: the conll format cannot carry them"]


def test_brats_relation_tutorial_keeps_its_r_line_and_goes_back_as_it_came(tmp_path: Path, fresh_store: Store) -> None:
    options = ReadOptions()
    import_paths(fresh_store, [DATA / "brat" / "060-relation_annotation.txt"], options=options)
    assert relations(fresh_store) == [("Terry Pratchett", "Located", "England")]
    [warning] = options.warnings
    assert "1 equivalence(s)" in warning and "relation(s)" not in warning  # the Alias chain (*) is still counted
    export_documents(fresh_store, "brat", tmp_path / "back", status="all")
    [ann] = (tmp_path / "back").glob("*.ann")
    written = ann.read_text(encoding="utf-8").splitlines()
    ids = {line.split("\t")[0]: line.split("\t")[2] for line in written if line.startswith("T")}
    [r_line] = [line for line in written if line.startswith("R")]
    label, head, child = r_line.split("\t")[1].split(" ")
    assert (label, ids[head.removeprefix("Arg1:")], ids[child.removeprefix("Arg2:")]) == (
        "Located", "Terry Pratchett", "England")


def test_brat_document_labels_ride_on_a_document_annotation(tmp_path: Path, fresh_store: Store) -> None:
    fresh_store.add_documents([NewDocument("Odesa\nwas hit.", status=DONE, categories=["attack", "war news"])])
    export_documents(fresh_store, "brat", tmp_path / "out")
    [ann] = (tmp_path / "out").glob("*.ann")
    assert ann.read_text(encoding="utf-8").splitlines() == [
        "T0\tDOCUMENT 0 5\tOdesa", '#0\tAnnotatorNotes T0\tannotator {"categories": ["attack", "war news"]}']
    ann.write_text(ann.read_text(encoding="utf-8") + "A1\turgent T0\n", encoding="utf-8")  # as brat's attribute dialog adds
    with Store(tmp_path / "b.db") as back:
        import_paths(back, [tmp_path / "out"])
        [doc] = back.document_ids()
        assert [c.label for c in back.categories.of(doc)] == ["attack", "war news", "urgent"]
        assert back.layer(doc) == []
