"""What a project's schema must be, so that a file from someone else cannot change your data.

A project file is input like any other: a trigger, view or changed table added by hand would run
inside our own writes (a trigger ``AFTER INSERT ON annotations`` that empties every text). On open
the objects in ``sqlite_master`` are compared with the ones this program's own migrations make for
that schema version, run once per process into an in-memory database, so every future migration
is covered with no list to keep. Anything else is refused in one line naming it, before anything
is written.

SQL is compared as tokens: identifiers unquoted and lower-cased, whitespace ignored, string
literals kept (``[title]``, ``"title"`` and ``title`` are one name; ``'delete'`` stays a string).
Files of schemas 1 and 2 were made through another library that quoted names its own way; this
makes them equal to ours. In a ``CREATE VIRTUAL TABLE`` the module's arguments are barewords to
FTS5, so there a string equals the name it holds (``content="documents"`` and ``content='documents'``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import cache, lru_cache

from annotator.storage.connection import Connection
from annotator.storage.errors import AlteredSchemaError

Objects = Mapping[tuple[str, str], tuple[str, ...]]  # (type, name) -> normalised SQL tokens

# SQLite's own tables: statistics that ANALYZE writes (read by the query planner only).
_SQLITE_OWN = {"sqlite_stat1", "sqlite_stat2", "sqlite_stat3", "sqlite_stat4"}
_TOKEN = re.compile(r"'(?:[^']|'')*'|\"(?:[^\"]|\"\")*\"|\[[^\]]*\]|`(?:[^`]|``)*`|[^\W\d]\w*|\d[\w.]*|\S", re.UNICODE)
_BAREWORD = re.compile(r"[^\W\d]\w*\Z", re.UNICODE)


@lru_cache(maxsize=1024)  # a file made by this code holds the very texts the expected schema was made of
def normalise(sql: str | None) -> tuple[str, ...]:
    """The statement as tokens that mean the same whatever the quoting or spacing."""
    tokens: list[str] = []
    for token in _TOKEN.findall(sql or ""):
        if token[0] in "\"[`":
            token = token[1:-1].replace(token[0] * 2, token[0]) if token[0] != "[" else token[1:-1]
            token = token.lower()
        elif token[0] != "'":
            token = token.lower()
        tokens.append(token)
    if tokens[:3] == ["create", "virtual", "table"]:
        tokens = [t[1:-1].lower() if t[0] == "'" and _BAREWORD.match(t[1:-1]) else t for t in tokens]
    return tuple(tokens)


def found_schema(db: Connection) -> dict[tuple[str, str], tuple[str, ...]]:
    """The objects the file holds, normalised (SQLite's statistics tables left out)."""
    return {(kind, name.lower()): normalise(sql)
            for kind, name, sql in db.execute("SELECT type, name, sql FROM sqlite_master")
            if name.lower() not in _SQLITE_OWN}


@cache
def expected_schema(version: int, first_release: bool = False) -> Objects:
    """The schema our migrations make for ``version``; with ``first_release``, as made from the
    first release's schema 1, which also had a ``settings`` table (schema 7 converts it)."""
    from annotator.storage.schema import _MIGRATIONS, FIRST_RELEASE_SETTINGS

    db = Connection(":memory:")
    try:
        with db.write():
            for step in range(1, version + 1):
                _MIGRATIONS[step](db)
                if step == 1 and first_release:
                    db.execute(FIRST_RELEASE_SETTINGS)
        return found_schema(db)
    finally:
        db.close()


def altered(found: Objects, expected: Objects) -> list[tuple[str, str, str]]:
    """What differs: (type, name, how), how being ``not ours``, ``missing`` or ``changed``."""
    problems = [(kind, name, "not ours") for kind, name in sorted(found.keys() - expected.keys())]
    problems += [(kind, name, "missing") for kind, name in sorted(expected.keys() - found.keys())]
    problems += [(kind, name, "changed") for kind, name in sorted(found.keys() & expected.keys())
                 if found[kind, name] != expected[kind, name] and not _fts_shadow(kind, name)]
    return problems


def describe(problem: tuple[str, str, str]) -> str:
    """``trigger 'evil' is not ours``, ``table 'labels' was changed``."""
    kind, name, how = problem
    return f"{kind} {name!r} {'was changed' if how == 'changed' else 'is ' + how}"


def _fts_shadow(kind: str, name: str) -> bool:
    """FTS5 writes its own tables' definitions, which may differ between SQLite versions."""
    return kind == "table" and name.startswith("documents_fts_")


def schema_problems(db: Connection, version: int) -> list[tuple[str, str, str]]:
    """What in the file is not what our migrations make for its version (empty: all is ours)."""
    found = found_schema(db)
    problems = altered(found, expected_schema(version))
    if problems and "settings" in {name for _, name, _ in problems}:
        first = altered(found, expected_schema(version, first_release=True))
        return min(problems, first, key=len)
    return problems


def check_schema(db: Connection, version: int) -> None:
    """Refuse a file whose schema is not ours, in one line naming what is different."""
    problems = schema_problems(db, version)
    if problems:
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        raise AlteredSchemaError(
            f"{db.path} was changed outside annotator: {describe(problems[0])}{more}; refused, nothing written "
            f"(see what with: annotator check --db {db.path})")
