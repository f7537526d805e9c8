"""A person's decisions on strings (see annotator.learning): kept per document, so that a
string labelled one way in one article and another way in the next is seen as a conflict.

One row per (annotator, string, document): the latest decision there. Document 0 holds
decisions imported from a gazetteer. Whether the project learns from decisions is its setting
``learning`` ("off" turns it off; on by default).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from typing import Any

from annotator.domain import ORIGIN_HUMAN, Span, StoredSpan
from annotator.learning.strings import key, shape
from annotator.learning.suggest import Decision, Learned, agreed
from annotator.storage.connection import Connection
from annotator.storage.rows import dump, insert_spans, now

LEARNING = "learning"  # the project setting
IMPORTED = 0  # the document of decisions read from a gazetteer


class Decisions:
    """The decisions table of a project, for the store's current annotator."""

    def __init__(self, db: Connection, annotator: Callable[[], str]) -> None:
        self.db, self._annotator = db, annotator
        self._learned: tuple[tuple[Any, ...], Learned] | None = None

    def enabled(self) -> bool:
        return bool(self.db.one("SELECT value FROM settings WHERE name = ?", [LEARNING]) != "off")

    def record(self, doc_id: int, text: str, label: str) -> str:
        """Remember that the person gave ``text`` ``label`` (REJECTED: removed it) in a document; its key."""
        k = key(text)
        with self.db.write():
            self.db.execute(
                "INSERT INTO decisions (annotator, key, doc_id, label, shape, text, at) VALUES (?, ?, ?, ?, ?, ?, ?) "
                "ON CONFLICT DO UPDATE SET label = excluded.label, shape = excluded.shape, text = excluded.text, "
                "at = excluded.at", [self._annotator(), k, doc_id, label, shape(text), text, now()])
        return k

    def forget(self, doc_id: int, text: str) -> str:
        """The person's decision on ``text`` in a document is withdrawn (they removed their own span); its key."""
        k = key(text)
        with self.db.write():
            self.db.execute("DELETE FROM decisions WHERE annotator = ? AND key = ? AND doc_id = ?",
                            [self._annotator(), k, doc_id])
        return k

    def decided(self, only: str | None = None) -> dict[str, Decision]:
        """The agreed decisions (all, or of one key)."""
        return agreed(self._rows(only))[0]

    def learned(self) -> Learned:
        """The agreed decisions ready to apply, kept while the decisions stay as they are (a
        document opened or detected does not index thousands of strings again)."""
        state = (self._annotator(), *self.db.execute(
            "SELECT count(*), max(at), total(length(label)) FROM decisions WHERE annotator = ?", [self._annotator()]).fetchone())
        if self._learned is None or self._learned[0] != state:
            self._learned = (state, Learned(self.decided()))
        return self._learned[1]

    def conflicts(self) -> list[tuple[str, dict[str, int]]]:
        """Strings labelled more than one way: (string as last written, documents per label; "" a rejection)."""
        rows = self.db.execute("SELECT key, label, text FROM decisions WHERE annotator = ? ORDER BY key, at",
                               [self._annotator()]).fetchall()
        _, conflicted = agreed((k, label, "") for k, label, _ in rows)
        written: dict[str, str] = {}
        counts: dict[str, dict[str, int]] = {}
        for k, label, text in rows:
            if k in conflicted:
                written[k] = text
                counts.setdefault(k, {})[label] = counts.get(k, {}).get(label, 0) + 1
        return [(written[k], counts[k]) for k in counts]

    def _rows(self, only: str | None) -> list[tuple[str, str, str]]:
        sql, params = "SELECT key, label, shape FROM decisions WHERE annotator = ?", [self._annotator()]
        if only is not None:
            sql += " AND key = ?"
            params.append(only)
        return self.db.execute(sql + " ORDER BY at", params).fetchall()

    def replace_suggestions(self, doc_id: int, removed: Sequence[StoredSpan], added: Sequence[Span]) -> list[dict[str, Any]]:
        """Remove and add suggestions of the person's layer of a document (inside the caller's
        write); the changes, as the history records them. The counters are updated once for all
        the new spans: a decision on a name met 40 times in an article was 80 statements and 40
        counter updates, a fifth of the key press."""
        annotator, stamp = self._annotator(), now()
        changes: list[dict[str, Any]] = [{"op": "delete", "before": dump(span), "after": None} for span in removed]
        self.db.executemany("DELETE FROM annotations WHERE id = ?", [[span.id] for span in removed])
        made = [span.as_new().with_(annotator=annotator) for span in added]
        ids = insert_spans(self.db, doc_id, made, annotator, stamp)
        changes += [{"op": "add", "before": None, "after": dump(span.stored_as(span_id))} for span, span_id in zip(made, ids)]
        return changes

    def own(self, doc_id: int, layer: str) -> list[tuple[str, str]]:
        """(text, label) of the person's own spans of a layer of a document (few: read without the suggestions)."""
        return self.db.execute("SELECT text, label FROM annotations WHERE doc_id = ? AND annotator = ? AND layer = ? "
                               "AND origin = ?", [doc_id, self._annotator(), layer, ORIGIN_HUMAN]).fetchall()

    def extend_last_edit(self, doc_id: int, changes: list[dict[str, Any]]) -> None:
        """Make suggestions a decision changed part of the edit that made it: one undo undoes both."""
        if not changes:
            return
        row = self.db.execute("SELECT id, changes FROM edits WHERE annotator = ? AND doc_id = ? AND state = 'done' "
                              "ORDER BY id DESC LIMIT 1", [self._annotator(), doc_id]).fetchone()
        if row is not None:
            self.db.execute("UPDATE edits SET changes = ? WHERE id = ?",
                            [json.dumps([*json.loads(row[1]), *changes], ensure_ascii=False), row[0]])

    def import_decisions(self, decisions: Sequence[tuple[str, str]]) -> int:
        """(string, label) pairs from a gazetteer, as decisions of no document; how many."""
        with self.db.write():
            for text, label in decisions:
                self.record(IMPORTED, text, label)
        return len(decisions)
