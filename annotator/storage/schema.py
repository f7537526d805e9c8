"""The project's tables, how a file is recognised as one of our projects, and the migrations.

Our databases carry ``PRAGMA application_id`` so that another program's SQLite file is refused
before we change anything in it. Opening a project writes nothing unless it has to migrate.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

from annotator.labels import DEFAULT_LABELS
from annotator.relations import DEFAULT_RELATION_LABELS
from annotator.storage.connection import Connection
from annotator.storage.errors import NewerVersionError, NotAProjectError, ReadOnlyError
from annotator.storage.expected_schema import check_schema

SCHEMA_VERSION = 12
APPLICATION_ID = 0x414E4E54  # "ANNT"
_OUR_TABLES = {"documents", "labels", "annotations", "predictions", "edits"}
# The first release's schema 1 also had this table (its rows are moved by schema 7).
FIRST_RELEASE_SETTINGS = "CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL)"


def open_schema(db: Connection) -> None:
    """Check that the file is one of our projects (or empty) with nothing added or changed by
    hand (expected_schema.py), and bring it to this version."""
    version = recognise(db)
    if version > SCHEMA_VERSION:
        raise NewerVersionError(
            f"{db.path} was written by a newer annotator (schema {version}); "
            f"this one reads up to schema {SCHEMA_VERSION}; left untouched"
        )
    check_schema(db, version)  # version 0: nothing at all may be there yet
    db.trust_schema()  # ours, or empty and about to be made by us
    if version == SCHEMA_VERSION:
        return
    if db.read_only:
        raise ReadOnlyError(f"{db.path} is read-only and from an older annotator: "
                            "open it once with write access to upgrade it")
    if not db.memory:
        db.execute("PRAGMA journal_mode = WAL")  # persistent: set once, when the file is made or upgraded
    with db.write():
        version = db.one("PRAGMA user_version")  # another process may have migrated it meanwhile
        for step in range(version + 1, SCHEMA_VERSION + 1):
            _MIGRATIONS[step](db)
        db.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")


def recognise(db: Connection) -> int:
    """The file's schema version; refuses (untouched) anything that is not ours or empty."""
    app = db.one("PRAGMA application_id")
    version: int = db.one("PRAGMA user_version")
    tables = set(db.column("SELECT name FROM sqlite_master WHERE type = 'table'"))
    ours = app == APPLICATION_ID or (app == 0 and version in (1, 2) and tables >= _OUR_TABLES)
    if ours or (app == 0 and version == 0 and not tables):
        return version
    raise NotAProjectError(f"{db.path} is not an annotator project (another program's SQLite database); left untouched")


def run_script(db: Connection, script: str) -> None:
    """Statement by statement inside the caller's transaction (``executescript`` would commit)."""
    statement = ""
    for piece in script.split(";"):
        statement += piece + ";"
        if sqlite3.complete_statement(statement):
            if statement.strip(" \n;"):
                db.execute(statement)
            statement = ""


def _schema_1(db: Connection) -> None:
    run_script(db, """
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
        CREATE VIRTUAL TABLE documents_fts USING FTS5 (title, text, tokenize='unicode61', content='documents');
        CREATE TRIGGER documents_ai AFTER INSERT ON documents BEGIN
            INSERT INTO documents_fts (rowid, title, text) VALUES (new.rowid, new.title, new.text);
        END;
        CREATE TRIGGER documents_ad AFTER DELETE ON documents BEGIN
            INSERT INTO documents_fts (documents_fts, rowid, title, text) VALUES ('delete', old.rowid, old.title, old.text);
        END;
        CREATE TRIGGER documents_au AFTER UPDATE ON documents BEGIN
            INSERT INTO documents_fts (documents_fts, rowid, title, text) VALUES ('delete', old.rowid, old.title, old.text);
            INSERT INTO documents_fts (rowid, title, text) VALUES (new.rowid, new.title, new.text);
        END;
    """)
    insert_default_labels(db)


def insert_default_labels(db: Connection) -> None:
    """The labels a new project starts with."""
    db.executemany(
        "INSERT INTO labels (name, layer, colour, key, position) VALUES (?, ?, ?, ?, ?)",
        [(label.name, label.layer, label.colour, label.key, position) for position, label in enumerate(DEFAULT_LABELS, 1)],
    )


def _schema_2(db: Connection) -> None:
    """Resolved dates on spans; the registry of trained models."""
    run_script(db, """
        ALTER TABLE annotations ADD COLUMN resolved TEXT;
        ALTER TABLE predictions ADD COLUMN resolved TEXT;
        CREATE TABLE models (name TEXT PRIMARY KEY, path TEXT NOT NULL, info TEXT NOT NULL, created TEXT NOT NULL);
    """)


# A document of an unfinished import is in pending_docs: invisible, and not counted.
_COUNTED = "NOT EXISTS (SELECT 1 FROM pending_docs WHERE doc_id = {})"


def _schema_3(db: Connection) -> None:
    """Imports staged in chunks (pending until their last chunk); counters kept up to date by
    triggers so that figures never scan the spans; label renames remembered for undo."""
    doc, span_doc = _COUNTED.format("NEW.id"), _COUNTED.format("NEW.doc_id")
    old_doc, old_span_doc = _COUNTED.format("OLD.id"), _COUNTED.format("OLD.doc_id")
    run_script(db, f"""
        CREATE TABLE pending_imports (
            id INTEGER PRIMARY KEY, pid INTEGER NOT NULL, host TEXT NOT NULL, started TEXT NOT NULL,
            heartbeat TEXT NOT NULL
        );
        CREATE TABLE pending_docs (doc_id INTEGER PRIMARY KEY, import_id INTEGER NOT NULL);
        CREATE INDEX pending_docs_import ON pending_docs(import_id);
        CREATE TABLE label_changes (id INTEGER PRIMARY KEY, old TEXT NOT NULL, new TEXT, at TEXT NOT NULL);
        CREATE INDEX label_changes_old ON label_changes(old, at);

        CREATE TABLE status_counts (status TEXT PRIMARY KEY, n INTEGER NOT NULL) WITHOUT ROWID;
        CREATE TABLE span_counts (
            annotator TEXT, layer TEXT, label TEXT, origin TEXT, n INTEGER NOT NULL,
            PRIMARY KEY (annotator, layer, label, origin)
        ) WITHOUT ROWID;
        CREATE TABLE prediction_counts (
            model TEXT, version TEXT, layer TEXT, n INTEGER NOT NULL, PRIMARY KEY (model, version, layer)
        ) WITHOUT ROWID;
        INSERT INTO status_counts SELECT status, count(*) FROM documents GROUP BY status;
        INSERT INTO span_counts SELECT annotator, layer, label, origin, count(*) FROM annotations GROUP BY 1, 2, 3, 4;
        INSERT INTO prediction_counts SELECT model, model_version, layer, count(*) FROM predictions GROUP BY 1, 2, 3;

        CREATE TRIGGER count_document_in AFTER INSERT ON documents WHEN {doc} BEGIN
            INSERT INTO status_counts VALUES (NEW.status, 1) ON CONFLICT DO UPDATE SET n = n + 1;
        END;
        CREATE TRIGGER count_document_out AFTER DELETE ON documents WHEN {old_doc} BEGIN
            UPDATE status_counts SET n = n - 1 WHERE status = OLD.status;
        END;
        CREATE TRIGGER count_document_status AFTER UPDATE OF status ON documents
        WHEN OLD.status != NEW.status AND {doc} BEGIN
            UPDATE status_counts SET n = n - 1 WHERE status = OLD.status;
            INSERT INTO status_counts VALUES (NEW.status, 1) ON CONFLICT DO UPDATE SET n = n + 1;
        END;
        CREATE TRIGGER count_span_in AFTER INSERT ON annotations WHEN {span_doc} BEGIN
            INSERT INTO span_counts VALUES (NEW.annotator, NEW.layer, NEW.label, NEW.origin, 1)
            ON CONFLICT DO UPDATE SET n = n + 1;
        END;
        CREATE TRIGGER count_span_out AFTER DELETE ON annotations WHEN {old_span_doc} BEGIN
            UPDATE span_counts SET n = n - 1
            WHERE annotator = OLD.annotator AND layer = OLD.layer AND label = OLD.label AND origin = OLD.origin;
        END;
        CREATE TRIGGER count_span_change AFTER UPDATE OF annotator, layer, label, origin ON annotations
        WHEN (OLD.annotator, OLD.layer, OLD.label, OLD.origin) IS NOT (NEW.annotator, NEW.layer, NEW.label, NEW.origin)
             AND {span_doc} BEGIN
            UPDATE span_counts SET n = n - 1
            WHERE annotator = OLD.annotator AND layer = OLD.layer AND label = OLD.label AND origin = OLD.origin;
            INSERT INTO span_counts VALUES (NEW.annotator, NEW.layer, NEW.label, NEW.origin, 1)
            ON CONFLICT DO UPDATE SET n = n + 1;
        END;
        CREATE TRIGGER count_prediction_in AFTER INSERT ON predictions WHEN {span_doc} BEGIN
            INSERT INTO prediction_counts VALUES (NEW.model, NEW.model_version, NEW.layer, 1)
            ON CONFLICT DO UPDATE SET n = n + 1;
        END;
        CREATE TRIGGER count_prediction_out AFTER DELETE ON predictions WHEN {old_span_doc} BEGIN
            UPDATE prediction_counts SET n = n - 1
            WHERE model = OLD.model AND version = OLD.model_version AND layer = OLD.layer;
        END;

        DROP TRIGGER documents_au;
        CREATE TRIGGER documents_au AFTER UPDATE OF title, text ON documents BEGIN
            INSERT INTO documents_fts (documents_fts, rowid, title, text) VALUES ('delete', old.rowid, old.title, old.text);
            INSERT INTO documents_fts (rowid, title, text) VALUES (new.rowid, new.title, new.text);
        END;
    """)


def _schema_4(db: Connection) -> None:
    """The list's label filter and a document's label counts read one index entry per span of
    that document (with only (doc_id, annotator), SQLite chose the label index: every span of
    the label in the project, for each document listed)."""
    run_script(db, """
        DROP INDEX annotations_doc;
        CREATE INDEX annotations_doc ON annotations(doc_id, annotator, label);
    """)


def _schema_5(db: Connection) -> None:
    """Added spans are counted by the code that adds them, one counter update per label of an
    import's chunk or an edit (``counts.add_span_counts``): a trigger run per span was a sixth of
    an annotated import's storing time. Deleting and changing spans keep their triggers."""
    db.execute("DROP TRIGGER count_span_in")


def _schema_6(db: Connection) -> None:
    """A document's text is put in the full-text index by the import that adds it, one statement
    per chunk (``imports.py``): the per-row trigger made FTS5 flush its pending terms for every
    document (each trigger statement is a savepoint) and cost 4x as much."""
    db.execute("DROP TRIGGER documents_ai")


def _schema_7(db: Connection) -> None:
    """Settings kept in the project (``settings.py``): the chosen model, the labels shown. The first
    release had a ``settings(key, value)`` table of JSON values: its rows are kept, a string as itself."""
    first_release = db.one("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'settings'")
    if first_release:
        db.execute("ALTER TABLE settings RENAME TO first_release_settings")
    db.execute("CREATE TABLE settings (name TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID")
    if first_release:
        db.execute("INSERT INTO settings SELECT key, CASE WHEN json_valid(value) AND json_type(value) = 'text' "
                   "THEN json_extract(value, '$') ELSE value END FROM first_release_settings")
        db.execute("DROP TABLE first_release_settings")


def _schema_8(db: Connection) -> None:
    """No index of spans by label: every span stored paid for it (a tenth of an annotated import)
    and only renaming or removing a label read it. On 100,000 articles (11.4 M spans of a
    person) renaming a label of 353,000 spans took 10.7 s with it and 7.9 s without (the rows'
    rewrite is the cost, and it no longer updates a second index); a label nobody uses is
    renamed without reading the spans at all (the counters say so)."""
    db.execute("DROP INDEX IF EXISTS annotations_label")


def _schema_9(db: Connection) -> None:
    """Document labels (categories) and relations between spans, each in a person's layer with the
    model's suggestions kept apart; a relation goes with either of its spans (ON DELETE CASCADE),
    and a label's rename or removal carries to what uses it (ON UPDATE/DELETE CASCADE). Counted by
    triggers in ``link_counts`` (kind: category, relation, and their predictions; owner: the
    annotator or the model): there are far fewer of them than spans. Written to run again over
    its own tables (a project whose version number was set back)."""
    run_script(db, """
        CREATE TABLE IF NOT EXISTS category_groups (
            name TEXT PRIMARY KEY, exclusive INTEGER NOT NULL DEFAULT 0 CHECK (exclusive IN (0, 1))
        ) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS category_labels (
            name TEXT PRIMARY KEY, grp TEXT NOT NULL DEFAULT '', colour TEXT NOT NULL, key TEXT UNIQUE,
            position INTEGER NOT NULL DEFAULT 0
        );
        CREATE TABLE IF NOT EXISTS document_categories (
            doc_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
            annotator TEXT NOT NULL,
            label TEXT NOT NULL REFERENCES category_labels(name) ON UPDATE CASCADE ON DELETE CASCADE,
            origin TEXT NOT NULL, created TEXT NOT NULL,
            PRIMARY KEY (doc_id, annotator, label)
        ) WITHOUT ROWID;
        CREATE INDEX IF NOT EXISTS document_categories_label ON document_categories(label);
        CREATE TABLE IF NOT EXISTS category_predictions (
            doc_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
            model TEXT NOT NULL, model_version TEXT NOT NULL, label TEXT NOT NULL, score REAL NOT NULL,
            created TEXT NOT NULL,
            PRIMARY KEY (doc_id, model, label)
        ) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS relation_labels (
            name TEXT PRIMARY KEY, colour TEXT NOT NULL, key TEXT UNIQUE,
            directed INTEGER NOT NULL DEFAULT 1 CHECK (directed IN (0, 1)),
            heads TEXT NOT NULL DEFAULT '', children TEXT NOT NULL DEFAULT '', position INTEGER NOT NULL DEFAULT 0
        );
        CREATE TABLE IF NOT EXISTS relations (
            id INTEGER PRIMARY KEY,
            doc_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
            head INTEGER NOT NULL REFERENCES annotations(id) ON DELETE CASCADE,
            child INTEGER NOT NULL REFERENCES annotations(id) ON DELETE CASCADE,
            label TEXT NOT NULL REFERENCES relation_labels(name) ON UPDATE CASCADE ON DELETE CASCADE,
            origin TEXT NOT NULL, confirmed INTEGER NOT NULL DEFAULT 1, annotator TEXT NOT NULL, created TEXT NOT NULL,
            CHECK (head != child), UNIQUE (head, child, label)
        );
        CREATE INDEX IF NOT EXISTS relations_doc ON relations(doc_id, annotator);
        CREATE INDEX IF NOT EXISTS relations_child ON relations(child);
        CREATE INDEX IF NOT EXISTS relations_label ON relations(label);
        CREATE TABLE IF NOT EXISTS relation_predictions (
            id INTEGER PRIMARY KEY,
            doc_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
            head INTEGER NOT NULL REFERENCES predictions(id) ON DELETE CASCADE,
            child INTEGER NOT NULL REFERENCES predictions(id) ON DELETE CASCADE,
            label TEXT NOT NULL, model TEXT NOT NULL, model_version TEXT NOT NULL, created TEXT NOT NULL,
            CHECK (head != child)
        );
        CREATE INDEX IF NOT EXISTS relation_predictions_doc ON relation_predictions(doc_id, model);
        CREATE INDEX IF NOT EXISTS relation_predictions_head ON relation_predictions(head);
        CREATE INDEX IF NOT EXISTS relation_predictions_child ON relation_predictions(child);

        CREATE TABLE IF NOT EXISTS link_counts (
            kind TEXT, owner TEXT, label TEXT, origin TEXT, n INTEGER NOT NULL,
            PRIMARY KEY (kind, owner, label, origin)
        ) WITHOUT ROWID;
    """)
    for kind, table, owner, origin in (("category", "document_categories", "annotator", "origin"),
                                       ("relation", "relations", "annotator", "origin"),
                                       ("category_prediction", "category_predictions", "model", "'model'"),
                                       ("relation_prediction", "relation_predictions", "model", "'model'")):
        new = f"'{kind}', NEW.{owner}, NEW.label, " + (f"NEW.{origin}" if origin == "origin" else origin)
        old = (f"kind = '{kind}' AND owner = OLD.{owner} AND label = OLD.label"
               + (f" AND origin = OLD.{origin}" if origin == "origin" else ""))
        changed = ", ".join(f"{c}" for c in (owner, "label") + ((origin,) if origin == "origin" else ()))
        run_script(db, f"""
            CREATE TRIGGER IF NOT EXISTS count_{kind}_in AFTER INSERT ON {table} BEGIN
                INSERT INTO link_counts VALUES ({new}, 1) ON CONFLICT DO UPDATE SET n = n + 1;
            END;
            CREATE TRIGGER IF NOT EXISTS count_{kind}_out AFTER DELETE ON {table} BEGIN
                UPDATE link_counts SET n = n - 1 WHERE {old};
            END;
            CREATE TRIGGER IF NOT EXISTS count_{kind}_change AFTER UPDATE OF {changed} ON {table} BEGIN
                UPDATE link_counts SET n = n - 1 WHERE {old};
                INSERT INTO link_counts VALUES ({new}, 1) ON CONFLICT DO UPDATE SET n = n + 1;
            END;
        """)
    insert_default_relation_labels(db)


def insert_default_relation_labels(db: Connection) -> None:
    """The relation labels a new project starts with (kept if there: schema 9 may run again)."""
    db.executemany(
        "INSERT OR IGNORE INTO relation_labels (name, colour, key, directed, heads, children, position) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)",
        [(label.name, label.colour, label.key, int(label.directed), " ".join(label.heads), " ".join(label.children),
          position) for position, label in enumerate(DEFAULT_RELATION_LABELS, 1)],
    )


def _schema_10(db: Connection) -> None:
    """A person's decisions on strings (``decisions.py``): what learning suggestions are made from."""
    db.execute("""
        CREATE TABLE decisions (
            annotator TEXT NOT NULL, key TEXT NOT NULL, doc_id INTEGER NOT NULL, label TEXT NOT NULL,
            shape TEXT NOT NULL, text TEXT NOT NULL, at TEXT NOT NULL, PRIMARY KEY (annotator, key, doc_id)
        ) WITHOUT ROWID""")


def _schema_11(db: Connection) -> None:
    """Added relations are counted by the code that adds them, one counter update per label of an
    import's chunk or an edit (``Relations._count``): the trigger run per relation was a third of
    storing an import's relations (2,000 articles, 60,000 relations: 0.38 s of 1.1 s CPU). Removing
    and changing relations keep their triggers."""
    db.execute("DROP TRIGGER count_relation_in")


ASSIGNMENTS = """
    CREATE TABLE assignments (
        doc_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE, annotator TEXT NOT NULL,
        created TEXT NOT NULL, PRIMARY KEY (doc_id, annotator)
    );
    CREATE INDEX assignments_annotator ON assignments(annotator, doc_id);
"""


def _schema_12(db: Connection) -> None:
    """Documents assigned to people (``assignments.py``): each person's queue, and progress per person.
    The same statements make the table on a server (``postgres/schema.py``)."""
    run_script(db, ASSIGNMENTS)


_MIGRATIONS: dict[int, Callable[[Connection], None]] = {1: _schema_1, 2: _schema_2, 3: _schema_3, 4: _schema_4,
                                                        5: _schema_5, 6: _schema_6, 7: _schema_7,
                                                        8: _schema_8, 9: _schema_9, 10: _schema_10, 11: _schema_11,
                                                        12: _schema_12}
