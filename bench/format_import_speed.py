"""How fast does each annotated format import? Prints seconds and articles a second for each.

Writes N generated articles with 60 spans each (default 2,000; the articles of
bench/import_speed.py) as doccano JSONL, imports them into a project as done documents, exports
that project in every format that carries spans and that we read back (Prodigy JSONL with
tokens, Label Studio JSON, brat, CoNLL, spaCy DocBin, WebAnno TSV, UIMA CAS XMI and JSON, CoNLL-U), then times ``annotator import
--no-detect`` of each file in a fresh process: the fastest of ``--repeat`` runs, wall and CPU
(CoNLL and DocBin keep only the spans on spaCy's tokens, about 96% of them).

    python bench/format_import_speed.py [--docs 2000] [--repeat 3] [--formats webanno,conllu,doccano]
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
           "spacy": "docs.spacy", "webanno": "webanno", "uima-xmi": "xmi", "uima-json": "casjson", "conllu": "conllu"}
FLOORED = ("webanno", "uima-xmi", "uima-json", "conllu")  # formats timed beside a bare reader of their own (see the floors below)


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


def webanno_floor(folder: Path, db: Path) -> None:
    """The least an import of WebAnno TSV does: read each file, the text from its #Text lines and
    tokens' offsets, each entity's place from its tokens, and insert the rows with executemany."""
    import sqlite3

    conn = sqlite3.connect(db)
    conn.executescript("CREATE TABLE documents (id INTEGER PRIMARY KEY, text TEXT);"
                       "CREATE TABLE spans (doc_id INTEGER, start INTEGER, end INTEGER, label TEXT, text TEXT);")
    documents, spans = [], []
    for doc_id, path in enumerate(sorted(folder.glob("*.tsv")), 1):
        pieces, size, entity = [], 0, None
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line or line.startswith("#"):
                continue
            _, offsets, token, _, value = line.split("\t")
            begin, end = map(int, offsets.split("-"))
            pieces += [" " * (begin - size), token]
            size = end
            label = value.split("[")[0]
            if value == "_":
                entity = None
            elif entity and value.endswith("]") and entity[3] == value:
                entity[1] = end
            else:
                entity = [begin, end, label, value]
                spans.append((doc_id, entity))
        documents.append((doc_id, "".join(pieces)))
    rows = [(d, e[0], e[1], e[2], documents[d - 1][1][e[0]:e[1]]) for d, e in spans]
    with conn:
        conn.executemany("INSERT INTO documents VALUES (?, ?)", documents)
        conn.executemany("INSERT INTO spans VALUES (?, ?, ?, ?, ?)", rows)


def conllu_floor(folder: Path, db: Path) -> None:
    """The least an import of CoNLL-U does: read each file, join its words (a space unless
    SpaceAfter=No, a line end between sentences), each entity's place from its NE= tags, and insert."""
    import sqlite3

    conn = sqlite3.connect(db)
    conn.executescript("CREATE TABLE documents (id INTEGER PRIMARY KEY, text TEXT);"
                       "CREATE TABLE spans (doc_id INTEGER, start INTEGER, end INTEGER, label TEXT, text TEXT);")
    documents, rows = [], []
    for doc_id, path in enumerate(sorted(folder.glob("*.conllu")), 1):
        pieces, at, gap, spans, entity = [], 0, "", [], None
        for line in path.read_text(encoding="utf-8").split("\n"):
            if line.startswith("#"):
                continue
            if not line:
                gap, entity = "\n" if pieces else "", None
                continue
            cells = line.split("\t")
            pieces.append(gap)
            at += len(gap)
            tag = next((m[3:] for m in cells[9].split("|") if m.startswith("NE=")), "O")
            if tag.startswith("I-") and entity:
                entity[1] = at + len(cells[1])
            elif tag != "O":
                entity = [at, at + len(cells[1]), tag[2:]]
                spans.append(entity)
            pieces.append(cells[1])
            at += len(cells[1])
            gap = "" if "SpaceAfter=No" in cells[9] else " "
        text = "".join(pieces)
        documents.append((doc_id, text))
        rows += [(doc_id, a, b, label, text[a:b]) for a, b, label in spans]
    with conn:
        conn.executemany("INSERT INTO documents VALUES (?, ?)", documents)
        conn.executemany("INSERT INTO spans VALUES (?, ?, ?, ?, ?)", rows)


def cas_floor(folder: Path, db: Path) -> None:
    """dkpro-cassis alone: load each CAS (XMI with the folder's type system, or JSON with its types
    inside), take its named entities, insert the rows."""
    import sqlite3

    import cassis

    conn = sqlite3.connect(db)
    conn.executescript("CREATE TABLE documents (id INTEGER PRIMARY KEY, text TEXT);"
                       "CREATE TABLE spans (doc_id INTEGER, start INTEGER, end INTEGER, label TEXT, text TEXT);")
    if (folder / "TypeSystem.xml").exists():
        with (folder / "TypeSystem.xml").open("rb") as file:
            typesystem = cassis.load_typesystem(file)
        paths, load = sorted(folder.glob("*.xmi")), lambda file: cassis.load_cas_from_xmi(file, typesystem=typesystem)
    else:
        paths, load = sorted(folder.glob("*.json")), cassis.load_cas_from_json
    documents, spans = [], []
    for doc_id, path in enumerate(paths, 1):
        with path.open("rb") as file:
            cas = load(file)
        documents.append((doc_id, cas.sofa_string))
        spans += [(doc_id, a.begin, a.end, a.value, a.get_covered_text())
                  for a in cas.select("de.tudarmstadt.ukp.dkpro.core.api.ner.type.NamedEntity")]
    with conn:
        conn.executemany("INSERT INTO documents VALUES (?, ?)", documents)
        conn.executemany("INSERT INTO spans VALUES (?, ?, ?, ?, ?)", spans)


def timed_floor(path: Path, folder: Path, repeat: int) -> tuple[float, float]:
    walls, cpus = [], []
    for run in range(repeat):
        db = folder / f"floor-{path.name}-{run}.db"
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.perf_counter()
        subprocess.run([sys.executable, __file__, "--floor", str(path), str(db)], check=True)
        walls.append(time.perf_counter() - started)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
    return min(walls), min(cpus)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--docs", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=3, help="runs of each, the fastest counts")
    parser.add_argument("--formats", default="", help="comma-separated, default all")
    parser.add_argument("--floor", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.floor:
        folder = Path(args.floor[0])
        floor = (cas_floor if (folder / "TypeSystem.xml").exists() or next(folder.glob("*.json"), None)
                 else conllu_floor if next(folder.glob("*.conllu"), None) else webanno_floor)
        floor(Path(args.floor[0]), Path(args.floor[1]))
        return
    chosen = set(args.formats.split(",")) if args.formats else set(EXPORTS) | {"doccano"}
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        source = write_files(folder, args.docs)["doccano"]
        project = folder / "source.db"
        annotator("import", str(source), "--no-detect", "--status", "done", "--db", str(project))
        files = {"doccano": source}
        for fmt, out in EXPORTS.items():
            if fmt not in chosen:
                continue
            files[fmt] = folder / out
            annotator("export", "--format", fmt, str(files[fmt]), "--db", str(project))
        print(f"{args.docs:,} articles x 60 spans, each format's import in a fresh process (fastest of {args.repeat})")
        for fmt, path in files.items():
            wall, cpu = timed_import(path, folder, args.repeat)
            print(f"  {fmt:12} {wall:6.2f} s, {cpu:6.2f} s CPU   {args.docs / wall:7,.0f} articles/s")
            if fmt in FLOORED:
                floor_wall, floor_cpu = timed_floor(path, folder, args.repeat)
                print(f"  {'  bare floor':12} {floor_wall:6.2f} s, {floor_cpu:6.2f} s CPU   ratio {wall / floor_wall:.2f} "
                      f"({cpu / floor_cpu:.2f} CPU)")


if __name__ == "__main__":
    main()
