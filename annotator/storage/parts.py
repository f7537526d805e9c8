"""What the store's parts are built with besides the connection: whose layer they write, and
how an edit is recorded in the history (the same edit log that span edits go into, so that
undo and redo replay everything in one order)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from annotator.storage.connection import Connection

# record(doc_id, action, changes): add one undoable edit, inside the caller's write.
Record = Callable[[int, str, list[dict[str, Any]]], None]


class Part:
    """A part of the store acting for one annotator (the Store keeps ``annotator`` in step)."""

    def __init__(self, db: Connection, annotator: str, record: Record) -> None:
        self.db = db
        self.annotator = annotator
        self.record = record
