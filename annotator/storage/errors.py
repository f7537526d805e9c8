"""What the store tells its callers when a project cannot be opened or written: one line each.

No ``sqlite3`` exception leaves the storage package; :func:`from_sqlite` says what one means.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path


class StoreError(Exception):
    """A project that cannot be opened or written, said in one line naming the file."""


class ReadOnlyError(StoreError):
    """A write to a project opened for reading only (the file or its folder is not writable)."""


class NotAProjectError(StoreError):
    """A file that is not an annotator project: refused, left untouched."""


class NewerVersionError(StoreError):
    """A project written by a newer annotator: left untouched."""


class AlteredSchemaError(StoreError):
    """A project whose tables, indexes, triggers or views are not the ones annotator makes: refused untouched."""


class DamagedError(StoreError):
    """The file is damaged (a page, the text's encoding, a deleted journal): stop, and say to run the check."""


class DiskFullError(StoreError):
    """The disk (or the database's size limit) is full: the change was not stored."""


class LockedError(StoreError):
    """Another program held the write lock for longer than we wait."""


class Interrupted(StoreError):
    """A write stopped on request (Store.interrupt) before it was done: rolled back, nothing changed."""


class Missing(KeyError):
    """What an edit is about is not in the project (another program removed it, or it was never
    stored): a refusal said in one line, not a failure of the store. A KeyError, as a lookup's is."""

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else ""


class UndoRefused(StoreError):
    """An undo or redo that cannot be done as it was recorded (its label was removed since)."""


NOT_STORED = "the change was not stored"


def from_sqlite(path: Path | str, err: sqlite3.Error) -> StoreError:
    """The StoreError a sqlite3 error means for the user, naming the project file."""
    name = getattr(err, "sqlite_errorname", "") or ""
    if name == "SQLITE_FULL":
        return DiskFullError(f"{path}: the disk is full; {NOT_STORED}")
    if name.startswith("SQLITE_READONLY"):
        return ReadOnlyError(f"{path} is read-only; {NOT_STORED}")
    if name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")):
        return LockedError(f"{path} is locked by another program; {NOT_STORED} (try again)")
    if name == "SQLITE_INTERRUPT":
        return Interrupted(f"{path}: stopped before it was done; {NOT_STORED}")
    if name == "SQLITE_NOTADB":
        return NotAProjectError(f"{path} is not an annotator project (not an SQLite database); left untouched")
    if name.startswith("SQLITE_CORRUPT") or (not name and "decode" in str(err)):  # the latter: text not UTF-8
        return DamagedError(f"{path} is damaged ({err}); stopped: run annotator check --db {path}")
    if name.startswith("SQLITE_CANTOPEN"):
        return StoreError(f"{path} cannot be opened ({err})")
    if name.startswith("SQLITE_IOERR"):
        wal = Path(f"{path}-wal")
        # The shared index (-shm) still counts pages in a log that is gone or shorter: deleted under a writer.
        if Path(f"{path}-shm").exists() and (name == "SQLITE_IOERR_SHORT_READ" or not wal.exists()):
            return DamagedError(f"{path}: its write-ahead log ({wal.name}) was deleted or cut short while another "
                                f"program had the project open; stopped: close every program using it, then run "
                                f"annotator check --db {path}")
        return StoreError(f"{path}: the disk could not be read or written ({err}); stopped: "
                          f"run annotator check --db {path}")
    return StoreError(f"{path}: {err}; stopped: run annotator check --db {path}")
