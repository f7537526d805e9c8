"""How unsure the model was of each document's suggestions (annotator.detect.uncertainty), kept beside
the project's settings (no schema change), written in the transaction that stores its predictions and
replaced when it is detected again.

Two rows a document: ``uncertainty/rank/<key>/<doc_id>`` holds its score, named so that the settings'
primary key orders the documents most uncertain first (``key`` falls as the score rises; ties in the
list's order), so that the next one is found by walking that order to the first open document, not
by reading them all (at 100,000 documents a full read took 60–80 ms on the window's thread); and
``uncertainty/doc/<doc_id>`` names its rank row, to replace it. A removed document's rows are never
read (joined on documents).
"""

from __future__ import annotations

from collections.abc import Sequence

from annotator.domain import OPEN
from annotator.storage.connection import Connection
from annotator.storage.rows import VISIBLE

RANK = "uncertainty/rank/"
BY_DOC = "uncertainty/doc/"
SCALE = 10_000  # scores kept to 4 decimals in the key
TOP = 10**9  # the key of a score of 0: certain documents are not offered
_KEY_DIGITS, _ID_DIGITS = 10, 12
_DOC = f"CAST(substr(s.name, {len(RANK) + _KEY_DIGITS + 2}) AS INTEGER)"
_UNCERTAIN = f"s.name > '{RANK}' AND s.name < '{RANK}{TOP:0{_KEY_DIGITS}d}'"


def rank_name(doc_id: int, score: float) -> str:
    key = TOP - min(TOP, max(0, round(score * SCALE)))
    return f"{RANK}{key:0{_KEY_DIGITS}d}/{doc_id:0{_ID_DIGITS}d}"


class Uncertainty:
    """``store.uncertainty``: each document's expected number of suggestions a person will change."""

    def __init__(self, db: Connection) -> None:
        self.db = db

    def keep(self, measured: Sequence[tuple[int, float]]) -> None:
        """Keep the documents' uncertainty (inside the caller's transaction, or one of its own)."""
        upsert = "INSERT INTO settings (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value"
        with self.db.write():
            self.db.executemany("DELETE FROM settings WHERE name = (SELECT value FROM settings WHERE name = ?)",
                                [(f"{BY_DOC}{doc_id}",) for doc_id, _ in measured])
            ranks = [(doc_id, rank_name(doc_id, score), repr(float(score))) for doc_id, score in measured]
            self.db.executemany(upsert, [(name, score) for _, name, score in ranks])
            self.db.executemany(upsert, [(f"{BY_DOC}{doc_id}", name) for doc_id, name, _ in ranks])

    def of(self, doc_id: int) -> float | None:
        value = self.db.one("SELECT r.value FROM settings b JOIN settings r ON r.name = b.value WHERE b.name = ?",
                            [f"{BY_DOC}{doc_id}"])
        return None if value is None else float(value)

    __call__ = of

    def most_uncertain_open(self, other_than: int | None) -> int | None:
        """The open document (not ``other_than``) whose suggestions are least certain; ties in the
        list's order. None when no open document was measured or all measured are certain."""
        doc: int | None = self.db.one(
            f"SELECT d.id FROM settings s JOIN documents d ON d.id = {_DOC} WHERE {_UNCERTAIN} AND d.status = ? "
            f"AND d.id != ? AND {VISIBLE} ORDER BY s.name LIMIT 1", [OPEN, other_than or 0])
        return doc

    def unmeasured_open(self) -> list[int]:
        """The open documents with no uncertainty measured, in the list's order."""
        return self.db.column(
            f"SELECT d.id FROM documents d WHERE d.status = ? AND {VISIBLE} "
            f"AND NOT EXISTS (SELECT 1 FROM settings s WHERE s.name = '{BY_DOC}' || d.id) ORDER BY d.id", [OPEN])
