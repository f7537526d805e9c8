"""How long does a document label or a relation take to store? p50/p99 of each edit through the
Store, beside the bare floor (one INSERT or DELETE + COMMIT with the same pragmas), on the last
article of a project of N detected articles (``bench/bigdata.py`` builds it; a copy is edited,
so the cached project stays as it was).

Edits: toggling a document label (on, off), linking two spans, removing the link, removing a
linked span (its links go in the same edit) and undoing that; each is one committed, undoable
edit. The window's figure (key press to drawn) is for bench/window_edit.py.

    python bench/links_store.py [--docs 10000] [--edits 200] [--project PATH]
"""

from __future__ import annotations

import argparse
import shutil
import sqlite3
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bigdata import ANNOTATOR, project_with_predictions

from annotator.categories import CategoryLabel
from annotator.storage import Store


def percentiles(timings: list[float]) -> tuple[float, float]:
    ordered = sorted(timings)
    return statistics.median(ordered), ordered[min(len(ordered) - 1, round(0.99 * (len(ordered) - 1)))]


def timed(action: Callable[[], object]) -> float:
    started = time.perf_counter()
    action()
    return (time.perf_counter() - started) * 1000


def edit(times: dict[str, list[float]], name: str, action: Callable[..., Any], *args: Any) -> Any:
    """Do one edit, adding its milliseconds to ``times[name]``; what it returned."""
    started = time.perf_counter()
    result = action(*args)
    times[name].append((time.perf_counter() - started) * 1000)
    return result


def floor(path: Path, edits: int) -> list[float]:
    """One INSERT + COMMIT and one DELETE + COMMIT into a small table, with the Store's pragmas (WAL)."""
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("PRAGMA journal_mode = WAL")
    db.execute("PRAGMA foreign_keys = ON")
    db.execute("PRAGMA synchronous = NORMAL")
    db.execute("CREATE TABLE IF NOT EXISTS floor (doc_id INTEGER, label TEXT, PRIMARY KEY (doc_id, label))")
    times = []
    for _ in range(edits):
        times.append(timed(lambda: (db.execute("BEGIN IMMEDIATE"), db.execute("INSERT INTO floor VALUES (1, 'x')"),
                                    db.execute("COMMIT"))))
        times.append(timed(lambda: (db.execute("BEGIN IMMEDIATE"), db.execute("DELETE FROM floor"), db.execute("COMMIT"))))
    db.close()
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=10_000)
    parser.add_argument("--edits", type=int, default=200)
    parser.add_argument("--project", type=Path, help="an existing project to copy instead of the generated one")
    args = parser.parse_args()
    source = args.project or project_with_predictions(args.docs)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "project.db"
        shutil.copyfile(source, path)
        started = time.perf_counter()
        store = Store(path, annotator=ANNOTATOR)  # an older project is upgraded here
        opened = (time.perf_counter() - started) * 1000
        doc = store.document_ids()[-1]
        store.start_layer(doc)
        store.categories.add_label(CategoryLabel("relevant", "relevance"))
        spans = store.spans(doc)
        times: dict[str, list[float]] = {k: [] for k in ("toggle", "link", "unlink", "remove linked span", "undo that")}
        for i in range(args.edits):
            head, child = spans[i % len(spans)], spans[(i + 1) % len(spans)]
            edit(times, "toggle", store.categories.toggle, doc, "relevant")
            relation = edit(times, "link", store.relations.add, head.id, child.id, "COUNTS")
            edit(times, "unlink", store.relations.remove, relation.id)
            if i % 4 == 0:
                store.relations.add(head.id, child.id, "LOCATED_IN")
                edit(times, "remove linked span", store.delete_span, child.id)
                edit(times, "undo that", store.undo)
                for back in store.relations.of(doc):  # the link came back with its span: leave none behind
                    store.relations.remove(back.id)
        store.close()
        bare = floor(Path(folder) / "floor.db", args.edits)
    print(f"project: {args.project or f'{args.docs:,} detected articles'}; opened (with any upgrade) in {opened:,.0f} ms")
    print(f"{'edit':<20} {'p50 ms':>8} {'p99 ms':>8}")
    for name, found in times.items():
        print(f"{name:<20} {percentiles(found)[0]:8.2f} {percentiles(found)[1]:8.2f}")
    print(f"{'floor (bare sqlite)':<20} {percentiles(bare)[0]:8.2f} {percentiles(bare)[1]:8.2f}")


if __name__ == "__main__":
    main()
