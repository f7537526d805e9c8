"""Labels: the project's label set, and what became of a label (for undo across renames)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from annotator.domain import LAYERS, Label, Span
from annotator.labels import colour_for
from annotator.storage.connection import Connection
from annotator.storage.errors import Missing, UndoRefused
from annotator.storage.rows import now

# A rename or removal changes the spans of published documents: an import still running keeps
# the names its file gave (its spans are counted by those names when it ends, and it makes any
# label that is missing by then).
_PUBLISHED = "doc_id NOT IN (SELECT doc_id FROM pending_docs)"


class Labels:
    db: Connection

    def labels(self, layer: str | None = None) -> list[Label]:
        sql = "SELECT name, layer, colour, key FROM labels"
        params: list[Any] = []
        if layer:
            sql += " WHERE layer = ?"
            params.append(layer)
        return [Label(*row) for row in self.db.execute(sql + " ORDER BY layer, position, name", params)]

    def label(self, name: str) -> Label | None:
        row = self.db.execute("SELECT name, layer, colour, key FROM labels WHERE name = ?", [name]).fetchone()
        return Label(*row) if row else None

    def _insert_label(self, label: Label) -> None:
        self.db.execute(
            "INSERT INTO labels (name, layer, colour, key, position) "
            "VALUES (?, ?, ?, ?, (SELECT coalesce(max(position), 0) + 1 FROM labels))",
            [label.name, label.layer, label.colour, label.key],
        )

    def _ensure_labels(self, spans: Iterable[Span]) -> list[str]:
        """Create the labels that spans bring and the project lacks, each with a colour (in a write)."""
        return self._create_labels({span.label: span.layer for span in spans})

    def _create_labels(self, wanted: dict[str, str]) -> list[str]:
        """Create the labels (name: layer) the project lacks; returns the names created."""
        if not wanted:
            return []
        known = set(self.db.column("SELECT name FROM labels"))
        created = [name for name in wanted if name not in known]
        for name in created:
            self._insert_label(Label(name, wanted[name], colour_for(name)))
        return created

    def add_label(self, label: Label) -> Label:
        if label.layer not in LAYERS:
            raise ValueError(f"unknown layer {label.layer!r}")
        with self.db.write():
            if self.label(label.name):
                raise ValueError(f"a label named {label.name!r} already exists")
            self._check_key_free(label.key, label.name)
            self._insert_label(label)
        return label

    def update_label(self, name: str, *, new_name: str | None = None, colour: str | None = None,
                     key: str | None = None) -> Label:
        """Rename, recolour or re-key a label; a rename relabels the human's spans too."""
        with self.db.write():
            old = self.label(name)
            if old is None:
                raise Missing(f"no label {name!r}")
            if new_name and new_name != name and self.label(new_name):
                raise ValueError(f"a label named {new_name!r} already exists")
            if key is not None:
                self._check_key_free(key, name)
            self.db.execute(
                "UPDATE labels SET name = ?, colour = ?, key = ? WHERE name = ?",
                [new_name or name, colour or old.colour, old.key if key is None else (key or None), name],
            )
            if new_name and new_name != name:
                if self._in_use(name):
                    self.db.execute(f"UPDATE annotations SET label = ? WHERE label = ? AND {_PUBLISHED}", [new_name, name])
                self.db.execute("INSERT INTO label_changes (old, new, at) VALUES (?, ?, ?)", [name, new_name, now()])
        return self.label(new_name or name)  # type: ignore[return-value]  # just written

    def _in_use(self, name: str) -> bool:
        """Whether anybody's span carries the label, from the counters: the spans have no label
        index (schema 7), so a rename reads them all only when there is something to change."""
        return self.db.execute("SELECT 1 FROM span_counts WHERE label = ? AND n > 0", [name]).fetchone() is not None

    def _check_key_free(self, key: str | None, owner: str) -> None:
        if not key:
            return
        other = self.db.one("SELECT name FROM labels WHERE key = ? AND name != ?", [key, owner])
        if other:
            raise ValueError(f"the key {key!r} is already used by {other}")

    def remove_label(self, name: str) -> int:
        """Remove a label and the human's spans that carry it; returns how many spans went."""
        with self.db.write():
            removed = self.db.execute(f"DELETE FROM annotations WHERE label = ? AND {_PUBLISHED}",
                                      [name]).rowcount if self._in_use(name) else 0
            if self.db.execute("DELETE FROM labels WHERE name = ?", [name]).rowcount:
                self.db.execute("INSERT INTO label_changes (old, new, at) VALUES (?, NULL, ?)", [name, now()])
        return removed

    def _current_label(self, name: str, since: str, what: str) -> str:
        """The name a label recorded at ``since`` has now: renames are followed; a label removed
        since then refuses the undo/redo (``what``), which would bring back a span nobody can see."""
        while True:
            row = self.db.execute("SELECT new, at FROM label_changes WHERE old = ? AND at >= ? ORDER BY at, id LIMIT 1",
                                  [name, since]).fetchone()
            if row is None:
                if self.label(name) is None:
                    raise UndoRefused(f"cannot {what}: the label {name} no longer exists")
                return name
            if row[0] is None:
                if self.label(name):  # removed, then made again
                    return name
                raise UndoRefused(f"cannot {what}: the label {name} was removed since")
            name, since = row
