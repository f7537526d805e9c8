"""The one place that decides where a project lives: a file (SQLite) or a server (a
``postgresql://`` URL), and opens its connection and schema accordingly."""

from __future__ import annotations

from pathlib import Path

from annotator.storage.connection import Connection
from annotator.storage.postgres.url import ServerPath, location
from annotator.storage.schema import open_schema as open_file_schema

__all__ = ["connect", "location"]


def connect(path: Path) -> Connection:
    """The project's connection, its schema checked and brought to this version."""
    if isinstance(path, ServerPath):
        from annotator.storage.postgres.connection import ServerConnection
        from annotator.storage.postgres.schema import open_schema as open_server_schema

        server = ServerConnection(path.url)
        try:
            open_server_schema(server)
        except BaseException:
            server.close()
            raise
        return server
    db = Connection(path)
    try:
        open_file_schema(db)
    except BaseException:
        db.close()
        raise
    return db
