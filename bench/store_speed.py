"""The store's speed beside bare sqlite3 doing the same work, measured in the same run.

1. Annotated import: D articles x 60 spans as Prodigy JSONL, `import_paths` (read, check every
   span, stage in chunks, publish) against a bare script: json.loads each line, check every span
   against its text, sqlite3 executemany of documents and spans in one transaction.
2. Plain import: P articles as JSONL against a raw script with the same unique hash index and
   full-text index (filled in one statement per batch, as ours is).
3. One edit (`Store.add_span`, committed) against a one-row INSERT + COMMIT with the same pragmas.
4. `stats()` and `counts()` against the GROUP BY scans they replace, with predictions stored.

    python bench/store_speed.py [--annotated 2000] [--plain 20000] [--predictions 2000]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sqlite3
import statistics
import tempfile
import time
from pathlib import Path

from annotator.domain import NewDocument, Span
from annotator.importing import import_paths
from annotator.storage import Store

WORDS = ["drones", "struck", "Kyiv", "overnight", "and", "officials", "in", "Lviv", "said", "power", "was", "cut",
         "to", "homes", "while", "Ukrenergo", "crews", "worked", "in", "Kharkiv"]


def article(i: int, words: int = 330) -> str:
    return f"Report {i}. " + " ".join(WORDS[(i * 7 + k) % len(WORDS)] for k in range(words))


def spans_of(text: str, limit: int) -> list[dict]:
    spans, start = [], 0
    for word in text.split(" "):
        if word[:1].isupper() and len(spans) < limit:
            spans.append({"start": start, "end": start + len(word), "label": "GPE"})
        start += len(word) + 1
    return spans


def write_jsonl(path: Path, count: int, spans: int) -> None:
    with path.open("w", encoding="utf-8") as out:
        for i in range(count):
            text = article(i)
            task = {"text": text, "meta": {"title": f"Report {i}"}}
            if spans:
                task["spans"] = spans_of(text, spans)
            out.write(json.dumps(task) + "\n")


RAW_SCHEMA = """
CREATE TABLE documents (id INTEGER PRIMARY KEY, hash TEXT NOT NULL UNIQUE, text TEXT NOT NULL, title TEXT NOT NULL,
                        meta TEXT NOT NULL);
CREATE VIRTUAL TABLE documents_fts USING FTS5 (title, text, content='documents');
CREATE TABLE spans (id INTEGER PRIMARY KEY, doc_id INTEGER NOT NULL, start INTEGER NOT NULL, [end] INTEGER NOT NULL,
                    label TEXT NOT NULL, text TEXT NOT NULL);
"""


def timed(fn, *args) -> tuple[float, float]:  # type: ignore[no-untyped-def]
    """Wall-clock and CPU seconds: on a shared machine the CPU time is the steadier figure."""
    wall, cpu = time.perf_counter(), time.process_time()
    fn(*args)
    return time.perf_counter() - wall, time.process_time() - cpu


def raw_import(source: Path, db: Path) -> None:
    """The floor: parse, check, executemany in one transaction (no chunks, no counters, no history)."""
    conn = sqlite3.connect(db, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = NORMAL")
    conn.executescript(RAW_SCHEMA)
    conn.execute("BEGIN")
    docs, spans = [], []
    with source.open(encoding="utf-8") as lines:
        for doc_id, line in enumerate(lines, 1):
            task = json.loads(line)
            text = task["text"]
            for s in task.get("spans", ()):
                if not 0 <= s["start"] < s["end"] <= len(text):
                    raise ValueError("span outside the text")
                spans.append((doc_id, s["start"], s["end"], s["label"], text[s["start"]:s["end"]]))
            docs.append((doc_id, hashlib.sha256(text.encode()).hexdigest(), text, task["meta"]["title"],
                         json.dumps(task["meta"])))
            if len(docs) == 1000:
                store_rows(conn, docs, spans)
                docs, spans = [], []
    store_rows(conn, docs, spans)
    conn.execute("COMMIT")
    conn.close()


def store_rows(conn: sqlite3.Connection, docs: list[tuple], spans: list[tuple]) -> None:
    """The texts go into the full-text index in one statement, as ours do (a trigger per row
    makes FTS5 flush its terms for every document: four times the cost)."""
    if docs:
        conn.executemany("INSERT INTO documents VALUES (?, ?, ?, ?, ?)", docs)
        conn.execute("INSERT INTO documents_fts (rowid, title, text) SELECT id, title, text FROM documents "
                     "WHERE id BETWEEN ? AND ?", [docs[0][0], docs[-1][0]])
    conn.executemany("INSERT INTO spans (doc_id, start, [end], label, text) VALUES (?, ?, ?, ?, ?)", spans)


def our_import(source: Path, db: Path) -> None:
    with Store(db, annotator="bench") as store:
        import_paths(store, [source])


def compare_imports(folder: Path, name: str, count: int, spans: int) -> None:
    source = folder / f"{name}.jsonl"
    write_jsonl(source, count, spans)
    raw = timed(raw_import, source, folder / f"{name}-raw.db")
    ours = timed(our_import, source, folder / f"{name}-ours.db")
    print(f"{name} import of {count:,} articles ({count * spans:,} spans): "
          f"annotator {ours[0]:.2f} s ({ours[1]:.2f} s CPU), bare sqlite3 {raw[0]:.2f} s ({raw[1]:.2f} s CPU), "
          f"ratio {ours[0] / raw[0]:.1f}x ({ours[1] / raw[1]:.1f}x CPU)")


def compare_edits(folder: Path, count: int = 400) -> None:
    text = " ".join(WORDS * 60)
    with Store(folder / "edits.db", annotator="bench") as store:
        doc = store.add_documents([NewDocument(text)]).added[0]
        ours, start = [], 0
        for _ in range(count):
            end = text.index(" ", start)
            began = time.perf_counter()
            store.add_span(doc, Span.of(text, start, end, "ORG"))
            ours.append(time.perf_counter() - began)
            start = end + 1
    conn = sqlite3.connect(folder / "raw-edits.db", isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = NORMAL")
    conn.execute("CREATE TABLE spans (id INTEGER PRIMARY KEY, doc_id INT, start INT, [end] INT, label TEXT, text TEXT)")
    raw = []
    for i in range(count):
        began = time.perf_counter()
        conn.execute("BEGIN")
        conn.execute("INSERT INTO spans (doc_id, start, [end], label, text) VALUES (1, ?, ?, 'ORG', 'x')", [i, i + 1])
        conn.execute("COMMIT")
        raw.append(time.perf_counter() - began)
    conn.close()
    p50, floor = statistics.median(ours) * 1000, statistics.median(raw) * 1000
    print(f"one edit (add_span, committed): p50 {p50:.3f} ms; bare INSERT+COMMIT p50 {floor:.3f} ms")


def compare_figures(folder: Path, count: int) -> None:
    with Store(folder / "figures.db", annotator="bench") as store:
        ids = store.add_documents(NewDocument(article(i)) for i in range(count)).added
        for doc_id in ids:
            text = store.document(doc_id).text
            predicted = [Span(s["start"], s["end"], s["label"], text[s["start"]:s["end"]]) for s in spans_of(text, 220)]
            store.save_predictions(doc_id, predicted, "bench", "1")
        rows = store.db.one("SELECT count(*) FROM annotations") + store.db.one("SELECT count(*) FROM predictions")
        timings = {}
        for name, call in [("stats()", store.stats), ("counts()", store.counts),
                           ("the scans stats() replaces", lambda: [store.db.execute(sql).fetchall() for sql in (
                               "SELECT status, count(*) FROM documents GROUP BY status",
                               "SELECT layer, label, origin, count(*) FROM annotations GROUP BY 1, 2, 3",
                               "SELECT model, model_version, layer, count(*) FROM predictions GROUP BY 1, 2, 3")])]:
            began = time.perf_counter()
            call()
            timings[name] = (time.perf_counter() - began) * 1000
    print(f"figures over {count:,} detected articles ({rows:,} span rows): "
          + ", ".join(f"{k} {v:.1f} ms" for k, v in timings.items()))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--annotated", type=int, default=2000)
    parser.add_argument("--plain", type=int, default=20_000)
    parser.add_argument("--predictions", type=int, default=2000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        compare_imports(folder, "annotated", args.annotated, 60)
        compare_imports(folder, "plain", args.plain, 0)
        compare_edits(folder)
        compare_figures(folder, args.predictions)


if __name__ == "__main__":
    main()
