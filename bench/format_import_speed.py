"""How fast does each annotated format import? Prints seconds and articles a second for each.

Writes N generated articles with 60 spans each (default 2,000; the articles of
bench/import_speed.py) as doccano JSONL, imports them into a project as done documents, exports
that project in every format that carries spans and that we read back (Prodigy JSONL with
tokens, Label Studio JSON, brat, CoNLL, spaCy DocBin), then times ``annotator import
--no-detect`` of each file in a fresh process: the fastest of ``--repeat`` runs, wall and CPU
(CoNLL and DocBin keep only the spans on spaCy's tokens, about 96% of them).

    python bench/format_import_speed.py [--docs 2000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from import_speed import write_files

EXPORTS = {"jsonl": "prodigy.jsonl", "labelstudio": "tasks.json", "brat": "brat", "conll": "gold.conll",
           "spacy": "docs.spacy"}


def annotator(*args: str) -> None:
    subprocess.run([sys.executable, "-m", "annotator", *args], check=True, capture_output=True, text=True)


def timed_import(path: Path, folder: Path, repeat: int) -> tuple[float, float]:
    """The fastest wall-clock and CPU seconds of ``repeat`` imports, each into a new project."""
    walls, cpus = [], []
    for run in range(repeat):
        db = folder / f"{path.name}-{run}.db"
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.perf_counter()
        annotator("import", str(path), "--no-detect", "--db", str(db))
        walls.append(time.perf_counter() - started)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
    return min(walls), min(cpus)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--docs", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=3, help="runs of each, the fastest counts")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        source = write_files(folder, args.docs)["doccano"]
        project = folder / "source.db"
        annotator("import", str(source), "--no-detect", "--status", "done", "--db", str(project))
        files = {"doccano": source}
        for fmt, out in EXPORTS.items():
            files[fmt] = folder / out
            annotator("export", "--format", fmt, str(files[fmt]), "--db", str(project))
        print(f"{args.docs:,} articles x 60 spans, each format's import in a fresh process (fastest of {args.repeat})")
        for fmt, path in files.items():
            wall, cpu = timed_import(path, folder, args.repeat)
            print(f"  {fmt:12} {wall:6.2f} s, {cpu:6.2f} s CPU   {args.docs / wall:7,.0f} articles/s")


if __name__ == "__main__":
    main()
