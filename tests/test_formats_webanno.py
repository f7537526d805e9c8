"""WebAnno TSV 3.3, INCEpTION's tab-separated format, both ways, its offsets in UTF-16 units
(Java's count: expected numbers here are ``len(s.encode("utf-16-le")) // 2``)."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from annotator.cli import cli
from annotator.domain import NewDocument, Span
from annotator.export import export_documents
from annotator.formats import InputError, ReadOptions
from annotator.importing import import_paths
from annotator.storage import Store

DATA = Path(__file__).resolve().parent / "data" / "webanno"


def units(text: str, offset: int) -> int:
    return len(text[:offset].encode("utf-16-le")) // 2


def test_inception_tsv_comes_in_on_the_same_words_and_says_what_it_left(fresh_store: Store) -> None:
    options = ReadOptions()
    import_paths(fresh_store, [DATA / "inception-ner.tsv"], options=options)
    [doc] = fresh_store.document_ids()
    assert fresh_store.document(doc).text == "Hi 😊 Barack Obama in New York . Second line."
    assert [(s.text, s.label) for s in fresh_store.layer(doc)] == [("Barack Obama", "PER"), ("New York", "LOC")]
    stacked, layers = options.warnings
    assert "1 stacked named entity over words another one covers not imported (first at line 12: ORG)" in stacked
    assert "11 annotation(s) of layer POS" in layers
    assert any("read as UTF-16 units" in note for note in options.notes)


def test_tsv_we_write_counts_utf16_units_and_comes_back(tmp_path: Path, fresh_store: Store) -> None:
    text = "Zelenskyy 👨‍👩‍👧 met the Ministry of Defence in Kyiv.\n\nOdesa was quiet."
    words = [("Zelenskyy", "PER"), ("Ministry of Defence", "ORG"), ("Odesa", "LOC")]
    spans = [Span.of(text, text.index(w), text.index(w) + len(w), label) for w, label in words]
    fresh_store.add_documents([NewDocument(text, spans=spans, status="done")])
    export_documents(fresh_store, "webanno", tmp_path / "out")
    [written] = sorted((tmp_path / "out").glob("*.tsv"))
    lines = written.read_text(encoding="utf-8").splitlines()
    assert lines[:2] == ["#FORMAT=WebAnno TSV 3.3",
                         "#T_SP=de.tudarmstadt.ukp.dkpro.core.api.ner.type.NamedEntity|identifier|value"]
    rows = {cells[2]: cells for cells in (line.split("\t") for line in lines if line[:1].isdigit())}
    start = text.index("Ministry")
    assert rows["Ministry"][1] == f"{units(text, start)}-{units(text, start + 8)}"
    assert (rows["Ministry"][3:], rows["Defence"][3:]) == (["*[1]", "ORG[1]"], ["*[1]", "ORG[1]"])
    assert rows["Zelenskyy"][3:] == ["*", "PER"] and rows["met"][3:] == ["_", "_"]
    with Store(tmp_path / "back.db") as back:
        import_paths(back, [tmp_path / "out"])
        [doc] = back.document_ids()
        assert [(s.text, s.label) for s in back.layer(doc)] == words


def test_code_point_offsets_are_refused_with_the_flag(tmp_path: Path) -> None:
    (tmp_path / "cp.tsv").write_text("#FORMAT=WebAnno TSV 3.3\n#T_SP=de.tudarmstadt.ukp.dkpro.core.api.ner.type."
                                     "NamedEntity|identifier|value\n\n\n#Text=😊 Kyiv\n1-1\t0-1\t😊\t_\t_\n"
                                     "1-2\t2-6\tKyiv\t*\tLOC\n", encoding="utf-8")
    runner = CliRunner()
    db = str(tmp_path / "p.db")
    refused = runner.invoke(cli, ["import", str(tmp_path / "cp.tsv"), "--no-detect", "--db", db])
    assert refused.exit_code == 1 and len(refused.output.strip().splitlines()) == 1
    assert "line 6: the token '😊' at 0-1 does not fit" in refused.output
    assert "(--offsets codepoints|graphemes)" in refused.output
    taken = runner.invoke(cli, ["import", str(tmp_path / "cp.tsv"), "--offsets", "codepoints", "--no-detect", "--db", db])
    assert taken.exit_code == 0, taken.output


def test_a_tsv_that_is_not_webanno_is_refused(tmp_path: Path, fresh_store: Store) -> None:
    (tmp_path / "x.tsv").write_text("text\tlabel\nKyiv\tLOC\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"x\.tsv, line 1: not WebAnno TSV"):
        import_paths(fresh_store, [tmp_path / "x.tsv"])
