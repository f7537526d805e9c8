"""How unsure the model was of each document's suggestions (annotator.detect.uncertainty), kept beside
the project's settings: a row ``uncertainty/<doc_id>`` a document, written in the transaction that
stores its predictions, replaced when it is detected again. No schema change: the settings table's
primary key finds them as a range, and a removed document's row is never read (joined on documents)."""

from __future__ import annotations

from collections.abc import Sequence

from annotator.domain import OPEN
from annotator.storage.connection import Connection
from annotator.storage.rows import VISIBLE

PREFIX = "uncertainty/"
_RANGE = f"s.name > '{PREFIX}' AND s.name < '{PREFIX[:-1]}0'"  # '0' follows '/': every name under the prefix
_DOC = f"CAST(substr(s.name, {len(PREFIX) + 1}) AS INTEGER)"


class Uncertainty:
    """``store.uncertainty``: each document's expected number of suggestions a person will change."""

    def __init__(self, db: Connection) -> None:
        self.db = db

    def keep(self, measured: Sequence[tuple[int, float]]) -> None:
        """Keep the documents' uncertainty (inside the caller's transaction, or one of its own)."""
        with self.db.write():
            self.db.executemany("INSERT INTO settings (name, value) VALUES (?, ?) "
                                "ON CONFLICT (name) DO UPDATE SET value = excluded.value",
                                [(f"{PREFIX}{doc_id}", repr(float(score))) for doc_id, score in measured])

    def of(self, doc_id: int) -> float | None:
        value = self.db.one("SELECT value FROM settings WHERE name = ?", [f"{PREFIX}{doc_id}"])
        return None if value is None else float(value)

    __call__ = of

    def most_uncertain_open(self, other_than: int | None) -> int | None:
        """The open document (not ``other_than``) whose suggestions are least certain; ties in the
        list's order. None when no open document was measured or all measured are certain."""
        doc: int | None = self.db.one(
            f"SELECT d.id FROM settings s JOIN documents d ON d.id = {_DOC} WHERE {_RANGE} AND d.status = ? "
            f"AND d.id != ? AND {VISIBLE} AND CAST(s.value AS REAL) > 0 ORDER BY CAST(s.value AS REAL) DESC, d.id LIMIT 1",
            [OPEN, other_than or 0])
        return doc

    def unmeasured_open(self) -> list[int]:
        """The open documents with no uncertainty measured, in the list's order."""
        return self.db.column(
            f"SELECT d.id FROM documents d WHERE d.status = ? AND {VISIBLE} "
            f"AND NOT EXISTS (SELECT 1 FROM settings s WHERE s.name = '{PREFIX}' || d.id) ORDER BY d.id", [OPEN])
