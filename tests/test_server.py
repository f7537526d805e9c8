"""A project on a PostgreSQL server: what differs from a file (made on first open, search by
tsvector, several people writing at once) and its failures, one line each. The store's common
behaviour runs on both backends in test_storage.py (any_store)."""

from __future__ import annotations

import itertools
import json
import os
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from postgres import free_port

from annotator.cli import cli
from annotator.domain import NewDocument, Span
from annotator.storage import NewerVersionError, NotAProjectError, ReadOnlyError, Store, StoreError

ROOT = Path(__file__).resolve().parent.parent
TEXT = "Drones struck Kyiv overnight; officials in Lviv said 38 were shot down."


def word(text: str, w: str, label: str) -> Span:
    start = text.index(w)
    return Span.of(text, start, start + len(w), label)


def test_a_server_project_is_made_on_first_open_and_keeps_spans_undo_and_settings(server_project: str) -> None:
    with Store(server_project, annotator="alice") as store:
        doc = store.add_documents([NewDocument(TEXT)]).added[0]
        store.add_span(doc, word(TEXT, "Kyiv", "GPE"))
        store.set_setting("model", "en_core_web_sm")
    with Store(server_project, annotator="alice") as store, Store(server_project, annotator="bob") as bob:
        assert [s.text for s in store.spans(doc)] == ["Kyiv"] and bob.spans(doc) == []
        assert store.setting("model") == "en_core_web_sm"
        store.undo()
        assert store.spans(doc) == []
        store.redo()
        assert [(s.text, s.label) for s in store.spans(doc)] == [("Kyiv", "GPE")]


def test_search_uses_the_servers_full_text_index(server_project: str) -> None:
    with Store(server_project) as store:
        store.add_documents([NewDocument(f"Shelling near Kherson, report {i}.") for i in range(3)]
                            + [NewDocument("Talks in Geneva resumed; 100% agreed.")])
        assert store.count_documents(search="kherson") == 3
        assert store.count_documents(search="KHERSON report") == 3
        assert store.count_documents(search='geneva "talks') == 1  # quotes are not syntax
        assert store.count_documents(search="odesa") == 0


def test_a_newer_schema_on_the_server_is_refused_untouched(server_project: str) -> None:
    Store(server_project).close()
    with psycopg.connect(server_project, autocommit=True) as conn:
        conn.execute("UPDATE annotator_schema SET version = 99")
    with pytest.raises(NewerVersionError, match=r"newer annotator \(schema 99\)"):
        Store(server_project)


def test_another_programs_database_is_refused_untouched(server_project: str) -> None:
    with psycopg.connect(server_project, autocommit=True) as conn:
        conn.execute("CREATE TABLE customers (id int)")
    with pytest.raises(NotAProjectError, match="not an annotator project"):
        Store(server_project)
    with psycopg.connect(server_project, autocommit=True) as conn:
        assert conn.execute("SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'").fetchone() == (1,)


def test_no_server_there_is_one_line() -> None:
    with pytest.raises(StoreError, match=r"^postgresql://me@127\.0\.0\.1:\d+/nowhere: cannot connect to the server") as err:
        Store(f"postgresql://me@127.0.0.1:{free_port()}/nowhere")
    assert "\n" not in str(err.value)


def test_a_role_that_may_only_read_reads_and_every_write_is_refused(pg_cluster, server_project: str) -> None:
    with Store(server_project, annotator="alice") as store:
        doc = store.add_documents([NewDocument(TEXT)]).added[0]
        store.add_span(doc, word(TEXT, "Kyiv", "GPE"))
    database = server_project.rsplit("/", 1)[1]
    pg_cluster.sql("DROP ROLE IF EXISTS reader")
    pg_cluster.sql("CREATE ROLE reader LOGIN")
    pg_cluster.sql("GRANT SELECT ON ALL TABLES IN SCHEMA public TO reader", database)
    with Store(pg_cluster.url(database, user="reader"), annotator="alice") as reader:
        assert reader.read_only and [s.text for s in reader.spans(doc)] == ["Kyiv"]
        with pytest.raises(ReadOnlyError, match=r"permission denied\); the change was not stored"):
            reader.add_span(doc, word(TEXT, "Lviv", "GPE"))
    pg_cluster.sql("REVOKE ALL ON ALL TABLES IN SCHEMA public FROM reader; DROP OWNED BY reader", database)


def test_a_connection_lost_mid_edit_is_not_saved_and_the_next_edit_reconnects(server_project: str) -> None:
    with Store(server_project, annotator="alice") as store:
        doc = store.add_documents([NewDocument(TEXT)]).added[0]
        lost = r"connection to the server was lost .*; the change was not stored"
        with pytest.raises(StoreError, match=lost), store.transaction():
            store.add_span(doc, word(TEXT, "Kyiv", "GPE"))
            with psycopg.connect(server_project, autocommit=True) as admin:
                admin.execute("SELECT pg_terminate_backend(%s)", [store.db.one("SELECT pg_backend_pid()")])
            store.add_span(doc, word(TEXT, "Lviv", "GPE"))
        store.add_span(doc, word(TEXT, "officials", "ORG"))  # connected again
        assert [s.text for s in store.spans(doc)] == ["officials"]


def test_a_server_restarted_between_edits_goes_unnoticed(pg_cluster, server_project: str) -> None:
    with Store(server_project, annotator="alice") as store:
        doc = store.add_documents([NewDocument(TEXT)]).added[0]
        store.add_span(doc, word(TEXT, "Kyiv", "GPE"))
        pg_cluster.restart()
        store.add_span(doc, word(TEXT, "Lviv", "GPE"))
        assert [s.text for s in store.spans(doc)] == ["Kyiv", "Lviv"]


# A writer process: its own Store on the server, one committed edit per word; prints what it stored.
WRITER = r"""
import sys
from annotator.domain import Span
from annotator.storage import Store
url, who = sys.argv[1], sys.argv[2]
with Store(url, annotator=who) as store:
    for doc_id in store.document_ids():
        text, start = store.document(doc_id).text, 0
        for w in text.split(" "):
            store.add_span(doc_id, Span.of(text, start, start + len(w), "ORG"))
            print(doc_id, start, flush=True)
            start += len(w) + 1
"""


def test_ten_writers_on_one_server_project_lose_no_committed_edit(server_project: str) -> None:
    with Store(server_project) as store:
        store.add_documents([NewDocument(f"Report {i}: drones struck Kyiv overnight, officials said.") for i in range(3)])
    env = {**os.environ, "PYTHONPATH": f"{ROOT}{os.pathsep}{ROOT / 'tests'}"}
    writers = [subprocess.Popen([sys.executable, "-c", WRITER, server_project, f"p{i}"], env=env,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for i in range(10)]
    committed = {}
    for i, proc in enumerate(writers):
        out, err = proc.communicate(timeout=600)
        assert proc.returncode == 0, err
        committed[f"p{i}"] = sorted(tuple(map(int, line.split())) for line in out.splitlines())
    with Store(server_project) as store:
        for who, edits in committed.items():
            store.annotator = who
            stored = sorted((doc_id, s.start) for doc_id in store.document_ids() for s in store.spans(doc_id))
            assert stored == edits and len(edits) == 3 * 8
        assert store.db.one("SELECT count(DISTINCT id) FROM annotations") == 10 * 3 * 8


def test_import_and_export_on_the_command_line(server_project: str, tmp_path: Path) -> None:
    source = tmp_path / "in.jsonl"
    rows = [{"text": TEXT, "spans": [{"start": 14, "end": 18, "label": "GPE"}, {"start": 43, "end": 47, "label": "GPE"}]},
            {"text": "Talks in Geneva resumed.", "spans": [{"start": 9, "end": 15, "label": "GPE"}]}]
    source.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    runner = CliRunner()
    imported = runner.invoke(cli, ["--db", server_project, "import", str(source), "--no-detect"])
    assert imported.exit_code == 0, imported.output
    assert "Imported 2 document(s)" in imported.output
    out = tmp_path / "out.jsonl"
    exported = runner.invoke(cli, ["export", "--db", server_project, "--format", "jsonl", "--status", "all", str(out)])
    assert exported.exit_code == 0, exported.output
    back = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [(r["text"], [(s["start"], s["end"], s["label"]) for s in r["spans"]]) for r in back] == [
        (r["text"], [(s["start"], s["end"], s["label"]) for s in r["spans"]]) for r in rows]
    stats = runner.invoke(cli, ["stats", "--db", server_project])
    assert stats.exit_code == 0 and "2 documents" in stats.output


def test_merge_moves_a_project_file_onto_the_server(server_project: str, tmp_path: Path) -> None:
    with Store(tmp_path / "bob.db", annotator="bob") as bob:
        doc = bob.add_documents([NewDocument(TEXT)]).added[0]
        bob.add_span(doc, word(TEXT, "Kyiv", "GPE"))
    merged = CliRunner().invoke(cli, ["merge", str(tmp_path / "bob.db"), "--into", server_project])
    assert merged.exit_code == 0, merged.output
    assert f"into {server_project}: 1 new document(s), 1 annotation layer(s) added" in merged.output
    with Store(server_project, annotator="bob") as team:
        [doc] = team.document_ids()
        assert [(s.text, s.label) for s in team.spans(doc)] == [("Kyiv", "GPE")]


# Names go into some statements as SQL literals (what an import's rows share): quotes, ?, % and
# backslashes must reach the server as the name, not as placeholders or escapes.
NAMES = st.text(st.characters(blacklist_categories=["Cs"], blacklist_characters="\x00"), min_size=1, max_size=12)


EXAMPLES = itertools.count()


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(who=NAMES, label=NAMES, setting=NAMES)
@example(who="O'Brien %s ?", label="50% [end] ?", setting="temp.x IS ? %%")
def test_any_name_reaches_the_server_as_written(server_project: str, who: str, label: str, setting: str) -> None:
    with Store(server_project, annotator=who) as store:
        text = f"{TEXT} {next(EXAMPLES)} {setting}"  # a new text each example: the database is the test's
        [doc] = store.add_documents([NewDocument(text, spans=[Span(14, 18, label, "Kyiv", origin="import")])]).added
        store.set_setting(setting, who)
        assert [(s.label, s.annotator) for s in store.spans(doc)] == [(label, who)]
        assert store.setting(setting) == who
