"""How long does a person's edit wait while a long import runs in another process?

Starts `Store.add_documents` of N generated articles (~2,000 characters, 20 pre-annotated
spans each) in a child process, and meanwhile stores one span at a time from this process
(each a committed edit, as the window does), timing each. Prints p50/p99/max of those edits
beside the same edits with no import running, and the import's own time.

    python bench/edit_while_import.py [--docs 20000]
"""

from __future__ import annotations

import argparse
import multiprocessing
import statistics
import tempfile
import time
from pathlib import Path

from annotator.domain import NewDocument, Span
from annotator.storage import Store

WORDS = ["drones", "struck", "Kyiv", "overnight", "and", "officials", "in", "Lviv", "said", "that", "power", "was",
         "cut", "to", "homes"]


def article(i: int) -> NewDocument:
    text = f"Report {i}. " + " ".join(WORDS[(i + k) % len(WORDS)] for k in range(330))
    spans, start = [], 0
    for word in text.split(" "):
        if word in ("Kyiv", "Lviv") and len(spans) < 20:
            spans.append(Span(start, start + 4, "GPE", word, origin="import"))
        start += len(word) + 1
    return NewDocument(text, {"title": f"Report {i}"}, spans=spans)


def run_import(path: str, docs: int, done: multiprocessing.Value) -> None:
    with Store(path, annotator="importer") as store:
        started = time.perf_counter()
        store.add_documents(article(i) for i in range(docs))
        done.value = time.perf_counter() - started


def edits(store: Store, doc: int, text: str, until) -> list[float]:  # type: ignore[no-untyped-def]
    """Store spans one edit at a time (cycling over the document's words) while ``until()`` is false."""
    times, start = [], 0
    while not until():
        end = text.index(" ", start)
        began = time.perf_counter()
        span = store.add_span(doc, Span.of(text, start, end, "ORG"))
        times.append(time.perf_counter() - began)
        store.db.execute("DELETE FROM annotations WHERE id = ?", [span.id])  # keep the word free (not timed)
        start = end + 1 if end + 1 < len(text) - 20 else 0
        time.sleep(0.01)  # a fast typist: a hundred labels a second
    return times


def figures(times: list[float]) -> str:
    ms = sorted(t * 1000 for t in times)
    p99 = ms[min(len(ms) - 1, int(len(ms) * 0.99))]
    return f"{len(ms):5d} edits  p50 {statistics.median(ms):7.2f} ms  p99 {p99:7.2f} ms  max {ms[-1]:7.2f} ms"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--docs", type=int, default=20_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path = str(Path(folder) / "bench.db")
        with Store(path, annotator="person") as store:
            text = " ".join(WORDS * 40)
            doc = store.add_documents([NewDocument(text)]).added[0]
            stop = time.perf_counter() + 3
            quiet = edits(store, doc, text, lambda: time.perf_counter() > stop)
            context = multiprocessing.get_context("spawn")
            done = context.Value("d", 0.0)
            child = context.Process(target=run_import, args=(path, args.docs, done))
            child.start()
            busy = edits(store, doc, text, lambda: not child.is_alive())
            child.join()
            print(f"import of {args.docs:,} articles in another process: {done.value:.1f} s "
                  f"({store.counts()['documents'] - 1:,} stored)")
            print(f"edits, nothing else running:  {figures(quiet)}")
            print(f"edits during the import:      {figures(busy)}")


if __name__ == "__main__":
    main()
