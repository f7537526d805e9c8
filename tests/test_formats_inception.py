"""INCEpTION's own formats through dkpro-cassis: UIMA CAS XMI and CAS JSON, both ways. UIMA
counts UTF-16 units in the file (expected numbers: ``len(s.encode("utf-16-le")) // 2``)."""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import cassis
import pytest
from click.testing import CliRunner

from annotator.cli import cli
from annotator.domain import NewDocument, Span
from annotator.export import export_documents
from annotator.formats import InputError, ReadOptions
from annotator.importing import import_paths
from annotator.storage import Store

TEXT = "Zelenskyy 👨‍👩‍👧 met Blinken in Kyiv.\n\nOdesa was quiet."
WORDS = [("Zelenskyy", "PER"), ("Kyiv", "LOC"), ("Odesa", "LOC")]
NE = "de.tudarmstadt.ukp.dkpro.core.api.ner.type.NamedEntity"


def units(text: str, offset: int) -> int:
    return len(text[:offset].encode("utf-16-le")) // 2


def stored(store: Store) -> None:
    spans = [Span.of(TEXT, TEXT.index(w), TEXT.index(w) + len(w), label) for w, label in WORDS]
    store.add_documents([NewDocument(TEXT, spans=spans, status="done")])


@pytest.mark.parametrize("fmt, suffix", [("uima-xmi", ".xmi"), ("uima-json", ".json")])
def test_cas_both_ways_on_the_same_words(tmp_path: Path, fresh_store: Store, fmt: str, suffix: str) -> None:
    stored(fresh_store)
    export_documents(fresh_store, fmt, tmp_path / "out")
    [written] = sorted((tmp_path / "out").glob(f"*{suffix}"))
    content = written.read_text(encoding="utf-8")
    start = units(TEXT, TEXT.index("Kyiv"))
    if suffix == ".xmi":
        assert re.search(rf'<type0?:NamedEntity [^>]*begin="{start}" end="{start + 4}" value="LOC"', content)
    else:
        [kyiv] = [fs for fs in json.loads(content)["%FEATURE_STRUCTURES"] if fs.get("value") == "LOC" and fs["begin"] < 40]
        assert (kyiv["begin"], kyiv["end"]) == (start, start + 4)
    with Store(tmp_path / "back.db") as back:
        options = ReadOptions()
        import_paths(back, [tmp_path / "out"], options=options)
        [doc] = back.document_ids()
        assert back.document(doc).text == TEXT
        assert [(s.text, s.label) for s in back.layer(doc)] == WORDS
        assert not options.warnings  # sentences and tokens are the segmentation, not left-out annotations


def test_inception_cas_json_is_not_taken_for_label_studio(tmp_path: Path, fresh_store: Store) -> None:
    """A CAS JSON as INCEpTION writes it (DKPro's type system, a Location subtype, stacked
    entities, a POS layer): before, refused as 'one object, not an array of tasks'."""
    typesystem = cassis.load_dkpro_core_typesystem()
    cas = cassis.Cas(typesystem=typesystem)
    cas.sofa_string = "Hi 😊 Barack Obama visited New York."
    get = typesystem.get_type
    cas.add(get(NE)(begin=5, end=17, value="PER"))
    cas.add(get("de.tudarmstadt.ukp.dkpro.core.api.ner.type.Location")(begin=26, end=34))
    cas.add(get(NE)(begin=26, end=29, value="ORG"))  # stacked over New York
    cas.add(get("de.tudarmstadt.ukp.dkpro.core.api.lexmorph.type.pos.POS")(begin=0, end=2, PosValue="UH"))
    (tmp_path / "doc.json").write_text(cas.to_json(), encoding="utf-8")
    options = ReadOptions()
    import_paths(fresh_store, [tmp_path / "doc.json"], options=options)
    [doc] = fresh_store.document_ids()
    assert [(s.text, s.label) for s in fresh_store.layer(doc)] == [("Barack Obama", "PER"), ("New York", "Location")]
    stacked, other = options.warnings
    assert "1 stacked named entity" in stacked and "first at annotation" in stacked and "1 POS" in other


def test_broken_xmi_and_missing_cassis_end_in_one_line(tmp_path: Path, db_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "bad.xmi").write_text("<xmi:XMI><unclosed", encoding="utf-8")
    with Store(db_path) as store, pytest.raises(InputError, match=r"bad\.xmi: not a UIMA CAS XMI that can be read"):
        import_paths(store, [tmp_path / "bad.xmi"])
    monkeypatch.setitem(sys.modules, "cassis", None)  # as if it were not installed
    result = CliRunner().invoke(cli, ["import", str(tmp_path / "bad.xmi"), "--no-detect", "--db", str(db_path)])
    assert result.exit_code == 1 and len(result.output.strip().splitlines()) == 1
    assert "need the dkpro-cassis package: pip install 'annotator[inception]'" in result.output
