"""A project on a server is named by its URL (``postgresql://user@host:port/dbname``); this is the
one place that tells a URL from a project file. Light: the command line imports it for ``--db``."""

from __future__ import annotations

import re
from pathlib import Path, PosixPath

SCHEMES = ("postgresql://", "postgres://")


def is_server(target: str | Path) -> bool:
    return str(target).startswith(SCHEMES)


def location(target: str | Path) -> Path:
    """The project's path as the program keeps it (a server's: a path whose ``str`` is its URL)."""
    return ServerPath(str(target)) if is_server(target) else Path(target)


def shown(url: str) -> str:
    """The URL as messages show it: without its password."""
    import psycopg
    from psycopg.conninfo import conninfo_to_dict

    try:
        info = conninfo_to_dict(url)
    except psycopg.ProgrammingError:  # not a URL libpq reads (connecting says why): a password in it cut out by hand
        return re.sub(r"(://[^/:@]*):[^/@]*@", r"\1@", url)
    if not info.get("password"):
        return url
    user, host, port, name = info.get("user", ""), info.get("host", ""), info.get("port"), info.get("dbname", "")
    return f"postgresql://{user}@{host}{':' + str(port) if port else ''}/{name}"


class ServerPath(PosixPath):
    """A server project where the program keeps a project's path (Store.path): ``str()`` is the URL,
    so that a worker opening ``Store(store.path)`` reaches the same server; ``name`` is the database's."""

    url: str

    def __new__(cls, url: str) -> ServerPath:
        self = super().__new__(cls, url.split("?", 1)[0])
        self.url = url
        return self

    def __str__(self) -> str:
        # paths derived from it (``parent``, ``resolve()``) are made without the URL: plain paths then
        return getattr(self, "url", None) or super().__str__()

    def __repr__(self) -> str:
        return f"ServerPath({shown(str(self))!r})"
