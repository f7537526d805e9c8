"""The model's predictions: kept apart from people's layers and never edited, only replaced."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from annotator.domain import ORIGIN_MODEL, Span, StoredSpan
from annotator.storage.connection import Connection, sql_literal
from annotator.storage.rows import (
    NO_DETAILS,
    NO_DETAILS_SQL,
    PLACE_COLUMNS,
    PREDICTION_SELECT,
    REVIEW_COLUMNS,
    SPAN_MARKS,
    SPAN_SELECT,
    VISIBLE,
    detail_values,
    now,
    place_values,
    prediction_from_row,
    rows_by_document,
    span_values,
)

_INSERT = f"INSERT INTO predictions (doc_id, {SPAN_SELECT}, model, model_version, created) VALUES"
_PLACE_MARKS = ", ".join("?" * len(PLACE_COLUMNS))


class Predictions:
    """``store.predictions``: what models suggested. Called, it gives a document's (:meth:`of`)."""

    def __init__(self, db: Connection) -> None:
        self.db = db

    def insert_predictions(self, doc_id: int, spans: Sequence[Span], model: str, version: str) -> None:
        """Replace a model's stored predictions for a document (no copy into anyone's layer)."""
        with self.db.write():
            self.replace([(doc_id, spans)], model, version, now())

    def replace(self, batch: Sequence[tuple[int, Sequence[Span]]], model: str, version: str,
                             stamp: str) -> None:
        """As :meth:`Spans.add`: what rows share, and a plain entity's empty fields, are
        literals in the statement; only what differs is bound (binding None is slow in sqlite3)."""
        self.db.executemany("DELETE FROM predictions WHERE doc_id = ? AND model = ?", [(d, model) for d, _ in batch])
        plain: list[tuple[Any, ...]] = []
        detailed: list[tuple[Any, ...]] = []
        for doc_id, spans in batch:
            for s in spans:
                if detail_values(s) == NO_DETAILS:
                    plain.append((doc_id, s.layer, *place_values(s)))
                else:
                    detailed.append((doc_id, *span_values(s)))
        shared = ", ".join([sql_literal(model), sql_literal(version), sql_literal(stamp)])
        self.db.executemany(f"{_INSERT} (?, {_PLACE_MARKS}, {NO_DETAILS_SQL}, {shared})", plain)
        self.db.executemany(f"{_INSERT} (?, {SPAN_MARKS}, {shared})", detailed)

    def of(self, doc_id: int, model: str | None = None, layer: str | None = None) -> list[StoredSpan]:
        """A model's stored predictions (by default the latest model run on this document)."""
        if model is None:
            model = self.db.one("SELECT model FROM predictions WHERE doc_id = ? ORDER BY id DESC LIMIT 1", [doc_id])
            if model is None:
                return []
        sql = f"SELECT {PREDICTION_SELECT} FROM predictions WHERE doc_id = ? AND model = ?"
        params: list[Any] = [doc_id, model]
        if layer:
            sql += " AND layer = ?"
            params.append(layer)
        return [prediction_from_row(r) for r in self.db.execute(sql + " ORDER BY start, [end]", params)]

    __call__ = of

    def prediction_rows(self, doc_ids: Sequence[int], model: str | None = None) -> Iterator[list[tuple[Any, ...]]]:
        """:meth:`of` each document as rows, as :meth:`Spans.span_rows` gives a layer
        (origin "model"): one list per id of ``doc_ids``, a query per 500 documents."""
        columns = ", ".join(f"p.[{c}]" for c in REVIEW_COLUMNS)
        latest = "(SELECT model FROM predictions WHERE doc_id = d.id ORDER BY id DESC LIMIT 1)"
        return rows_by_document(
            self.db, f"SELECT p.doc_id, {columns}, {sql_literal(ORIGIN_MODEL)} FROM documents d JOIN predictions p "
                     f"ON p.doc_id = d.id AND p.model = coalesce(?, {latest}) WHERE d.id IN ({{ids}}) "
                     "ORDER BY p.doc_id, p.start, p.[end], p.id", [model], doc_ids)

    def prediction_models(self) -> list[tuple[str, str]]:
        """The (model, version) pairs that have predictions stored (from the counters: no scan)."""
        return [(model, version) for model, version in self.db.execute(
            "SELECT DISTINCT model, version FROM prediction_counts WHERE n > 0 ORDER BY model, version")]

    def documents_without_predictions(self) -> list[int]:
        return self.db.column(
            f"SELECT id FROM documents d WHERE NOT EXISTS (SELECT 1 FROM predictions p WHERE p.doc_id = d.id) "
            f"AND {VISIBLE} ORDER BY id")
