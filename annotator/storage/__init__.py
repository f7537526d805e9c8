"""The project store: one SQLite database is one project. All SQL of the program lives here.

Every user edit is one committed transaction (WAL), so killing the program loses nothing that
was on screen; imports are all or nothing (staged in chunks, see imports.py). The model's
predictions are kept in their own table and never modified; a person's layer (``annotations``)
starts as a copy of them and records every change in ``edits``, which is what undo/redo replays
and what answers "who changed what, when".

connection.py owns the connection and transactions; schema.py the tables and migrations; the
other modules one responsibility each, joined in :class:`Store`.
"""

from annotator.storage.errors import (
    AlteredSchemaError,
    DamagedError,
    DiskFullError,
    Interrupted,
    LockedError,
    Missing,
    NewerVersionError,
    NotAProjectError,
    ReadOnlyError,
    StoreError,
    UndoRefused,
)
from annotator.storage.history import Edit
from annotator.storage.imports import ImportResult
from annotator.storage.rows import default_annotator, now
from annotator.storage.schema import SCHEMA_VERSION
from annotator.storage.store import Store

__all__ = [
    "SCHEMA_VERSION", "AlteredSchemaError", "DamagedError", "DiskFullError", "Edit", "ImportResult", "Interrupted",
    "LockedError", "Missing", "NewerVersionError",
    "NotAProjectError", "ReadOnlyError", "Store", "StoreError", "UndoRefused", "default_annotator", "now",
]
