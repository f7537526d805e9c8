"""``annotator check``: each kind of damage, made by hand in a real project file, is found and
named in one line with its count (exit 1); --repair rebuilds what can be rebuilt and leaves a
person's spans alone; damaged storage ends every command in one line saying to run the check."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from annotator.categories import CategoryLabel
from annotator.cli import cli
from annotator.domain import NewDocument, Span
from annotator.storage import Store

TEXTS = ["Zelenskyy met Blinken in Kyiv on Tuesday.", "About 300 drones hit Odesa overnight, officials said."]


def project(path: Path) -> Path:
    with Store(path, annotator="alice") as store:
        first, second = store.add_documents([NewDocument(t) for t in TEXTS]).added
        store.add_span(first, Span.of(TEXTS[0], 25, 29, "GPE"))
        store.add_span(first, Span.of(TEXTS[0], 0, 9, "PERSON"))
        store.add_span(second, Span.of(TEXTS[1], 21, 26, "GPE"))
    return path


def by_hand(path: Path, *statements: str) -> None:
    """Another program's write, not ours (plain sqlite3, its triggers as they are)."""
    db = sqlite3.connect(path)
    with db:
        for statement in statements:
            db.execute(statement)
    db.close()


def check(path: Path, *more: str) -> tuple[int, list[str]]:
    result = CliRunner().invoke(cli, ["check", "--db", str(path), *more])
    return result.exit_code, result.output.strip().splitlines()


def test_a_sound_project_passes(tmp_path: Path) -> None:
    path = project(tmp_path / "p.db")
    assert check(path) == (0, [f"{path}: no problems found"])


DAMAGE: dict[str, tuple[Callable[[Path], None], str]] = {
    "span text": (lambda p: by_hand(p, "UPDATE annotations SET text = 'Lviv' WHERE text = 'Kyiv'"),
                  "1 of a person's spans have a text other than their document's at their offsets"),
    "span outside": (lambda p: by_hand(p, "UPDATE annotations SET start = 400, [end] = 405 WHERE text = 'Odesa'"),
                     "1 of a person's spans lie outside their document's text"),
    "overlap": (lambda p: by_hand(p, "INSERT INTO annotations (doc_id, layer, start, [end], label, text, origin, "
                                  "annotator, created, updated) VALUES (1, 'entities', 25, 32, 'LOC', 'Kyiv on', 'human', "
                                  "'alice', 'x', 'x')"),
                "1 of a person's entities overlap another of the same person"),
    "counters": (lambda p: by_hand(p, "UPDATE span_counts SET n = n + 5", "UPDATE status_counts SET n = 7"),
                 "counters differ from a recount"),
    "link counters": (lambda p: by_hand(p, "INSERT INTO link_counts VALUES ('relation', 'alice', 'COUNTS', 'human', 3)"),
                      "1 counter differs from a recount"),
    "search index": (lambda p: by_hand(p, "INSERT INTO documents_fts (rowid, title, text) VALUES (99, 'ghost', 'ghost')"),
                     "the full-text index does not match the documents"),
    "history": (lambda p: by_hand(p, "DELETE FROM annotations WHERE text = 'Zelenskyy'"),
                "1 history entries name a span that is no longer there"),
    "leftover": (lambda p: by_hand(p, "INSERT INTO documents (hash, text, title, created, updated) "
                                   "VALUES ('h', 'half imported', 't', 'x', 'x')",
                                   "INSERT INTO pending_docs VALUES (last_insert_rowid(), 42)"),
                 "1 invisible document of no import"),
    "trigger": (lambda p: by_hand(p, "CREATE TRIGGER evil AFTER INSERT ON annotations BEGIN UPDATE documents SET text = ''; END"),
                "1 object not as annotator makes them: trigger 'evil' is not ours"),
    "not utf-8": (lambda p: by_hand(p, "UPDATE documents SET text = CAST(x'4b79ff6976' AS TEXT) WHERE id = 2"),
                  "1 documents' texts are damaged (not UTF-8)"),
}


@pytest.mark.parametrize("kind", list(DAMAGE))
def test_each_kind_of_damage_is_found_and_named_with_its_count(tmp_path: Path, kind: str) -> None:
    path = project(tmp_path / "p.db")
    damage, line = DAMAGE[kind]
    damage(path)
    code, lines = check(path)
    assert code == 1
    assert any(line in found and found.startswith(str(path)) for found in lines), lines


@pytest.mark.parametrize("kind", ["counters", "link counters", "search index", "trigger", "leftover"])
def test_repair_rebuilds_what_can_be_rebuilt_and_says_so(tmp_path: Path, kind: str) -> None:
    path = project(tmp_path / "p.db")
    DAMAGE[kind][0](path)
    code, lines = check(path, "--repair")
    assert code == 0 and lines[-1] == f"{path}: no problems found", lines
    assert any(line.startswith("repaired: ") for line in lines)
    assert check(path) == (0, [f"{path}: no problems found"])
    with Store(path, annotator="alice") as store:
        assert store.stats()["documents"] == 2 and len(store.spans(1)) == 2


def test_repair_leaves_a_persons_wrong_span_for_a_person_to_decide(tmp_path: Path) -> None:
    path = project(tmp_path / "p.db")
    DAMAGE["span text"][0](path)
    code, lines = check(path, "--repair")
    assert code == 1
    assert any("left every person's span as it is" in line for line in lines)
    with Store(path, annotator="alice") as store:
        assert sorted(s.text for s in store.spans(1)) == ["Lviv", "Zelenskyy"]


def flip_text(path: Path, text: str) -> None:
    """16 bytes of an article's stored text overwritten in the file, as a failing disk would."""
    data = bytearray(path.read_bytes())
    at = data.index(text.encode())
    data[at + 4 : at + 20] = b"\xff" * 16
    path.write_bytes(bytes(data))


def test_a_damaged_text_ends_export_in_one_line_saying_to_run_the_check(tmp_path: Path) -> None:
    path = project(tmp_path / "p.db")
    flip_text(path, TEXTS[1])
    out = tmp_path / "out.jsonl"
    result = CliRunner().invoke(cli, ["export", "--db", str(path), "--format", "jsonl", "--status", "all", str(out)])
    assert result.exit_code != 0
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and str(path) in lines[0] and "annotator check" in lines[0], result.output
    assert check(path)[0] == 1


def test_a_damaged_page_stops_a_writing_command_in_one_line_and_reports_no_success(tmp_path: Path) -> None:
    path = project(tmp_path / "p.db")
    with sqlite3.connect(path) as db:
        page_size = db.execute("PRAGMA page_size").fetchone()[0]
        root = db.execute("SELECT rootpage FROM sqlite_master WHERE name = 'documents'").fetchone()[0]
    db.close()
    data = bytearray(path.read_bytes())
    data[(root - 1) * page_size : (root - 1) * page_size + 16] = b"\xee" * 16
    path.write_bytes(bytes(data))
    article = tmp_path / "a.txt"
    article.write_text("Floods in Lviv.", encoding="utf-8")
    result = CliRunner().invoke(cli, ["import", "--no-detect", "--db", str(path), str(article)])
    assert result.exit_code != 0
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and str(path) in lines[0] and "annotator check" in lines[0], result.output
    code, lines = check(path)
    assert code == 1 and any("integrity check" in line for line in lines), lines


def test_a_wal_deleted_under_a_running_writer_is_said_as_such_not_disk_io_error(tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    path = project(tmp_path / "p.db")
    root = Path(__file__).resolve().parent.parent
    writer = subprocess.Popen(
        [sys.executable, "-c", "import sys\nfrom annotator.storage import Store\nfrom annotator.domain import NewDocument\n"
         f"s = Store({str(path)!r})\ns.add_documents([NewDocument(f'Text {{i}} about Kyiv.') for i in range(50)])\n"
         "print('written', flush=True)\nsys.stdin.read()\ns.close()\n"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env={**os.environ, "PYTHONPATH": str(root)})
    try:
        assert writer.stdout is not None and writer.stdout.readline().strip() == "written"
        Path(f"{path}-wal").unlink()  # someone tidying up "temporary files"
        result = subprocess.run([sys.executable, "-m", "annotator", "stats", "--db", str(path)], capture_output=True,
                                text=True, env={**os.environ, "PYTHONPATH": str(root)}, timeout=120)
    finally:
        writer.communicate("", timeout=60)
    assert result.returncode != 0 and "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "write-ahead log" in lines[0] and "was deleted" in lines[0] and str(path) in lines[0], lines


def test_a_project_after_every_kind_of_edit_passes_the_check(tmp_path: Path) -> None:
    """No false alarm: what annotator itself does leaves nothing for the check to find."""
    path = project(tmp_path / "p.db")
    with Store(path, annotator="alice") as store:
        first, second = store.document_ids()
        store.save_predictions(second, [Span.of(TEXTS[1], 0, 16, "CARDINAL", origin="model"),
                                        Span.of(TEXTS[1], 38, 47, "NORP", origin="model")], "en_test", "1")
        store.accept_suggestions(second)
        blinken = store.add_span(first, Span.of(TEXTS[0], 14, 21, "PERSON"))
        store.update_span(blinken.id, label="ORG")
        store.delete_span(blinken.id)
        store.undo()
        store.redo()
        store.undo()
        kyiv = next(s for s in store.spans(first) if s.text == "Kyiv")
        store.update_span(kyiv.id, label="LOC")
        store.categories.add_label(CategoryLabel("WAR"))
        store.categories.toggle(first, "WAR")
        zelenskyy = next(s for s in store.spans(first) if s.text == "Zelenskyy")
        store.relations.add(zelenskyy.id, kyiv.id, "LOCATED_IN")
        store.relations.add(kyiv.id, zelenskyy.id, "SAID")
        store.undo()
        store.update_label("LOC", new_name="PLACE")
        store.remove_label("NORP")
        store.clear_suggestions(second)
        store.set_status(first, "done")
    colleague = tmp_path / "bob.db"
    with Store(colleague, annotator="bob") as bob:
        doc = bob.add_documents([NewDocument(TEXTS[0])]).added[0]
        bob.add_span(doc, Span.of(TEXTS[0], 0, 9, "PERSON"))
    assert CliRunner().invoke(cli, ["merge", str(colleague), "--into", str(path)]).exit_code == 0
    assert check(path) == (0, [f"{path}: no problems found"])


def test_a_project_from_a_newer_annotator_gets_only_sqlites_check_and_is_left_as_it_was(tmp_path: Path) -> None:
    path = project(tmp_path / "p.db")
    by_hand(path, "PRAGMA user_version = 99")
    before = path.read_bytes()
    code, lines = check(path, "--repair")
    assert code == 0 and any("from a newer annotator" in line for line in lines), lines
    assert path.read_bytes() == before
