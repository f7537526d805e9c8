"""The project store: one SQLite database is one project. All SQL of the program lives here.

Every user edit is one committed transaction (WAL), so killing the program loses nothing that was
on screen; bulk imports are one transaction, so a bad file leaves the database as it was.
The model's predictions are kept in their own table and never modified; the human's layer
(``annotations``) starts as a copy of them and records every change in ``edits``, which is what
undo/redo replays and what answers "who changed what, when".
"""

from __future__ import annotations

import getpass
import json
import os
import sqlite3
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, Sequence

import sqlite_utils

from annotator.domain import (
    DONE,
    ENTITIES,
    LAYERS,
    NUMBERS,
    OPEN,
    ORIGIN_HUMAN,
    ORIGIN_MODEL,
    STATUSES,
    Document,
    DocumentSummary,
    Label,
    NewDocument,
    Span,
    SpanError,
    check_span,
    check_spans,
    content_hash,
    overlap_message,
)
from annotator.labels import DEFAULT_LABELS, colour_for

SCHEMA_VERSION = 2

_SPAN_COLUMNS = ("layer", "start", "end", "label", "text", "value", "kind", "approx", "unit", "resolved")


class StoreError(Exception):
    """A project that cannot be opened or written, said in one line naming the file."""


class ReadOnlyError(StoreError):
    """A write to a project opened read-only (the file or its folder is not writable)."""


class NewerVersionError(StoreError):
    """A project written by a newer annotator: left untouched."""


def now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="milliseconds")


def default_annotator() -> str:
    try:
        return getpass.getuser() or "annotator"
    except Exception:  # no login name (some containers): still a usable name
        return "annotator"


@dataclass
class ImportResult:
    added: list[int] = field(default_factory=list)
    duplicates: list[str] = field(default_factory=list)  # sources of texts already stored
    labels_created: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Edit:
    """One undoable user action: a list of changes, each ``{"op", "before", "after"}``."""

    id: int
    doc_id: int
    annotator: str
    action: str
    changes: list[dict[str, Any]]
    at: str
    state: str  # done | undone | discarded (undone, then replaced by a newer edit)


class Store:
    """A project database. The CLI, the window and the workers all go through this class.

    A Store is bound to the thread that opened it (SQLite connections are); a worker opens its
    own Store on the same path, and WAL lets it write while the window reads.
    """

    def __init__(self, path: str | Path, annotator: str | None = None) -> None:
        self.path = Path(path)
        self.annotator = annotator or default_annotator()
        if str(path) != ":memory:":
            self.path.parent.mkdir(parents=True, exist_ok=True)
        self.read_only = str(path) != ":memory:" and _read_only(self.path)
        if self.read_only:
            self.db = sqlite_utils.Database(sqlite3.connect(f"{self.path.resolve().as_uri()}?mode=ro", uri=True))
        else:
            self.db = sqlite_utils.Database(str(path))
        self.db.execute("PRAGMA foreign_keys = ON")
        self.db.execute("PRAGMA busy_timeout = 10000")
        if self.read_only:
            self._check_version()
            return
        if str(path) != ":memory:":
            self.db.enable_wal()
            # In WAL mode NORMAL still survives a killed process; only a power cut can lose
            # the last commits, and each commit no longer waits for the disk.
            self.db.execute("PRAGMA synchronous = NORMAL")
        self._migrate()

    # -- lifecycle -----------------------------------------------------------------------------

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _check_version(self) -> int:
        version = self.db.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise NewerVersionError(
                f"{self.path} was written by a newer annotator (schema {version}); "
                f"this one reads up to schema {SCHEMA_VERSION}"
            )
        if self.read_only and version < SCHEMA_VERSION:
            raise ReadOnlyError(f"{self.path} is read-only and from an older annotator: open it once with write access to upgrade it")
        return version

    def _migrate(self) -> None:
        version = self._check_version()
        with self.db.atomic():
            for step in range(version + 1, SCHEMA_VERSION + 1):
                _MIGRATIONS[step](self.db)
            self.db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        if not self.db["documents_fts"].exists():
            self.db["documents"].enable_fts(["title", "text"], create_triggers=True, tokenize="unicode61")

    @contextmanager
    def _write(self) -> Iterator[None]:
        """One all-or-nothing write; sqlite errors come out as one-line StoreErrors."""
        if self.read_only:
            raise ReadOnlyError(f"{self.path} is read-only: the change was not stored")
        try:
            with self.db.atomic():
                yield
        except sqlite3.OperationalError as err:
            raise StoreError(f"{self.path}: {err}; the change was not stored") from err

    @property
    def schema_version(self) -> int:
        return self.db.execute("PRAGMA user_version").fetchone()[0]

    # -- documents -----------------------------------------------------------------------------

    def add_documents(
        self,
        documents: Iterable[NewDocument],
        progress: Callable[[int], None] | None = None,
    ) -> ImportResult:
        """Store new documents (and any spans they carry) in one transaction: all or nothing.

        A text already stored (same content hash) is not added again and is reported.
        Raises :class:`SpanError` (naming the source and line) if any span does not fit.
        """
        result = ImportResult()
        with self._write():
            for count, doc in enumerate(documents, 1):
                digest = content_hash(doc.text)
                if self.document_id_for_hash(digest) is not None:
                    result.duplicates.append(doc.source or doc.title)
                    continue
                try:
                    check_spans(doc.text, doc.spans)
                except SpanError as err:
                    where = f"{doc.source}, line {doc.line}" if doc.line else doc.source
                    raise SpanError(f"{where}: {err}") from None
                stamp = now()
                doc_id = self.db["documents"].insert(
                    {
                        "hash": digest,
                        "text": doc.text,
                        "title": doc.title,
                        "date": doc.meta.get("date"),
                        "meta": json.dumps(doc.meta, ensure_ascii=False),
                        "status": doc.status,
                        "created": stamp,
                        "updated": stamp,
                    }
                ).last_pk
                result.labels_created += self._ensure_labels(doc.spans)
                for span in doc.spans:
                    self._insert_annotation(doc_id, span, stamp)
                result.added.append(doc_id)
                if progress:
                    progress(count)
        return result

    def document_id_for_hash(self, digest: str) -> int | None:
        """The document with this text's content hash (matching across databases), if stored."""
        row = self.db.execute("SELECT id FROM documents WHERE hash = ?", [digest]).fetchone()
        return row[0] if row else None

    def document(self, doc_id: int) -> Document:
        row = self.db.execute(
            "SELECT id, text, title, meta, status, hash, created, updated FROM documents WHERE id = ?",
            [doc_id],
        ).fetchone()
        if row is None:
            raise KeyError(f"no document {doc_id}")
        return Document(row[0], row[1], row[2], json.loads(row[3] or "{}"), row[4], row[5], row[6], row[7])

    def _where(
        self, status: str | None, label: str | None, search: str | None
    ) -> tuple[str, list[Any]]:
        clauses: list[str] = []
        params: list[Any] = []
        if status:
            clauses.append("d.status = ?")
            params.append(status)
        if label:
            clauses.append(
                "EXISTS (SELECT 1 FROM annotations a WHERE a.doc_id = d.id AND a.label = ? AND a.annotator = ?)"
            )
            params += [label, self.annotator]
        if search:
            clauses.append("d.id IN (SELECT rowid FROM documents_fts WHERE documents_fts MATCH ?)")
            params.append(_fts_query(search))
        return (" WHERE " + " AND ".join(clauses)) if clauses else "", params

    def count_documents(
        self, status: str | None = None, label: str | None = None, search: str | None = None
    ) -> int:
        where, params = self._where(status, label, search)
        return self.db.execute(f"SELECT count(*) FROM documents d{where}", params).fetchone()[0]

    def position_of(
        self, doc_id: int, status: str | None = None, label: str | None = None, search: str | None = None
    ) -> int | None:
        """The row of a document in the (filtered) list ordered by id, or None if filtered out."""
        where, params = self._where(status, label, search)
        row = self.db.execute(
            f"SELECT sum(d.id < ?), sum(d.id = ?) FROM documents d{where}", [doc_id, doc_id, *params]
        ).fetchone()
        return int(row[0]) if row and row[1] else None

    def list_documents(
        self,
        status: str | None = None,
        label: str | None = None,
        search: str | None = None,
        offset: int = 0,
        limit: int = 200,
        after_id: int | None = None,
    ) -> list[DocumentSummary]:
        """One page of the document list, without the texts.

        With ``after_id`` the page starts after that document (keyset paging: as fast at the
        end of a long list as at its start); ``offset`` then counts from there.
        """
        where, params = self._where(status, label, search)
        if after_id is not None:
            where = f"{where} AND d.id > ?" if where else " WHERE d.id > ?"
            params.append(after_id)
        rows = self.db.execute(
            f"""SELECT d.id, d.title, d.date, d.status,
                   (SELECT count(*) FROM annotations a WHERE a.doc_id = d.id AND a.annotator = ?)
                FROM documents d{where} ORDER BY d.id LIMIT ? OFFSET ?""",
            [self.annotator, *params, limit, offset],
        ).fetchall()
        return [DocumentSummary(*row) for row in rows]

    def summary(self, doc_id: int) -> DocumentSummary:
        """One row of the document list (after an edit, only that row needs reading again)."""
        row = self.db.execute(
            """SELECT d.id, d.title, d.date, d.status,
                   (SELECT count(*) FROM annotations a WHERE a.doc_id = d.id AND a.annotator = ?)
                FROM documents d WHERE d.id = ?""",
            [self.annotator, doc_id],
        ).fetchone()
        if row is None:
            raise KeyError(f"no document {doc_id}")
        return DocumentSummary(*row)

    def document_ids(self, status: str | None = None) -> list[int]:
        if status in (None, "all"):
            return [r[0] for r in self.db.execute("SELECT id FROM documents ORDER BY id")]
        return [r[0] for r in self.db.execute("SELECT id FROM documents WHERE status = ? ORDER BY id", [status])]

    def iter_documents(self, status: str | None = None) -> Iterator[Document]:
        """Stream documents one at a time (exports): memory does not grow with the corpus."""
        for doc_id in self.document_ids(status):
            yield self.document(doc_id)

    def neighbour(self, doc_id: int, step: int, status: str | None = None) -> int | None:
        """The next (step=1) or previous (step=-1) document id, optionally only of a status."""
        op, order = (">", "ASC") if step > 0 else ("<", "DESC")
        sql = f"SELECT id FROM documents WHERE id {op} ?"
        params: list[Any] = [doc_id]
        if status:
            sql += " AND status = ?"
            params.append(status)
        row = self.db.execute(f"{sql} ORDER BY id {order} LIMIT 1", params).fetchone()
        return row[0] if row else None

    def set_status(self, doc_id: int, status: str) -> None:
        """Mark a document open, done or skipped (undoable)."""
        if status not in STATUSES:
            raise ValueError(f"unknown status {status!r} (expected one of {', '.join(STATUSES)})")
        before = self.document(doc_id).status
        if before == status:
            return
        with self._write():
            self._write_status(doc_id, status)
            self._record(doc_id, f"mark {status}", [{"op": "status", "before": before, "after": status}])

    def _write_status(self, doc_id: int, status: str) -> None:
        self.db.execute("UPDATE documents SET status = ?, updated = ? WHERE id = ?", [status, now(), doc_id])

    # -- labels --------------------------------------------------------------------------------

    def labels(self, layer: str | None = None) -> list[Label]:
        sql = "SELECT name, layer, colour, key FROM labels"
        params: list[Any] = []
        if layer:
            sql += " WHERE layer = ?"
            params.append(layer)
        return [Label(*row) for row in self.db.execute(sql + " ORDER BY layer, position, name", params)]

    def label(self, name: str) -> Label | None:
        row = self.db.execute("SELECT name, layer, colour, key FROM labels WHERE name = ?", [name]).fetchone()
        return Label(*row) if row else None

    def _label_names(self) -> list[str]:
        return [r[0] for r in self.db.execute("SELECT name FROM labels")]

    def _insert_label(self, label: Label) -> None:
        position = self.db.execute("SELECT coalesce(max(position), 0) + 1 FROM labels").fetchone()[0]
        self.db["labels"].insert({**asdict(label), "position": position})

    def _ensure_labels(self, spans: Iterable[Span]) -> list[str]:
        """Create the labels that spans bring and the project lacks, each with a colour."""
        known = set(self._label_names())
        created = []
        for span in spans:
            if span.label not in known:
                self._insert_label(Label(span.label, span.layer, colour_for(span.label)))
                known.add(span.label)
                created.append(span.label)
        return created

    def add_label(self, label: Label) -> Label:
        if label.layer not in LAYERS:
            raise ValueError(f"unknown layer {label.layer!r}")
        if self.label(label.name):
            raise ValueError(f"a label named {label.name!r} already exists")
        self._check_key_free(label.key, label.name)
        with self._write():
            self._insert_label(label)
        return label

    def update_label(self, name: str, *, new_name: str | None = None, colour: str | None = None,
                     key: str | None = None) -> Label:
        """Rename, recolour or re-key a label; a rename relabels the human's spans too."""
        old = self.label(name)
        if old is None:
            raise KeyError(f"no label {name!r}")
        if new_name and new_name != name and self.label(new_name):
            raise ValueError(f"a label named {new_name!r} already exists")
        if key is not None:
            self._check_key_free(key, name)
        with self._write():
            self.db.execute(
                "UPDATE labels SET name = ?, colour = ?, key = ? WHERE name = ?",
                [new_name or name, colour or old.colour, old.key if key is None else (key or None), name],
            )
            if new_name and new_name != name:
                self.db.execute("UPDATE annotations SET label = ? WHERE label = ?", [new_name, name])
        return self.label(new_name or name)  # type: ignore[return-value]

    def _check_key_free(self, key: str | None, owner: str) -> None:
        if not key:
            return
        row = self.db.execute("SELECT name FROM labels WHERE key = ? AND name != ?", [key, owner]).fetchone()
        if row:
            raise ValueError(f"the key {key!r} is already used by {row[0]}")

    def remove_label(self, name: str) -> int:
        """Remove a label and the human's spans that carry it; returns how many spans went."""
        with self._write():
            removed = self.db.execute("DELETE FROM annotations WHERE label = ?", [name]).rowcount
            self.db.execute("DELETE FROM labels WHERE name = ?", [name])
        return removed

    # -- the human's layer ---------------------------------------------------------------------

    def spans(self, doc_id: int, layer: str | None = None, annotator: str | None = None) -> list[Span]:
        """The human's spans of a document (by default this store's annotator), in text order."""
        sql = f"SELECT id, {', '.join(f'[{c}]' for c in _SPAN_COLUMNS)}, origin, confirmed, annotator " \
              "FROM annotations WHERE doc_id = ? AND annotator = ?"
        params: list[Any] = [doc_id, annotator or self.annotator]
        if layer:
            sql += " AND layer = ?"
            params.append(layer)
        return [_span_from_row(row) for row in self.db.execute(sql + " ORDER BY start, [end], layer", params)]

    def layer(self, doc_id: int, annotator: str | None = None) -> list[Span]:
        """A person's layer of a document; for a document they never touched, the model's suggestions."""
        who = annotator or self.annotator
        return self.spans(doc_id, annotator=who) if self.has_layer(doc_id, who) else self.predictions(doc_id)

    def has_layer(self, doc_id: int, annotator: str | None = None) -> bool:
        """Whether the person holds spans of the document or has edited it (even to delete everything)."""
        who = annotator or self.annotator
        return self.db.execute(
            "SELECT 1 FROM annotations WHERE doc_id = ? AND annotator = ? UNION ALL "
            "SELECT 1 FROM edits WHERE doc_id = ? AND annotator = ?", [doc_id, who, doc_id, who]
        ).fetchone() is not None

    def worked_on(self, doc_id: int, annotator: str) -> bool:
        """Whether the person's layer is their own work, not the model's suggestions copied untouched:
        they edited the document here, or hold a confirmed span or one that is not the model's."""
        return self.db.execute(
            "SELECT 1 FROM edits WHERE doc_id = ? AND annotator = ? UNION ALL "
            "SELECT 1 FROM annotations WHERE doc_id = ? AND annotator = ? AND (confirmed = 1 OR origin != ?)",
            [doc_id, annotator, doc_id, annotator, ORIGIN_MODEL],
        ).fetchone() is not None

    def annotators(self, doc_id: int | None = None) -> list[str]:
        sql = "SELECT DISTINCT annotator FROM annotations"
        params: list[Any] = []
        if doc_id is not None:
            sql += " WHERE doc_id = ?"
            params.append(doc_id)
        return [r[0] for r in self.db.execute(sql + " ORDER BY annotator", params)]

    def span(self, span_id: int) -> Span:
        row = self.db.execute(
            f"SELECT id, {', '.join(f'[{c}]' for c in _SPAN_COLUMNS)}, origin, confirmed, annotator "
            "FROM annotations WHERE id = ?",
            [span_id],
        ).fetchone()
        if row is None:
            raise KeyError(f"no span {span_id}")
        return _span_from_row(row)

    def add_span(self, doc_id: int, span: Span) -> Span:
        """Add a span to the human's layer (one undoable edit). Refuses overlapping entities."""
        span = span.with_(annotator=self.annotator, id=None)
        self._check_fits(doc_id, span)
        with self._write():
            stored = self._insert_annotation(doc_id, span, now())
            self._record(doc_id, f"add {span.label} {span.text!r}", [{"op": "add", "before": None, "after": _dump(stored)}])
        return stored

    def update_span(self, span_id: int, **changes: Any) -> Span:
        """Relabel, resize, or edit a number's value/kind/unit (one undoable edit).

        ``start``/``end`` changes take the new text from the document. Any change by a person
        makes the span the human's and confirms it.
        """
        old = self.span(span_id)
        doc_id = self._doc_of_span(span_id)
        new = old.with_(**changes)
        if "start" in changes or "end" in changes:
            text = self.document(doc_id).text
            new = new.with_(text=text[new.start : new.end] if 0 <= new.start < new.end <= len(text) else "")
        if set(changes) != {"confirmed"}:  # anything but a bare confirm makes the span the human's
            new = new.with_(origin=ORIGIN_HUMAN, confirmed=True)
        self._check_fits(doc_id, new, ignore=span_id)
        with self._write():
            self._write_annotation(new)
            self._record(doc_id, f"change {old.label} {old.text!r}", [{"op": "update", "before": _dump(old), "after": _dump(new)}])
        return new

    def delete_span(self, span_id: int) -> None:
        old = self.span(span_id)
        doc_id = self._doc_of_span(span_id)
        with self._write():
            self.db.execute("DELETE FROM annotations WHERE id = ?", [span_id])
            self._record(doc_id, f"delete {old.label} {old.text!r}", [{"op": "delete", "before": _dump(old), "after": None}])

    def accept_suggestions(self, doc_id: int) -> int:
        """Confirm every unreviewed model suggestion of a document (one undoable edit)."""
        pending = [s for s in self.spans(doc_id) if not s.confirmed]
        return self._bulk(doc_id, "accept suggestions", [(s, s.with_(confirmed=True)) for s in pending])

    def clear_suggestions(self, doc_id: int) -> int:
        """Remove every unreviewed model suggestion of a document (one undoable edit)."""
        pending = [s for s in self.spans(doc_id) if not s.confirmed]
        return self._bulk(doc_id, "clear suggestions", [(s, None) for s in pending])

    def _bulk(self, doc_id: int, action: str, pairs: Sequence[tuple[Span, Span | None]]) -> int:
        if not pairs:
            return 0
        changes = []
        with self._write():
            for old, new in pairs:
                if new is None:
                    self.db.execute("DELETE FROM annotations WHERE id = ?", [old.id])
                    changes.append({"op": "delete", "before": _dump(old), "after": None})
                else:
                    self._write_annotation(new)
                    changes.append({"op": "update", "before": _dump(old), "after": _dump(new)})
            self._record(doc_id, action, changes)
        return len(pairs)

    def _doc_of_span(self, span_id: int) -> int:
        return self.db.execute("SELECT doc_id FROM annotations WHERE id = ?", [span_id]).fetchone()[0]

    def _check_fits(self, doc_id: int, span: Span, ignore: int | None = None) -> None:
        check_span(self.document(doc_id).text, span)
        if span.layer != ENTITIES:
            return
        for other in self.spans(doc_id, ENTITIES, span.annotator):
            if other.id != ignore and other.overlaps(span):
                raise SpanError(overlap_message(span, other))

    def _insert_annotation(self, doc_id: int, span: Span, stamp: str) -> Span:
        row = {c: getattr(span, c) for c in _SPAN_COLUMNS}
        row.update(
            doc_id=doc_id,
            approx=int(span.approx),
            origin=span.origin,
            confirmed=int(span.confirmed),
            annotator=span.annotator or self.annotator,
            created=stamp,
            updated=stamp,
        )
        if span.id is not None:
            row["id"] = span.id
        span_id = self.db["annotations"].insert(row).last_pk
        return span.with_(id=span_id, annotator=row["annotator"])

    def _write_annotation(self, span: Span) -> None:
        self.db.execute(
            "UPDATE annotations SET start = ?, [end] = ?, label = ?, text = ?, value = ?, kind = ?, "
            "approx = ?, unit = ?, resolved = ?, origin = ?, confirmed = ?, updated = ? WHERE id = ?",
            [span.start, span.end, span.label, span.text, span.value, span.kind, int(span.approx),
             span.unit, span.resolved, span.origin, int(span.confirmed), now(), span.id],
        )

    def transaction(self) -> Any:
        """Group several calls into one all-or-nothing transaction (merges, bulk work)."""
        return self._write()

    def insert_layer(self, doc_id: int, annotator: str, spans: Sequence[Span], replace: bool = False) -> bool:
        """Bring in another database's layer of a person as it is; False if they already have one here
        (unless ``replace``: then theirs here is replaced by it)."""
        if not replace and self.db.execute(
                "SELECT 1 FROM annotations WHERE doc_id = ? AND annotator = ?", [doc_id, annotator]).fetchone():
            return False
        check_spans(self.document(doc_id).text, spans)
        with self._write():
            self.db.execute("DELETE FROM annotations WHERE doc_id = ? AND annotator = ?", [doc_id, annotator])
            self._ensure_labels(spans)
            for span in spans:
                self._insert_annotation(doc_id, span.with_(annotator=annotator, id=None), now())
        return True

    def copy_layer(self, doc_id: int, source: str) -> int:
        """Make this annotator's layer a copy of ``source``'s (one undoable edit, e.g. adjudication)."""
        old = self.spans(doc_id)
        new = [s.with_(annotator=self.annotator, id=None, confirmed=True) for s in self.layer(doc_id, source)]
        changes = []
        with self._write():
            for span in old:
                self.db.execute("DELETE FROM annotations WHERE id = ?", [span.id])
                changes.append({"op": "delete", "before": _dump(span), "after": None})
            for span in new:
                changes.append({"op": "add", "before": None, "after": _dump(self._insert_annotation(doc_id, span, now()))})
            self._record(doc_id, f"take {source}'s version", changes)
        return len(new)

    # -- history, undo and redo ----------------------------------------------------------------

    def _record(self, doc_id: int, action: str, changes: list[dict[str, Any]]) -> None:
        self.db.execute("UPDATE edits SET state = 'discarded' WHERE annotator = ? AND state = 'undone'", [self.annotator])
        self.db["edits"].insert(
            {"doc_id": doc_id, "annotator": self.annotator, "action": action,
             "changes": json.dumps(changes, ensure_ascii=False), "at": now(), "state": "done"}
        )

    def history(self, doc_id: int | None = None, limit: int = 1000) -> list[Edit]:
        """Who changed what, when: newest first."""
        sql = "SELECT id, doc_id, annotator, action, changes, at, state FROM edits"
        params: list[Any] = []
        if doc_id is not None:
            sql += " WHERE doc_id = ?"
            params.append(doc_id)
        rows = self.db.execute(sql + " ORDER BY id DESC LIMIT ?", [*params, limit])
        return [Edit(r[0], r[1], r[2], r[3], json.loads(r[4]), r[5], r[6]) for r in rows]

    def can_undo(self) -> bool:
        return self._last_edit("done", "DESC") is not None

    def can_redo(self) -> bool:
        return self._last_edit("undone", "ASC") is not None

    def _last_edit(self, state: str, order: str) -> Edit | None:
        row = self.db.execute(
            f"SELECT id, doc_id, annotator, action, changes, at, state FROM edits "
            f"WHERE annotator = ? AND state = ? ORDER BY id {order} LIMIT 1",
            [self.annotator, state],
        ).fetchone()
        return Edit(row[0], row[1], row[2], row[3], json.loads(row[4]), row[5], row[6]) if row else None

    def undo(self) -> Edit | None:
        """Revert this annotator's latest edit (persisted: undo survives a restart)."""
        edit = self._last_edit("done", "DESC")
        if edit is None:
            return None
        with self._write():
            for change in reversed(edit.changes):
                self._apply(edit.doc_id, change["op"], change["after"], change["before"])
            self.db.execute("UPDATE edits SET state = 'undone' WHERE id = ?", [edit.id])
        return edit

    def redo(self) -> Edit | None:
        """Apply again the edit most recently undone."""
        edit = self._last_edit("undone", "ASC")
        if edit is None:
            return None
        with self._write():
            for change in edit.changes:
                self._apply(edit.doc_id, change["op"], change["before"], change["after"])
            self.db.execute("UPDATE edits SET state = 'done' WHERE id = ?", [edit.id])
        return edit

    def _apply(self, doc_id: int, op: str, current: Any, target: Any) -> None:
        """Move one change from ``current`` to ``target`` (either may be None for add/delete)."""
        if op == "status":
            self._write_status(doc_id, target)
        elif target is None:
            self.db.execute("DELETE FROM annotations WHERE id = ?", [current["id"]])
        elif current is None:
            self._insert_annotation(doc_id, _load(target), now())
        else:
            self._write_annotation(_load(target))

    # -- the model's predictions ---------------------------------------------------------------

    def save_predictions(self, doc_id: int, spans: Sequence[Span], model: str, version: str) -> bool:
        """Store a model's predictions for a document, replacing that model's previous run.

        The human's layer is set to a copy of them unless a person has edited the document
        (any recorded edit) or it carries imported annotations; returns whether it was copied.
        """
        doc = self.document(doc_id)
        check_spans(doc.text, [s for s in spans if s.layer == ENTITIES])
        for span in spans:
            check_span(doc.text, span)
        stamp = now()
        with self._write():
            self.insert_predictions(doc_id, spans, model, version)
            if self._touched(doc_id):
                return False
            self.db.execute("DELETE FROM annotations WHERE doc_id = ? AND annotator = ?", [doc_id, self.annotator])
            self._copy_to_layer(doc_id, spans, stamp)
        return True

    def insert_predictions(self, doc_id: int, spans: Sequence[Span], model: str, version: str) -> None:
        """Replace a model's stored predictions for a document (no copy into anyone's layer)."""
        columns = ", ".join(f"[{c}]" for c in _SPAN_COLUMNS)
        with self._write():
            self.db.execute("DELETE FROM predictions WHERE doc_id = ? AND model = ?", [doc_id, model])
            # Plain executemany: detection stores ~100 spans a document, and per-row inserts
            # through sqlite-utils cost more than the model itself.
            self.db.conn.executemany(
                f"INSERT INTO predictions (doc_id, {columns}, model, model_version, created) "
                f"VALUES (?, {', '.join('?' * len(_SPAN_COLUMNS))}, ?, ?, ?)",
                [(doc_id, *_span_row(s), model, version, now()) for s in spans],
            )

    def _touched(self, doc_id: int) -> bool:
        """Whether this annotator has edited the document or holds imported spans for it."""
        return self.db.execute(
            "SELECT 1 FROM edits WHERE doc_id = ? AND annotator = ? UNION ALL "
            "SELECT 1 FROM annotations WHERE doc_id = ? AND annotator = ? AND origin != ?",
            [doc_id, self.annotator, doc_id, self.annotator, ORIGIN_MODEL],
        ).fetchone() is not None

    def _copy_to_layer(self, doc_id: int, spans: Sequence[Span], stamp: str) -> None:
        """The human's layer starts as the model's suggestions, unconfirmed."""
        self._ensure_labels(spans)
        columns = ", ".join(f"[{c}]" for c in _SPAN_COLUMNS)
        self.db.conn.executemany(
            f"INSERT INTO annotations (doc_id, {columns}, origin, confirmed, annotator, created, updated) "
            f"VALUES (?, {', '.join('?' * len(_SPAN_COLUMNS))}, ?, 0, ?, ?, ?)",
            [(doc_id, *_span_row(s), ORIGIN_MODEL, self.annotator, stamp, stamp) for s in spans],
        )

    def start_layer(self, doc_id: int) -> bool:
        """Give this annotator a layer for the document, copied from the latest predictions.

        Detection copies predictions for the annotator who ran it; another person opening the
        document starts from the same suggestions. Nothing happens once they have a layer.
        """
        if self._touched(doc_id) or self.db.execute(
            "SELECT 1 FROM annotations WHERE doc_id = ? AND annotator = ?", [doc_id, self.annotator]
        ).fetchone():
            return False
        predictions = self.predictions(doc_id)
        if not predictions:
            return False
        with self._write():
            self._copy_to_layer(doc_id, predictions, now())
        return True

    def predictions(self, doc_id: int, model: str | None = None, layer: str | None = None) -> list[Span]:
        """A model's stored predictions (by default the latest model run on this document)."""
        if model is None:
            row = self.db.execute(
                "SELECT model FROM predictions WHERE doc_id = ? ORDER BY id DESC LIMIT 1", [doc_id]
            ).fetchone()
            if row is None:
                return []
            model = row[0]
        sql = f"SELECT id, {', '.join(f'[{c}]' for c in _SPAN_COLUMNS)} FROM predictions WHERE doc_id = ? AND model = ?"
        params: list[Any] = [doc_id, model]
        if layer:
            sql += " AND layer = ?"
            params.append(layer)
        rows = self.db.execute(sql + " ORDER BY start, [end]", params)
        return [
            Span(id=r[0], layer=r[1], start=r[2], end=r[3], label=r[4], text=r[5], value=r[6], kind=r[7],
                 approx=bool(r[8]), unit=r[9], resolved=r[10], origin=ORIGIN_MODEL, confirmed=False)
            for r in rows
        ]

    def prediction_models(self) -> list[tuple[str, str]]:
        """The (model, version) pairs that have predictions stored."""
        return self.db.execute("SELECT DISTINCT model, model_version FROM predictions ORDER BY model").fetchall()

    def documents_without_predictions(self) -> list[int]:
        return [r[0] for r in self.db.execute(
            "SELECT id FROM documents WHERE id NOT IN (SELECT DISTINCT doc_id FROM predictions) ORDER BY id")]

    # -- trained models ------------------------------------------------------------------------

    def register_model(self, name: str, path: str, info: dict[str, Any]) -> None:
        """Remember a trained model under a name (replacing any model of that name)."""
        with self._write():
            self.db.execute(
                "INSERT OR REPLACE INTO models (name, path, info, created) VALUES (?, ?, ?, ?)",
                [name, str(path), json.dumps(info, ensure_ascii=False), now()],
            )

    def models(self) -> list[dict[str, Any]]:
        """The registered models, oldest first: name, path, info, created."""
        rows = self.db.execute("SELECT name, path, info, created FROM models ORDER BY created, name")
        return [{"name": n, "path": p, "info": json.loads(i), "created": c} for n, p, i, c in rows]

    # -- figures -------------------------------------------------------------------------------

    def counts(self) -> dict[str, Any]:
        """How many documents, and how many of each status (what the window's status bar shows)."""
        by_status = dict(self.db.execute("SELECT status, count(*) FROM documents GROUP BY status").fetchall())
        return {"documents": sum(by_status.values()), "status": {s: by_status.get(s, 0) for s in STATUSES}}

    def label_counts(self, doc_id: int) -> dict[str, int]:
        """Spans per label in this annotator's layer of one document."""
        return dict(self.db.execute(
            "SELECT label, count(*) FROM annotations WHERE doc_id = ? AND annotator = ? GROUP BY label ORDER BY label",
            [doc_id, self.annotator],
        ).fetchall())

    def stats(self) -> dict[str, Any]:
        by_status = dict(self.db.execute("SELECT status, count(*) FROM documents GROUP BY status").fetchall())
        spans = self.db.execute(
            "SELECT layer, label, origin, count(*) FROM annotations GROUP BY layer, label, origin ORDER BY layer, label"
        ).fetchall()
        predictions = self.db.execute(
            "SELECT model, model_version, layer, count(*) FROM predictions GROUP BY model, model_version, layer"
        ).fetchall()
        return {
            "documents": sum(by_status.values()),
            "status": {s: by_status.get(s, 0) for s in STATUSES},
            "spans": [{"layer": l, "label": lab, "origin": o, "count": n} for l, lab, o, n in spans],
            "predictions": [{"model": m, "version": v, "layer": l, "count": n} for m, v, l, n in predictions],
            "annotators": self.annotators(),
        }


def _fts_query(search: str) -> str:
    """Quote each word so that user input is never read as FTS syntax."""
    words = [w.replace('"', '""') for w in search.split()]
    return " ".join(f'"{w}"' for w in words) or '""'


def _span_row(span: Span) -> tuple[Any, ...]:
    """A span's values in the order of ``_SPAN_COLUMNS``."""
    return (span.layer, span.start, span.end, span.label, span.text, span.value, span.kind, int(span.approx),
            span.unit, span.resolved)


def _span_from_row(row: Sequence[Any]) -> Span:
    (span_id, layer, start, end, label, text, value, kind, approx, unit, resolved, origin, confirmed, annotator) = row
    return Span(start=start, end=end, label=label, text=text, layer=layer, value=value, kind=kind,
                approx=bool(approx), unit=unit, resolved=resolved, origin=origin, confirmed=bool(confirmed),
                annotator=annotator, id=span_id)


def _dump(span: Span) -> dict[str, Any]:
    return asdict(span)


def _load(data: dict[str, Any]) -> Span:
    return Span(**data)


def _schema_1(db: sqlite_utils.Database) -> None:
    _run_script(
        db,
        """
        CREATE TABLE documents (
            id INTEGER PRIMARY KEY, hash TEXT NOT NULL UNIQUE, text TEXT NOT NULL, title TEXT NOT NULL,
            date TEXT, meta TEXT NOT NULL DEFAULT '{}',
            status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'done', 'skipped')),
            created TEXT NOT NULL, updated TEXT NOT NULL
        );
        CREATE INDEX documents_status ON documents(status);
        CREATE TABLE labels (
            name TEXT PRIMARY KEY, layer TEXT NOT NULL CHECK (layer IN ('entities', 'numbers')),
            colour TEXT NOT NULL, key TEXT UNIQUE, position INTEGER NOT NULL DEFAULT 0
        );
        CREATE TABLE annotations (
            id INTEGER PRIMARY KEY, doc_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
            layer TEXT NOT NULL CHECK (layer IN ('entities', 'numbers')),
            start INTEGER NOT NULL, [end] INTEGER NOT NULL CHECK ([end] > start), label TEXT NOT NULL,
            text TEXT NOT NULL, value REAL, kind TEXT, approx INTEGER NOT NULL DEFAULT 0, unit TEXT,
            origin TEXT NOT NULL, confirmed INTEGER NOT NULL DEFAULT 1, annotator TEXT NOT NULL,
            created TEXT NOT NULL, updated TEXT NOT NULL
        );
        CREATE INDEX annotations_doc ON annotations(doc_id, annotator);
        CREATE INDEX annotations_label ON annotations(label);
        CREATE TABLE predictions (
            id INTEGER PRIMARY KEY, doc_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
            layer TEXT NOT NULL, start INTEGER NOT NULL, [end] INTEGER NOT NULL, label TEXT NOT NULL,
            text TEXT NOT NULL, value REAL, kind TEXT, approx INTEGER NOT NULL DEFAULT 0, unit TEXT,
            model TEXT NOT NULL, model_version TEXT NOT NULL, created TEXT NOT NULL
        );
        CREATE INDEX predictions_doc ON predictions(doc_id, model);
        CREATE TABLE edits (
            id INTEGER PRIMARY KEY, doc_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
            annotator TEXT NOT NULL, action TEXT NOT NULL, changes TEXT NOT NULL, at TEXT NOT NULL,
            state TEXT NOT NULL CHECK (state IN ('done', 'undone', 'discarded'))
        );
        CREATE INDEX edits_annotator ON edits(annotator, state);
        CREATE INDEX edits_doc ON edits(doc_id);
        """
    )
    for position, label in enumerate(DEFAULT_LABELS, 1):
        db["labels"].insert({**asdict(label), "position": position})


def _run_script(db: sqlite_utils.Database, script: str) -> None:
    """Statement by statement: ``executescript`` would commit the migration's transaction."""
    for statement in script.split(";"):
        if statement.strip():
            db.execute(statement)


def _schema_2(db: sqlite_utils.Database) -> None:
    """Resolved dates on spans; the registry of trained models."""
    _run_script(
        db,
        """
        ALTER TABLE annotations ADD COLUMN resolved TEXT;
        ALTER TABLE predictions ADD COLUMN resolved TEXT;
        CREATE TABLE models (name TEXT PRIMARY KEY, path TEXT NOT NULL, info TEXT NOT NULL, created TEXT NOT NULL);
        """,
    )


def _read_only(path: Path) -> bool:
    """Whether the project must be opened for reading only: the file or its folder is not writable."""
    if path.exists():
        return not os.access(path, os.W_OK) or not os.access(path.parent, os.W_OK)
    return False


_MIGRATIONS: dict[int, Callable[[sqlite_utils.Database], None]] = {1: _schema_1, 2: _schema_2}
