"""Documents: reading them, the document list (filters, search, keyset pages) and their status."""

from __future__ import annotations

import json
import unicodedata
from array import array
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from annotator.domain import STATUSES, Document, DocumentSummary
from annotator.storage.errors import Missing
from annotator.storage.history import Edit
from annotator.storage.parts import Part
from annotator.storage.rows import VISIBLE, now

_SUMMARY = """SELECT d.id, d.title, d.date, d.status,
                  (SELECT count(*) FROM annotations a WHERE a.doc_id = d.id AND a.annotator = ?),
                  (SELECT group_concat(c.label, char(31)) FROM document_categories c
                   WHERE c.doc_id = d.id AND c.annotator = ?)
              FROM documents d"""


def _summary(row: Any) -> DocumentSummary:
    doc_id, title, date, status, span_count, categories = row
    return DocumentSummary(doc_id, title, date, status, span_count,
                           tuple(sorted(categories.split("\x1f"))) if categories else ())


# What tells that a document changed, in one query on indexes (every layer's spans, document labels
# and relations, the edits recorded on it and their undos, its status): equal stamps, nothing changed.
_STAMP = """SELECT d.status, d.updated, a.n, a.last_id, a.last_update, e.n, e.last_id, e.done, e.who, c.n, c.last, r.n, r.last_id
  FROM documents d,
       (SELECT count(*) AS n, max(id) AS last_id, max(updated) AS last_update FROM annotations WHERE doc_id = ?) a,
       (SELECT count(*) AS n, max(id) AS last_id, sum(CASE WHEN state = 'done' THEN 1 ELSE 0 END) AS done,
               (SELECT annotator FROM edits WHERE doc_id = ? ORDER BY id DESC LIMIT 1) AS who
          FROM edits WHERE doc_id = ?) e,
       (SELECT count(*) AS n, max(created) AS last FROM document_categories WHERE doc_id = ?) c,
       (SELECT count(*) AS n, max(id) AS last_id FROM relations WHERE doc_id = ?) r
 WHERE d.id = ?"""


@dataclass(frozen=True)
class Stamp:
    """A document's state as :meth:`Documents.stamp` reads it: two differ when anyone changed it."""

    state: tuple[Any, ...]
    status: str  # the document's status as stored
    last_edit: int | None  # the newest edit recorded on it (None: none yet)
    last_editor: str | None  # who made that edit


MAX_SEARCH_WORDS = 24  # a pasted page is searched by its first words: an FTS AND of thousands runs for minutes


class Documents(Part):
    """``store.documents``: the articles, their list and their status (built with the history's record)."""

    def document_id_for_hash(self, digest: str) -> int | None:
        """The document with this text's content hash (matching across databases), if stored."""
        found: int | None = self.db.one(f"SELECT id FROM documents d WHERE hash = ? AND {VISIBLE}", [digest])
        return found

    def document(self, doc_id: int) -> Document:
        row = self.db.execute(
            "SELECT id, text, title, meta, status, hash, created, updated FROM documents WHERE id = ?", [doc_id]
        ).fetchone()
        if row is None:
            raise Missing(f"no document {doc_id}")
        return Document(row[0], row[1], row[2], json.loads(row[3] or "{}"), row[4], row[5], row[6], row[7])

    def stamp(self, doc_id: int) -> Stamp:
        """What tells that a document changed since (by anyone, in any process): a window compares
        it every second or two to redraw what another person changed. One small query."""
        row = self.db.execute(_STAMP, [doc_id] * 6).fetchone()
        if row is None:
            raise Missing(f"no document {doc_id}")
        return Stamp(tuple(row), row[0], row[6], row[8])

    def where(self, status: str | None, label: str | None, search: str | None,
              category: str | None = None) -> tuple[str, list[Any]]:
        """The document list's filter as SQL over ``documents d`` and its parameters (marking reads
        a selection's stretches through it too)."""
        clauses = [VISIBLE]
        params: list[Any] = []
        if category:  # a document label of this annotator's
            clauses.append("d.id IN (SELECT doc_id FROM document_categories WHERE label = ? AND annotator = ?)")
            params += [category, self.annotator]
        if status:
            clauses.append("d.status = ?")
            params.append(status)
        if label:
            clauses.append(
                "EXISTS (SELECT 1 FROM annotations a WHERE a.doc_id = d.id AND a.annotator = ? AND a.label = ?)"
            )
            params += [self.annotator, label]
        if search:
            clauses.append("d.id IN (SELECT rowid FROM documents_fts WHERE documents_fts MATCH ?)")
            params.append(_fts_query(search))
        return " WHERE " + " AND ".join(clauses), params

    def matching_ids(self, status: str | None = None, label: str | None = None, search: str | None = None, *,
                     category: str | None = None) -> array[int]:
        """Every id the filtered list holds, in order (for a worker: a label's or a search's list is
        found once, then its count, its pages and a document's row are read from these ids)."""
        where, params = self.where(status, label, search, category)
        return array("q", self.db.column(f"SELECT d.id FROM documents d{where} ORDER BY d.id", params))

    def dense_start(self) -> int | None:
        """The first id when the unfiltered list's ids run without a gap (a project nothing was
        deleted from): row r is then document ``first + r``, found without counting."""
        first: int | None = self.db.one(f"SELECT id FROM documents d WHERE {VISIBLE} ORDER BY id LIMIT 1")
        last = self.db.one(f"SELECT id FROM documents d WHERE {VISIBLE} ORDER BY id DESC LIMIT 1")
        if first is None or last - first + 1 != self.count_documents():
            return None
        return first

    def count_documents(self, status: str | None = None, label: str | None = None, search: str | None = None, *,
                        category: str | None = None) -> int:
        if not label and not search and not category:  # the counters answer without a scan
            return int(self.db.one("SELECT coalesce(sum(n), 0) FROM status_counts" + (" WHERE status = ?" if status else ""),
                                   [status] if status else []))
        where, params = self.where(status, label, search, category)
        return int(self.db.one(f"SELECT count(*) FROM documents d{where}", params))

    def position_of(self, doc_id: int, status: str | None = None, label: str | None = None,
                    search: str | None = None, *, category: str | None = None) -> int | None:
        """The row of a document in the (filtered) list ordered by id, or None if filtered out."""
        where, params = self.where(status, label, search, category)
        if self.db.one(f"SELECT 1 FROM documents d{where} AND d.id = ?", [*params, doc_id]) is None:
            return None
        # "+d.id": counted over the small status index, not by walking the table's rows with their
        # texts (the rowid range SQLite would pick: 260 ms instead of 16 ms at 100,000 articles).
        return int(self.db.one(f"SELECT count(*) FROM documents d{where} AND +d.id < ?", [*params, doc_id]))

    def list_documents(self, status: str | None = None, label: str | None = None, search: str | None = None,
                       offset: int = 0, limit: int = 200, after_id: int | None = None,
                       before_id: int | None = None, backward: bool = False, *,
                       category: str | None = None) -> list[DocumentSummary]:
        """One page of the document list, without the texts, in list order.

        With ``after_id`` the page starts after that document (keyset paging: as fast at the end of
        a long list as at its start); ``offset`` then counts from there. With ``before_id`` the page
        ends before that document, ``offset`` counting back from it; ``backward`` alone counts
        back from the end of the list. ``category``: only the documents this annotator gave that
        document label.
        """
        where, params = self.where(status, label, search, category)
        if after_id is not None:
            where += " AND d.id > ?"
            params.append(after_id)
        if before_id is not None:
            where += " AND d.id < ?"
            params.append(before_id)
        order = "DESC" if (before_id is not None or backward) and after_id is None else "ASC"
        rows = [_summary(row) for row in self.db.execute(
            f"{_SUMMARY}{where} ORDER BY d.id {order} LIMIT ? OFFSET ?",
            [self.annotator, self.annotator, *params, limit, offset])]
        return rows[::-1] if order == "DESC" else rows

    def summary(self, doc_id: int) -> DocumentSummary:
        """One row of the document list (after an edit, only that row needs reading again)."""
        row = self.db.execute(f"{_SUMMARY} WHERE d.id = ?", [self.annotator, self.annotator, doc_id]).fetchone()
        if row is None:
            raise Missing(f"no document {doc_id}")
        return _summary(row)

    def summaries(self, doc_ids: Sequence[int]) -> list[DocumentSummary]:
        """Rows of the document list by id, in id order (a page of found ids; a page read again)."""
        marks = ", ".join("?" * len(doc_ids))
        return [_summary(row) for row in self.db.execute(f"{_SUMMARY} WHERE d.id IN ({marks}) ORDER BY d.id",
                                                         [self.annotator, self.annotator, *doc_ids])]

    def document_ids(self, status: str | None = None) -> list[int]:
        if status in (None, "all"):
            return self.db.column(f"SELECT id FROM documents d WHERE {VISIBLE} ORDER BY id")
        return self.db.column(f"SELECT id FROM documents d WHERE status = ? AND {VISIBLE} ORDER BY id", [status])

    def iter_documents(self, status: str | None = None) -> Iterator[Document]:
        """Stream documents one at a time (exports): memory does not grow with the corpus."""
        for doc_id in self.document_ids(status):
            yield self.document(doc_id)

    def neighbour(self, doc_id: int, step: int, status: str | None = None) -> int | None:
        """The next (step=1) or previous (step=-1) document id, optionally only of a status."""
        op, order = (">", "ASC") if step > 0 else ("<", "DESC")
        sql = f"SELECT id FROM documents d WHERE id {op} ? AND {VISIBLE}"
        params: list[Any] = [doc_id]
        if status:
            sql += " AND status = ?"
            params.append(status)
        found: int | None = self.db.one(f"{sql} ORDER BY id {order} LIMIT 1", params)
        return found

    def set_status(self, doc_id: int, status: str) -> None:
        """Mark a document open, done or skipped (undoable)."""
        if status not in STATUSES:
            raise ValueError(f"unknown status {status!r} (expected one of {', '.join(STATUSES)})")
        with self.db.write():
            before = self.db.one("SELECT status FROM documents WHERE id = ?", [doc_id])
            if before is None:
                raise Missing(f"no document {doc_id}")
            if before == status:
                return
            self._write_status(doc_id, status)
            self.record(doc_id, f"mark {status}", [{"op": "status", "before": before, "after": status}])

    def replay_status(self, edit: Edit, current: str, target: str, what: str) -> None:
        """Undo or redo a status change (op ``status``)."""
        self._write_status(edit.doc_id, target)

    def _write_status(self, doc_id: int, status: str) -> None:
        self.db.execute("UPDATE documents SET status = ?, updated = ? WHERE id = ?", [status, now(), doc_id])


def search_words(search: str, limit: int | None = MAX_SEARCH_WORDS) -> list[str]:
    """The words searched for: control characters (NUL among them, which ends an FTS string)
    separate words as spaces do; past ``limit`` words the rest are not searched."""
    return "".join(" " if unicodedata.category(c) == "Cc" else c for c in search).split()[:limit]


def _fts_query(search: str) -> str:
    """Quote each word so that user input is never read as FTS syntax."""
    words = [w.replace('"', '""') for w in search_words(search)]
    return " ".join(f'"{w}"' for w in words) or '""'
