"""``annotator check``: whether a project is sound, and repairing what can be rebuilt.

SQLite's own integrity check first, then what our code relies on: the schema is ours
(expected_schema.py), every span sits on its document's text, a person's entities do not overlap
(domain.check_spans's rule), the counters equal a recount, the full-text index matches the texts,
the history points at documents and spans that are there, no unfinished import left rows behind.
Each kind of problem is one line with its count. ``repair`` rebuilds counters and the full-text
index, drops triggers and views that are not ours and removes what a dead import left; it never
deletes a person's annotation: those problems are named, for a person to decide.

Reading only, on a plain connection (no migration, nothing written, no lock taken) unless repairing.

A project on a server gets the same checks of what our code relies on, through the same SQL (the
server's dialect rewrites it); what is SQLite's own (its integrity check, the schema compared
with our migrations', foreign triggers) is not run there, and the report says so in a note.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import pairwise
from pathlib import Path

from annotator.storage.connection import Connection
from annotator.storage.counts import miscounted, rebuild_counts
from annotator.storage.errors import DamagedError
from annotator.storage.expected_schema import describe, schema_problems
from annotator.storage.imports import abandoned
from annotator.storage.postgres.url import ServerPath
from annotator.storage.schema import SCHEMA_VERSION
from annotator.storage.schema import recognise as recognise_file

Progress = Callable[[int, int], None]
CHUNK = 2_000  # documents a round of the span checks: progress, a Cancel that is heard, bounded memory

_SPANS = "SELECT doc_id, {who}, layer, start, [end], CAST(text AS BLOB) FROM {table} WHERE doc_id BETWEEN ? AND ?"


@dataclass
class Report:
    path: Path
    problems: list[str] = field(default_factory=list)  # one line per kind, with its count
    repaired: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # what was not checked, and why


class Cancelled(Exception):
    """The person stopped the check."""


def check_project(path: Path, repair: bool = False, progress: Progress | None = None,
                  cancelled: Callable[[], bool] = lambda: False) -> Report:
    """Check the project at ``path`` (and repair it: then the report is of what is left)."""
    db = _open(path)
    try:
        if repair:
            report = _check(db, progress, cancelled)
            repaired = _repair(db, report)
            report = _check(db, progress, cancelled)
            report.repaired = repaired
            return report
        return _check(db, progress, cancelled)
    finally:
        db.close()


def _open(path: Path) -> Connection:
    """A connection that neither migrates nor writes (a server's learns its tables' keys, which
    the SQL's rewriting needs)."""
    if not isinstance(path, ServerPath):
        return Connection(path)
    from annotator.storage.postgres.connection import ServerConnection

    db = ServerConnection(path.url)
    try:
        db.learn_tables()
    except BaseException:
        db.close()
        raise
    return db


def _on_server(db: Connection) -> bool:
    return isinstance(db.path, ServerPath)


def recognise(db: Connection) -> int:
    """The project's schema version (0: empty); refuses anything that is not ours."""
    if _on_server(db):
        from annotator.storage.postgres.schema import recognise as recognise_server

        return recognise_server(db)  # type: ignore[arg-type]  # _on_server: a ServerConnection
    return recognise_file(db)


def _check(db: Connection, progress: Progress | None, cancelled: Callable[[], bool]) -> Report:
    report = Report(db.path)
    version = recognise(db)
    try:
        if _on_server(db):
            report.notes.append(SERVER_NOTE)
        else:
            _integrity(db, report)
        if version == 0:
            return report
        if version > SCHEMA_VERSION:
            ran = "nothing was checked" if _on_server(db) else "only SQLite's check was run"
            report.notes.append(f"schema {version}, from a newer annotator: {ran}")
            return report
        schema = [] if _on_server(db) else schema_problems(db, version)
        if schema:
            report.problems.append(f"{_n(len(schema), 'object')} not as annotator makes them: "
                                   f"{'; '.join(map(describe, schema))}")
        if version != SCHEMA_VERSION:
            report.notes.append(f"schema {version}, older than this annotator's ({SCHEMA_VERSION}): only SQLite's check "
                                "and the schema were checked; open it once to upgrade it, then check again for the rest")
            return report
        _invariants(db, report, progress, cancelled, ours=not schema)
    except DamagedError as err:  # a damaged page stops a query: said, with what was found before it
        report.problems.append(f"checking stopped: {err}")
    return report


SERVER_NOTE = ("on a server, PostgreSQL's own storage and the schema's tables and triggers are not checked "
               "(the server's owner checks those); everything else was")


def _integrity(db: Connection, report: Report) -> None:
    try:
        damage = [row[0] for row in db.execute("PRAGMA integrity_check(100)")]
    except DamagedError as err:
        damage = [str(err)]
    if damage != ["ok"]:
        report.problems.append(f"{_n(len(damage), 'problem')}{'+' if len(damage) == 100 else ''} in SQLite's integrity "
                               f"check (first: {damage[0]}); copy the file before anything else")


def _invariants(db: Connection, report: Report, progress: Progress | None, cancelled: Callable[[], bool],
                ours: bool) -> None:
    problems = report.problems
    last = db.one("SELECT max(id) FROM documents") or 0
    totals: Counter[str] = Counter()
    for low in range(0, last + 1, CHUNK):
        if cancelled():
            raise Cancelled("cancelled, nothing changed")
        _spans_of_chunk(db, [low, low + CHUNK - 1], totals)
        if progress:
            progress(min(low + CHUNK, last), last)
    orphans = db.one("SELECT count(*) FROM annotations WHERE doc_id NOT IN (SELECT id FROM documents)")
    lines = [
        (totals["undecodable"], "documents' texts are damaged (not UTF-8): reading them fails"),
        (totals["outside"], "of a person's spans lie outside their document's text"),
        (totals["text"], "of a person's spans have a text other than their document's at their offsets"),
        (orphans, "of a person's spans belong to no document"),
        (totals["overlaps"], "of a person's entities overlap another of the same person (entities may not overlap)"),
        (totals["p_outside"], "of the model's suggestions lie outside their document's text"),
        (totals["p_text"], "of the model's suggestions have a text other than their document's at their offsets"),
    ]
    problems += [f"{n:,} {what}" for n, what in lines if n]
    wrong = miscounted(db)
    if wrong:
        problems.append(f"{_n(wrong, 'counter')} {'differs' if wrong == 1 else 'differ'} from a recount "
                        "(figures in stats and the status bar); --repair rebuilds them")
    if ours and not _search_index_sound(db):
        problems.append("the full-text index does not match the documents (search would find wrong ones or miss some); "
                        "--repair rebuilds it")
    problems += _history(db)
    problems += _leftovers(db)


def _spans_of_chunk(db: Connection, bounds: list[int], totals: Counter[str]) -> None:
    """Every span of these documents against its text, in Python: SQLite's ``length``/``substr``
    read a document's whole text again for each of its spans (100 times slower)."""
    texts: dict[int, str] = {}
    for doc_id, blob in db.execute("SELECT id, CAST(text AS BLOB) FROM documents WHERE id BETWEEN ? AND ?", bounds):
        try:
            texts[doc_id] = (blob or b"").decode("utf-8")
        except UnicodeDecodeError:
            totals["undecodable"] += 1  # its spans are not checked: the text itself is damaged
    for table, who, prefix in (("annotations", "annotator", ""), ("predictions", "model", "p_")):
        entities: dict[tuple[int, str], list[tuple[int, int]]] = {}
        for doc_id, annotator, layer, start, end, blob in db.execute(_SPANS.format(table=table, who=who), bounds):
            text = texts.get(doc_id)
            if text is None:
                continue
            if start < 0 or end > len(text):
                totals[prefix + "outside"] += 1
            elif text[start:end] != (blob or b"").decode("utf-8", "replace"):
                totals[prefix + "text"] += 1
            if not prefix and layer == "entities":
                entities.setdefault((doc_id, annotator), []).append((start, end))
        for places in entities.values():  # in order of start, one overlaps iff it starts before the previous ends
            places.sort()
            totals["overlaps"] += sum(after[0] < before[1] for before, after in pairwise(places))


def _search_index_sound(db: Connection) -> bool:
    """The full-text index holds exactly the documents there are. Compared by id, reading only:
    FTS5's own 'integrity-check' is a write that holds the project's write lock for ~1 s per
    10,000 articles, and a window open on the project would wait that long to save an edit."""
    extra = db.one("SELECT count(*) FROM (SELECT id FROM documents_fts_docsize EXCEPT SELECT id FROM documents) AS extra")
    missing = db.one("SELECT count(*) FROM (SELECT id FROM documents EXCEPT SELECT id FROM documents_fts_docsize) AS missing")
    return not extra and not missing


def _history(db: Connection) -> list[str]:
    """Edits whose document is gone or whose record cannot be read, and done edits that say a
    span is there (the latest done edit naming it added or changed it) when it is not: undo
    acts on spans by id, so such an edit would undo something else or nothing."""
    homeless = db.one("SELECT count(*) FROM edits WHERE doc_id NOT IN (SELECT id FROM documents)")
    removed_labels = set(db.column("SELECT old FROM label_changes"))  # renamed or removed since: spans followed
    latest: dict[int, tuple[int, bool]] = {}  # span id -> (document, whether the edit left it there)
    unreadable = 0
    for doc_id, state, text in db.execute("SELECT doc_id, state, changes FROM edits ORDER BY id"):
        try:  # read here, not by SQLite's json_valid: a server has none, and the done ones are read anyway
            changes = json.loads(text)
        except (ValueError, TypeError):
            unreadable += 1
            continue
        if state != "done" or not isinstance(changes, list):
            continue
        for change in changes:
            if not isinstance(change, dict) or change.get("op") == "status":
                continue
            after, before = change.get("after"), change.get("before")
            span = after or before
            if isinstance(span, dict) and "id" in span and span.get("label") not in removed_labels:
                latest[span["id"]] = (doc_id, after is not None)
    present = {row[0]: row[1] for row in db.execute("SELECT id, doc_id FROM annotations")} if latest else {}
    missing = sum(1 for span_id, (doc_id, there) in latest.items() if there and present.get(span_id) != doc_id)
    lines = [(unreadable, "history entries cannot be read"),
             (homeless, "history entries belong to a document that is gone"),
             (missing, "history entries name a span that is no longer there (undo would act on another span or none)")]
    return [f"{n:,} {what}" for n, what in lines if n]


def _leftovers(db: Connection) -> list[str]:
    dead = [row[0] for row in db.execute("SELECT id, pid, host, heartbeat FROM pending_imports") if abandoned(*row[1:])]
    stray = db.one("SELECT count(*) FROM pending_docs WHERE import_id NOT IN (SELECT id FROM pending_imports)")
    lines = []
    if dead:
        lines.append(f"{_n(len(dead), 'unfinished import')} left invisible documents behind "
                     "(removed when the project is next opened for writing)")
    if stray:
        lines.append(f"{_n(stray, 'invisible document')} of no import; --repair removes them (they never showed)")
    return lines


def _repair(db: Connection, report: Report) -> list[str]:
    """Rebuild what can be rebuilt; never a person's annotation."""
    done: list[str] = []
    version = recognise(db)
    if version > SCHEMA_VERSION:
        return done
    problems = [] if _on_server(db) else schema_problems(db, version)
    foreign = [(kind, name) for kind, name, how in problems if how == "not ours" and kind in ("trigger", "view")]
    with db.write():
        for kind, name in foreign:
            quoted = name.replace('"', '""')
            db.execute(f'DROP {kind.upper()} "{quoted}"')
            done.append(f"removed the {kind} {name!r}, which annotator did not make")
    if version != SCHEMA_VERSION or (not _on_server(db) and schema_problems(db, version)):
        return done  # the rest assumes our tables as they are today
    db.trust_schema()
    with db.write():  # an import's invisible documents with no import: its own, unless someone worked on one
        stray = db.column("SELECT doc_id FROM pending_docs WHERE import_id NOT IN (SELECT id FROM pending_imports)")
        worked = set(db.column("SELECT DISTINCT doc_id FROM edits WHERE doc_id IN "
                               "(SELECT doc_id FROM pending_docs WHERE import_id NOT IN (SELECT id FROM pending_imports))"))
        for doc_id in stray:
            if doc_id not in worked:
                db.execute("DELETE FROM documents WHERE id = ?", [doc_id])
            db.execute("DELETE FROM pending_docs WHERE doc_id = ?", [doc_id])
    if len(stray) > len(worked):
        done.append(f"removed {_n(len(stray) - len(worked), 'invisible document')} of no import "
                    "(never shown, nobody's annotations)")
    if worked:
        done.append(f"made {_n(len(worked), 'invisible document')} of no import visible again (someone had edited them)")
    rebuild_counts(db)
    done.append("rebuilt the counters from the rows")
    with db.write():
        db.execute("INSERT INTO documents_fts (documents_fts) VALUES ('rebuild')")
    done.append("rebuilt the full-text index from the texts")
    if any("span" in line and "person" in line for line in report.problems):
        done.append("left every person's span as it is: fix those in the window, or re-import the documents")
    return done


def _n(n: int, thing: str) -> str:
    return f"{n:,} {thing}{'' if n == 1 else 's'}"
