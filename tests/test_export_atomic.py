"""Exports are whole or not at all: a real export process killed with SIGKILL at several points,
or stopped by the file-size limit, leaves the previous export byte for byte as it was."""

from __future__ import annotations

import hashlib
import os
import resource
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from annotator.domain import DONE, NewDocument, Span
from annotator.storage import Store

ROOT = Path(__file__).resolve().parent.parent
DOCUMENTS = 60

# The export, stopping at a point (after document N, or just before the rename) to say so and
# wait: the test kills it there with SIGKILL.
CHILD = """
import sys
from annotator import files
from annotator.export import export_documents
from annotator.formats import WriteOptions
from annotator.storage import Store

db, fmt, out, stop = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4]

def wait(where):
    print(where, flush=True)
    sys.stdin.readline()  # the test kills us here

commit = files.Replacement.commit
def paused_commit(self):
    if stop == "rename":
        wait("rename")
    commit(self)
files.Replacement.commit = paused_commit

def progress(n, total):
    if str(n) == stop:
        wait(n)

with Store(db) as store:
    export_documents(store, fmt, out, status="all", progress=progress, options=WriteOptions(shard_size=10))
print("finished", flush=True)
"""


def text(i: int) -> str:
    return f"Article {i}: drones struck Kyiv overnight while Zelenskyy met Blinken in Odesa. " * 20


def project(path: Path, documents: int) -> None:
    with Store(path, annotator="tester") as store:
        ids = store.add_documents([NewDocument(text(i), status=DONE) for i in range(documents)]).added
        for doc_id in ids:
            body = store.document(doc_id).text
            start = body.index("Kyiv")
            store.add_span(doc_id, Span.of(body, start, start + 4, "GPE"))


def fingerprint(out: Path) -> dict[str, str]:
    """Every file under OUT (or OUT itself) and a hash of its bytes; what is beside OUT too."""
    files = sorted(out.rglob("*")) if out.is_dir() else [out]
    found = {str(p.relative_to(out.parent)): hashlib.sha256(p.read_bytes()).hexdigest() for p in files if p.is_file()}
    found["beside"] = ",".join(sorted(p.name for p in out.parent.iterdir()))
    return found


def env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(ROOT)}


@pytest.mark.parametrize("fmt, name", [("jsonl", "out.jsonl"), ("spacy", "out.spacy"), ("brat", "out")])
def test_an_export_killed_at_any_point_leaves_the_previous_one_as_it_was(tmp_path: Path, fmt: str, name: str) -> None:
    db = tmp_path / "project.db"
    project(db, 5)  # the previous export: 5 documents
    out = tmp_path / "exports" / name
    out.parent.mkdir()
    first = subprocess.run([sys.executable, "-c", CHILD, str(db), fmt, str(out), "none"], env=env(),
                           capture_output=True, text=True, timeout=120)
    assert first.returncode == 0, first.stderr
    before = fingerprint(out)
    project(db, DOCUMENTS)  # now 5 + 60 documents (the first 5 texts already there)
    for stop in ["1", str(DOCUMENTS // 2), str(DOCUMENTS), "rename"]:
        child = subprocess.Popen([sys.executable, "-c", CHILD, str(db), fmt, str(out), stop], env=env(),
                                 stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        assert child.stdout is not None and child.stdout.readline().strip() == stop
        os.kill(child.pid, signal.SIGKILL)
        child.wait(30)
        assert child.returncode == -signal.SIGKILL
        after = fingerprint(out)
        after["beside"] = ",".join(n for n in after["beside"].split(",") if ".partial-" not in n)  # a killed writer's leftover
        assert after == before, f"killed at {stop}"
    done = subprocess.run([sys.executable, "-c", CHILD, str(db), fmt, str(out), "none"], env=env(),
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert fingerprint(out)["beside"] == name  # the killed writers' partials were cleared by the next export
    assert fingerprint(out) != before


def test_the_file_size_limit_is_said_in_one_line_naming_the_file_and_the_old_file_stays(tmp_path: Path) -> None:
    db = tmp_path / "project.db"
    project(db, 5)
    out = tmp_path / "out.jsonl"
    command = [sys.executable, "-m", "annotator", "export", str(out), "--format", "jsonl", "--status", "all", "--db", str(db)]
    assert subprocess.run(command, env=env(), capture_output=True, timeout=120).returncode == 0
    before = out.read_bytes()
    project(db, DOCUMENTS)
    limit = len(before) * 3  # the new export is about 13 times the old one

    def limited() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    with Store(db):  # the project's shared-memory file is there already: only the export outgrows the limit
        result = subprocess.run(command, env=env(), capture_output=True, text=True, timeout=120, preexec_fn=limited)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.strip().splitlines() == [f"Error: {out}: File too large (nothing written; out.jsonl left as it was)"]
    assert out.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []


def test_a_report_that_cannot_be_written_whole_leaves_the_previous_report(tmp_path: Path) -> None:
    db, report = tmp_path / "project.db", tmp_path / "report.html"
    project(db, DOCUMENTS)
    report.write_text("<p>last week's report</p>", encoding="utf-8")
    command = [sys.executable, "-m", "annotator", "evaluate", "--html", str(report), "--annotator", "tester", "--db", str(db)]

    def limited() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (20_000, 20_000))

    with Store(db):  # the project's shared-memory file is there already: only the report outgrows the limit
        result = subprocess.run(command, env=env(), capture_output=True, text=True, timeout=120, preexec_fn=limited)
    assert result.returncode == 1
    said = f"Error: {report}: File too large (nothing written; report.html left as it was)"
    assert result.stderr.strip().splitlines() == [said]
    assert report.read_text(encoding="utf-8") == "<p>last week's report</p>"
    assert subprocess.run(command, env=env(), capture_output=True, timeout=120).returncode == 0
    assert len(report.read_bytes()) > 20_000


def test_a_cancelled_export_writes_nothing_and_leaves_the_previous_one(tmp_path: Path) -> None:
    from annotator.export import export_documents

    db, out = tmp_path / "project.db", tmp_path / "out.jsonl"
    project(db, 5)
    with Store(db, annotator="tester") as store:
        export_documents(store, "jsonl", out, status="all")
        before = fingerprint(out)
        project(db, DOCUMENTS)
        asked: list[int] = []
        report = export_documents(store, "jsonl", out, status="all", progress=lambda n, total: asked.append(n),
                                  cancelled=lambda: len(asked) >= 10)  # Cancel pressed after ten documents
        assert report.cancelled and report.files == []
        assert fingerprint(out) == before
