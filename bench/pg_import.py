"""How long an import of pre-annotated articles takes on a PostgreSQL server project, beside a
bare ``COPY`` of the same documents and spans into two plain tables (the floor: no checks, no
history, no counters, no search index), and beside the same import into a project file.

Without ``--url`` a throw-away local server is started (tests/postgres.py, fsync on) and stopped.

    python bench/pg_import.py [--articles 10000] [--spans 20] [--url postgresql://user@host:port/dbname]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path

import psycopg

from annotator.domain import NewDocument, Span
from annotator.storage import Store

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

SENTENCE = "Officials in Kyiv said drones struck the capital overnight. "


def articles(count: int, spans: int) -> list[NewDocument]:
    documents = []
    for i in range(count):
        text = f"Report {i}. " + SENTENCE * spans
        starts = [j for j in range(len(text)) if text.startswith("Kyiv", j)]
        documents.append(NewDocument(text, {"title": f"Report {i}"},
                                     spans=[Span.of(text, s, s + 4, "GPE", origin="import") for s in starts]))
    return documents


def store_import(target: str | Path, documents: list[NewDocument]) -> float:
    with Store(target, annotator="bench") as store:
        started = time.perf_counter()
        store.add_documents(iter(documents))
        return time.perf_counter() - started


def bare_copy(url: str, documents: list[NewDocument]) -> float:
    with psycopg.connect(url) as conn:
        conn.execute("CREATE TABLE bare_documents (id bigint PRIMARY KEY, title text, text text)")
        conn.execute('CREATE TABLE bare_spans (doc_id bigint, start bigint, "end" bigint, label text, text text)')
        conn.commit()
        started = time.perf_counter()
        with conn.cursor() as cursor:
            with cursor.copy("COPY bare_documents (id, title, text) FROM STDIN") as copy:
                for i, doc in enumerate(documents, 1):
                    copy.write_row((i, doc.title, doc.text))
            with cursor.copy('COPY bare_spans (doc_id, start, "end", label, text) FROM STDIN') as copy:
                for i, doc in enumerate(documents, 1):
                    for s in doc.spans:
                        copy.write_row((i, s.start, s.end, s.label, s.text))
        conn.commit()
        return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=10000)
    parser.add_argument("--spans", type=int, default=20)
    parser.add_argument("--url", help="an empty database on a server (default: a throw-away local server)")
    args = parser.parse_args()
    documents = articles(args.articles, args.spans)
    with ExitStack() as stack:
        folder = Path(stack.enter_context(tempfile.TemporaryDirectory()))
        if args.url:
            url, floor_url = args.url, args.url
        else:
            from postgres import Cluster

            server = Cluster(Path(tempfile.mkdtemp(prefix="annotator-pg-bench-")), fsync=True)
            stack.callback(server.stop)
            url, floor_url = server.url("bench"), server.url("floor")
        print(f"import of {args.articles:,} articles x {args.spans} spans")
        file_s = store_import(folder / "bench.db", documents)
        server_s = store_import(url, documents)
        floor_s = bare_copy(floor_url, documents)
        print(f"  project file (SQLite)        {file_s:7.2f} s")
        print(f"  server project (PostgreSQL)  {server_s:7.2f} s   {server_s / floor_s:.1f}x the floor")
        print(f"  bare COPY (two plain tables) {floor_s:7.2f} s")


if __name__ == "__main__":
    main()
