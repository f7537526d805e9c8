"""``adjudicate`` is all or nothing: a real process killed with SIGKILL at any point of the run
leaves no final layer at all, and the next run takes every document."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from annotator.domain import NewDocument, Span
from annotator.storage import Store

ROOT = Path(__file__).resolve().parent.parent
DOCUMENTS = 40

# The command as a user runs it, stopping after the Nth document's copy to say so and wait: the
# test kills it there.
CHILD = """
import sys
from annotator.cli import main
from annotator.storage.layers import Spans

stop, copied = int(sys.argv[1]), []
copy_layer = Spans.copy_layer
def paused(self, doc_id, source):
    n = copy_layer(self, doc_id, source)
    copied.append(doc_id)
    if len(copied) == stop:
        print(stop, flush=True)
        sys.stdin.readline()  # the test kills us here
    return n
Spans.copy_layer = paused
sys.argv = ["annotator", *sys.argv[2:]]
main()
"""


def final_spans(db: Path) -> int:
    con = sqlite3.connect(f"{db.resolve().as_uri()}?mode=ro", uri=True)
    try:
        return con.execute("SELECT count(*) FROM annotations WHERE annotator = 'final'").fetchone()[0]
    finally:
        con.close()


@pytest.fixture
def team(tmp_path: Path) -> Path:
    db = tmp_path / "team.db"
    with Store(db, annotator="alice") as store:
        texts = [f"Article {i}: Zelenskyy met Blinken in Kyiv." for i in range(DOCUMENTS)]
        for doc_id, text in zip(store.add_documents([NewDocument(t) for t in texts]).added, texts):
            for word, label in (("Zelenskyy", "PERSON"), ("Kyiv", "GPE")):
                start = text.index(word)
                store.add_span(doc_id, Span.of(text, start, start + len(word), label))
    return db


def test_adjudication_killed_at_any_point_leaves_no_partial_final_layer(team: Path) -> None:
    command = ["adjudicate", "--prefer", "alice", "--db", str(team)]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    for stop in (1, DOCUMENTS // 2, DOCUMENTS):
        child = subprocess.Popen([sys.executable, "-c", CHILD, str(stop), *command], env=env,
                                 stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        assert child.stdout is not None and child.stdout.readline().strip() == str(stop)
        os.kill(child.pid, signal.SIGKILL)
        child.wait(30)
        assert final_spans(team) == 0, f"killed after document {stop}"
    done = subprocess.run([sys.executable, "-m", "annotator", *command], env=env, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    assert f"Final layer of {DOCUMENTS} document(s) taken from alice." in done.stdout
    assert final_spans(team) == 2 * DOCUMENTS
