"""A project file from someone else is input: anything in its schema that annotator did not make
(a trigger, a view, a changed table) is refused in one line naming it, with nothing written, by
every command, the merge and the window's store; projects of every earlier schema open migrated."""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from annotator.cli import cli
from annotator.domain import NewDocument, Span
from annotator.storage import SCHEMA_VERSION, AlteredSchemaError, Store
from annotator.storage.connection import Connection
from annotator.storage.expected_schema import normalise

OLD = Path(__file__).parent / "data" / "old_projects"
TEXT = "Zelenskyy met Blinken in Kyiv on Tuesday."
EVIL = "CREATE TRIGGER evil AFTER INSERT ON annotations BEGIN UPDATE documents SET text = ''; END"


def colleagues_project(path: Path, person: str = "bob") -> Path:
    with Store(path, annotator=person) as store:
        doc = store.add_documents([NewDocument(TEXT)]).added[0]
        store.add_span(doc, Span.of(TEXT, 25, 29, "GPE"))
    return path


def altered(path: Path, *statements: str) -> Path:
    with sqlite3.connect(path) as db:
        for statement in statements:
            db.execute(statement)
    db.close()
    return path


HOSTILE = {
    "trigger 'evil' is not ours": EVIL,
    "view 'texts' is not ours": "CREATE VIEW texts AS SELECT text FROM documents",
    "table 'notes' is not ours": "CREATE TABLE notes (x)",
    "index 'by_text' is not ours": "CREATE INDEX by_text ON annotations(text)",
    "table 'labels' was changed": "ALTER TABLE labels ADD COLUMN hidden INTEGER",
    "trigger 'count_span_out' is missing": "DROP TRIGGER count_span_out",
}


@pytest.mark.parametrize("named", list(HOSTILE))
def test_a_project_with_a_schema_changed_by_hand_is_refused_naming_it_and_left_as_it_was(tmp_path: Path, named: str) -> None:
    theirs = altered(colleagues_project(tmp_path / "theirs.db"), HOSTILE[named])
    before = theirs.read_bytes()
    result = CliRunner().invoke(cli, ["import", "--no-detect", "--db", str(theirs), str(OLD / "README.md")])
    assert result.exit_code != 0
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and str(theirs) in lines[0] and named in lines[0] and "annotator check" in lines[0], result.output
    assert theirs.read_bytes() == before


def test_the_first_label_stored_in_a_project_with_an_evil_trigger_cannot_empty_the_texts(tmp_path: Path) -> None:
    theirs = altered(colleagues_project(tmp_path / "theirs.db"), EVIL)
    with pytest.raises(AlteredSchemaError, match="trigger 'evil'"):
        Store(theirs)
    with sqlite3.connect(theirs) as db:
        assert db.execute("SELECT text FROM documents").fetchall() == [(TEXT,)]
    db.close()


def test_merge_refuses_a_source_with_a_trigger_and_leaves_the_team_project_as_it_was(tmp_path: Path) -> None:
    mine = colleagues_project(tmp_path / "mine.db", person="alice")
    theirs = altered(colleagues_project(tmp_path / "theirs.db"), EVIL)
    result = CliRunner().invoke(cli, ["merge", str(theirs), "--into", str(mine)])
    assert result.exit_code != 0 and "trigger 'evil' is not ours" in result.output and str(theirs) in result.output
    with Store(mine, annotator="alice") as store:
        assert store.annotators() == ["alice"]
        assert store.document(store.document_ids()[0]).text == TEXT


def flip_page(path: Path, page_of: str) -> None:
    """Overwrite 16 bytes in the middle of the page holding ``page_of``'s text (as a disk would)."""
    data = bytearray(path.read_bytes())
    at = data.index(page_of.encode())
    data[at + 2 : at + 18] = b"\xff" * 16
    path.write_bytes(bytes(data))


def test_merge_refuses_a_damaged_source_before_reading_it(tmp_path: Path) -> None:
    mine = colleagues_project(tmp_path / "mine.db", person="alice")
    theirs = colleagues_project(tmp_path / "theirs.db")
    with sqlite3.connect(theirs) as db:  # a page's header made nonsense: SQLite's quick check sees it
        page_size = db.execute("PRAGMA page_size").fetchone()[0]
        root = db.execute("SELECT rootpage FROM sqlite_master WHERE name = 'annotations'").fetchone()[0]
    db.close()
    data = bytearray(theirs.read_bytes())
    data[(root - 1) * page_size : (root - 1) * page_size + 16] = b"\xee" * 16
    theirs.write_bytes(bytes(data))
    result = CliRunner().invoke(cli, ["merge", str(theirs), "--into", str(mine)])
    assert result.exit_code != 0 and str(theirs) in result.output and "annotator check" in result.output, result.output
    assert len(result.output.strip().splitlines()) == 1
    with Store(mine) as store:
        assert len(store.document_ids()) == 1


def test_a_connection_trusts_no_schema_until_it_was_found_to_be_ours(tmp_path: Path) -> None:
    path = colleagues_project(tmp_path / "p.db")
    db = Connection(path)
    assert db.one("PRAGMA trusted_schema") == 0
    db.close()


@pytest.mark.parametrize("name", sorted(p.stem for p in OLD.glob("*.json")))  # each .json names its .db
def test_a_project_of_every_earlier_schema_opens_migrated_with_nothing_lost(tmp_path: Path, name: str) -> None:
    manifest = json.loads((OLD / f"{name}.json").read_text(encoding="utf-8"))
    path = tmp_path / "old.db"
    shutil.copy(OLD / f"{name}.db", path)
    result = CliRunner().invoke(cli, ["stats", "--db", str(path)])
    assert result.exit_code == 0, result.output
    with Store(path, annotator="alice") as store:
        assert store.schema_version == SCHEMA_VERSION
        documents = [
            {"title": d.title, "text": d.text, "status": d.status,
             "spans": sorted([s.annotator, s.layer, s.start, s.end, s.label, s.text, s.value] for s in store.spans(d.id))}
            for d in store.iter_documents()
        ]
        assert documents == manifest["documents"]
        assert [[e.action, e.state] for e in sorted(store.history(), key=lambda e: e.id)] == manifest["edits"]
        assert {name: store.setting(name) for name in manifest["settings"]} == manifest["settings"]
        assert store.undo() is not None  # the history still works: the latest edit (mark done) undone
    assert CliRunner().invoke(cli, ["check", "--db", str(path)]).exit_code == 0


names = st.from_regex(r"[A-Za-z_][A-Za-z0-9_]{0,12}", fullmatch=True)


@given(table=names, columns=st.lists(names, min_size=1, max_size=4, unique_by=str.lower))
def test_the_schema_is_compared_whatever_the_quoting_but_not_whatever_the_words(table: str, columns: list[str]) -> None:
    plain = f"CREATE TABLE {table} ({', '.join(columns)})"
    for quote in ('"{}"', "[{}]", "`{}`"):
        quoted = f"CREATE  TABLE {quote.format(table)}(\n{', '.join(quote.format(c) for c in columns)} )"
        assert normalise(quoted) == normalise(plain)
    assert normalise(f"CREATE TABLE {table} ({', '.join([*columns, 'extra_column'])})") != normalise(plain)
    assert normalise(plain.replace("(", "(x DEFAULT 'a', ", 1)) != normalise(plain.replace("(", "(x DEFAULT a, ", 1))
