"""The model's predictions: kept apart from people's layers and never edited, only replaced."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any

from annotator.domain import ENTITIES, ORIGIN_MODEL, Document, Span, check_span, check_spans
from annotator.storage.connection import Connection
from annotator.storage.rows import (
    REVIEW_COLUMNS,
    SPAN_MARKS,
    SPAN_SELECT,
    VISIBLE,
    now,
    prediction_from_row,
    rows_by_document,
    span_values,
    sql_text,
)

_INSERT = f"INSERT INTO predictions (doc_id, {SPAN_SELECT}, model, model_version, created) VALUES"


class Predictions:
    db: Connection
    annotator: str
    if TYPE_CHECKING:  # what the predictions use of the Store's other parts
        def document(self, doc_id: int) -> Document: ...
        def _touched(self, doc_id: int) -> bool: ...
        def _copy_to_layer(self, doc_spans: Sequence[tuple[int, Sequence[Span]]], stamp: str) -> None: ...

    def save_predictions(self, doc_id: int, spans: Sequence[Span], model: str, version: str) -> bool:
        """Store a model's predictions for a document, replacing that model's previous run.

        The human's layer is set to a copy of them unless a person has edited the document
        (any recorded edit) or it carries imported annotations; returns whether it was copied.
        """
        return self.save_many_predictions([(doc_id, spans)], model, version)[0]

    def save_many_predictions(self, batch: Sequence[tuple[int, Sequence[Span]]], model: str,
                              version: str) -> list[bool]:
        """:meth:`save_predictions` for several documents in one transaction (detection stores in
        batches: a commit per document was a sixth of its storing time); whether each was copied.
        Whether a person has edited a document is read inside the transaction, so an edit stored
        while the batch was being predicted is kept."""
        for doc_id, spans in batch:
            text = self.document(doc_id).text
            check_spans(text, [s for s in spans if s.layer == ENTITIES])
            for span in spans:
                check_span(text, span)
        copied: list[bool] = []
        with self.db.write():
            stamp = now()
            self._replace_predictions(batch, model, version, stamp)
            for doc_id, _ in batch:
                copied.append(not self._touched(doc_id))
                if copied[-1]:
                    self.db.execute("DELETE FROM annotations WHERE doc_id = ? AND annotator = ?", [doc_id, self.annotator])
            self._copy_to_layer([(d, spans) for (d, spans), copy in zip(batch, copied) if copy], stamp)
        return copied

    def insert_predictions(self, doc_id: int, spans: Sequence[Span], model: str, version: str) -> None:
        """Replace a model's stored predictions for a document (no copy into anyone's layer)."""
        with self.db.write():
            self._replace_predictions([(doc_id, spans)], model, version, now())

    def _replace_predictions(self, batch: Sequence[tuple[int, Sequence[Span]]], model: str, version: str,
                             stamp: str) -> None:
        """As :meth:`Layers._add_spans`: what rows share, and a plain entity's empty fields, are
        literals in the statement; only what differs is bound (binding None is slow in sqlite3)."""
        self.db.executemany("DELETE FROM predictions WHERE doc_id = ? AND model = ?", [(d, model) for d, _ in batch])
        plain: list[tuple[Any, ...]] = []
        detailed: list[tuple[Any, ...]] = []
        for doc_id, spans in batch:
            for s in spans:
                if s.value is None and s.kind is None and not s.approx and s.unit is None and s.resolved is None:
                    plain.append((doc_id, s.layer, s.start, s.end, s.label, s.text))
                else:
                    detailed.append((doc_id, *span_values(s)))
        shared = ", ".join([sql_text(model), sql_text(version), sql_text(stamp)])
        self.db.executemany(f"{_INSERT} (?, ?, ?, ?, ?, ?, NULL, NULL, 0, NULL, NULL, {shared})", plain)
        self.db.executemany(f"{_INSERT} (?, {SPAN_MARKS}, {shared})", detailed)

    def predictions(self, doc_id: int, model: str | None = None, layer: str | None = None) -> list[Span]:
        """A model's stored predictions (by default the latest model run on this document)."""
        if model is None:
            model = self.db.one("SELECT model FROM predictions WHERE doc_id = ? ORDER BY id DESC LIMIT 1", [doc_id])
            if model is None:
                return []
        sql = f"SELECT id, {SPAN_SELECT} FROM predictions WHERE doc_id = ? AND model = ?"
        params: list[Any] = [doc_id, model]
        if layer:
            sql += " AND layer = ?"
            params.append(layer)
        return [prediction_from_row(r) for r in self.db.execute(sql + " ORDER BY start, [end]", params)]

    def prediction_rows(self, doc_ids: Sequence[int], model: str | None = None) -> Iterator[list[tuple[Any, ...]]]:
        """:meth:`predictions` of each document as rows, as :meth:`Layers.span_rows` gives a layer
        (origin "model"): one list per id of ``doc_ids``, a query per 500 documents."""
        columns = ", ".join(f"p.[{c}]" for c in REVIEW_COLUMNS)
        latest = "(SELECT model FROM predictions WHERE doc_id = d.id ORDER BY id DESC LIMIT 1)"
        return rows_by_document(
            self.db, f"SELECT p.doc_id, {columns}, {sql_text(ORIGIN_MODEL)} FROM documents d JOIN predictions p "
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
