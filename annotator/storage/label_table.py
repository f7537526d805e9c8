"""What the three tables of labels share (span labels, document labels, relation labels): a
label is a row found by its name and listed by position, a name already taken or a key already
held by another label is refused, and labels that imports bring are made where missing."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from annotator.storage.connection import Connection
from annotator.storage.errors import Missing


class LabelTable:
    """One table of labels: ``columns`` are what a label is read and written as, its name first;
    ``noun`` names a label in messages ("document label"); ``holder`` says who holds a key."""

    def __init__(self, db: Connection, table: str, columns: Sequence[str], noun: str, holder: str) -> None:
        self.db, self.table, self.noun, self.holder = db, table, noun, holder
        self.select = f"SELECT {', '.join(columns)} FROM {table}"
        self._insert = (f"INSERT INTO {table} ({', '.join(columns)}, position) VALUES ({', '.join('?' * len(columns))}, "
                        f"(SELECT coalesce(max(position), 0) + 1 FROM {table}))")

    def row(self, name: str) -> Any:
        """The label's row, or None."""
        return self.db.execute(f"{self.select} WHERE name = ?", [name]).fetchone()

    def rows(self, where: str = "", params: Sequence[Any] = (), order: str = "position, name") -> list[Any]:
        return self.db.execute(f"{self.select}{where} ORDER BY {order}", params).fetchall()

    def insert(self, values: Sequence[Any]) -> None:
        """Add a label last (inside the caller's write)."""
        self.db.execute(self._insert, values)

    def missing(self, names: Iterable[str]) -> list[str]:
        """The names no label has yet, each once, in their order."""
        known = set(self.db.column(f"SELECT name FROM {self.table}"))
        return [name for name in dict.fromkeys(names) if name not in known]

    def check_new(self, name: str, key: str | None) -> None:
        """Refuse a new label whose name is taken or whose key another label holds."""
        if self.row(name):
            raise ValueError(f"a {self.noun} named {name!r} already exists")
        self.check_key_free(key, name)

    def changing(self, name: str, new_name: str | None, key: str | None) -> Any:
        """The row of a label about to be renamed or re-keyed, once that is allowed."""
        old = self.row(name)
        if old is None:
            raise Missing(f"no {self.noun} {name!r}")
        if new_name and new_name != name and self.row(new_name):
            raise ValueError(f"a {self.noun} named {new_name!r} already exists")
        if key is not None:
            self.check_key_free(key, name)
        return old

    def update(self, name: str, values: Mapping[str, Any]) -> None:
        self.db.execute(f"UPDATE {self.table} SET {', '.join(f'{c} = ?' for c in values)} WHERE name = ?",
                        [*values.values(), name])

    def check_key_free(self, key: str | None, owner: str) -> None:
        if not key:
            return
        other = self.db.one(f"SELECT name FROM {self.table} WHERE key = ? AND name != ?", [key, owner])
        if other:
            raise ValueError(f"the key {key!r} is already used by {self.holder}{other}")


def new_key(old: str | None, key: str | None) -> str | None:
    """A label's key after a change: ``key`` None keeps it, an empty one removes it."""
    return old if key is None else (key or None)
