"""What the window's look for others' changes costs (every 1.5 s, on the window's thread): the open
document's stamp (``Store.stamp``: its status and the counts and newest ids of its spans, edits,
document labels and links, in one query) on a project file and on a server project, beside a bare
primary-key read of one row (the document's status) on the same connection. Prints p50/p99/max in ms.

The project holds ``--docs`` articles of 60 imported spans each; the open one, added last, has
``--edits`` spans added one by one by two people (each a row and a history entry): its stamp reads that many.

Without ``--url`` a throw-away local server is started (tests/postgres.py: initdb in a temporary
folder, 127.0.0.1) and stopped at the end.

    python bench/live_check.py [--docs 5000] [--edits 400] [--looks 1000] [--url postgresql://user@host:port/dbname]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from contextlib import ExitStack
from pathlib import Path

from annotator.domain import NewDocument, Span
from annotator.storage import Store

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
from pg_edit import article, percentiles, timed  # the bench folder's own helpers

SPANS_PER_DOC = 60


def project(target: str | Path, docs: int, edits: int) -> int:
    """The project as described above; the open document's id."""
    with Store(target, annotator="alice") as store:
        text = article(2 * SPANS_PER_DOC)
        starts = [0] + [i + 1 for i, c in enumerate(text) if c == " "]
        words = [(s, text.find(" ", s) if text.find(" ", s) > 0 else len(text)) for s in starts]
        spans = [Span.of(text, s, e, "ORG") for s, e in words[::2][:SPANS_PER_DOC]]
        batch = 1000
        for first in range(0, docs, batch):
            store.add_documents([NewDocument(f"{i}. {text}", spans=[Span.of(f"{i}. {text}", s.start + len(f"{i}. "),
                                                                                 s.end + len(f"{i}. "), "ORG")
                                                                         for s in spans])
                                 for i in range(first, min(docs, first + batch))])
        open_text = article(2 * edits + 1)
        [open_id] = store.add_documents([NewDocument(open_text)]).added
        bounds = [(s, open_text.find(" ", s)) for s in [i + 1 for i, c in enumerate(open_text) if c == " "]]
        for n, (start, end) in enumerate(bounds[::2][:edits]):
            store.annotator = ("alice", "bob")[n % 2]
            store.add_span(open_id, Span.of(open_text, start, end if end > 0 else len(open_text), "GPE"))
        return open_id


def looks(target: str | Path, doc_id: int, count: int) -> tuple[list[float], list[float]]:
    with Store(target, annotator="alice") as store:
        store.stamp(doc_id)  # the statement's first run (prepared, cached) is not a look
        stamps = timed(lambda: store.stamp(doc_id), count)
        bare = timed(lambda: store.db.execute("SELECT status FROM documents WHERE id = ?", [doc_id]).fetchone(), count)
        return stamps, bare


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", type=int, default=5000)
    parser.add_argument("--edits", type=int, default=400)
    parser.add_argument("--looks", type=int, default=1000)
    parser.add_argument("--url", help="an empty database on a server (default: a throw-away local server)")
    args = parser.parse_args()
    with ExitStack() as stack:
        folder = Path(stack.enter_context(tempfile.TemporaryDirectory()))
        url = args.url
        if not url:
            from postgres import cluster

            server = stack.enter_context(cluster(Path(tempfile.mkdtemp(prefix="annotator-pg-bench-"))))
            url = server.url("bench")
        print(f"{args.looks} looks at a document of {args.edits} spans and {args.edits} edits, "
              f"in a project of {args.docs} articles")
        for name, target in (("project file (SQLite, WAL)", folder / "bench.db"), ("server project (PostgreSQL)", url)):
            stamps, bare = looks(target, project(target, args.docs, args.edits), args.looks)
            print(f"  {name:28} stamp      {percentiles(stamps)}")
            print(f"  {'':28} bare read  {percentiles(bare)}")


if __name__ == "__main__":
    main()
