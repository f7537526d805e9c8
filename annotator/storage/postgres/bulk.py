"""An import's rows into a server project at COPY's speed (``ServerConnection.bulk_insert``).

What a row of an INSERT gets from the server one row at a time is given here once for all:
- ids: the rows' ids are taken from the table's sequence in one block (or, given by the caller,
  the sequence is moved past them once), so the id trigger would change nothing; it was a third
  of the server's time per span;
- the counting triggers of an unfinished import's rows would count nothing (they are invisible
  until the import is published, which counts them);
- a column whose shared value is its default is left out of the stream.

The project's owner (the role that made it) may switch those triggers off inside the write
transaction (``ALTER TABLE … DISABLE TRIGGER``, undone before it ends): other writers wait for
the project's write lock anyway, readers are not held, and nobody ever sees them off. Any other
role keeps them, at the old speed.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

# The default of a column as information_schema says it, read back as the value it gives.
_TEXT_DEFAULT = re.compile(r"'((?:[^']|'')*)'::[\w ]+")
_NUMBER_DEFAULT = re.compile(r"-?\d+")
NO_DEFAULT = object()  # a column that has none (NOT NULL without a default)


@dataclass(frozen=True)
class Triggers:
    """A table's triggers that an import may skip: its id trigger, its counting triggers on INSERT."""

    ids: str | None = None
    counting: tuple[str, ...] = ()


@dataclass(frozen=True)
class BulkTables:
    """What a bulk insert needs to know of the tables, read once when the project is opened."""

    defaults: Mapping[str, Mapping[str, Any]]  # table: column: the value it takes when left out
    triggers: Mapping[str, Triggers]
    owned: bool  # whether this role may switch the triggers off (it owns the tables)


NOTHING_KNOWN = BulkTables({}, {}, owned=False)

COLUMNS = ("SELECT table_name, column_name, column_default, is_nullable FROM information_schema.columns "
           "WHERE table_schema = current_schema()")
# Row triggers on INSERT (tgtype bits: 1 row, 4 insert) with the function each runs.
TRIGGERS = ("SELECT c.relname, t.tgname, p.proname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
            "JOIN pg_proc p ON p.oid = t.tgfoid WHERE NOT t.tgisinternal AND t.tgtype & 5 = 5 "
            "AND c.relnamespace = current_schema()::regnamespace ORDER BY 1, 2")
OWNED = ("SELECT bool_and(pg_has_role(relowner, 'USAGE')) FROM pg_class "
         "WHERE relnamespace = current_schema()::regnamespace AND relkind = 'r'")
ID_FUNCTION = "annotator_next_id"
# The counting functions that leave an unfinished import's rows out (annotator_visible); count_links
# counts document labels and relations as they are stored, pending or not: never skipped.
COUNTING_FUNCTIONS = frozenset({"count_documents", "count_spans", "count_predictions"})


def default_value(default: str | None, nullable: str) -> Any:
    """The value a column takes when an INSERT leaves it out, or NO_DEFAULT when we cannot tell."""
    if default is None:
        return None if nullable == "YES" else NO_DEFAULT
    if _NUMBER_DEFAULT.fullmatch(default):
        return int(default)
    text = _TEXT_DEFAULT.fullmatch(default)
    return text.group(1).replace("''", "'") if text else NO_DEFAULT


def learn(rows: Sequence[Sequence[Any]], triggers: Sequence[Sequence[Any]], owned: bool) -> BulkTables:
    """BulkTables from the answers to COLUMNS, TRIGGERS and OWNED."""
    defaults: dict[str, dict[str, Any]] = {}
    for table, column, default, nullable in rows:
        value = default_value(default, nullable)
        if value is not NO_DEFAULT:
            defaults.setdefault(table, {})[column] = value
    found: dict[str, Triggers] = {}
    for table, name, function in triggers:
        have = found.get(table, Triggers())
        if function == ID_FUNCTION:
            found[table] = Triggers(name, have.counting)
        elif function in COUNTING_FUNCTIONS:
            found[table] = Triggers(have.ids, (*have.counting, name))
    return BulkTables(defaults, found, owned=bool(owned))


def left_out(tables: BulkTables, table: str, shared: Mapping[str, Any]) -> dict[str, Any]:
    """The shared values the stream must carry: those that differ from their column's default."""
    defaults = tables.defaults.get(table, {})
    return {c: v for c, v in shared.items()
            if c not in defaults or not _same(defaults[c], v)}


def _same(default: Any, value: Any) -> bool:
    if default is None or value is None:
        return default is value
    if isinstance(value, bool | int) and isinstance(default, int):
        return int(value) == default
    return type(default) is type(value) and default == value


def skipped(tables: BulkTables, table: str, staged: bool) -> tuple[str, ...]:
    """The triggers to switch off around an import's rows of ``table`` (none unless owned)."""
    if not tables.owned:
        return ()
    triggers = tables.triggers.get(table, Triggers())
    return ((triggers.ids,) if triggers.ids else ()) + (triggers.counting if staged else ())
