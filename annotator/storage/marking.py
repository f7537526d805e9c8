"""Marking many documents at once (up to every one): one transaction, one undoable edit.

A selection of the list is kept small whatever its size (:class:`Selection`: ids, or stretches of
the filtered list named by their first document and length), read into a temporary table by key.
Marked done unopened, a document's gold is what the model suggested, so documents without a layer
are first given one from the suggestions, as opening them would — in batches, each committed
(a Cancel there leaves those layers, as having opened the documents would, and no status changed).
Then every status changes in ONE transaction, which a Cancel rolls back whole. The edit records
the statuses before as runs of consecutive ids per status (``{"open": [[1, 1000000]]}``), so a
million documents marked is a few numbers in the history, not a million entries.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from annotator.domain import STATUSES
from annotator.storage.connection import Connection
from annotator.storage.documents import Documents
from annotator.storage.errors import Interrupted
from annotator.storage.history import Edit
from annotator.storage.parts import Part, Record
from annotator.storage.predictions import Predictions
from annotator.storage.rows import now
from annotator.storage.starts import Starts

LAYER_BATCH = 2000  # documents given their layer per transaction (each all-or-nothing)
Runs = list[list[int]]  # [[first id, last id], ...] of consecutive ids


@dataclass(frozen=True)
class Selection:
    """Documents chosen in the document list, under its filter: ``ids`` as listed, and
    ``stretches`` of the filtered list, each (the id of its first row, how many rows)."""

    status: str | None = None
    label: str | None = None
    search: str | None = None
    ids: tuple[int, ...] = ()
    stretches: tuple[tuple[int, int], ...] = ()
    category: str | None = None  # a document label the listed documents have

    def __len__(self) -> int:
        return len(self.ids) + sum(count for _, count in self.stretches)


@dataclass(frozen=True)
class Marked:
    """What marking a selection did."""

    status: str
    changed: int
    unchanged: int
    first: int | None  # the first document whose status changed (the edit is filed under it)


def runs(ids: Iterable[int]) -> Runs:
    """Sorted ids as runs of consecutive ids: [1, 2, 3, 7] -> [[1, 3], [7, 7]]."""
    out: Runs = []
    for doc_id in ids:
        if out and out[-1][1] == doc_id - 1:
            out[-1][1] = doc_id
        else:
            out.append([doc_id, doc_id])
    return out


class Marking(Part):
    """``store.marking``: many documents marked at once, built with the documents (the list's
    filter), the predictions and how a layer starts from them."""

    def __init__(self, db: Connection, annotator: str, record: Record, documents: Documents,
                 predictions: Predictions, starts: Starts) -> None:
        super().__init__(db, annotator, record)
        self.documents, self.predictions, self.starts = documents, predictions, starts

    def mark_documents(self, selection: Selection, status: str, progress: Callable[[int, int], None] = lambda d, t: None,
                       cancelled: Callable[[], bool] = lambda: False) -> Marked:
        """Give every selected document ``status``: one transaction and one undoable edit."""
        if status not in STATUSES:
            raise ValueError(f"unknown status {status!r} (expected one of {', '.join(STATUSES)})")
        self._choose(selection)
        total = self.db.one("SELECT count(*) FROM temp.chosen")
        self._start_layers(total, progress, cancelled)
        with self.db.cancellable(cancelled), self.db.write():
            before: dict[str, Runs] = {}
            ids_by_status: dict[str, list[int]] = {}
            for doc_id, was in self.db.execute("SELECT d.id, d.status FROM temp.chosen c JOIN documents d ON d.id = c.id "
                                               "WHERE d.status != ? ORDER BY d.id", [status]):
                ids_by_status.setdefault(was, []).append(doc_id)
            for was, ids in ids_by_status.items():
                before[was] = runs(ids)
            changed = sum(len(ids) for ids in ids_by_status.values())
            first = min((ids[0] for ids in ids_by_status.values()), default=None)
            if first is not None:
                self.db.execute("UPDATE documents SET status = ?, updated = ? WHERE id IN (SELECT id FROM temp.chosen) "
                                "AND status != ?", [status, now(), status])
                noun = "document" if changed == 1 else "documents"
                self.record(first, f"mark {changed:,} {noun} {status}",
                             [{"op": "statuses", "before": before, "after": status}])
        progress(total, total)
        self.db.execute("DROP TABLE temp.chosen")
        return Marked(status, changed, total - changed, first)

    def _choose(self, selection: Selection) -> None:
        """The selected ids into ``temp.chosen``: a statement per stretch, not per document."""
        self.db.execute("DROP TABLE IF EXISTS temp.chosen")
        self.db.execute("CREATE TEMP TABLE chosen (id INTEGER PRIMARY KEY)")
        self.db.executemany("INSERT OR IGNORE INTO temp.chosen VALUES (?)", [(i,) for i in selection.ids])
        where, params = self.documents.where(selection.status, selection.label, selection.search,
                                    selection.category)
        for first, count in selection.stretches:
            self.db.execute(f"INSERT OR IGNORE INTO temp.chosen SELECT d.id FROM documents d{where} AND d.id >= ? "
                            "ORDER BY d.id LIMIT ?", [*params, first, count])

    def _start_layers(self, total: int, progress: Callable[[int, int], None], cancelled: Callable[[], bool]) -> None:
        """Give each chosen document without a layer of this person one from the suggestions,
        ``LAYER_BATCH`` documents per transaction."""
        after, done = 0, 0
        while True:
            if cancelled():
                raise self._cancelled()
            batch = self.db.column(
                "SELECT c.id FROM temp.chosen c WHERE c.id > ? AND EXISTS (SELECT 1 FROM predictions p WHERE p.doc_id = c.id) "
                "AND NOT EXISTS (SELECT 1 FROM annotations a WHERE a.doc_id = c.id AND a.annotator = ?) "
                "AND NOT EXISTS (SELECT 1 FROM edits e WHERE e.doc_id = c.id AND e.annotator = ?) ORDER BY c.id LIMIT ?",
                [after, self.annotator, self.annotator, LAYER_BATCH])
            if not batch:
                return
            with self.db.write():
                self.starts.copy_to_layer([(doc_id, self.predictions.of(doc_id)) for doc_id in batch], now())
            after = batch[-1]
            done = self.db.one("SELECT count(*) FROM temp.chosen WHERE id <= ?", [after])
            progress(done, total)

    def _cancelled(self) -> Exception:
        return Interrupted(f"{self.db.path}: cancelled; no status was changed")

    def replay(self, edit: Edit, current: Any, target: Any, what: str) -> None:
        """Undo or redo a bulk marking: ``target`` is the status to give (redo), or the statuses
        before as runs per status (undo); ``current`` names the runs when ``target`` is one status."""
        stamp = now()
        pairs = list(target.items()) if isinstance(target, dict) else [(target, each) for each in current.values()]
        for status, status_runs in pairs:
            self.db.executemany("UPDATE documents SET status = ?, updated = ? WHERE id BETWEEN ? AND ?",
                                [(status, stamp, first, last) for first, last in status_runs])
