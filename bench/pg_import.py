"""How long an import of pre-annotated articles takes on a PostgreSQL server project, beside a
bare ``COPY`` of the same documents and spans into two plain tables (the floor: no checks, no
history, no counters, no search index), and beside the same import into a project file.

Each side is timed in wall time and in CPU time (ours plus, on a local server, the server
process's own, read from /proc): on a busy machine the wall time is mostly waiting for a core.
The fastest of ``--repeat`` runs is kept, each into a new database.

Without ``--url`` a throw-away local server is started (tests/postgres.py, fsync on) and stopped.

    python bench/pg_import.py [--articles 10000] [--spans 20] [--repeat 3] [--url postgresql://user@host:port/dbname]
"""

from __future__ import annotations

import argparse
import os
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


class Timed:
    """Wall time and CPU time (this process's, and the server process's when it runs here)."""

    def __init__(self, backend_pid: int | None) -> None:
        self.pid = backend_pid if backend_pid and Path(f"/proc/{backend_pid}/stat").exists() else None

    def _server_cpu(self) -> float:
        if self.pid is None:
            return 0.0
        fields = Path(f"/proc/{self.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def __enter__(self) -> Timed:
        self.wall, self.cpu, self.server = time.perf_counter(), time.process_time(), self._server_cpu()
        return self

    def __exit__(self, *_: object) -> None:
        self.wall = time.perf_counter() - self.wall
        self.cpu = time.process_time() - self.cpu
        self.server = self._server_cpu() - self.server

    def __str__(self) -> str:
        server = f" + {self.server:.2f} s server" if self.pid else ""
        return f"{self.wall:7.2f} s wall, CPU {self.cpu:.2f} s ours{server} = {self.cpu + self.server:.2f} s"


def store_import(target: str | Path, documents: list[NewDocument]) -> Timed:
    with Store(target, annotator="bench") as store:
        pid = store.db.one("SELECT pg_backend_pid()") if isinstance(target, str) else None
        with Timed(pid) as timed:
            store.add_documents(iter(documents))
        return timed


def bare_copy(url: str, documents: list[NewDocument]) -> Timed:
    with psycopg.connect(url) as conn:
        conn.execute("CREATE TABLE bare_documents (id bigint PRIMARY KEY, title text, text text)")
        conn.execute('CREATE TABLE bare_spans (doc_id bigint, start bigint, "end" bigint, label text, text text)')
        conn.commit()
        with Timed(conn.info.backend_pid) as timed:
            with conn.cursor() as cursor:
                with cursor.copy("COPY bare_documents (id, title, text) FROM STDIN") as copy:
                    for i, doc in enumerate(documents, 1):
                        copy.write_row((i, doc.title, doc.text))
                with cursor.copy('COPY bare_spans (doc_id, start, "end", label, text) FROM STDIN') as copy:
                    for i, doc in enumerate(documents, 1):
                        for s in doc.spans:
                            copy.write_row((i, s.start, s.end, s.label, s.text))
            conn.commit()
        return timed


def bare_search_index(url: str) -> Timed:
    """What a search index of the floor's documents costs alone, once they are in: a tsvector of
    each and its GIN index, built in one statement (the import's part that the floor lacks)."""
    with psycopg.connect(url) as conn, Timed(conn.info.backend_pid) as timed:
        conn.execute("CREATE TABLE bare_fts AS SELECT id, to_tsvector('simple', title || ' ' || text) AS tsv "
                     "FROM bare_documents")
        conn.execute("CREATE INDEX bare_fts_tsv ON bare_fts USING gin (tsv)")
        conn.commit()
    return timed


def fastest(runs: list[Timed]) -> Timed:
    return min(runs, key=lambda t: t.wall)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=10000)
    parser.add_argument("--spans", type=int, default=20)
    parser.add_argument("--repeat", type=int, default=1, help="runs of each side; the fastest is shown")
    parser.add_argument("--url", help="an empty database on a server (default: a throw-away local server)")
    args = parser.parse_args()
    documents = articles(args.articles, args.spans)
    with ExitStack() as stack:
        folder = Path(stack.enter_context(tempfile.TemporaryDirectory()))
        if args.url:
            if args.repeat > 1:
                parser.error("--repeat needs a new database each run: only without --url")
            urls = iter([args.url, args.url])
        else:
            from postgres import cluster

            server = stack.enter_context(cluster(Path(tempfile.mkdtemp(prefix="annotator-pg-bench-")), fsync=True))
            urls = (server.url(f"bench{i}") for i in range(2 * args.repeat))
        print(f"import of {args.articles:,} articles x {args.spans} spans (fastest of {args.repeat})")
        file_runs, server_runs, floor_runs, index_runs = [], [], [], []
        for run in range(args.repeat):
            file_runs.append(store_import(folder / f"bench{run}.db", documents))
            server_runs.append(store_import(next(urls), documents))
            floor_url = next(urls)
            floor_runs.append(bare_copy(floor_url, documents))
            index_runs.append(bare_search_index(floor_url))
        file, ours, floor, index = fastest(file_runs), fastest(server_runs), fastest(floor_runs), fastest(index_runs)
        print(f"  project file (SQLite)        {file}")
        print(f"  server project (PostgreSQL)  {ours}")
        print(f"  bare COPY (two plain tables) {floor}")
        print(f"  its search index, alone      {index}")
        cpu = f", CPU {(ours.cpu + ours.server) / (floor.cpu + floor.server):.1f}x" if ours.pid else ""
        print(f"  server project / floor: wall {ours.wall / floor.wall:.1f}x{cpu}")
        searchable = (floor.cpu + floor.server + index.cpu + index.server)
        if ours.pid:
            print(f"  server project / (floor + its search index): CPU {(ours.cpu + ours.server) / searchable:.1f}x")


if __name__ == "__main__":
    main()
