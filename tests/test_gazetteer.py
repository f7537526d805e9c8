"""The project gazetteer: decisions out as spaCy EntityRuler JSONL, back in, and used by detect."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from annotator.cli import cli
from annotator.domain import NewDocument
from annotator.storage import Store

TEXT = "Officials in Kyiv and NATO met; kyiv is a word, nato too."


def test_export_import_round_trip_and_detect_uses_it(tmp_path: Path) -> None:
    first, second = tmp_path / "a.db", tmp_path / "b.db"
    with Store(first, annotator="tester") as store:
        doc = store.add_documents([NewDocument(TEXT)]).added[0]
        store.decisions.record(doc, "Kyiv's", "GPE")
        store.decisions.record(doc, "NATO", "ORG")
        store.decisions.record(doc, "the ministry", "ORG")
        store.decisions.record(doc, "Alice", "")  # a rejection has no pattern
    runner = CliRunner()
    out, back = tmp_path / "g.jsonl", tmp_path / "again.jsonl"
    result = runner.invoke(cli, ["gazetteer", "export", str(out), "--db", str(first), "--annotator", "tester"])
    assert result.exit_code == 0 and "Wrote 3 pattern(s)" in result.output
    assert out.read_text().splitlines()[0] == '{"label":"GPE","pattern":[{"LOWER":"kyiv","IS_LOWER":false}],"id":"kyiv"}'

    with Store(second, annotator="tester") as store:
        store.add_documents([NewDocument(TEXT)])
    result = runner.invoke(cli, ["gazetteer", "import", str(out), "--db", str(second), "--annotator", "tester"])
    assert result.exit_code == 0, result.output
    runner.invoke(cli, ["gazetteer", "export", str(back), "--db", str(second), "--annotator", "tester"])
    assert back.read_text() == out.read_text()

    result = runner.invoke(cli, ["detect", "--all", "--db", str(second), "--annotator", "tester"])
    assert result.exit_code == 0, result.output
    with Store(second, annotator="tester") as store:
        found = {(s.text, s.label) for s in store.predictions(store.document_ids()[0])}
    assert {("Kyiv", "GPE"), ("NATO", "ORG")} <= found
    assert ("kyiv", "GPE") not in found  # the case rule: a capitalised name, not the word


def test_a_bad_pattern_file_is_refused_in_one_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"label": "GPE", "pattern": "Kyiv"}\n{"label": "ORG"}\n')
    result = CliRunner().invoke(cli, ["gazetteer", "import", str(bad), "--db", str(tmp_path / "p.db")])
    assert result.exit_code != 0
    assert result.output.strip() == f"Error: {bad}, line 2: not a spaCy entity pattern ('pattern')"
