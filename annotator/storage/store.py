"""The Store: one project database behind one API, put together from the store's parts."""

from __future__ import annotations

from contextlib import AbstractContextManager
from pathlib import Path

from annotator.storage.connection import Connection
from annotator.storage.counts import Counts
from annotator.storage.decisions import Decisions
from annotator.storage.documents import Documents
from annotator.storage.history import History
from annotator.storage.imports import Imports
from annotator.storage.labels import Labels
from annotator.storage.layers import Layers
from annotator.storage.models import Models
from annotator.storage.predictions import Predictions
from annotator.storage.rows import default_annotator
from annotator.storage.schema import open_schema
from annotator.storage.settings import Settings


class Store(Documents, Imports, Labels, Layers, Predictions, History, Models, Counts, Settings):
    """A project database. The CLI, the window and the workers all go through this class.

    A Store is bound to the thread that opened it (SQLite connections are); a worker opens its
    own Store on the same path. Any number of Stores, in any number of processes, may write to
    one project at once: each write waits its turn, and readers never wait.
    """

    def __init__(self, path: str | Path, annotator: str | None = None) -> None:
        self.path = Path(path)
        self.annotator = annotator or default_annotator()
        self.db = Connection(path)
        self.decisions = Decisions(self.db, lambda: self.annotator)
        try:
            open_schema(self.db)
            if not self.db.read_only:
                self.clean_unfinished_imports()
        except BaseException:
            self.db.close()
            raise

    @property
    def read_only(self) -> bool:
        """Opened for reading only (the file or its folder is not writable): writes raise ReadOnlyError."""
        return self.db.read_only

    @property
    def schema_version(self) -> int:
        return self.db.one("PRAGMA user_version")

    def transaction(self) -> AbstractContextManager[None]:
        """Group several calls into one all-or-nothing transaction (merges, bulk work)."""
        return self.db.write()

    def lock_wait(self, seconds: float) -> AbstractContextManager[None]:
        """Writes inside wait at most ``seconds`` for another program's write lock (one attempt)."""
        return self.db.lock_wait(seconds)

    def interrupt(self) -> None:
        """Stop the statement this Store is running, from any thread (a Cancel button): it raises
        Interrupted in the thread running it, and its transaction is rolled back."""
        self.db.conn.interrupt()

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
