"""The project's schema on a PostgreSQL server: made on first open (schema.sql), recognised by its
``annotator_schema`` row (the file's application id and user_version), refused when newer.

Migrations are kept as on SQLite, a step per version number (``MIGRATIONS``): the server's first
schema is schema 10, made by one step; later steps change it as SQLite's do.
"""

from __future__ import annotations

from collections.abc import Callable
from importlib.resources import files

from annotator.storage.errors import NewerVersionError, NotAProjectError
from annotator.storage.postgres.connection import ServerConnection
from annotator.storage.schema import ASSIGNMENTS, SCHEMA_VERSION, insert_default_labels, insert_default_relation_labels

APPLICATION = "annotator"
FIRST_SERVER_SCHEMA = 10


def open_schema(db: ServerConnection) -> None:
    """Check that the database is one of our projects (or empty), and bring it to this version."""
    version = recognise(db)
    if version > SCHEMA_VERSION:
        raise NewerVersionError(f"{db.path} was written by a newer annotator (schema {version}); "
                                f"this one reads up to schema {SCHEMA_VERSION}; left untouched")
    if version < SCHEMA_VERSION:
        with db.write():
            version = recognise(db)  # another person's program may have made it meanwhile
            for step in range(max(version + 1, FIRST_SERVER_SCHEMA), SCHEMA_VERSION + 1):
                MIGRATIONS[step](db)
            db.execute("UPDATE annotator_schema SET version = ?", [SCHEMA_VERSION])
    db.learn_tables()
    db.read_only = not db.one("SELECT has_table_privilege('annotations', 'INSERT')")


def recognise(db: ServerConnection) -> int:
    """The database's schema version (0: empty); refuses anything else untouched."""
    tables = set(db.column("SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()"))
    if not tables:
        return 0
    if "annotator_schema" in tables:
        row = db.execute("SELECT application, version FROM annotator_schema").fetchone()
        if row and row[0] == APPLICATION:
            return int(row[1])
    raise NotAProjectError(f"{db.path} is not an annotator project (the database holds other tables); left untouched")


def _schema_10(db: ServerConnection) -> None:
    """Every table, counter and index of schema 10, as one script (the server's first schema)."""
    db.run_script((files(__package__) / "schema.sql").read_text(encoding="utf-8"))
    db.execute("INSERT INTO annotator_schema (application, version) VALUES (?, ?)", [APPLICATION, 0])
    db.learn_tables()
    insert_default_labels(db)
    insert_default_relation_labels(db)


def _schema_11(db: ServerConnection) -> None:
    """As SQLite's schema 11: relations are counted by the code that adds them (``Relations._count``),
    not by a trigger per row; removing and changing them keep theirs."""
    db.execute("DROP TRIGGER count_relation_in ON relations")


def _schema_12(db: ServerConnection) -> None:
    """As SQLite's schema 12: documents assigned to people (``assignments.py``), the same table."""
    db.run_script(ASSIGNMENTS)


MIGRATIONS: dict[int, Callable[[ServerConnection], None]] = {10: _schema_10, 11: _schema_11, 12: _schema_12}
