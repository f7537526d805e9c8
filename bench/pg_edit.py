"""What a key press's edit costs on a PostgreSQL server project, beside the same on a project file
and beside a bare psycopg INSERT + COMMIT of one row on the same server. Prints p50/p99/max in ms.

Each press is what a label key commits: ``Store.add_span`` on a free word of an open article (the
span checked against the text and the layer, the row, the history entry, one transaction, taking
the project's write lock). The bare floor is one INSERT of a span-like row and its COMMIT.

Without ``--url`` a throw-away local server is started (tests/postgres.py: initdb in a temporary
folder, fsync on, 127.0.0.1) and stopped at the end.

    python bench/pg_edit.py [--presses 500] [--url postgresql://user@host:port/dbname]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from contextlib import ExitStack
from pathlib import Path

import psycopg

from annotator.domain import NewDocument, Span
from annotator.storage import Store

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

WORDS = ["officials", "said", "drones", "struck", "the", "capital", "overnight", "while", "air", "defences", "answered"]


def article(words: int) -> str:
    return " ".join(WORDS[i % len(WORDS)] for i in range(words))


def percentiles(ms: list[float]) -> str:
    ordered = sorted(ms)
    p99 = ordered[min(len(ordered) - 1, round(0.99 * (len(ordered) - 1)))]
    return f"p50 {statistics.median(ordered):6.2f} ms   p99 {p99:6.2f} ms   max {ordered[-1]:6.2f} ms"


def timed(press: Callable[[], object], count: int) -> list[float]:
    times = []
    for _ in range(count):
        started = time.perf_counter()
        press()
        times.append((time.perf_counter() - started) * 1000)
    return times


def store_presses(target: str | Path, presses: int) -> list[float]:
    """add_span on successive words of one article, as many presses as asked."""
    with Store(target, annotator="bench") as store:
        text = article(presses + 10)
        [doc_id] = store.add_documents([NewDocument(text)]).added
        starts = iter([0] + [i + 1 for i, c in enumerate(text) if c == " "])

        def press() -> None:
            start = next(starts)
            end = text.find(" ", start)
            store.add_span(doc_id, Span.of(text, start, end if end > 0 else len(text), "ORG"))

        press()  # the statements' first run (prepared, cached) is not a key press
        return timed(press, presses)


def bare_presses(url: str, presses: int) -> list[float]:
    with psycopg.connect(url) as conn:
        conn.execute("CREATE TABLE IF NOT EXISTS bare_spans (id bigserial PRIMARY KEY, doc_id bigint, start bigint, "
                     '"end" bigint, label text, text text, annotator text, created text)')
        conn.commit()

        def press() -> None:
            conn.execute('INSERT INTO bare_spans (doc_id, start, "end", label, text, annotator, created) '
                         "VALUES (%s, %s, %s, %s, %s, %s, %s)", [1, 0, 4, "ORG", "word", "bench", "now"])
            conn.commit()

        press()
        return timed(press, presses)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--presses", type=int, default=500)
    parser.add_argument("--url", help="an empty database on a server (default: a throw-away local server)")
    args = parser.parse_args()
    with ExitStack() as stack:
        folder = Path(stack.enter_context(tempfile.TemporaryDirectory()))
        url = args.url
        if not url:
            from postgres import cluster

            server = stack.enter_context(cluster(Path(tempfile.mkdtemp(prefix="annotator-pg-bench-")), fsync=True))
            url = server.url("bench")
        print(f"{args.presses} key presses, each one committed edit (add_span)")
        print(f"  project file (SQLite, WAL)   {percentiles(store_presses(folder / 'bench.db', args.presses))}")
        print(f"  server project (PostgreSQL)  {percentiles(store_presses(url, args.presses))}")
        print(f"  bare psycopg INSERT + COMMIT {percentiles(bare_presses(url, args.presses))}")


if __name__ == "__main__":
    main()
