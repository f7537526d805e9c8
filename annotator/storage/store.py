"""The Store: one project database behind one API, put together from the store's parts."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from pathlib import Path

from annotator.storage.backend import connect, location
from annotator.storage.categories import OP as CATEGORY
from annotator.storage.categories import Categories
from annotator.storage.counts import Counts
from annotator.storage.decisions import Decisions
from annotator.storage.documents import Documents
from annotator.storage.errors import DamagedError
from annotator.storage.history import History
from annotator.storage.imports import Imports
from annotator.storage.labels import Labels
from annotator.storage.layers import Layers
from annotator.storage.marking import Marking
from annotator.storage.models import Models
from annotator.storage.predictions import Predictions
from annotator.storage.relations import OP as RELATION
from annotator.storage.relations import Relations
from annotator.storage.rows import default_annotator
from annotator.storage.settings import Settings


class Store(Documents, Imports, Labels, Layers, Marking, Predictions, History, Models, Counts, Settings):
    """A project database. The CLI, the window and the workers all go through this class.

    Newer kinds are parts built with the connection, not mixins: ``store.categories`` (document
    labels, :class:`~annotator.storage.categories.Categories`) and ``store.relations`` (links
    between spans, :class:`~annotator.storage.relations.Relations`); they record their edits in
    the same history, which replays them through ``replayers``.

    A Store is bound to the thread that opened it (SQLite connections are); a worker opens its
    own Store on the same path. Any number of Stores, in any number of processes, may write to
    one project at once: each write waits its turn, and readers never wait.
    """

    def __init__(self, path: str | Path, annotator: str | None = None) -> None:
        self.path = location(path)
        self.db = connect(self.path)
        who = annotator or default_annotator()
        self.categories = Categories(self.db, who, self._record)
        self.relations = Relations(self.db, who, self._record)
        self._annotator = who
        self.replayers = {CATEGORY: self.categories.replay, RELATION: self.relations.replay}
        self.span_dependents = [self.relations.removed_with]
        self.layer_copied = [self.relations.copy_predictions]
        self.imported = [self.categories.store_imported, self.relations.store_imported]
        self.decisions = Decisions(self.db, lambda: self.annotator)
        try:
            if not self.db.read_only:
                self.clean_unfinished_imports()
        except BaseException:
            self.db.close()
            raise

    @property
    def annotator(self) -> str:
        """Whose layer this store reads and writes (its parts follow when it changes)."""
        return self._annotator

    @annotator.setter
    def annotator(self, name: str) -> None:
        self._annotator = self.categories.annotator = self.relations.annotator = name

    @property
    def read_only(self) -> bool:
        """Opened for reading only (the file or its folder is not writable): writes raise ReadOnlyError."""
        return self.db.read_only

    @property
    def schema_version(self) -> int:
        return int(self.db.one("PRAGMA user_version"))

    def quick_check(self) -> None:
        """SQLite's quick check of every page (not of indexes against tables): raises DamagedError
        naming the first problem. For a file from someone else, before anything of it is read."""
        damage = self.db.one("PRAGMA quick_check(1)")
        if damage != "ok":
            raise DamagedError(f"{self.path} is damaged (SQLite's quick check: {damage}); nothing was read from it: "
                               f"run annotator check --db {self.path}")

    def transaction(self) -> AbstractContextManager[None]:
        """Group several calls into one all-or-nothing transaction (merges, bulk work)."""
        return self.db.write()

    def lock_wait(self, seconds: float) -> AbstractContextManager[None]:
        """Writes inside wait at most ``seconds`` for another program's write lock (one attempt)."""
        return self.db.lock_wait(seconds)

    def traced(self, callback: Callable[[str], None]) -> AbstractContextManager[None]:
        """Every statement run inside is passed to ``callback`` (what an action costs, counted)."""
        return self.db.traced(callback)

    def cancellable(self, cancelled: Callable[[], bool]) -> AbstractContextManager[None]:
        """Statements inside stop (Interrupted) soon after ``cancelled()`` says so: a worker's Cancel."""
        return self.db.cancellable(cancelled)

    def interrupt(self) -> None:
        """Stop the statement this Store is running, from any thread (a Cancel button): it raises
        Interrupted in the thread running it, and its transaction is rolled back."""
        self.db.interrupt()

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
