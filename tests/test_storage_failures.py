"""Files that are not ours, files we may not write, a full disk: one clear line, nothing damaged."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from annotator.domain import NewDocument, Span
from annotator.storage import DiskFullError, LockedError, NotAProjectError, ReadOnlyError, Store, StoreError

ROOT = Path(__file__).resolve().parent.parent
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"


def one_line(err: pytest.ExceptionInfo, path: Path) -> str:
    message = str(err.value)
    assert "\n" not in message and str(path) in message
    return message


def folder_state(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def other_programs_database(path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)")
    conn.execute("INSERT INTO notes (body) VALUES ('keep me')")
    conn.commit()
    conn.close()


@pytest.mark.parametrize("make, kind", [
    (lambda p: p.write_bytes(PNG), "not an SQLite database"),
    (lambda p: p.write_text("title,text\nA,Kyiv\n", encoding="utf-8"), "not an SQLite database"),
    (other_programs_database, "another program's SQLite database"),
])
def test_a_file_that_is_not_a_project_is_refused_untouched(tmp_path: Path, make, kind: str) -> None:
    path = tmp_path / "thing.db"
    make(path)
    before = folder_state(tmp_path)
    with pytest.raises(NotAProjectError) as err:
        Store(path)
    assert kind in one_line(err, path)
    assert folder_state(tmp_path) == before  # byte for byte, and no journal left beside it


def test_a_folder_is_not_a_project(tmp_path: Path) -> None:
    with pytest.raises(StoreError) as err:
        Store(tmp_path)
    assert "is a folder" in one_line(err, tmp_path)


def test_opening_a_project_writes_nothing(db_path: Path) -> None:
    with Store(db_path, annotator="ann") as store:
        store.add_documents([NewDocument("Kyiv and Lviv.")])
    before = db_path.read_bytes()
    with Store(db_path, annotator="ann") as store:
        assert store.counts()["documents"] == 1 and store.stats()["spans"] == []
    assert db_path.read_bytes() == before


# -- read-only: as root, permissions do not stop writes; an immutable file and a read-only mount do

def _root() -> bool:
    return hasattr(os, "geteuid") and os.geteuid() == 0


@contextmanager
def read_only_file(path: Path) -> Iterator[Path]:
    if _root():
        if subprocess.run(["chattr", "+i", str(path)], capture_output=True).returncode:
            pytest.skip("cannot make a file immutable here")
        try:
            yield path
        finally:
            subprocess.run(["chattr", "-i", str(path)], check=True)
    else:
        path.chmod(0o444)
        yield path


@contextmanager
def read_only_folder(folder: Path) -> Iterator[Path]:
    if _root():
        view = folder.parent / (folder.name + "-ro")
        view.mkdir()
        if subprocess.run(["mount", "--bind", str(folder), str(view)], capture_output=True).returncode:
            pytest.skip("cannot mount here")
        try:
            subprocess.run(["mount", "-o", "remount,ro,bind", str(view)], check=True)
            yield view
        finally:
            subprocess.run(["umount", str(view)], check=True)
    else:
        folder.chmod(0o555)
        try:
            yield folder
        finally:
            folder.chmod(0o755)


def make_project(path: Path) -> int:
    text = "Officials in Kyiv said 38 drones were shot down."
    with Store(path, annotator="ann") as store:
        doc = store.add_documents([NewDocument(text)]).added[0]
        store.add_span(doc, Span.of(text, 13, 17, "GPE"))
        store.set_status(doc, "done")
    return doc


def check_read_only(path: Path, doc: int) -> None:
    before = path.read_bytes()
    with Store(path, annotator="ann") as store:
        assert store.read_only
        assert store.counts()["status"]["done"] == 1 and [s.text for s in store.spans(doc)] == ["Kyiv"]
        assert store.stats()["spans"][0]["count"] == 1 and store.list_documents()[0].id == doc
        with pytest.raises(ReadOnlyError) as err:
            store.add_span(doc, Span.of(store.document(doc).text, 23, 25, "CARDINAL"))
        assert "read-only" in one_line(err, path)
        with pytest.raises(ReadOnlyError):
            store.set_status(doc, "open")
        assert [s.text for s in store.spans(doc)] == ["Kyiv"]
    assert path.read_bytes() == before
    # The commands that only read work on it too.
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    run = subprocess.run([sys.executable, "-m", "annotator", "stats", "--db", str(path)], env=env,
                         capture_output=True, text=True)
    assert run.returncode == 0 and "Traceback" not in run.stderr, run.stderr


def test_a_read_only_file_opens_read_only(tmp_path: Path) -> None:
    path = tmp_path / "project.db"
    doc = make_project(path)
    with read_only_file(path):
        check_read_only(path, doc)


def test_a_project_in_a_read_only_folder_opens_read_only(tmp_path: Path) -> None:
    folder = tmp_path / "shared"
    folder.mkdir()
    doc = make_project(folder / "project.db")
    with read_only_folder(folder) as view:
        check_read_only(view / "project.db", doc)


# -- a full disk: SQLite's page limit stands in for it

def test_a_full_disk_stores_nothing_half_and_says_so(db_path: Path) -> None:
    text = "Officials in Kyiv said 38 drones were shot down."
    with Store(db_path, annotator="ann") as store:
        doc = store.add_documents([NewDocument(text)]).added[0]
        pages = store.db.one("PRAGMA page_count")
        store.db.execute(f"PRAGMA max_page_count = {pages + 3}")
        articles = (NewDocument(f"Article {i}: " + "drones over Kyiv " * 200) for i in range(400))
        with pytest.raises(DiskFullError) as err:
            store.add_documents(articles)
        assert "disk is full" in one_line(err, db_path)
        assert store.counts()["documents"] == 1 and store.document_ids() == [doc]
        store.db.execute(f"PRAGMA max_page_count = {store.db.one('PRAGMA page_count')}")
        with pytest.raises(DiskFullError):
            for _ in range(100_000):  # fills the free pages, then fails (numbers may overlap)
                store.add_span(doc, Span.of(text, 23, 25, "CARDINAL", layer="numbers", value=38.0))
        kept = store.spans(doc)
        assert all(text[s.start:s.end] == s.text for s in kept)
        assert len(store.history()) == len(kept)  # every stored span has its edit, none half-stored
    with Store(db_path, annotator="ann") as store:  # nothing left pending; the project works
        assert store.db.one("SELECT count(*) FROM pending_docs") == 0
        assert store.add_documents([NewDocument("After the disk was cleared.")]).added


@contextmanager
def small_filesystem(folder: Path, size: str = "1m") -> Iterator[Path]:
    folder.mkdir()
    if not _root() or subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)],
                                     capture_output=True).returncode:
        pytest.skip("cannot mount a small filesystem here")
    try:
        yield folder
    finally:
        subprocess.run(["umount", str(folder)], check=True)


def test_a_really_full_disk_refuses_the_import_and_keeps_the_project(tmp_path: Path) -> None:
    with small_filesystem(tmp_path / "small") as folder:
        path = folder / "project.db"
        doc = make_project(path)
        articles = (NewDocument(f"Article {i}: " + "drones over Kyiv " * 300) for i in range(2000))
        with Store(path, annotator="ann") as store:
            with pytest.raises(DiskFullError) as err:
                store.add_documents(articles)
            assert "disk is full" in one_line(err, path)
            assert store.document_ids() == [doc] and store.counts()["documents"] == 1
        with Store(path, annotator="ann") as store:  # reopened: the same project, the import's rows gone
            assert [s.text for s in store.spans(doc)] == ["Kyiv"]
            assert store.db.one("SELECT count(*) FROM documents") == 1


def test_a_project_kept_locked_too_long_refuses_the_change_with_one_line(db_path: Path, monkeypatch) -> None:
    import annotator.storage.connection as connection

    monkeypatch.setattr(connection, "BUSY_TIMEOUT_S", 0.2)
    doc = make_project(db_path)
    with Store(db_path, annotator="ann") as store:
        other = sqlite3.connect(db_path, isolation_level=None)  # another program holding the write lock
        other.execute("BEGIN IMMEDIATE")
        with pytest.raises(LockedError) as err:
            store.set_status(doc, "open")
        assert "busy" in one_line(err, db_path) and "not stored" in str(err.value)
        assert store.counts()["status"]["done"] == 1  # reading did not wait
        other.execute("ROLLBACK")
        other.close()
        store.set_status(doc, "open")  # once it is free, the change goes in
        assert store.counts()["status"]["open"] == 1


def test_a_label_rename_interrupted_from_another_thread_changes_nothing(db_path: Path) -> None:
    """A Cancel button stops a long rename: one line, rolled back, the spans as they were."""
    import threading

    from annotator.storage import Interrupted

    text = "Kyiv " * 2000
    with Store(db_path, annotator="ann") as store:
        store.add_documents([NewDocument(text, entities=[(i, i + 4, "GPE") for i in range(0, len(text), 5)])])
        started, pressed = threading.Event(), threading.Event()

        def running() -> int:  # the rename is under way: it goes on once Cancel is pressed (not before it ends)
            started.set()
            pressed.wait(60)
            return 0

        def cancel() -> None:
            if started.wait(60):
                store.interrupt()
            pressed.set()

        store.db.conn.set_progress_handler(running, 1000)
        threading.Thread(target=cancel).start()
        with pytest.raises(Interrupted, match="stopped before it was done; the change was not stored"):
            store.update_label("GPE", new_name="PLACE")
        store.db.conn.set_progress_handler(None, 0)
        assert store.label("GPE") is not None and store.label("PLACE") is None
        assert {s.label for s in store.spans(store.document_ids()[0])} == {"GPE"}
