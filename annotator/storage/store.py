"""The Store: one project database behind one API, put together from the store's parts."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any

from annotator.domain import Span, StoredSpan
from annotator.storage.assignments import Assignments
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
from annotator.storage.layers import Spans
from annotator.storage.marking import Marking
from annotator.storage.models import Models
from annotator.storage.parts import Forward
from annotator.storage.predictions import Predictions
from annotator.storage.relations import OP as RELATION
from annotator.storage.relations import Relations
from annotator.storage.rows import default_annotator
from annotator.storage.settings import Settings
from annotator.storage.starts import Starts
from annotator.storage.uncertainty import Uncertainty


class Store:
    """A project database. The CLI, the window and the workers all go through this class.

    A Store is made of parts, each built here with the connection and the parts it uses, none
    reaching another through the Store: ``documents``, ``spans`` (people's layers), ``history``,
    ``labels``, ``predictions``, ``starts`` (a layer started from predictions), ``imports``,
    ``marking``, ``models``, ``counts``, ``settings``, and the newer kinds ``categories`` (document
    labels), ``relations`` (links between spans), ``decisions`` (what was learned),
    ``uncertainty`` (how unsure the model was of each document) and ``assignments`` (documents given to people). Every edit
    is recorded through ``history.record``; undo and redo hand each change back to the part that
    owns its op (``history.replayers``). A part whose main answer is a list is called for it:
    ``store.spans(doc_id)``, ``store.history()``, ``store.labels()``, ``store.predictions(doc_id)``.

    Callers may use the parts directly (``store.spans.add_span``, ``store.history.undo()``); the
    Store also keeps its one flat surface of methods, each a forward to a part (the table below),
    so that the program's callers did not change, and so that another engine (PostgreSQL) has one
    surface to satisfy, and its parts to build it from.

    A Store is bound to the thread that opened it (SQLite connections are); a worker opens its
    own Store on the same path. Any number of Stores, in any number of processes, may write to
    one project at once: each write waits its turn, and readers never wait.
    """

    def __init__(self, path: str | Path, annotator: str | None = None) -> None:
        self.path = location(path)
        self.db = db = connect(self.path)
        who = annotator or default_annotator()
        self._annotator = who
        self.history = History(db, who)
        record = self.history.record
        self.categories = Categories(db, who, record)
        self.relations = Relations(db, who, record)
        self.decisions = Decisions(db, lambda: self.annotator)
        self.settings = Settings(db)
        self.uncertainty = Uncertainty(db)
        self.models = Models(db)
        self.labels = Labels(db)
        self.documents = Documents(db, who, record)
        self.predictions = Predictions(db)
        self.spans = Spans(db, who, record, self.documents, self.labels, self.predictions,
                           dependents=[self.relations.removed_with])
        self.starts = Starts(db, who, self.documents, self.labels, self.spans, self.predictions, self.decisions,
                             copied=[self.relations.copy_predictions])
        self.marking = Marking(db, who, record, self.documents, self.predictions, self.starts)
        self.imports = Imports(db, who, self.labels, self.spans,
                               imported=[self.categories.store_imported, self.relations.store_imported])
        self.counts = Counts(db, who, self.spans.annotators)
        self.assignments = Assignments(db, who)
        self.history.replayers.update({
            CATEGORY: self.categories.replay, RELATION: self.relations.replay,
            "status": self.documents.replay_status, "statuses": self.marking.replay,
            **dict.fromkeys(("add", "update", "delete"), self.spans.replay)})
        self._acting = (self.history, self.categories, self.relations, self.documents, self.spans, self.starts,
                        self.marking, self.imports, self.counts, self.assignments)
        try:
            if not db.read_only:
                self.imports.clean_unfinished_imports()
        except BaseException:
            db.close()
            raise

    # -- the flat surface: each a part's method ------------------------------------------------
    document_id_for_hash = Forward("documents", Documents.document_id_for_hash)
    document = Forward("documents", Documents.document)
    matching_ids = Forward("documents", Documents.matching_ids)
    dense_start = Forward("documents", Documents.dense_start)
    count_documents = Forward("documents", Documents.count_documents)
    position_of = Forward("documents", Documents.position_of)
    list_documents = Forward("documents", Documents.list_documents)
    summary = Forward("documents", Documents.summary)
    summaries = Forward("documents", Documents.summaries)
    document_ids = Forward("documents", Documents.document_ids)
    iter_documents = Forward("documents", Documents.iter_documents)
    neighbour = Forward("documents", Documents.neighbour)
    set_status = Forward("documents", Documents.set_status)
    stamp = Forward("documents", Documents.stamp)
    add_documents = Forward("imports", Imports.add_documents)
    clean_unfinished_imports = Forward("imports", Imports.clean_unfinished_imports)
    label = Forward("labels", Labels.label)
    add_label = Forward("labels", Labels.add_label)
    update_label = Forward("labels", Labels.update_label)
    remove_label = Forward("labels", Labels.remove_label)
    span_rows = Forward("spans", Spans.span_rows)
    layer = Forward("spans", Spans.layer)
    has_layer = Forward("spans", Spans.has_layer)
    worked_on = Forward("spans", Spans.worked_on)
    annotators = Forward("spans", Spans.annotators)
    span = Forward("spans", Spans.span)
    add_span = Forward("spans", Spans.add_span)
    delete_span = Forward("spans", Spans.delete_span)
    accept_suggestions = Forward("spans", Spans.accept_suggestions)
    clear_suggestions = Forward("spans", Spans.clear_suggestions)
    insert_layer = Forward("spans", Spans.insert_layer)
    copy_layer = Forward("spans", Spans.copy_layer)
    start_layer = Forward("starts", Starts.start_layer)
    save_predictions = Forward("starts", Starts.save_predictions)
    save_many_predictions = Forward("starts", Starts.save_many_predictions)
    mark_documents = Forward("marking", Marking.mark_documents)
    insert_predictions = Forward("predictions", Predictions.insert_predictions)
    prediction_rows = Forward("predictions", Predictions.prediction_rows)
    prediction_models = Forward("predictions", Predictions.prediction_models)
    documents_without_predictions = Forward("predictions", Predictions.documents_without_predictions)
    can_undo = Forward("history", History.can_undo)
    can_redo = Forward("history", History.can_redo)
    next_replay = Forward("history", History.next_replay)
    undo = Forward("history", History.undo)
    redo = Forward("history", History.redo)
    register_model = Forward("models", Models.register_model)
    label_counts = Forward("counts", Counts.label_counts)
    stats = Forward("counts", Counts.stats)
    setting = Forward("settings", Settings.setting)
    next_assigned = Forward("assignments", Assignments.next_assigned)
    set_setting = Forward("settings", Settings.set_setting)

    def update_span(self, span_id: int, expected: Span | None = None, **changes: Any) -> StoredSpan:
        """:meth:`Spans.update_span` (by hand: a Forward cannot type ``**changes`` beside ``self``)."""
        return self.spans.update_span(span_id, expected, **changes)

    @property
    def annotator(self) -> str:
        """Whose layer this store reads and writes (its parts follow when it changes)."""
        return self._annotator

    @annotator.setter
    def annotator(self, name: str) -> None:
        self._annotator = name
        for part in self._acting:
            part.annotator = name

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
