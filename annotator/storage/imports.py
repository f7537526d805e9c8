"""Adding documents: all or nothing, without holding the write lock for the whole import.

An import is staged: its documents go in chunk by chunk, each chunk its own short transaction,
listed in ``pending_docs`` — invisible to every read and left out of the counters — and one
final small transaction makes them all visible at once. Between chunks other writers (a person
labelling in the window) get their turn, so an edit is stored within a chunk's time (well under
a second) even while 20,000 articles come in. A failed import removes its rows; one killed
(kill -9, power cut) leaves them invisible, and the next open or import removes them.

Chunks are read and checked (every span against its text) before the write lock is taken.
"""

from __future__ import annotations

import json
import os
import socket
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta

from annotator.answers import TooManyAnswers, answers, joined
from annotator.domain import DONE, ORIGIN_IMPORT, NewDocument, Span, SpanError, check_spans, content_hash
from annotator.relations import RelationError, check_link_rows
from annotator.storage.connection import Connection
from annotator.storage.counts import add_span_counts
from annotator.storage.errors import StoreError
from annotator.storage.labels import Labels
from annotator.storage.layers import Spans
from annotator.storage.pacing import Pacer
from annotator.storage.rows import now

CHUNK_DOCUMENTS = 2000  # at most, however fast they go in
CHUNK_SPANS = 30_000
CHUNK_CHARACTERS = 2_000_000
STALE_AFTER = timedelta(minutes=10)  # an import that has not committed a chunk for this long is dead

# Given an import's documents that bring document labels or relations, another part stores those.
# what another part stores of an import's documents, given each one's spans' ids (when any has relations)
Imported = Callable[[Sequence[tuple[int, NewDocument]], dict[int, list[int]]], None]

_DOCUMENT_COLUMNS = ("id", "hash", "text", "title", "date", "meta", "status")  # then created and updated, shared


@dataclass
class ImportResult:
    added: list[int] = field(default_factory=list)
    duplicates: list[str] = field(default_factory=list)  # sources of texts already stored
    joined: int = 0  # answers by another person on a text this import brought earlier: their layer of it
    labels_created: list[str] = field(default_factory=list)


@dataclass
class _Tally:
    """What an import adds to the counters and labels: its spans are counted at its end (and its
    documents, if staged, when it becomes visible)."""

    statuses: Counter[str] = field(default_factory=Counter)
    spans: Counter[tuple[str, str, str, str]] = field(default_factory=Counter)  # (annotator, layer, label, origin)
    labels: dict[str, str] = field(default_factory=dict)  # name: layer


class Imports:
    """``store.imports``: documents added, with the labels (``labels``) and spans (``spans``) they
    bring; ``imported`` are what other parts store of them (document labels, relations)."""

    def __init__(self, db: Connection, annotator: str, labels: Labels, spans: Spans,
                 imported: Sequence[Imported] = ()) -> None:
        self.db, self.annotator, self.labels, self.spans = db, annotator, labels, spans
        self.imported = list(imported)

    def add_documents(self, documents: Iterable[NewDocument],
                      progress: Callable[[int], None] | None = None, judged: bool = False) -> ImportResult:
        """Store new documents (and any spans they carry): all or nothing.

        A text already stored (same content hash) is not added again and is reported. With
        ``judged`` (documents read from files), a document that comes in done without a span is the importer's
        gold saying it holds none: their layer of it is recorded as made (an empty one), so that the
        model's suggestions are never copied into it (see ``_judged_empty``).
        Raises :class:`SpanError` (naming the source and line) if any span does not fit.
        Inside a caller's :meth:`transaction` the documents simply join that transaction.
        """
        staged = self.db.depth == 0
        if staged:
            self.clean_unfinished_imports()
            with self.db.write():
                import_id = self.db.execute(
                    "INSERT INTO pending_imports (pid, host, started, heartbeat) VALUES (?, ?, ?, ?)",
                    [os.getpid(), socket.gethostname(), now(), now()]).lastrowid
        else:
            import_id = None
        result, tally = ImportResult(), _Tally()
        try:
            chunks = _Chunks(documents, progress)
            with self.db.parents_written_alongside():  # a chunk's spans belong to its own documents
                for chunk in chunks:
                    started = time.perf_counter()
                    with self.db.write():
                        self._store_chunk(chunk, import_id, result, tally, judged)
                    chunks.took(time.perf_counter() - started, len(chunk))
            with self.db.write():
                result.labels_created = self.labels.create(tally.labels)
                add_span_counts(self.db, tally.spans)
                if import_id is not None:
                    self._publish(import_id, tally)
        except BaseException:
            if import_id is not None:
                self._discard(import_id)
            raise
        return result

    def _store_chunk(self, chunk: list[tuple[str, NewDocument]], import_id: int | None,
                     result: ImportResult, tally: _Tally, judged: bool) -> None:
        hashes = [digest for digest, _ in chunk]
        seen: dict[str, int] = dict(self.db.execute(
            f"SELECT hash, id FROM documents WHERE hash IN ({', '.join('?' * len(hashes))})", hashes).fetchall())
        next_id = self.db.reserve_ids("documents", len(chunk))
        stamp = now()
        documents, layers, added = [], [], []  # layers: (doc_id, document) whose spans, labels and relations to store
        later: list[tuple[int, NewDocument]] = []  # a text met before, answered by someone the file names
        for digest, doc in chunk:
            if digest in seen:
                if doc.annotator:
                    later.append((seen[digest], doc))
                else:
                    result.duplicates.append(doc.source or doc.title)
                continue
            doc_id, next_id = next_id, next_id + 1
            seen[digest] = doc_id
            added.append(doc_id)
            documents.append((doc_id, digest, doc.text, doc.title, doc.meta.get("date"),
                              json.dumps(doc.meta, ensure_ascii=False), doc.status))
            layers.append((doc_id, doc))
            tally.statuses[doc.status] += 1
        if import_id is not None:  # listed as pending first, so that the counting triggers skip them
            self.db.bulk_insert("pending_docs", ("doc_id",), [(doc_id,) for doc_id in added], {"import_id": import_id},
                                staged=True)
            self.db.execute("UPDATE pending_imports SET heartbeat = ? WHERE id = ?", [stamp, import_id])
        self.db.bulk_insert("documents", _DOCUMENT_COLUMNS, documents, {"created": stamp, "updated": stamp},
                            staged=import_id is not None)
        if added:  # the full-text index, in one statement (see schema 6)
            self.db.execute("INSERT INTO documents_fts (rowid, title, text) "
                            "SELECT id, title, text FROM documents WHERE id BETWEEN ? AND ?", [added[0], added[-1]])
        result.added += added
        if later:
            joined_docs = self._join(later, import_id, result, tally)
            layers += joined_docs
            result.joined += len(joined_docs)
        self._store_layers(layers, tally, judged, stamp)

    def _store_layers(self, layers: list[tuple[int, NewDocument]], tally: _Tally, judged: bool, stamp: str) -> None:
        """The documents' spans, document labels and relations: the importer's, or (a file that names
        who answered) that person's. Plain entities go as rows, a person's grouped (no Span each)."""
        spans, entities, empty_gold = [], [], []
        theirs: dict[str, list[tuple[int, int, int, str, str]]] = {}
        extras: list[tuple[int, NewDocument]] = []  # documents with document labels or relations
        for doc_id, doc in layers:
            who, text = doc.annotator, doc.text
            if who and doc.links:  # a relation's ends are counted through spans then rows: all as spans
                _as_theirs(doc)
            elif who:
                doc.spans = [s if s.annotator else replace(s, annotator=who) for s in doc.spans]
            rows = [(doc_id, start, end, label, text[start:end]) for start, end, label in doc.entities]
            if who and rows:
                theirs.setdefault(who, []).extend(rows)
            else:
                entities += rows
            spans.append((doc_id, doc.spans))
            if doc.categories or doc.links:
                extras.append((doc_id, doc))
            if judged and doc.status == DONE and not doc.spans and not doc.entities:
                empty_gold.append((doc_id, who or self.annotator))
        self._judged_empty(empty_gold, stamp)
        span_ids: dict[int, list[int]] = {}
        counts = self.spans.add(spans, stamp, entities=entities, theirs=theirs,
                                ids=span_ids if any(doc.links for _, doc in extras) else None)
        tally.spans.update(counts)
        if extras:
            for store_them in self.imported:
                store_them(extras, span_ids)
        for _, layer, label, _ in counts:
            tally.labels.setdefault(label, layer)

    def _join(self, later: list[tuple[int, NewDocument]], import_id: int | None, result: ImportResult,
              tally: _Tally) -> list[tuple[int, NewDocument]]:
        """Of other people's answers on texts met before, those that become their layer of the document:
        a document this import brought (Prodigy's multi-user sessions, a Label Studio task's annotations),
        which they have not answered yet. What each answer says about itself joins the document's meta
        and status (:mod:`annotator.answers`); the others are duplicates. A few statements a chunk."""
        ids = sorted({doc_id for doc_id, _ in later})
        marks = ", ".join("?" * len(ids))
        ours = (set(self.db.column(f"SELECT doc_id FROM pending_docs WHERE import_id = ? AND doc_id IN ({marks})",
                                   [import_id, *ids])) if import_id is not None else set(ids) & set(result.added))
        stored = {doc_id: (json.loads(meta), status) for doc_id, meta, status in self.db.execute(
            f"SELECT id, meta, status FROM documents WHERE id IN ({marks})", ids)}
        people = self.spans.people(ids)
        taken, changed = [], {}
        for doc_id, doc in later:
            who, (meta, status) = doc.annotator, stored[doc_id]
            first = str(meta.get("annotator", self.annotator))  # a task naming nobody is the importer's
            if doc_id not in ours or who is None or who == first or who in answers(meta) or who in people.get(doc_id, ()):
                result.duplicates.append(doc.source or doc.title)
                continue
            try:
                stored[doc_id] = changed[doc_id] = joined(meta, status, who, doc.meta, doc.status)
            except TooManyAnswers as err:
                raise TooManyAnswers(f"{doc.source}, line {doc.line}: {err}" if doc.line else f"{doc.source}: {err}") from None
            if import_id is not None:  # counted when published (a visible document's change is counted by trigger)
                tally.statuses[status] -= 1
                tally.statuses[stored[doc_id][1]] += 1
            taken.append((doc_id, doc))
        self.db.executemany("UPDATE documents SET meta = ?, status = ? WHERE id = ?", [
            (json.dumps(meta, ensure_ascii=False), status, doc_id) for doc_id, (meta, status) in changed.items()])
        return taken

    def _judged_empty(self, layers: list[tuple[int, str]], stamp: str) -> None:
        """The importer's (or the file's annotator's) empty layer of each document: an entry in their
        history (never undone or redone: state discarded) is what ``has_layer``, ``worked_on`` and
        detection's copy read."""
        self.db.bulk_insert("edits", ("doc_id", "annotator"), layers,
                            {"action": "import done without spans", "changes": "[]", "at": stamp, "state": "discarded"})

    def _publish(self, import_id: int, tally: _Tally) -> None:
        """The import's last, small transaction: its documents become visible and counted."""
        self.db.execute("DELETE FROM pending_docs WHERE import_id = ?", [import_id])
        self.db.execute("DELETE FROM pending_imports WHERE id = ?", [import_id])
        self.db.executemany("INSERT INTO status_counts VALUES (?, ?) ON CONFLICT DO UPDATE SET n = n + excluded.n",
                            list(tally.statuses.items()))

    def _discard(self, import_id: int) -> None:
        """Remove an unfinished import's rows, a chunk at a time (they are invisible meanwhile)."""
        try:
            while True:
                with self.db.write():
                    ids = self.db.column("SELECT doc_id FROM pending_docs WHERE import_id = ? LIMIT ?",
                                         [import_id, CHUNK_DOCUMENTS])
                    if not ids:
                        self.db.execute("DELETE FROM pending_imports WHERE id = ?", [import_id])
                        return
                    marks = ", ".join("?" * len(ids))
                    self.db.execute(f"DELETE FROM documents WHERE id IN ({marks})", ids)  # spans go with them
                    self.db.execute(f"DELETE FROM pending_docs WHERE doc_id IN ({marks})", ids)
        except StoreError:
            pass  # e.g. the disk is full: the rows stay invisible, and the next open removes them

    def clean_unfinished_imports(self) -> int:
        """Remove what imports that died (killed, crashed) left behind; returns how many imports."""
        dead = [row[0] for row in self.db.execute("SELECT id, pid, host, heartbeat FROM pending_imports")
                if abandoned(*row[1:])]
        for import_id in dead:
            self._discard(import_id)
        return len(dead)


class _Chunks:
    """The documents, hashed and checked, in chunks that take about ``pacing.LOCK_TARGET_S`` to store:
    the chunk size follows how long the last one held the write lock."""

    def __init__(self, documents: Iterable[NewDocument], progress: Callable[[int], None] | None) -> None:
        self.documents, self.progress = documents, progress
        self.pace = Pacer(CHUNK_DOCUMENTS // 4, CHUNK_DOCUMENTS, least=10)  # documents a chunk
        self.took = self.pace.took

    def __iter__(self) -> Iterator[list[tuple[str, NewDocument]]]:
        chunk: list[tuple[str, NewDocument]] = []
        spans = characters = 0
        for count, doc in enumerate(self.documents, 1):
            try:
                check_spans(doc.text, doc.spans, doc.entities)
                check_link_rows(doc)
            except (SpanError, RelationError) as err:
                where = f"{doc.source}, line {doc.line}" if doc.line else doc.source
                raise type(err)(f"{where}: {err}") from None
            chunk.append((content_hash(doc.text), doc))
            spans += len(doc.spans)
            characters += len(doc.text)
            if len(chunk) >= self.pace.limit or spans >= CHUNK_SPANS or characters >= CHUNK_CHARACTERS:
                yield chunk
                chunk, spans, characters = [], 0, 0
            if self.progress:
                self.progress(count)
        if chunk:
            yield chunk


def _as_theirs(doc: NewDocument) -> None:
    """A document a file says another person labelled (a Prodigy task's ``_annotator_id``): its
    spans, plain entities too, go to that person's layer (appended: relations index ``spans``)."""
    who = doc.annotator
    doc.spans = [s if s.annotator else replace(s, annotator=who) for s in doc.spans] + [
        Span(start, end, label, doc.text[start:end], origin=ORIGIN_IMPORT, annotator=who) for start, end, label in doc.entities]
    doc.entities = []


def abandoned(pid: int, host: str, heartbeat: str) -> bool:
    """Whether an unfinished import's process is gone (or has not been heard of for long)."""
    if datetime.now(UTC) - datetime.fromisoformat(heartbeat) > STALE_AFTER:
        return True
    if host != socket.gethostname() or os.name == "nt" or pid == os.getpid():
        return False  # another machine's, or ours: only the heartbeat can tell
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False
