"""How fast is an annotated import, beside the floor? Prints both times, the ratio and peak memory.

Writes N generated news articles (default 2,000) with 60 labelled spans each as doccano JSONL
and as Prodigy JSONL, as doccano's relation export (the spans as ``entities`` with ids, 30
``relations`` and two document labels in ``cats`` each), and as Prodigy's multi-user sessions
(``sessions``: each text answered by two named sessions, all of alice's tasks then all of bob's, as
``db-out`` writes them; one document each, two layers), then, each in a fresh process:
- the floor: a bare script that parses the file line by line, checks every span against its
  text and inserts documents and spans (and relations and document labels, their ends by id)
  with sqlite3 ``executemany`` in one transaction;
- ``annotator import --no-detect`` of the same file (the same checks and more: all or nothing,
  duplicates, labels, staging so that the window can write meanwhile).
With ``--sizes 1000,4000`` it runs at several sizes, so that the peak memory shows whether it
stays flat as the file grows. It also says whether spaCy was loaded (it must not be).

Each is timed inside its process from the import of its own modules (json and sqlite3 for the
floor, the annotator package for ours) to its last commit; the process's start is the same for both.
It also times our readers alone (parsing and checking, no storage), to show where the time goes.

    python bench/import_speed.py [--docs 2000] [--sizes 1000,4000] [--repeat 3] [--cases prodigy,sessions]
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

SPANS = 60
RELATIONS = 30  # per article of the relations case: between neighbouring spans
LABELS = ("PERSON", "GPE", "ORG", "DATE", "NORP")
WORD = re.compile(r"\w+")


def write_files(folder: Path, docs: int) -> dict[str, Path]:
    """The same articles and spans as doccano and as Prodigy JSONL."""
    import json
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from detect_speed import article  # loads spaCy: kept out of the measured processes

    rng = random.Random(7)
    paths = {"doccano": folder / f"doccano-{docs}.jsonl", "prodigy": folder / f"prodigy-{docs}.jsonl",
             "relations": folder / f"relations-{docs}.jsonl", "sessions": folder / f"sessions-{docs}.jsonl"}
    later = []  # the second session's tasks, written after the first's
    with paths["doccano"].open("w", encoding="utf-8") as doccano, paths["prodigy"].open("w", encoding="utf-8") as prodigy, \
            paths["relations"].open("w", encoding="utf-8") as relations:
        for i in range(docs):
            text = article(rng) + f" (Report {i}.)"
            words = [m.span() for m in WORD.finditer(text)]
            chosen = sorted(rng.sample(range(len(words)), SPANS))
            spans = [(words[k][0], words[k][1], LABELS[k % len(LABELS)]) for k in chosen]
            doccano.write(json.dumps({"text": text, "label": [list(s) for s in spans]}) + "\n")
            prodigy.write(json.dumps({"text": text, "spans": [{"start": s, "end": e, "label": label}
                                                              for s, e, label in spans]}) + "\n")
            for who, labels in (("alice", LABELS), ("bob", LABELS[1:] + LABELS[:1])):
                later.append(json.dumps({"text": text, "answer": "accept", "_annotator_id": f"news-{who}",
                                         "_session_id": f"news-{who}", "spans": [
                                             {"start": s, "end": e, "label": labels[LABELS.index(label)]}
                                             for s, e, label in spans]}) + "\n")
            relations.write(json.dumps({
                "text": text, "entities": [{"id": k, "start_offset": s, "end_offset": e, "label": label}
                                           for k, (s, e, label) in enumerate(spans)],
                "relations": [{"from_id": 2 * k, "to_id": 2 * k + 1, "type": ("COUNTS", "LOCATED_IN")[k % 2]}
                              for k in range(RELATIONS)], "cats": ["war", ("relevant", "other")[i % 2]]}) + "\n")
    with paths["sessions"].open("w", encoding="utf-8") as sessions:
        sessions.writelines(later[0::2] + later[1::2])
    return paths


def floor(path: Path, db: Path) -> tuple[int, int]:
    """Parse, check each span against its text, insert with executemany in one transaction.
    Its modules are imported here, in the timed part, as the import command's are."""
    import json
    import sqlite3

    conn = sqlite3.connect(db)
    conn.executescript("CREATE TABLE documents (id INTEGER PRIMARY KEY, text TEXT, meta TEXT);"
                       "CREATE TABLE spans (id INTEGER PRIMARY KEY, doc_id INTEGER, start INTEGER, end INTEGER, label TEXT, "
                       "text TEXT, annotator TEXT);"
                       "CREATE TABLE relations (doc_id INTEGER, head INTEGER, child INTEGER, label TEXT);"
                       "CREATE TABLE categories (doc_id INTEGER, label TEXT);")
    documents, spans, relations, categories = [], [], [], []
    seen: dict[int, int] = {}  # a text's hash: its document (a second session's answer joins it)
    with path.open(encoding="utf-8") as file:
        for line in file:
            obj = json.loads(line)
            text = obj["text"]
            who = obj.get("_annotator_id")
            doc_id = seen.get(hash(text)) if who else None
            if doc_id is None:
                doc_id = seen[hash(text)] = len(documents) + 1
                documents.append((doc_id, text, json.dumps(obj.get("meta", {}))))
            ids = {}
            for item in obj.get("label") or [(s["start"], s["end"], s["label"]) for s in obj.get("spans", [])] or [
                    (s["start_offset"], s["end_offset"], s["label"], s["id"]) for s in obj.get("entities", [])]:
                start, end, label = item[:3]
                if not (isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= len(text)):
                    raise ValueError(f"document {doc_id}: span {start}-{end} does not fit")
                spans.append((len(spans) + 1, doc_id, start, end, label, text[start:end], who))
                if len(item) == 4:
                    ids[item[3]] = len(spans)
            relations += [(doc_id, ids[r["from_id"]], ids[r["to_id"]], r["type"]) for r in obj.get("relations", [])]
            categories += [(doc_id, label) for label in obj.get("cats", [])]
    with conn:
        conn.executemany("INSERT INTO documents VALUES (?, ?, ?)", documents)
        conn.executemany("INSERT INTO spans VALUES (?, ?, ?, ?, ?, ?, ?)", spans)
        conn.executemany("INSERT INTO relations VALUES (?, ?, ?, ?)", relations)
        conn.executemany("INSERT INTO categories VALUES (?, ?)", categories)
    conn.close()
    return len(documents), len(spans)


def ours(path: Path, db: Path) -> tuple[int, int]:
    from annotator.importing import import_paths
    from annotator.storage import Store

    with Store(db, annotator="bench") as store:
        result = import_paths(store, [path])
        return len(result.added), store.counts().get("spans", 0) if hasattr(store, "counts") else 0


def reading(path: Path, db: Path) -> tuple[int, int]:
    """Our readers alone (parse and check, no storage): the part of the import this module owns."""
    from annotator.formats import read_paths

    docs = spans = 0
    for doc in read_paths([path]):
        docs, spans = docs + 1, spans + len(doc.spans) + len(doc.entities)
    return docs, spans


def one(kind: str, path: Path, db: Path) -> None:
    started, cpu = time.perf_counter(), time.process_time()
    docs, _ = {"floor": floor, "annotator": ours, "reading": reading}[kind](path, db)
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    peak = peak_mib()
    import json

    print(json.dumps({"seconds": seconds, "cpu": cpu, "docs": docs, "peak": peak, "spacy": "spacy" in sys.modules}))


def peak_mib() -> float:
    """This process's peak resident memory. Not ``ru_maxrss``: Linux carries that over from the
    parent at exec, so every child would report the generating parent's peak (spaCy loaded)."""
    status = Path("/proc/self/status")
    if status.exists():
        return next(int(line.split()[1]) for line in status.read_text().splitlines() if line.startswith("VmHWM:")) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measure(kind: str, path: Path, folder: Path, repeat: int) -> dict:
    """The fastest of ``repeat`` runs, each in a fresh process (other load on the machine only slows):
    wall-clock and CPU seconds each at their least (on a shared machine CPU time is the steadier)."""
    import json

    runs = []
    for _ in range(repeat):
        db = folder / f"{kind}-{path.stem}-{time.monotonic_ns()}.db"
        run = subprocess.run([sys.executable, __file__, "--one", kind, str(path), str(db)], capture_output=True,
                             text=True, check=True)
        runs.append(json.loads(run.stdout.strip().splitlines()[-1]))
    return {**max(runs, key=lambda r: r["peak"]), "seconds": min(r["seconds"] for r in runs),
            "cpu": min(r["cpu"] for r in runs)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--docs", type=int, default=2000)
    parser.add_argument("--sizes", help="comma-separated document counts (overrides --docs)")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each, the fastest counts")
    parser.add_argument("--cases", default="", help="comma-separated of doccano,prodigy,relations,sessions (default all)")
    parser.add_argument("--one", nargs=3, metavar=("KIND", "FILE", "DB"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        kind, path, db = args.one
        one(kind, Path(path), Path(db))
        return
    sizes = [int(s) for s in args.sizes.split(",")] if args.sizes else [args.docs]
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        for docs in sizes:
            files = write_files(folder, docs)
            print(f"{docs:,} articles x {SPANS} spans ({docs * SPANS:,} spans), "
                  f"{files['doccano'].stat().st_size / 2**20:.1f} MiB as doccano JSONL")
            for fmt, path in files.items():
                if args.cases and fmt not in args.cases.split(","):
                    continue
                base, mine, read = (measure(kind, path, folder, args.repeat) for kind in ("floor", "annotator", "reading"))
                print(f"  {fmt:9} floor {base['seconds']:5.2f} s, {base['cpu']:5.2f} s CPU ({base['peak']:4.0f} MiB)   "
                      f"annotator import {mine['seconds']:5.2f} s, {mine['cpu']:5.2f} s CPU ({mine['peak']:4.0f} MiB)   "
                      f"ratio {mine['seconds'] / base['seconds']:4.2f} wall, {mine['cpu'] / base['cpu']:4.2f} CPU   "
                      f"of which reading {read['seconds']:5.2f} s, {read['cpu']:5.2f} s CPU   "
                      f"spaCy loaded: {'yes' if mine['spacy'] else 'no'}")


if __name__ == "__main__":
    main()
