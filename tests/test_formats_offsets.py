"""Offsets as each peer's editor counts them. The expected numbers come from the peer's own
counting, not from our converter: doccano's editor and INCEpTION (JavaScript, Java) count UTF-16
units — here ``len(s.encode("utf-16-le")) // 2``, what JavaScript's ``s.length`` is; Label Studio,
Prodigy and brat count code points — Python's ``len(s)``; doccano's grapheme mode counts what a
reader sees as one character, counted by hand below."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.cli import cli
from annotator.domain import ENTITIES, NewDocument, Span
from annotator.export import export_documents
from annotator.formats import FORMATS, InputError, ReadOptions, WriteOptions
from annotator.formats.offsets import Graphemes, Utf16
from annotator.importing import import_paths
from annotator.storage import Store
from tests.test_formats_roundtrip import articles

FAMILY = "\U0001f468\u200d\U0001f469\u200d\U0001f467\u200d\U0001f466"  # 👨‍👩‍👧‍👦: 7 code points, 11 UTF-16 units, 1 grapheme
FLAG = "\U0001f1fa\U0001f1e6"  # 🇺🇦: 2 code points, 4 units, 1 grapheme
CAFE = "cafe\u0301"  # é as e and a combining accent: 5 code points, 5 units, 4 graphemes
TEXT = f"{FAMILY} met in {CAFE} {FLAG} with Zelenskyy \U0001f600 in Kharkiv."
WORDS = (("met", "EVENT"), ("Zelenskyy", "PER"), ("Kharkiv", "LOC"))


def js(text: str, word: str) -> list[int]:
    """Where JavaScript's ``text.indexOf(word)`` and ``word.length`` put a word: UTF-16 units."""
    start = text.index(word)
    return [len(text[:start].encode("utf-16-le")) // 2, len(text[:start + len(word)].encode("utf-16-le")) // 2]


def py(text: str, word: str) -> list[int]:
    start = text.index(word)
    return [start, start + len(word)]


# The same words counted as a reader sees them: the family 0, " met in " 1-8 (met at 2-5), "café"
# 9-12, " " 13, the flag 14, " with " 15-20, "Zelenskyy" 21-29, " " 30, 😀 31, " in " 32-35, "Kharkiv" 36-42.
GRAPHEMES = {"met": [2, 5], "Zelenskyy": [21, 30], "Kharkiv": [36, 43]}


def store_with(store: Store, text: str = TEXT) -> None:
    spans = [Span.of(text, *py(text, word), label) for word, label in WORDS]
    store.add_documents([NewDocument(text, spans=spans, status="done")])


def words_of(store: Store) -> list[tuple[str, str]]:
    """The spans of each document's layer of who the file says made them (else the importer's)."""
    return [(s.text, s.label) for d in store.document_ids() for s in store.layer(d, store.document(d).meta.get("annotator"))]


def test_doccano_export_counts_utf16_units_as_its_editor_does(tmp_path: Path, fresh_store: Store) -> None:
    store_with(fresh_store)
    export_documents(fresh_store, "doccano", tmp_path / "d.jsonl")
    [line] = (tmp_path / "d.jsonl").read_text(encoding="utf-8").splitlines()
    record = json.loads(line)
    assert record["label"] == [[*js(TEXT, word), label] for word, label in WORDS]
    units = record["text"].encode("utf-16-le")  # what the editor's substring shows
    assert [units[2 * a:2 * b].decode("utf-16-le") for a, b, _ in record["label"]] == [w for w, _ in WORDS]


def test_a_file_labelled_in_doccano_lands_on_the_same_words(tmp_path: Path, fresh_store: Store) -> None:
    line = {"id": 3, "text": TEXT, "label": [[*js(TEXT, word), label] for word, label in WORDS], "Comments": []}
    (tmp_path / "admin.jsonl").write_text(json.dumps(line, ensure_ascii=False) + "\n", encoding="utf-8")
    options = ReadOptions()
    import_paths(fresh_store, [tmp_path / "admin.jsonl"], fmt="doccano", options=options)
    assert words_of(fresh_store) == list(WORDS)
    [note] = options.notes
    assert "1 document(s) hold characters beyond U+FFFF" in note and "read as UTF-16 units" in note


def test_doccano_grapheme_mode_both_ways(tmp_path: Path, fresh_store: Store) -> None:
    store_with(fresh_store)
    export_documents(fresh_store, "doccano", tmp_path / "g.jsonl", options=WriteOptions(offsets="graphemes"))
    record = json.loads((tmp_path / "g.jsonl").read_text(encoding="utf-8"))
    assert record["label"] == [[*GRAPHEMES[word], label] for word, label in WORDS]
    with Store(tmp_path / "back.db") as back:
        import_paths(back, [tmp_path / "g.jsonl"], fmt="doccano", options=ReadOptions(offsets="graphemes"))
        assert words_of(back) == list(WORDS)


def test_code_points_in_a_doccano_file_are_refused_with_the_unit_that_fits(tmp_path: Path, fresh_store: Store) -> None:
    """A doccano-shaped file that a Python script wrote: the emoji's code point offsets fall inside
    its two UTF-16 units. One line says which unit fits and which flag takes it."""
    text = "Hi \U0001f600 Kyiv"
    (tmp_path / "script.jsonl").write_text(json.dumps({"text": text, "label": [[3, 4, "EMOJI"]]}) + "\n",
                                           encoding="utf-8")
    runner = CliRunner()
    db = str(tmp_path / "p.db")
    refused = runner.invoke(cli, ["import", str(tmp_path / "script.jsonl"), "--format", "doccano", "--no-detect",
                                  "--db", db])
    assert refused.exit_code == 1 and len(refused.output.strip().splitlines()) == 1
    assert "line 1: span 3-4 starts or ends inside one character" in refused.output
    assert "--offsets codepoints" in refused.output
    taken = runner.invoke(cli, ["import", str(tmp_path / "script.jsonl"), "--format", "doccano", "--offsets",
                                "codepoints", "--no-detect", "--db", db])
    assert taken.exit_code == 0, taken.output
    assert "read as code points (Python's count), as --offsets said" in taken.output


def test_label_studio_both_ways_in_code_points(tmp_path: Path, fresh_store: Store) -> None:
    """Label Studio stores code points (its frontend's fix 'Store code points instead of js length')."""
    store_with(fresh_store)
    export_documents(fresh_store, "labelstudio", tmp_path / "t.json")
    [task] = json.loads((tmp_path / "t.json").read_text(encoding="utf-8"))
    values = [r["value"] for r in task["annotations"][0]["result"]]
    assert [[v["start"], v["end"]] for v in values] == [py(TEXT, w) for w, _ in WORDS]
    labelled = [{"data": {"text": TEXT}, "annotations": [{"completed_by": 1, "result": [
        {"from_name": "label", "to_name": "text", "type": "labels",
         "value": {"start": py(TEXT, w)[0], "end": py(TEXT, w)[1], "text": w, "labels": [label]}} for w, label in WORDS]}]}]
    (tmp_path / "from-ls.json").write_text(json.dumps(labelled, ensure_ascii=False), encoding="utf-8")
    with Store(tmp_path / "back.db") as back:
        import_paths(back, [tmp_path / "from-ls.json"])
        assert words_of(back) == list(WORDS)


def test_label_studio_file_in_utf16_units_names_the_flag(tmp_path: Path, fresh_store: Store) -> None:
    """Files that the old export (or a JavaScript script) wrote in UTF-16 units: refused in one line."""
    old = [{"data": {"text": TEXT}, "annotations": [{"result": [
        {"from_name": "label", "to_name": "text", "type": "labels",
         "value": {"start": js(TEXT, "Kharkiv")[0], "end": js(TEXT, "Kharkiv")[1], "text": "Kharkiv", "labels": ["LOC"]}}]}]}]
    (tmp_path / "old.json").write_text(json.dumps(old, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(InputError, match=r"task 1: span .* \(LOC\) .*; the offsets fit as UTF-16 units.*--offsets utf16"):
        import_paths(fresh_store, [tmp_path / "old.json"])
    import_paths(fresh_store, [tmp_path / "old.json"], options=ReadOptions(offsets="utf16"))
    assert words_of(fresh_store) == [("Kharkiv", "LOC")]


def test_prodigy_both_ways_in_code_points(tmp_path: Path, fresh_store: Store) -> None:
    store_with(fresh_store)
    export_documents(fresh_store, "jsonl", tmp_path / "p.jsonl")
    task = json.loads((tmp_path / "p.jsonl").read_text(encoding="utf-8"))
    assert [[s["start"], s["end"]] for s in task["spans"]] == [py(TEXT, w) for w, _ in WORDS]
    assert all(TEXT[t["start"]:t["end"]] == t["text"] for t in task["tokens"])


def test_inception_brat_counts_utf16_units(tmp_path: Path, fresh_store: Store) -> None:
    """INCEpTION's brat export (Java: UTF-16 units, types by class name) lands on the same words
    with no flag; our own brat export, for INCEpTION, takes --offsets utf16."""
    (tmp_path / "doc.txt").write_text(TEXT, encoding="utf-8")
    ner = "de-tudarmstadt-ukp-dkpro-core-api-ner-type-NamedEntity"
    lines = []
    for i, (word, label) in enumerate(WORDS, 1):
        start, end = js(TEXT, word)
        lines += [f"T{i}\t{ner} {start} {end}\t{word}", f"A{i}\t{ner}_value T{i} {label}"]
    (tmp_path / "doc.ann").write_text("\n".join(lines) + "\n", encoding="utf-8")
    options = ReadOptions()
    import_paths(fresh_store, [tmp_path / "doc.txt"], options=options)
    assert words_of(fresh_store) == list(WORDS)
    assert any("read as UTF-16 units" in note for note in options.notes)
    export_documents(fresh_store, "brat", tmp_path / "out", status="all", options=WriteOptions(offsets="utf16"))
    [ann] = sorted((tmp_path / "out").glob("*.ann"))
    written = [line.split("\t")[1].split()[1:] for line in ann.read_text(encoding="utf-8").splitlines()]
    assert [[int(a), int(b)] for a, b in written] == [js(TEXT, w) for w, _ in WORDS]


def test_brat_counts_code_points(tmp_path: Path, fresh_store: Store) -> None:
    store_with(fresh_store)
    export_documents(fresh_store, "brat", tmp_path / "out")
    [ann] = sorted((tmp_path / "out").glob("*.ann"))
    written = [line.split("\t")[1].split()[1:] for line in ann.read_text(encoding="utf-8").splitlines()]
    assert [[int(a), int(b)] for a, b in written] == [py(TEXT, w) for w, _ in WORDS]


PIECES = ["a", "Kyiv", " ", "\U0001f600", FAMILY, FLAG, CAFE, "\u0915\u094d\u0937", "\r\n", "\U0001f44d\U0001f3fd", "ß"]


@given(parts=st.lists(st.sampled_from(PIECES), min_size=1, max_size=10))
def test_utf16_units_are_what_javascript_counts(parts: list[str]) -> None:
    text = "".join(parts)
    units = Utf16(text)
    for i in range(len(text) + 1):
        expected = len(text[:i].encode("utf-16-le")) // 2
        assert units.to_unit(i) == expected and units.to_chars(expected) == i


@given(parts=st.lists(st.sampled_from(PIECES), min_size=1, max_size=10))
def test_a_grapheme_boundary_is_where_each_piece_begins(parts: list[str]) -> None:
    """Every piece here is one grapheme cluster or a run of plain letters: its start is a boundary."""
    text = "".join(parts)
    graphemes = Graphemes(text)
    at = 0
    for part in parts:
        assert graphemes.to_unit(at) is not None
        at += len(part)
    assert graphemes.to_chars(graphemes.to_unit(len(text)) or 0) == len(text)


@pytest.mark.parametrize("fmt", ["doccano", "labelstudio", "brat", "jsonl", "webanno"])
@pytest.mark.parametrize("unit", ["codepoints", "utf16", "graphemes"])
@settings(max_examples=8, deadline=None)
@given(docs=st.lists(articles(), min_size=1, max_size=2))
def test_any_unit_written_is_read_back_on_the_same_words(fmt: str, unit: str, docs: list) -> None:
    """Whatever --offsets a file was written in, the same --offsets reads it back exactly."""
    with tempfile.TemporaryDirectory() as folder, Store(Path(folder) / "a.db") as source:
        for n, (text, spans) in enumerate(docs):
            text += f" #{n}"
            source.add_documents([NewDocument(text, status="done", spans=[
                Span.of(text, s, e, label) for s, e, label, layer in spans if layer == ENTITIES])])
        out = Path(folder) / f"out{FORMATS[fmt].suffix.strip('/')}"
        report = export_documents(source, fmt, out, options=WriteOptions(offsets=unit))
        with Store(Path(folder) / "b.db") as copy:
            import_paths(copy, [out], fmt, options=ReadOptions(offsets=unit))
            got = sorted((d.text.split(" #")[-1], [(s.text, s.label) for s in copy.layer(d.id)])
                         for d in copy.iter_documents())
        expected = sorted((d.text.split(" #")[-1], [(s.text, s.label) for s in source.layer(d.id)])
                          for d in source.iter_documents())
        if not report.problems:  # spans off spaCy's tokens are reported and left out, never moved
            assert got == expected
