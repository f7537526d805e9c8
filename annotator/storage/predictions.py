"""The model's predictions: kept apart from people's layers and never edited, only replaced."""

from __future__ import annotations

from typing import Any, Sequence

from annotator.domain import ENTITIES, Span, check_span, check_spans
from annotator.storage.connection import Connection
from annotator.storage.rows import SPAN_MARKS, SPAN_SELECT, VISIBLE, now, prediction_from_row, span_values

_INSERT = (f"INSERT INTO predictions (doc_id, {SPAN_SELECT}, model, model_version, created) "
           f"VALUES (?, {SPAN_MARKS}, ?, ?, ?)")


class Predictions:
    db: Connection
    annotator: str

    def save_predictions(self, doc_id: int, spans: Sequence[Span], model: str, version: str) -> bool:
        """Store a model's predictions for a document, replacing that model's previous run.

        The human's layer is set to a copy of them unless a person has edited the document
        (any recorded edit) or it carries imported annotations; returns whether it was copied.
        """
        doc = self.document(doc_id)  # type: ignore[attr-defined]
        check_spans(doc.text, [s for s in spans if s.layer == ENTITIES])
        for span in spans:
            check_span(doc.text, span)
        with self.db.write():
            self.insert_predictions(doc_id, spans, model, version)
            if self._touched(doc_id):  # type: ignore[attr-defined]
                return False
            self.db.execute("DELETE FROM annotations WHERE doc_id = ? AND annotator = ?", [doc_id, self.annotator])
            self._copy_to_layer(doc_id, spans, now())  # type: ignore[attr-defined]
        return True

    def insert_predictions(self, doc_id: int, spans: Sequence[Span], model: str, version: str) -> None:
        """Replace a model's stored predictions for a document (no copy into anyone's layer)."""
        stamp = now()
        with self.db.write():
            self.db.execute("DELETE FROM predictions WHERE doc_id = ? AND model = ?", [doc_id, model])
            self.db.executemany(_INSERT, [(doc_id, *span_values(s), model, version, stamp) for s in spans])

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

    def prediction_models(self) -> list[tuple[str, str]]:
        """The (model, version) pairs that have predictions stored (from the counters: no scan)."""
        return [tuple(r) for r in self.db.execute(  # type: ignore[misc]
            "SELECT DISTINCT model, version FROM prediction_counts WHERE n > 0 ORDER BY model, version")]

    def documents_without_predictions(self) -> list[int]:
        return self.db.column(
            f"SELECT id FROM documents d WHERE NOT EXISTS (SELECT 1 FROM predictions p WHERE p.doc_id = d.id) "
            f"AND {VISIBLE} ORDER BY id")
