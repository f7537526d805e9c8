"""The one place that decides where a project lives: a file (SQLite) or a server (a
``postgresql://`` URL), and opens its connection and schema accordingly."""

from __future__ import annotations

from pathlib import Path

from annotator.storage.connection import Connection
from annotator.storage.schema import open_schema as open_file_schema


def location(target: str | Path) -> Path:
    """The project's path as the program keeps it (a server's: a path whose ``str`` is its URL)."""
    from annotator.storage.postgres.url import ServerPath, is_server

    return ServerPath(str(target)) if is_server(target) else Path(target)


def connect(path: Path) -> Connection:
    """The project's connection, its schema checked and brought to this version."""
    from annotator.storage.postgres.url import ServerPath

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
