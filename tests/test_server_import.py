"""An import on a server project takes the fast road (ids in one block from each sequence, the
triggers that would change nothing switched off inside each chunk's transaction) and keeps every
promise: afterwards every trigger is on again and later rows get new ids, the counters and the
search are right, a failed import leaves nothing and no trigger off, and a role that does not own
the tables imports the slow way with the same result."""

from __future__ import annotations

import psycopg
import pytest

from annotator.domain import NewDocument, Span, SpanError
from annotator.storage import Store

SENTENCE = "Officials in Kyiv said drones struck the capital overnight. "


def articles(count: int, start: int = 0) -> list[NewDocument]:
    docs = []
    for i in range(start, start + count):
        text = f"Report {i}. " + SENTENCE * 3
        kyiv = [j for j in range(len(text)) if text.startswith("Kyiv", j)]
        docs.append(NewDocument(text, {"title": f"Report {i}"}, spans=[Span.of(text, s, s + 4, "GPE", origin="import")
                                                                       for s in kyiv]))
    return docs


def triggers_off(url: str) -> list[str]:
    with psycopg.connect(url) as conn:
        return [row[0] for row in conn.execute("SELECT tgname FROM pg_trigger WHERE NOT tgisinternal AND tgenabled != 'O'")]


def test_after_an_import_every_trigger_is_on_and_later_rows_get_new_ids(server_project: str) -> None:
    with Store(server_project, annotator="alice") as store:
        statements: list[str] = []
        with store.db.traced(statements.append):
            added = store.add_documents(articles(600)).added
        assert store.db.bulk.owned and any("DISABLE TRIGGER annotations_id" in s for s in statements)  # the fast road
        assert triggers_off(server_project) == []
        assert store.stats()["documents"] == 600 and store.count_documents(search="report 599") == 1
        assert store.stats()["spans"] == [{"layer": "entities", "label": "GPE", "origin": "import", "count": 1800}]
        imported = store.db.one("SELECT max(id) FROM annotations")
        span = store.add_span(added[0], Span.of(store.document(added[0]).text, 0, 6, "ORG"))  # through the id trigger
        assert span.id is not None and span.id > imported
        with psycopg.connect(server_project) as conn:  # another program's row, no id given: the sequence is past ours
            new = conn.execute("INSERT INTO documents (hash, text, title, created, updated) "
                               "VALUES ('h', 'by hand', 't', 'x', 'x') RETURNING id").fetchone()[0]
        assert new > max(added)
        assert store.stats()["documents"] == 601  # counted by its trigger, on again


def test_a_failed_import_leaves_nothing_and_no_trigger_off(server_project: str) -> None:
    bad = NewDocument("Kyiv at night.", spans=[Span(0, 4, "GPE", "Lviv", origin="import")], source="in.jsonl", line=900)
    with Store(server_project, annotator="alice") as store:
        store.add_documents(articles(10))
        with pytest.raises(SpanError, match=r"in\.jsonl, line 900"):
            store.add_documents([*articles(800, start=10), bad])
        assert triggers_off(server_project) == []
        assert store.stats()["documents"] == 10 and store.db.one("SELECT count(*) FROM documents") == 10
        assert store.db.one("SELECT count(*) FROM annotations") == 30


def test_a_role_that_does_not_own_the_tables_imports_the_same(pg_cluster, server_project: str) -> None:
    Store(server_project).close()
    database = server_project.rsplit("/", 1)[1]
    pg_cluster.sql("DROP ROLE IF EXISTS importer")
    pg_cluster.sql("CREATE ROLE importer LOGIN")
    pg_cluster.sql("GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO importer; "
                   "GRANT USAGE, UPDATE ON ALL SEQUENCES IN SCHEMA public TO importer", database)
    with Store(pg_cluster.url(database, user="importer"), annotator="bob") as store:
        assert not store.db.bulk.owned
        added = store.add_documents(articles(50)).added
        assert store.stats()["documents"] == 50 and len(store.spans(added[-1], annotator="bob")) == 3
    with Store(server_project, annotator="alice") as owner:
        later = owner.add_documents(articles(5, start=50)).added
        assert min(later) > max(added) and owner.stats()["documents"] == 55
    pg_cluster.sql("REVOKE ALL ON ALL TABLES IN SCHEMA public FROM importer; "
                   "REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM importer; DROP OWNED BY importer", database)
