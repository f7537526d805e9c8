"""The SQL the storage parts write, said in PostgreSQL's dialect.

The parts write SQLite's SQL; nearly all of it is standard and runs on PostgreSQL as it is. What
differs is rewritten here, statement by statement (each once, then cached), by the rules in
``REWRITES`` and a few that need to know the tables (conflict targets, ``RETURNING id``). The
schema's own differences (full-text index, triggers, counters) are in ``schema.sql``.

A rule is a pattern over the statement's code (never inside its string literals) and what it
becomes; add a row when a part starts using another SQLite-only form.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache


def folded(words: str) -> str:
    """SQL that folds ``words`` as a project file's search index (FTS5's unicode61) does: accents
    on Latin letters dropped, case folded in every script (by ICU: a server whose locale is C
    would fold ASCII only), so that "cafe" finds "café" and "zürich" finds "ZÜRICH" on both."""
    latin_marks = "'([A-Za-z])[\u0300-\u036f]+', '\\1', 'g'"  # combining marks after a Latin letter (after NFD)
    return f'lower(regexp_replace(normalize({words}, NFD), {latin_marks}) COLLATE "und-x-icu")'


# What the search index holds of a document (``words``: its title and text); a text all ASCII
# (its bytes are its characters) has nothing to fold but case, which to_tsvector folds itself.
INDEXED = ("to_tsvector('simple', CASE WHEN octet_length(words.t) = length(words.t) THEN words.t "
           f"ELSE {folded('words.t')} END)")
WORDS = "LATERAL (SELECT title || ' ' || text AS t) AS words"
# (SQLite's form, PostgreSQL's) applied in order to the code between string literals; ``?`` is
# already ``%s`` when these run.
REWRITES: tuple[tuple[str, str], ...] = (
    (r"\[(\w+)\]", r'"\1"'),  # [end]: a quoted name
    (r"\bIS NOT %s", "IS DISTINCT FROM %s"),  # SQLite's IS / IS NOT compare NULLs as values
    (r"\bIS %s", "IS NOT DISTINCT FROM %s"),
    (r"\bgroup_concat\(", "string_agg("),
    (r"\bchar\((\d+)\)", r"chr(\1)"),
    (r"\btemp\.", "pg_temp."),  # temporary tables (this session's)
    # the full-text index: a tsvector per document (schema.sql), searched word by word
    (r"INSERT INTO documents_fts \(rowid, title, text\) SELECT id, title, text FROM documents\b",
     f"INSERT INTO documents_fts (rowid, tsv) SELECT id, {INDEXED} FROM documents, {WORDS}".replace("\\", "\\\\")),
    (r"\bdocuments_fts MATCH %s", f"tsv @@ plainto_tsquery('simple', {folded('%s')})".replace("\\", "\\\\")),
    (r"\bdocuments_fts_docsize\b", "(SELECT rowid AS id FROM documents_fts) AS fts_ids"),  # FTS5's list of indexed ids
    (r"\bCAST\((\w+) AS BLOB\)", r"convert_to(\1, 'UTF8')"),  # a text's bytes (annotator check)
)
# Whole statements of SQLite's own that say something else on the server.
STATEMENTS = {
    "INSERT INTO documents_fts (documents_fts) VALUES ('rebuild')":  # FTS5's rebuild (annotator check --repair)
        f"DELETE FROM documents_fts; INSERT INTO documents_fts (rowid, tsv) SELECT id, {INDEXED} FROM documents, {WORDS}",
}
# PRAGMAs the parts read, answered from PostgreSQL; any other PRAGMA is SQLite's business only.
PRAGMAS = {
    "user_version": "SELECT version FROM annotator_schema",
    "quick_check(1)": "SELECT 'ok'",
}
_LITERAL = re.compile(r"('(?:[^']|'')*')")
_PRAGMA = re.compile(r"\s*PRAGMA\s+(.+?)\s*;?\s*\Z", re.I | re.S)
_INSERT = re.compile(r"\s*INSERT\s+(?:OR\s+(IGNORE|REPLACE)\s+)?INTO\s+(\w+)(?:\s*\(([^)]*)\))?", re.I)
_RULES = [(re.compile(pattern), replacement) for pattern, replacement in REWRITES]


@dataclass(frozen=True, eq=False)  # hashed by identity: one per connection, a key of the rewriting's cache
class Tables:
    """What the rewriting needs to know of the tables: each one's primary key, and which have an id."""

    keys: Mapping[str, tuple[str, ...]]
    with_id: frozenset[str]


@dataclass(frozen=True)
class Statement:
    """A statement in PostgreSQL's terms; ``sql`` None: nothing to run (a PRAGMA of SQLite's own)."""

    sql: str | None
    returns_id: bool = False  # ends in RETURNING id: the cursor's lastrowid


def translate(sql: str, tables: Tables, single: bool = True, bound: bool = True) -> Statement:
    """``sql`` as PostgreSQL runs it (``single``: run once, so an INSERT of one row returns its id;
    ``bound``: run with values, so a literal ``%`` is written ``%%``)."""
    return _translate(sql, tables, single, bound)


@lru_cache(maxsize=4096)
def _translate(sql: str, tables: Tables, single: bool, bound: bool) -> Statement:
    if sql in STATEMENTS:
        return Statement(STATEMENTS[sql])
    pragma = _PRAGMA.match(sql)
    if pragma:
        name = pragma.group(1).lower()
        return Statement(PRAGMAS.get(name) or (None if "=" in name else "SELECT NULL"))
    percent = "%%" if bound else "%"
    pieces = [piece.replace("%", percent) for piece in _LITERAL.split(sql)]
    for i in range(0, len(pieces), 2):  # the code between literals
        code = pieces[i].replace("?", "%s")
        for pattern, replacement in _RULES:
            code = pattern.sub(replacement, code)
        pieces[i] = code
    out = "".join(pieces)
    insert = _INSERT.match(out)
    if not insert:
        return Statement(out)
    how, table, columns = insert.group(1), insert.group(2).lower(), insert.group(3)
    key = ", ".join(f'"{c}"' for c in tables.keys.get(table, ()))
    if how:
        out = out[: insert.start(1)].rstrip()[: -len("OR")].rstrip() + " " + out[insert.end(1):].lstrip()
        if how.upper() == "IGNORE":
            out += " ON CONFLICT DO NOTHING"
        else:
            names = [c.strip().strip('"') for c in (columns or "").split(",")]
            sets = ", ".join(f'"{c}" = excluded."{c}"' for c in names if c not in tables.keys.get(table, ()))
            out += f" ON CONFLICT ({key}) DO UPDATE SET {sets}"
    # SQLite's upsert needs no conflict target and reads the old row's columns unqualified
    out = re.sub(r"ON CONFLICT DO UPDATE", f"ON CONFLICT ({key}) DO UPDATE", out)
    out = re.sub(r"(\bSET|,)\s*(\w+) = \2 ([-+])", rf"\1 \2 = {table}.\2 \3", out)
    returns_id = (single and table in tables.with_id and re.search(r"\bVALUES\b", out, re.I) is not None
                  and not re.search(r"\bRETURNING\b", out, re.I))
    return Statement(out + " RETURNING id" if returns_id else out, returns_id)
