"""Fast at real size? Each figure beside its bare-library floor, measured in the same run; ratios.

On a project of N detected articles (bench/bigdata.py: ~227 span rows each, ~22.7 million at
N = 100,000; built once through the Store API and kept in the temporary folder):

- ``annotator stats`` (the whole process) beside a bare Python + sqlite3 process reading the
  same figures, and the GROUP BY scan that ``stats`` used to run;
- ``annotator import`` of N plain articles (JSONL, --no-detect) beside a raw script with the same
  unique hash index and full-text index (filled a batch at a time, as ours), both streaming the file;
- ``evaluate`` and ``agreement`` on 2,000 done documents with two people's layers beside a plain
  set-based computation of exact-match scores over the same rows;
- ``annotator --version`` beside a bare interpreter that imports click;
- document label and relation edits on the project's last article, from the call a key press makes
  to the edit committed and the open document read again (the window's session, drawing aside:
  ``Links.toggle`` for Shift + a label's key, ``Links.link`` for Tab then a relation's key,
  ``Links.unlink`` for Delete in the links list), beside a bare sqlite3 INSERT (or DELETE) +
  COMMIT of the same row in the same file (p50/p99). The project's rows are left as they were.

The window's figures on the same project (first paint, key press to drawn and committed) are
measured by bench/window_edit.py, with the generator shared from bench/bigdata.py.

    python bench/big_project.py [--docs 10000] [--cache DIR]   # --docs 100000: full size (builds ~25 min once)
"""

from __future__ import annotations

import argparse
import json
import os
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable
from itertools import pairwise
from pathlib import Path

from bigdata import ANNOTATOR as BENCH_PERSON
from bigdata import GENERATOR, article, project_with_predictions, spans_per_document

from annotator.categories import CategoryLabel
from annotator.domain import NewDocument, Span
from annotator.review.agreement import agreement
from annotator.review.evaluate import evaluate
from annotator.session import Session
from annotator.session_links import Links
from annotator.storage import SCHEMA_VERSION, Store

ROOT = Path(__file__).resolve().parent.parent
ENV = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}
ANNOTATOR = [sys.executable, "-m", "annotator"]


def run(command: list[str]) -> tuple[float, float]:
    """Seconds and peak MiB (VmHWM, polled) of a process run to its end; fails loudly if it fails."""
    started = time.perf_counter()
    process = subprocess.Popen(command, env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    peak = [0.0]

    def watch() -> None:
        status = Path(f"/proc/{process.pid}/status")
        while process.poll() is None:
            try:
                line = next(each for each in status.read_text().splitlines() if each.startswith("VmHWM"))
                peak[0] = max(peak[0], int(line.split()[1]) / 1024)
            except (OSError, StopIteration):
                pass
            time.sleep(0.02)

    watcher = threading.Thread(target=watch)
    watcher.start()
    _, stderr = process.communicate()
    seconds = time.perf_counter() - started
    watcher.join()
    if process.returncode:
        raise SystemExit(f"{' '.join(command)} failed: {stderr}")
    return seconds, peak[0]


def paired(a: Callable[[], float], b: Callable[[], float], runs: int) -> tuple[float, float]:
    """Medians of A and B run in turn (A B A B ...), so that a change in the machine's load hits both."""
    times = [(a(), b()) for _ in range(runs)]
    return statistics.median(t for t, _ in times), statistics.median(t for _, t in times)


def line(what: str, ours: float, floor: float, floor_name: str, unit: str = "s", goal: str = "") -> None:
    show = (lambda v: f"{v * 1000:7.0f} ms") if unit == "ms" else (lambda v: f"{v:7.2f} s ")
    print(f"{what:<34} {show(ours)}   {floor_name:<38} {show(floor)}   ratio {ours / floor:5.2f}  {goal}")


# -- annotator stats ---------------------------------------------------------------------------

FLOOR_STATS = """
import sqlite3, sys
db = sqlite3.connect(f"file:{sys.argv[1]}?mode=ro", uri=True)
print(db.execute("SELECT status, n FROM status_counts").fetchall())
print(db.execute("SELECT layer, label, origin, sum(n) FROM span_counts GROUP BY 1, 2, 3").fetchall())
print(db.execute("SELECT model, version, layer, n FROM prediction_counts").fetchall())
print(db.execute("SELECT DISTINCT annotator FROM span_counts WHERE n > 0").fetchall())
"""


def bench_stats(path: Path, runs: int) -> None:
    ours, floor = paired(lambda: run([*ANNOTATOR, "stats", "--db", str(path)])[0],
                         lambda: run([sys.executable, "-c", FLOOR_STATS, str(path)])[0], runs)
    line("annotator stats", ours, floor, "bare sqlite3 process, counter tables", goal="(goal < 1 s)")
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    started = time.perf_counter()
    db.execute("SELECT layer, label, origin, count(*) FROM annotations GROUP BY 1, 2, 3").fetchall()
    db.execute("SELECT model, model_version, layer, count(*) FROM predictions GROUP BY 1, 2, 3").fetchall()
    print(f"{'':<34} (the GROUP BY scan over every span row, what stats ran before: "
          f"{time.perf_counter() - started:.1f} s)")


# -- import ------------------------------------------------------------------------------------

FLOOR_IMPORT = """
import hashlib, json, sqlite3, sys
db = sqlite3.connect(sys.argv[2], isolation_level=None)
db.execute("PRAGMA journal_mode = WAL"); db.execute("PRAGMA synchronous = NORMAL")
db.executescript('''
CREATE TABLE documents (id INTEGER PRIMARY KEY, hash TEXT NOT NULL UNIQUE, text TEXT NOT NULL, title TEXT NOT NULL,
    meta TEXT NOT NULL, status TEXT NOT NULL, created TEXT NOT NULL, updated TEXT NOT NULL);
CREATE VIRTUAL TABLE documents_fts USING FTS5 (title, text, tokenize='unicode61', content='documents');
''')
db.execute("BEGIN")
batch, indexed = [], 0

def store():  # the batch, and its texts into the full-text index in one statement (as ours)
    global indexed
    db.executemany("INSERT INTO documents (hash, text, title, meta, status, created, updated) "
                   "VALUES (?, ?, ?, ?, ?, ?, ?)", batch)
    db.execute("INSERT INTO documents_fts (rowid, title, text) SELECT id, title, text FROM documents WHERE id > ?",
               [indexed])
    indexed = db.execute("SELECT max(id) FROM documents").fetchone()[0]

for line in open(sys.argv[1], encoding="utf-8"):
    doc = json.loads(line)
    text = doc["text"]
    batch.append((hashlib.sha256(text.encode()).hexdigest(), text, text.split(". ")[0][:120],
                  json.dumps(doc.get("meta", {})), "open", "now", "now"))
    if len(batch) == 500:
        store()
        batch = []
store()
db.execute("COMMIT")
"""


def bench_import(count: int, folder: Path) -> None:
    source = folder / "articles.jsonl"
    with source.open("w", encoding="utf-8") as out:
        for i in range(count):
            text, _ = article(count + i)  # not the big project's texts
            out.write(json.dumps({"text": text, "meta": {"date": "2025-01-07"}}) + "\n")
    ours = run([*ANNOTATOR, "import", str(source), "--db", str(folder / "ours.db"), "--no-detect"])
    floor = run([sys.executable, "-c", FLOOR_IMPORT, str(source), str(folder / "floor.db")])
    size = source.stat().st_size / 2**20
    line(f"import {count:,} articles ({size:.0f} MiB)", ours[0], floor[0], "raw script, unique hash + FTS5",
         goal="(goal: ratio <= 2)")
    print(f"{'':<34} peak memory {ours[1]:.0f} MiB, raw script {floor[1]:.0f} MiB (the file is {size:.0f} MiB)")


# -- evaluate and agreement --------------------------------------------------------------------


def variant(spans: list[Span], seed: int, every: int) -> list[Span]:
    """A person's version: every ``every``-th span relabelled, the one after it left out."""
    out = []
    for i, span in enumerate(spans):
        if (i + seed) % every == 1:
            continue
        label = ("ORG" if span.label != "ORG" else "GPE") if span.layer == "entities" else "NUMBER"
        out.append(span.with_(label=label if (i + seed) % every == 0 else span.label, confirmed=True))
    return out


def team_project(folder: Path, docs: int) -> Path:
    """2,000 done documents with the model's predictions, alice's and bob's layers (kept between runs)."""
    path = folder / f"team-{docs}-s{SCHEMA_VERSION}-g{GENERATOR}.db"
    if path.exists():
        return path
    partial = path.with_suffix(".partial")
    partial.unlink(missing_ok=True)
    with Store(partial, annotator="alice") as store:
        texts = [article(i) for i in range(docs)]
        ids = store.add_documents(NewDocument(text, spans=variant(spans, 0, 9), status="done")
                                  for text, spans in texts).added
        with store.transaction():
            for doc_id, (_, spans) in zip(ids, texts):
                store.insert_predictions(doc_id, spans, "en_core_web_sm", "3.8.0")
                store.insert_layer(doc_id, "bob", variant(spans, 4, 7))
    partial.rename(path)
    return path


def plain_scores(path: Path, gold_of: str, other: str) -> tuple[float, dict[str, float]]:
    """Exact-match F1, overall and per label, over (doc, layer, start, end, label) sets straight from the rows."""
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    done = "doc_id IN (SELECT id FROM documents WHERE status = 'done')"
    gold = set(db.execute(f"SELECT doc_id, layer, start, [end], label FROM annotations WHERE annotator = ? AND {done}",
                          [gold_of]))
    found = set(db.execute(f"SELECT doc_id, layer, start, [end], label FROM predictions WHERE {done}") if other == "model"
                else db.execute(f"SELECT doc_id, layer, start, [end], label FROM annotations WHERE annotator = ? AND {done}",
                                [other]))
    tp, g, f = (Counter(key[4] for key in keys) for keys in (gold & found, gold, found))
    per_label = {label: 2 * tp[label] / (g[label] + f[label]) for label in g | f}
    return 2 * len(gold & found) / (len(gold) + len(found)), per_label


def bench_review(folder: Path, docs: int, runs: int) -> None:
    path = team_project(folder, docs)
    with Store(path, annotator="alice") as store:
        def timed(work: Callable[[], object]) -> Callable[[], float]:
            def go() -> float:
                started = time.perf_counter()
                work()
                return time.perf_counter() - started
            return go

        ours, floor = paired(timed(lambda: evaluate(store)), timed(lambda: plain_scores(path, "alice", "model")), runs)
        line(f"evaluate, {docs:,} done documents", ours, floor, "plain sets of (doc, place, label)")
        ours, floor = paired(timed(lambda: agreement(store)), timed(lambda: plain_scores(path, "alice", "bob")), runs)
        line(f"agreement, {docs:,} done documents", ours, floor, "plain sets of (doc, place, label)")


# -- document label and relation edits -----------------------------------------------------------

EDIT_LABEL = "bench-relevant"  # a document label of the bench's own, removed at the end


def percentiles(timings: list[float]) -> tuple[float, float]:
    ordered = sorted(timings)
    return statistics.median(ordered), ordered[min(len(ordered) - 1, round(0.99 * (len(ordered) - 1)))]


def ms(work: Callable[[], object]) -> float:
    started = time.perf_counter()
    work()
    return (time.perf_counter() - started) * 1000


def bench_link_edits(path: Path, edits: int) -> None:
    """Toggles of a document label, links made and removed, on the last article: each one committed
    edit (with its history entry), beside the bare statement + COMMIT of the same row."""
    with Store(path, annotator=BENCH_PERSON) as store:
        doc_id = store.document_ids()[-1]
        if store.categories.label(EDIT_LABEL) is None:
            store.categories.add_label(CategoryLabel(EDIT_LABEL))
        session = Session(store)
        links = Links(session)
        session.open(doc_id)
        spans = sorted(session.spans.values(), key=lambda s: (s.start, s.end))
        pairs = list(pairwise(spans))[:edits]
        try:
            mine = {"toggle": [ms(lambda: links.toggle(EDIT_LABEL)) for _ in range(edits - edits % 2)], "link": []}
            for head, child in pairs:
                session.select(head)  # Tab from it, then the relation's key:
                mine["link"].append(ms(lambda child=child: links.link(child, "COUNTS")))
            made = list(links.relations)
            mine["unlink"] = [ms(lambda relation_id=relation_id: links.unlink(relation_id)) for relation_id in made]
            if store.relations.of(doc_id) or store.categories.of(doc_id) or len(mine["unlink"]) != len(pairs):
                raise SystemExit("the document labels and links did not all reach the store")
        finally:
            store.categories.remove_label(EDIT_LABEL)
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("PRAGMA synchronous = NORMAL")
    db.execute("INSERT OR IGNORE INTO category_labels (name, grp, colour) VALUES (?, '', '#9e9e9e')", [EDIT_LABEL])

    def statement(sql: str, values: list[object]) -> Callable[[], object]:
        def go() -> None:
            db.execute("BEGIN IMMEDIATE")
            db.execute(sql, values)
            db.execute("COMMIT")
        return go

    on = statement("INSERT INTO document_categories VALUES (?, 'floor', ?, 'human', '')", [doc_id, EDIT_LABEL])
    off = statement("DELETE FROM document_categories WHERE doc_id = ? AND annotator = 'floor' AND label = ?",
                    [doc_id, EDIT_LABEL])
    bare = {"toggle": [ms(on if i % 2 == 0 else off) for i in range(edits - edits % 2)], "link": [], "unlink": []}
    for head, child in pairs:
        bare["link"].append(ms(statement("INSERT INTO relations (doc_id, head, child, label, origin, annotator, created) "
                                         "VALUES (?, ?, ?, 'COUNTS', 'human', 'floor', '')", [doc_id, head.id, child.id])))
    for head, child in pairs:
        bare["unlink"].append(ms(statement("DELETE FROM relations WHERE head = ? AND child = ? AND annotator = 'floor'",
                                           [head.id, child.id])))
    db.execute("DELETE FROM category_labels WHERE name = ?", [EDIT_LABEL])
    db.close()
    for kind, what in (("toggle", "document label toggled"), ("link", "link made"), ("unlink", "link removed")):
        (m50, m99), (f50, f99) = percentiles(mine[kind]), percentiles(bare[kind])
        print(f"{what + f' ({len(mine[kind])}), p50/p99':<34} {m50:5.1f} /{m99:5.1f} ms   {'bare statement + COMMIT':<38} "
              f"{f50:5.1f} /{f99:5.1f} ms   ratio p99 {m99 / f99:5.2f}  (goal < 50 ms p99)")


# -- start-up ----------------------------------------------------------------------------------


def bench_startup(runs: int) -> None:
    ours, floor = paired(lambda: run([*ANNOTATOR, "--version"])[0],
                         lambda: run([sys.executable, "-c", "import click"])[0], runs)
    line("annotator --version", ours, floor, "bare interpreter importing click", unit="ms", goal="(goal < 300 ms)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--docs", type=int, default=10_000, help="articles in the project and in the import")
    parser.add_argument("--review-docs", type=int, default=2_000, help="done documents for evaluate/agreement")
    parser.add_argument("--runs", type=int, default=5, help="paired runs whose median is shown")
    parser.add_argument("--edits", type=int, default=100, help="document label toggles, links made and removed")
    parser.add_argument("--cache", type=Path, help="folder where the big project is kept (default: bigdata's)")
    parser.add_argument("--only-edits", action="store_true", help="measure only the document label and relation edits")
    args = parser.parse_args()
    started = time.perf_counter()
    path = project_with_predictions(args.docs, args.cache)
    rows = round(args.docs * spans_per_document())
    print(f"project: {args.docs:,} detected articles, ~{rows:,} span rows, {path.stat().st_size / 2**20:,.0f} MiB "
          f"({path}); {os.cpu_count()} cores\n")
    bench_link_edits(path, args.edits)
    if args.only_edits:
        return
    bench_stats(path, args.runs)
    with tempfile.TemporaryDirectory() as folder:
        bench_import(args.docs, Path(folder))
    bench_review(path.parent, args.review_docs, min(args.runs, 3))
    bench_startup(args.runs * 2)
    print(f"\n(whole run {time.perf_counter() - started:.0f} s)")


if __name__ == "__main__":
    main()
