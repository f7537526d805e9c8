"""The peers' files, both ways: Label Studio (JSON, JSON-MIN, CSV; code point offsets), brat standoff,
CoNLL with documents the user delimits; and the import options."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from annotator.cli import cli
from annotator.domain import NewDocument, Span
from annotator.export import export_documents
from annotator.formats import FORMATS, InputError, ReadOptions, WriteOptions
from annotator.importing import import_paths
from annotator.storage import Store

DATA = Path(__file__).resolve().parent / "data"
TEXT = "Kyiv 🇺🇦 said: Zelenskyy met Blinken 😀 in Kharkiv."


def at(text: str, word: str) -> tuple[int, int]:
    start = text.index(word)
    return start, start + len(word)


def units(text: str, offset: int) -> int:
    """A character offset in UTF-16 units, as JavaScript (and doccano) counts."""
    return len(text[:offset].encode("utf-16-le")) // 2


def ls_region(text: str, word: str, label: str, kind: str = "labels") -> dict:
    """A region as Label Studio stores it: offsets in code points (Python's str indices)."""
    start, end = at(text, word)
    return {"id": word[:3], "from_name": "label", "to_name": "text", "type": kind, "origin": "manual",
            "value": {"start": start, "end": end, "text": word, "labels": [label]}}


def ls_task(text: str, annotations: list[list[dict]], predictions: list[list[dict]] = ()) -> dict:
    """A task as Label Studio 1.x exports it (JSON), with the fields it writes."""
    return {"id": 7, "data": {"text": text, "url": "https://example.org/a"}, "meta": {}, "file_upload": "x.json",
            "annotations": [{"id": 10 + i, "completed_by": {"id": 1, "email": "ann@example.org"}, "result": result,
                             "was_cancelled": False, "ground_truth": False, "lead_time": 3.1,
                             "created_at": "2025-01-01T10:00:00Z"} for i, result in enumerate(annotations)],
            "predictions": [{"id": 20, "model_version": "m1", "score": 0.5, "result": r} for r in predictions],
            "drafts": [], "inner_id": 1, "total_annotations": len(annotations), "project": 1}


def spans_of(store: Store) -> list[list[tuple[str, str, bool]]]:
    """Each document's spans in the layer of who the file says made them (else the importer's)."""
    return [[(s.text, s.label, s.confirmed) for s in store.layer(d, store.document(d).meta.get("annotator"))]
            for d in store.document_ids()]


def test_label_studio_json_offsets_are_code_points_and_meta_is_kept(tmp_path: Path, fresh_store: Store) -> None:
    second = "Only a prediction for Odesa 😀."
    tasks = [ls_task(TEXT, [[ls_region(TEXT, "Zelenskyy", "PER"), ls_region(TEXT, "Kharkiv", "LOC"),
                             {"id": "r", "type": "relation", "from_id": "Zel", "to_id": "Kha"}],
                            [ls_region(TEXT, "Kyiv", "LOC")]]),
             ls_task(second, [], [[ls_region(second, "Odesa", "LOC")]])]
    (tmp_path / "export.json").write_text(json.dumps(tasks, indent=2, ensure_ascii=False), encoding="utf-8")
    options = ReadOptions()
    import_paths(fresh_store, [tmp_path / "export.json"], options=options)
    assert spans_of(fresh_store) == [[("Zelenskyy", "PER", True), ("Kharkiv", "LOC", True)],
                                     [("Odesa", "LOC", False)]]  # a prediction comes in as a suggestion
    meta = fresh_store.document(fresh_store.document_ids()[0]).meta
    assert (meta["url"], meta["annotator"], meta["label_studio_id"]) == ("https://example.org/a", "ann@example.org", 7)
    [warning] = options.warnings
    assert "1 further annotation(s)" in warning and "relation" not in warning  # the relation is imported (links)
    first = fresh_store.document_ids()[0]
    assert [(link.head.text, link.child.text) for link in fresh_store.relations.links(first, "ann@example.org")] == [
        ("Zelenskyy", "Kharkiv")]


def test_label_studio_json_min_is_not_taken_for_doccano(tmp_path: Path, fresh_store: Store) -> None:
    start, end = at(TEXT, "Blinken")
    row = {"text": TEXT, "id": 3, "annotator": 1, "annotation_id": 5, "lead_time": 2.0,
           "label": [{"start": start, "end": end, "text": "Blinken", "labels": ["PER"]}]}
    (tmp_path / "min.json").write_text(json.dumps([row]), encoding="utf-8")
    (tmp_path / "min.jsonl").write_text(json.dumps({**row, "text": TEXT + " Again."}) + "\n", encoding="utf-8")
    import_paths(fresh_store, [tmp_path / "min.json", tmp_path / "min.jsonl"])
    assert spans_of(fresh_store) == [[("Blinken", "PER", True)]] * 2


def test_label_studio_csv_spans_are_read_not_left_in_meta(tmp_path: Path, fresh_store: Store) -> None:
    start, end = at(TEXT, "Kharkiv")
    with (tmp_path / "ls.csv").open("w", encoding="utf-8", newline="") as file:
        writer = csv.writer(file)
        writer.writerow(["annotation_id", "annotator", "id", "label", "lead_time", "text"])
        writer.writerow([1, 1, 1, json.dumps([{"start": start, "end": end, "text": "Kharkiv", "labels": ["LOC"]}]),
                         1.5, TEXT])
    import_paths(fresh_store, [tmp_path / "ls.csv"])
    [doc] = fresh_store.document_ids()
    assert spans_of(fresh_store) == [[("Kharkiv", "LOC", True)]] and "label" not in fresh_store.document(doc).meta


def test_an_offset_inside_an_emoji_is_refused(tmp_path: Path, fresh_store: Store) -> None:
    cut = units(TEXT, TEXT.index("😀")) + 1
    region = {"type": "labels", "from_name": "label", "value": {"start": cut - 1, "end": cut, "labels": ["X"]}}
    (tmp_path / "bad.json").write_text(json.dumps([ls_task(TEXT, [[region]])]), encoding="utf-8")
    with pytest.raises(InputError, match=r"task 1: span .* inside one character as counted in UTF-16 units"):
        import_paths(fresh_store, [tmp_path / "bad.json"], options=ReadOptions(offsets="utf16"))


@pytest.mark.parametrize("as_predictions", [False, True])
def test_label_studio_tasks_we_write_carry_every_span(tmp_path: Path, fresh_store: Store, as_predictions: bool) -> None:
    spans = [Span.of(TEXT, *at(TEXT, w), label) for w, label in (("Kyiv", "GPE"), ("Blinken", "PERSON"),
                                                                 ("Kharkiv", "GPE"))]
    fresh_store.add_documents([NewDocument(TEXT, spans=spans, status="done")])
    export_documents(fresh_store, "labelstudio", tmp_path / "t.json", options=WriteOptions(as_predictions=as_predictions))
    [task] = json.loads((tmp_path / "t.json").read_text(encoding="utf-8"))
    [layer] = task["predictions" if as_predictions else "annotations"]
    js = task["data"]["text"]
    for region in layer["result"]:  # Label Studio counts code points, as Python's slices do
        value = region["value"]
        assert js[value["start"]:value["end"]] == value["text"]
        assert (region["type"], region["from_name"], region["to_name"]) == ("labels", "label", "text")
    assert len(layer["result"]) == 3
    with Store(tmp_path / "back.db") as back:
        import_paths(back, [tmp_path / "t.json"])
        assert [s.text for s in back.layer(back.document_ids()[0])] == ["Kyiv", "Blinken", "Kharkiv"]


def test_a_label_studio_export_from_its_own_tests_imports_its_texts_and_says_what_it_left(fresh_store: Store) -> None:
    """Label Studio's full JSON export (reviews, drafts, a prediction inside the annotation, the
    annotator as an object with an email), here of an image project that also holds the texts:
    the texts come in, the rectangles are counted, and nothing is silently dropped."""
    options = ReadOptions()
    import_paths(fresh_store, [DATA / "labelstudio" / "csv_test.json"], options=options)
    docs = [fresh_store.document(i) for i in fresh_store.document_ids()]
    assert [d.text[:16] for d in docs] == ["Calif. wildfires", "The Supreme Cour"]
    assert [d.meta["annotator"] for d in docs] == ["hakan@heartex.com"] * 2 and docs[1].text.count("…") == 1
    assert all(fresh_store.layer(d.id) == [] for d in docs)
    assert options.warnings == [f"{DATA / 'labelstudio' / 'csv_test.json'}: not imported: 2 prediction(s) beside "
                                "annotations, 3 result(s) of type 'rectanglelabels'"]


def test_brat_from_brat_itself_imports_entities_and_counts_events_and_attributes(fresh_store: Store) -> None:
    options = ReadOptions()
    import_paths(fresh_store, [DATA / "brat" / "100-attribute_annotation.txt"], options=options)
    [doc_id] = fresh_store.document_ids()
    spans = fresh_store.layer(doc_id)
    assert len(spans) == 26 and spans[0].text == "Somebody" and {s.label for s in spans} >= {"Person", "Organization"}
    assert fresh_store.document(doc_id).text == (DATA / "brat" / "100-attribute_annotation.txt").read_text(encoding="utf-8")
    [warning] = options.warnings
    assert "not imported: 6 attribute(s), 10 event(s)" in warning


@pytest.mark.parametrize("name, labels", [
    ("document1-ref", [("Sony", "Organization"), ("joint venture", "MergeOrg"), ("Ericsson", "Organization"),
                       ("Sweden", "Location")]),
    ("document1-ref-mapping", [("Sony", "This is a named entity."), ("joint venture", "MergeOrg"),
                               ("Ericsson", "LOC"), ("Sweden", "LOC")]),
])
def test_brat_from_inception_and_dkpro_is_labelled_by_class_or_value(fresh_store: Store, name: str, labels: list) -> None:
    """Their brat writer names types by Java class and keeps a named entity's class in a value
    attribute: before, the spans came in labelled 'de-tudarmstadt-ukp-dkpro-core-api-ner-type-
    NamedEntity' and the LOC of the attributes was counted as not imported."""
    options = ReadOptions()
    import_paths(fresh_store, [DATA / "dkpro" / f"{name}.ann"], options=options)
    [doc_id] = fresh_store.document_ids()
    assert [(s.text, s.label) for s in fresh_store.layer(doc_id)] == labels
    renamed, dropped = options.warnings
    assert "labels of INCEpTION/DKPro types taken by their short name" in renamed
    assert "1 event(s)" in dropped and "relation(s)" not in dropped  # the event's comment attribute too, in the second file
    assert [(link.head.text, link.child.text) for link in fresh_store.relations.links(doc_id)] == [("Ericsson", "Sweden")]
    assert ("1 attribute(s)" in dropped) == (name == "document1-ref-mapping")


def test_brat_discontinuous_span_is_refused_with_its_line(tmp_path: Path, fresh_store: Store) -> None:
    (tmp_path / "a.txt").write_text("New York and\nLondon", encoding="utf-8")
    (tmp_path / "a.ann").write_text("T1\tGPE 0 8\tNew York\nT2\tGPE 0 3;9 12\tNew and\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        import_paths(fresh_store, [tmp_path / "a.ann"])
    assert caught.value.line == 2 and "discontinuous span 0 3;9 12" in str(caught.value)


def test_brat_id_given_twice_is_refused_with_both_lines_and_nothing_stored(tmp_path: Path, fresh_store: Store) -> None:
    (tmp_path / "a.txt").write_text("Zelenskyy met Blinken in Kyiv.", encoding="utf-8")
    (tmp_path / "a.ann").write_text("T1\tPERSON 0 9\tZelenskyy\nT2\tPERSON 14 21\tBlinken\nT1\tGPE 25 29\tKyiv\n",
                                    encoding="utf-8")
    result = CliRunner().invoke(cli, ["import", str(tmp_path / "a.txt"), "--no-detect", "--db", str(fresh_store.path)])
    assert result.exit_code == 1
    assert result.output.strip().splitlines() == [
        f"Error: {tmp_path / 'a.ann'}, line 3: T1 is given twice (first on line 1): each annotation needs an id of its own"]
    assert fresh_store.count_documents() == 0


def test_brat_span_across_a_line_end_is_written_as_fragments_and_read_back(tmp_path: Path, fresh_store: Store) -> None:
    text = "The Verkhovna\r\nRada voted."
    fresh_store.add_documents([NewDocument(text, spans=[Span.of(text, 4, 19, "ORG")], status="done")])
    export_documents(fresh_store, "brat", tmp_path / "out")
    [ann] = (tmp_path / "out").glob("*.ann")
    assert ann.read_text(encoding="utf-8") == "T1\tORG 4 13;15 19\tVerkhovna Rada\n"
    with Store(tmp_path / "back.db") as back:
        import_paths(back, [tmp_path / "out"])
        [doc] = back.document_ids()
        assert [s.text for s in back.layer(doc)] == ["Verkhovna\r\nRada"] and back.document(doc).text == text


LS_CONLL = ("-DOCSTART- -X- O\nKyiv -X- _ B-LOC\nwas -X- _ O\nhit -X- _ O\n\nZelenskyy -X- _ B-PER\nspoke -X- _ O\n\n"
            "Odesa -X- _ B-LOC\ntoo -X- _ O\n")


@pytest.mark.parametrize("sep, texts", [
    ("docstart", ["Kyiv was hit\nZelenskyy spoke\nOdesa too"]),
    ("blank", ["Kyiv was hit", "Zelenskyy spoke", "Odesa too"]),
    (None, ["Kyiv was hit", "Zelenskyy spoke", "Odesa too"]),  # Label Studio's shape is recognised
])
def test_conll_documents_are_what_the_user_says(tmp_path: Path, fresh_store: Store, sep: str | None,
                                                texts: list[str]) -> None:
    (tmp_path / "ls.conll").write_text(LS_CONLL, encoding="utf-8")  # as Label Studio writes it
    import_paths(fresh_store, [tmp_path / "ls.conll"], options=ReadOptions(conll_doc_sep=sep))
    assert [fresh_store.document(d).text for d in fresh_store.document_ids()] == texts


def test_one_docstart_over_many_blocks_names_the_flag(tmp_path: Path) -> None:
    """A CoNLL-2003 file with one -DOCSTART- and blocks apart by blank lines: read as one document,
    and the import says so, naming --conll-doc-sep blank (before: silently one document)."""
    (tmp_path / "one.conll").write_text("-DOCSTART- -X- O O\n\nKyiv B-LOC\nwas O\n\nOdesa B-LOC\ntoo O\n\n",
                                        encoding="utf-8")
    result = CliRunner().invoke(cli, ["import", str(tmp_path / "one.conll"), "--no-detect", "--db", str(tmp_path / "p.db")])
    assert result.exit_code == 0, result.output
    assert "read as one document of 2 blocks apart by blank lines (the file has one -DOCSTART-); if blank lines " \
           "part documents, import it with --conll-doc-sep blank" in result.output


def test_conll_n_blank_lines(tmp_path: Path, fresh_store: Store) -> None:
    (tmp_path / "x.conll").write_text("A O\n\nB O\n\n\nC B-X\n", encoding="utf-8")
    import_paths(fresh_store, [tmp_path / "x.conll"], options=ReadOptions(conll_doc_sep="2-blank-lines"))
    assert [fresh_store.document(d).text for d in fresh_store.document_ids()] == ["A\nB", "C"]
    with pytest.raises(InputError, match="--conll-doc-sep takes docstart, blank or N-blank-lines"):
        import_paths(fresh_store, [tmp_path / "x.conll"], options=ReadOptions(conll_doc_sep="two"))


def test_conll_for_doccano_is_tab_separated_without_docstart(tmp_path: Path, fresh_store: Store) -> None:
    texts = ["Kyiv was hit.", "Zelenskyy spoke in Odesa."]
    fresh_store.add_documents([NewDocument(t, status="done", spans=[Span.of(t, 0, t.index(" "), "X")]) for t in texts])
    export_documents(fresh_store, "conll-doccano", tmp_path / "d.conll")
    written = (tmp_path / "d.conll").read_text(encoding="utf-8")
    assert written == "Kyiv\tB-X\nwas\tO\nhit\tO\n.\tO\n\nZelenskyy\tB-X\nspoke\tO\nin\tO\nOdesa\tO\n.\tO\n\n"
    with Store(tmp_path / "back.db") as back:
        import_paths(back, [tmp_path / "d.conll"], fmt="conll-doccano")
        assert [[s.text for s in back.layer(d)] for d in back.document_ids()] == [["Kyiv"], ["Zelenskyy"]]


def test_import_status_and_warnings_on_the_command_line(tmp_path: Path, db_path: Path) -> None:
    result = CliRunner().invoke(cli, ["import", str(DATA / "brat" / "100-attribute_annotation.txt"), "--status", "done",
                                      "--no-detect", "--db", str(db_path)])
    assert result.exit_code == 0, result.output
    assert "not imported: 6 attribute(s), 10 event(s)" in result.output
    with Store(db_path) as store:
        assert [store.document(d).status for d in store.document_ids()] == ["done"]


def test_spacy_export_is_sharded_beyond_the_shard_size(tmp_path: Path, fresh_store: Store) -> None:
    fresh_store.add_documents([NewDocument(f"Report {i} from Kyiv.", status="done") for i in range(5)])
    report = export_documents(fresh_store, "spacy", tmp_path / "c.spacy", options=WriteOptions(shard_size=2))
    assert [p.name for p in report.files] == ["000.spacy", "001.spacy", "002.spacy"]
    with Store(tmp_path / "back.db") as back:
        assert len(import_paths(back, [tmp_path / "c.spacy"]).added) == 5
    small = export_documents(fresh_store, "spacy", tmp_path / "one.spacy")
    assert small.files == [tmp_path / "one.spacy"] and (tmp_path / "one.spacy").is_file()


def test_every_format_in_the_table_is_offered_by_the_commands() -> None:
    from annotator.commands.export import export_command
    from annotator.commands.importing import import_command

    def choices(command, name):
        return list(next(p for p in command.params if p.name == name).type.choices)

    assert choices(export_command, "fmt") == [n for n, f in FORMATS.items() if f.writes]
    assert choices(import_command, "fmt") == [n for n, f in FORMATS.items() if f.reads]


def test_a_conll_file_read_as_one_huge_document_is_warned_about(tmp_path: Path, fresh_store: Store) -> None:
    (tmp_path / "one.conll").write_text("-DOCSTART- -X- O O\n" + "".join(f"Word{i} NN O\n\n" for i in range(501)),
                                        encoding="utf-8")
    options = ReadOptions()
    import_paths(fresh_store, [tmp_path / "one.conll"], options=options)
    assert fresh_store.count_documents() == 1
    assert "read as one document of 501 blocks" in options.warnings[0] and "--conll-doc-sep blank" in options.warnings[0]


def test_label_studio_conll_is_recognised_and_said(tmp_path: Path, fresh_store: Store) -> None:
    """Label Studio's CoNLL export (before: one document of 19 MB unless the user knew the flag)."""
    (tmp_path / "ls.conll").write_text("-DOCSTART- -X- O\n" + "".join(f"Word{i} -X- _ O\n\n" for i in range(501)),
                                       encoding="utf-8")
    options = ReadOptions()
    import_paths(fresh_store, [tmp_path / "ls.conll"], options=options)
    assert fresh_store.count_documents() == 501 and not options.warnings
    assert "Label Studio's CoNLL export" in options.notes[0] and "--conll-doc-sep docstart" in options.notes[0]


def test_label_studio_json_is_read_in_pieces_across_chunk_boundaries(tmp_path: Path) -> None:
    from annotator.formats import labelstudio

    tasks = [{"data": {"text": f"Киї́в 😀 report {i}", "n": i * 1.5}} for i in range(6000)]  # > 1 MiB, multibyte
    (tmp_path / "big.json").write_text(json.dumps(tasks, ensure_ascii=False), encoding="utf-8")
    assert [value for _, value in labelstudio.items(tmp_path / "big.json")] == tasks
    (tmp_path / "cut.json").write_text(json.dumps(tasks, ensure_ascii=False)[:-300], encoding="utf-8")
    with pytest.raises(InputError, match=r"malformed JSON in element|not closed"):
        list(labelstudio.items(tmp_path / "cut.json"))


def test_command_line_options_reach_the_formats(tmp_path: Path, db_path: Path) -> None:
    (tmp_path / "ls.conll").write_text(LS_CONLL, encoding="utf-8")
    runner = CliRunner()
    imported = runner.invoke(cli, ["import", str(tmp_path / "ls.conll"), "--conll-doc-sep", "blank", "--status", "done",
                                   "--no-detect", "--db", str(db_path)])
    assert imported.exit_code == 0, imported.output
    out = tmp_path / "tasks.json"
    exported = runner.invoke(cli, ["export", "--format", "labelstudio", str(out), "--predictions", "--db", str(db_path)])
    assert exported.exit_code == 0, exported.output
    tasks = json.loads(out.read_text(encoding="utf-8"))
    assert [t["data"]["text"] for t in tasks] == ["Kyiv was hit", "Zelenskyy spoke", "Odesa too"]
    assert all("annotations" not in t and len(t["predictions"][0]["result"]) == 1 for t in tasks)
    bad = runner.invoke(cli, ["import", str(tmp_path / "ls.conll"), "--conll-doc-sep", "paragraphs", "--db", str(db_path)])
    assert bad.exit_code == 1 and "--conll-doc-sep takes docstart, blank or N-blank-lines" in bad.output


def test_brat_offsets_in_utf16_units_are_refused_with_a_hint(tmp_path: Path, fresh_store: Store) -> None:
    text = "😀 Kyiv was hit."
    (tmp_path / "a.txt").write_text(text, encoding="utf-8")
    (tmp_path / "a.ann").write_text("T1\tGPE 3 7\tKyiv\n", encoding="utf-8")  # UTF-16 units: the emoji counts two
    with pytest.raises(InputError, match="says 'Kyiv' but the text there is 'yiv '; the offsets fit as UTF-16 units"
                                         r".*: import with --offsets utf16"):
        import_paths(fresh_store, [tmp_path / "a.txt"])
    import_paths(fresh_store, [tmp_path / "a.txt"], options=ReadOptions(offsets="utf16"))  # the way out it names
    assert spans_of(fresh_store) == [[("Kyiv", "GPE", True)]]


DKPRO_LAYERS = """T1\tde-tudarmstadt-ukp-dkpro-core-api-ner-type-NamedEntity 0 4\tJohn
A1\tde-tudarmstadt-ukp-dkpro-core-api-ner-type-NamedEntity_value T1 PERSON
T2\tde-tudarmstadt-ukp-dkpro-core-api-lexmorph-type-pos-POS 0 4\tJohn
A2\tde-tudarmstadt-ukp-dkpro-core-api-lexmorph-type-pos-POS_PosValue T2 NNP
T3\tde-tudarmstadt-ukp-dkpro-core-api-lexmorph-type-pos-POS 5 9\twent
A3\tde-tudarmstadt-ukp-dkpro-core-api-lexmorph-type-pos-POS_PosValue T3 VBD
T4\tde-tudarmstadt-ukp-dkpro-core-api-segmentation-type-Token 0 4\tJohn
T5\tde-tudarmstadt-ukp-dkpro-core-api-segmentation-type-Token 5 9\twent
T6\tde-tudarmstadt-ukp-dkpro-core-api-ner-type-NamedEntity 17 23\tmarket
A4\tde-tudarmstadt-ukp-dkpro-core-api-ner-type-NamedEntity_value T6 LOC
"""


def test_brat_layers_that_overlap_are_explained_and_chosen_with_brat_types(tmp_path: Path, fresh_store: Store) -> None:
    """A DKPro/INCEpTION file with tokens, parts of speech and entities over the same words (as in
    DKPro's own conll/2012/en-ref.ann): before, the import said only that 'John' overlaps 'John'."""
    (tmp_path / "en.txt").write_text("John went to the market .\n", encoding="utf-8")
    (tmp_path / "en.ann").write_text(DKPRO_LAYERS, encoding="utf-8")
    runner = CliRunner()
    db = str(tmp_path / "p.db")
    refused = runner.invoke(cli, ["import", str(tmp_path / "en.ann"), "--no-detect", "--db", db])
    assert refused.exit_code == 1 and len(refused.output.strip().splitlines()) == 1
    assert "layers that overlap (2 NamedEntity, 2 POS, 2 Token)" in refused.output
    assert "--brat-types NamedEntity" in refused.output and "line 3" in refused.output
    done = runner.invoke(cli, ["import", str(tmp_path / "en.ann"), "--no-detect", "--db", db, "--brat-types", "NamedEntity"])
    assert done.exit_code == 0, done.output
    assert "not imported (not among --brat-types): 2 POS, 2 Token" in done.output
    with Store(db) as store:
        [doc] = store.document_ids()
        assert [(s.text, s.label) for s in store.layer(doc)] == [("John", "PERSON"), ("market", "LOC")]


@pytest.mark.parametrize("ann, refusal", [
    ("T1\tOrganization 0 16\tMinistry of Kyiv\nT2\tOrganization 0 8\tMinistry\n",
     r"line 2: 'Ministry' \(Organization\) overlaps .*nested spans .*import one type with --brat-types, or remove one"),
    ("T1\tGPE 12 16\tKyiv\n#1\tAnnotatorNotes T9\tannotator {\"layer\": \"numbers\"}\n",
     r"line 2: an annotator note refers to T9, which is no text-bound annotation \(remove the note\)"),
    ("T1\tGPE 12 16\tKyiv\nX1 something\n", r"line 2: not a brat annotation line: .*remove or fix this one"),
    ("T1\tGPE 0 3;5 8\tMin try\n", r"line 1: discontinuous span .*split it into one annotation per fragment"),
])
def test_every_brat_refusal_names_the_line_and_the_way_out(tmp_path: Path, fresh_store: Store, ann: str,
                                                           refusal: str) -> None:
    (tmp_path / "a.txt").write_text("Ministry of Kyiv said.", encoding="utf-8")
    (tmp_path / "a.ann").write_text(ann, encoding="utf-8")
    with pytest.raises(InputError, match=refusal):
        import_paths(fresh_store, [tmp_path / "a.txt"])
