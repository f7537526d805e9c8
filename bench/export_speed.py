"""How fast are exports, and does memory stay flat? Prints documents/second and peak memory per format.

Builds a project of generated news articles (default 2,000) whose every place and person name is
labelled, then exports it in each format; each export runs in a fresh process so that its peak
memory (ru_maxrss) is its own.

    python bench/export_speed.py [--docs 2000]
"""

from __future__ import annotations

import argparse
import random
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from detect_speed import PEOPLE, PLACES, article  # noqa: E402

from annotator.domain import DONE, NewDocument, Span  # noqa: E402
from annotator.export import FORMATS, export_documents  # noqa: E402
from annotator.storage import Store  # noqa: E402

NAMES = re.compile("|".join(map(re.escape, PEOPLE + PLACES)))


def build(path: Path, docs: int) -> int:
    rng = random.Random(11)
    spans = 0
    with Store(path, annotator="bench") as store:
        texts = [article(rng) + f" (Report {i}.)" for i in range(docs)]
        ids = store.add_documents(NewDocument(t, status=DONE) for t in texts).added
        for doc_id, text in zip(ids, texts):
            found = [Span.of(text, m.start(), m.end(), "PERSON" if m.group() in PEOPLE else "GPE")
                     for m in NAMES.finditer(text)]
            store.insert_predictions(doc_id, found, "names", "1")
            spans += len(found)
    return spans


def one(db: Path, fmt: str, out: Path) -> None:
    with Store(db, annotator="bench") as store:
        started = time.perf_counter()
        report = export_documents(store, fmt, out)
        seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{fmt:8} {report.documents / seconds:8,.0f} docs/s  {report.spans:8,} spans  peak {peak:6.0f} MiB  "
          f"{out.stat().st_size / 2**20:6.1f} MiB written")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--docs", type=int, default=2000)
    parser.add_argument("--one", nargs=3, metavar=("DB", "FORMAT", "OUT"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        db, fmt, out = args.one
        one(Path(db), fmt, Path(out))
        return
    with tempfile.TemporaryDirectory() as folder:
        db = Path(folder) / "bench.db"
        spans = build(db, args.docs)
        print(f"{args.docs:,} documents, {spans:,} spans")
        for fmt in FORMATS:
            subprocess.run([sys.executable, __file__, "--one", str(db), fmt, str(Path(folder) / f"out.{fmt}")], check=True)


if __name__ == "__main__":
    main()
