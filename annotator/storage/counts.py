"""Figures: read from counter tables kept in step with every write, so no figure scans the
spans — ``annotator stats`` and the window's status bar answer at once at any project size.
Triggers (schema.py) count documents and deleted or changed spans; added spans are counted by
:func:`add_span_counts`, called wherever annotations are inserted (one update per label, not one
trigger run per span: imports add 100,000s of spans)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from annotator.domain import STATUSES
from annotator.storage.connection import Connection


def add_span_counts(db: Connection, counts: Mapping[tuple[str, str, str, str], int]) -> None:
    """Add to the span counters: ``counts`` by (annotator, layer, label, origin)."""
    db.executemany("INSERT INTO span_counts VALUES (?, ?, ?, ?, ?) ON CONFLICT DO UPDATE SET n = n + excluded.n",
                   [(*key, n) for key, n in counts.items()])


def add_link_counts(db: Connection, kind: str, counts: Mapping[tuple[str, str, str], int]) -> None:
    """Add to the counters of document labels or relations (``kind``): ``counts`` by (owner, label, origin)."""
    db.executemany("INSERT INTO link_counts VALUES (?, ?, ?, ?, ?) ON CONFLICT DO UPDATE SET n = n + excluded.n",
                   [(kind, *key, n) for key, n in counts.items() if n])


class Counts:
    """``store.counts``: the figures; called, how many documents of each status."""

    def __init__(self, db: Connection, annotator: str, annotators: Callable[[], list[str]]) -> None:
        self.db, self.annotator, self.annotators = db, annotator, annotators  # whose layers there are (the spans part's)

    def __call__(self) -> dict[str, Any]:
        """How many documents, and how many of each status (what the window's status bar shows)."""
        by_status = dict(self.db.execute("SELECT status, n FROM status_counts").fetchall())
        return {"documents": sum(by_status.values()), "status": {s: by_status.get(s, 0) for s in STATUSES}}

    def label_counts(self, doc_id: int) -> dict[str, int]:
        """Spans per label in this annotator's layer of one document."""
        return dict(self.db.execute(
            "SELECT label, count(*) FROM annotations WHERE doc_id = ? AND annotator = ? GROUP BY label ORDER BY label",
            [doc_id, self.annotator]).fetchall())

    def stats(self) -> dict[str, Any]:
        spans = self.db.execute(
            "SELECT layer, label, origin, sum(n) FROM span_counts GROUP BY layer, label, origin HAVING sum(n) > 0 "
            "ORDER BY layer, label, origin").fetchall()
        predictions = self.db.execute(
            "SELECT model, version, layer, n FROM prediction_counts WHERE n > 0 ORDER BY model, version, layer").fetchall()
        return {
            **self(),
            "spans": [{"layer": layer, "label": lab, "origin": o, "count": n} for layer, lab, o, n in spans],
            "predictions": [{"model": m, "version": v, "layer": layer, "count": n} for m, v, layer, n in predictions],
            "annotators": self.annotators(),
            "categories": self._link_counts("category", "origin"),
            "relations": self._link_counts("relation", "origin"),
            "category_predictions": self._link_counts("category_prediction", "model"),
            "relation_predictions": self._link_counts("relation_prediction", "model"),
        }

    def _link_counts(self, kind: str, by: str) -> list[dict[str, Any]]:
        """Document labels or relations (or a model's) per label and origin (or model), from the
        counters (schema 9)."""
        column = "origin" if by == "origin" else "owner"
        return [{"label": label, by: whose, "count": n} for label, whose, n in self.db.execute(
            f"SELECT label, {column}, sum(n) FROM link_counts WHERE kind = ? GROUP BY label, {column} "
            "HAVING sum(n) > 0 ORDER BY label, 2", [kind])]

# What the counters must hold, counted from the rows (documents of an unfinished import left out).
RECOUNTS = {
    "status_counts": "SELECT status, count(*) FROM documents WHERE id NOT IN (SELECT doc_id FROM pending_docs) "
                     "GROUP BY 1",
    "span_counts": "SELECT annotator, layer, label, origin, count(*) FROM annotations "
                   "WHERE doc_id NOT IN (SELECT doc_id FROM pending_docs) GROUP BY 1, 2, 3, 4",
    "prediction_counts": "SELECT model, model_version, layer, count(*) FROM predictions "
                         "WHERE doc_id NOT IN (SELECT doc_id FROM pending_docs) GROUP BY 1, 2, 3",
    # document labels and relations are counted as they are stored (removals by triggers), pending imports included
    "link_counts": " UNION ALL ".join(
        f"SELECT '{kind}', {owner}, label, {origin}, count(*) FROM {table} GROUP BY 2, 3, 4"
        for kind, table, owner, origin in (("category", "document_categories", "annotator", "origin"),
                                           ("relation", "relations", "annotator", "origin"),
                                           ("category_prediction", "category_predictions", "model", "'model'"),
                                           ("relation_prediction", "relation_predictions", "model", "'model'"))),
}


def miscounted(db: Connection) -> int:
    """How many counters differ from a recount of the rows (``annotator check``)."""
    wrong = 0
    for table, recount in RECOUNTS.items():
        kept = {tuple(row[:-1]): row[-1] for row in db.execute(f"SELECT * FROM {table} WHERE n != 0")}
        counted = {tuple(row[:-1]): row[-1] for row in db.execute(recount)}
        wrong += sum(kept.get(key) != counted.get(key) for key in kept.keys() | counted.keys())
    return wrong


def rebuild_counts(db: Connection) -> None:
    """Set every counter to a recount of the rows (``annotator check --repair``)."""
    with db.write():
        for table, recount in RECOUNTS.items():
            db.execute(f"DELETE FROM {table}")
            db.execute(f"INSERT INTO {table} {recount}")
