"""Several processes on one project: no edit lost, imports never block an edit for long and are
all or nothing even under kill -9. Real processes (subprocess), real files."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from annotator.domain import NewDocument, Span
from annotator.storage import Store

ROOT = Path(__file__).resolve().parent.parent

# A child process: its own Store on the project, doing what the arguments say.
CHILD = r"""
import sys, time
from pathlib import Path
from annotator.domain import NewDocument, Span
from annotator.storage import Store

db, job, arg = sys.argv[1], sys.argv[2], int(sys.argv[3])
store = Store(db, annotator=f"p{arg}")
if job == "edit":  # one committed edit per span: every word of every document, alternating labels
    for doc_id in store.document_ids():
        text = store.document(doc_id).text
        start = 0
        for word in text.split(" "):
            store.add_span(doc_id, Span.of(text, start, start + len(word), "ORG" if arg else "GPE"))
            start += len(word) + 1
elif job == "import":  # arg documents; waits at half way while the file 'hold' exists
    hold = Path(db + ".hold")
    def documents():
        for i in range(arg):
            if i == arg // 2:
                Path(db + ".half").touch()
                while hold.exists():
                    time.sleep(0.05)
            source = sys.argv[4] if len(sys.argv) > 4 else "A"
            text = f"Report {i} of {source}: drones struck Kyiv overnight, officials in Lviv said. " * 5
            yield NewDocument(text, {"title": f"Report {i}"},
                              spans=[Span.of(text, text.index("Kyiv"), text.index("Kyiv") + 4, "GPE", origin="import")])
    print(len(store.add_documents(documents()).added))
store.close()
"""


def start(db: Path, job: str, arg: int, *more: str) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen([sys.executable, "-c", CHILD, str(db), job, str(arg), *more], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def wait_for(path: Path, proc: subprocess.Popen, seconds: float = 300) -> None:
    """Until ``proc`` makes ``path``: it must stay alive, and get there in ``seconds`` (however loaded the machine)."""
    deadline = time.monotonic() + seconds
    while not path.exists():
        assert proc.poll() is None, proc.communicate()
        assert time.monotonic() < deadline, f"{path.name} not made in {seconds} s"
        time.sleep(0.02)


def test_two_processes_making_single_edits_lose_none(db_path: Path) -> None:
    texts = [" ".join(f"w{d}x{i}" for i in range(40)) for d in range(6)]
    with Store(db_path) as store:
        store.add_documents(NewDocument(t) for t in texts)
    procs = [start(db_path, "edit", n) for n in (0, 1)]
    for proc in procs:
        _, err = proc.communicate(timeout=300)
        assert proc.returncode == 0, err
    with Store(db_path) as store:
        assert store.stats()["spans"] == [
            {"layer": "entities", "label": "GPE", "origin": "human", "count": 240},
            {"layer": "entities", "label": "ORG", "origin": "human", "count": 240},
        ]
        assert len(store.history(limit=10_000)) == 480


def test_an_edit_is_stored_while_a_long_import_runs(db_path: Path) -> None:
    """Edits go in between the import's chunks, while its rows are pending: a first run of them
    while it waits half way (so all of those are made during it, however fast either side goes),
    then more as it writes its other chunks, as many as the document holds."""
    text = "Kyiv " * 2000
    places = iter(range(0, len(text), 5))  # room for 2,000 spans
    hold = Path(f"{db_path}.hold")
    hold.touch()
    with Store(db_path, annotator="ann") as store:
        doc = store.add_documents([NewDocument(text)]).added[0]

        def edit() -> None:
            at = next(places)
            store.add_span(doc, Span.of(text, at, at + 4, "GPE"))

        importer = start(db_path, "import", 6000)
        try:
            wait_for(Path(f"{db_path}.half"), importer)  # its first chunks are in, not yet published
            for _ in range(200):
                edit()
                assert store.db.one("SELECT count(*) FROM pending_docs") > 0  # committed while they are pending
            hold.unlink()
            made = 200
            while importer.poll() is None and made < 2000:  # and on while it stores the rest
                edit()
                made += 1
            out, err = importer.communicate(timeout=300)
        finally:
            hold.unlink(missing_ok=True)
            if importer.poll() is None:
                importer.kill()
                importer.wait()
        assert importer.returncode == 0, err
        assert int(out) == 6000 and store.counts()["documents"] == 6001
        assert [(s.start, s.text) for s in store.spans(doc)] == [(at, "Kyiv") for at in range(0, 5 * made, 5)]


def test_an_import_killed_midway_leaves_nothing_and_is_cleaned_up(db_path: Path) -> None:
    with Store(db_path) as store:
        store.add_documents([NewDocument("Already here.")])
    hold = Path(f"{db_path}.hold")
    hold.touch()
    importer = start(db_path, "import", 3000)
    wait_for(Path(f"{db_path}.half"), importer)  # of its 1,500 documents so far, those of whole chunks committed
    with Store(db_path) as reader:
        # There, but invisible. (How many: chunks follow how long the last one took, so anywhere
        # from its first chunk's 500 to 1,500.)
        assert reader.db.one("SELECT count(*) FROM documents") >= 500
        assert reader.counts()["documents"] == 1 and len(reader.document_ids()) == 1
        assert [d.title for d in reader.list_documents()] == ["Already here."]
        assert reader.count_documents(search="Kyiv") == 0 and reader.stats()["spans"] == []
        importer.send_signal(signal.SIGKILL)
        importer.wait()
    with Store(db_path) as store:  # the next open removes what the dead import left
        assert store.db.one("SELECT count(*) FROM documents") == 1
        assert store.db.one("SELECT count(*) FROM annotations") == 0
        assert store.db.one("SELECT count(*) FROM pending_docs") == 0
        assert store.counts()["documents"] == 1 and [d.title for d in store.list_documents()] == ["Already here."]
        assert store.add_documents([NewDocument("Report 1: new.")]).added  # and imports work again
    hold.unlink()


def test_two_imports_at_once_both_arrive_whole(db_path: Path) -> None:
    Store(db_path).close()
    importers = [start(db_path, "import", 2500, name) for name in ("A", "B")]
    for importer in importers:
        out, err = importer.communicate(timeout=300)
        assert importer.returncode == 0, err
        assert int(out) == 2500
    with Store(db_path) as store:
        assert store.counts()["documents"] == 5000
        assert store.stats()["spans"] == [{"layer": "entities", "label": "GPE", "origin": "import", "count": 5000}]
        assert store.db.one("SELECT count(*) FROM pending_docs") == 0


def test_a_store_opened_beside_another_in_one_process_leaves_its_locks_alone(db_path: Path) -> None:
    """The window's Store, a worker's Store opened while another program writes (the label
    dialog's rename): opening a project used to open and close the database file to ask whether
    it is writable, and closing any descriptor of it drops every POSIX lock this process holds
    there. The other program, leaving, took itself for the last and removed the WAL under the
    window: every read after that said "disk I/O error"."""
    import threading

    from locks import lock_held

    with Store(db_path, annotator="ann") as store:
        store.add_documents([NewDocument("Shelling in Kyiv overnight.", entities=[(12, 16, "GPE")])])
    window = Store(db_path, annotator="ann")
    failures: list[Exception] = []
    opened = threading.Event()

    def rename() -> None:
        try:
            with Store(db_path, annotator="ann") as worker:
                opened.set()
                worker.update_label("GPE", new_name="PLACE")  # waits for the lock
        except Exception as err:  # shown by the assertion below
            failures.append(err)
        finally:
            opened.set()

    with lock_held(db_path):
        worker = threading.Thread(target=rename)
        worker.start()
        assert opened.wait(60)  # the worker's Store opened while the other program holds the lock
    worker.join(120)
    assert not worker.is_alive()
    assert failures == []
    with Store(db_path, annotator="ann") as reader:
        assert [s.label for s in reader.spans(1)] == ["PLACE"]
    assert [s.label for s in window.spans(1)] == ["PLACE"]
    window.close()
