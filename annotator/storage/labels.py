"""Labels: the project's label set, and what became of a label (for undo across renames)."""

from __future__ import annotations

from collections.abc import Iterable

from annotator.domain import LAYERS, Label, Span
from annotator.labels import colour_for
from annotator.storage.connection import Connection
from annotator.storage.errors import UndoRefused
from annotator.storage.label_table import LabelTable, new_key
from annotator.storage.rows import now

# A rename or removal changes the spans of published documents: an import still running keeps
# the names its file gave (its spans are counted by those names when it ends, and it makes any
# label that is missing by then).
_PUBLISHED = "doc_id NOT IN (SELECT doc_id FROM pending_docs)"


class Labels:
    """``store.labels``: the span labels; called, it lists them (of one layer if given)."""

    def __init__(self, db: Connection) -> None:
        self.db = db
        self.table = LabelTable(db, "labels", ("name", "layer", "colour", "key"), "label", "")

    def __call__(self, layer: str | None = None) -> list[Label]:
        where, params = (" WHERE layer = ?", [layer]) if layer else ("", [])
        return [Label(*row) for row in self.table.rows(where, params, order="layer, position, name")]

    def label(self, name: str) -> Label | None:
        row = self.table.row(name)
        return Label(*row) if row else None

    def _insert_label(self, label: Label) -> None:
        self.table.insert([label.name, label.layer, label.colour, label.key])

    def ensure(self, spans: Iterable[Span]) -> list[str]:
        """Create the labels that spans bring and the project lacks, each with a colour (in a write)."""
        return self.create({span.label: span.layer for span in spans})

    def create(self, wanted: dict[str, str]) -> list[str]:
        """Create the labels (name: layer) the project lacks; returns the names created."""
        if not wanted:
            return []
        created = self.table.missing(wanted)
        for name in created:
            self._insert_label(Label(name, wanted[name], colour_for(name)))
        return created

    def add_label(self, label: Label) -> Label:
        if label.layer not in LAYERS:
            raise ValueError(f"unknown layer {label.layer!r}")
        with self.db.write():
            self.table.check_new(label.name, label.key)
            self._insert_label(label)
        return label

    def update_label(self, name: str, *, new_name: str | None = None, colour: str | None = None,
                     key: str | None = None) -> Label:
        """Rename, recolour or re-key a label; a rename relabels the human's spans too."""
        with self.db.write():
            old = Label(*self.table.changing(name, new_name, key))
            self.table.update(name, {"name": new_name or name, "colour": colour or old.colour,
                                     "key": new_key(old.key, key)})
            if new_name and new_name != name:
                if self._in_use(name):
                    self.db.execute(f"UPDATE annotations SET label = ? WHERE label = ? AND {_PUBLISHED}", [new_name, name])
                self.db.execute("INSERT INTO label_changes (old, new, at) VALUES (?, ?, ?)", [name, new_name, now()])
        return Label(*self.table.row(new_name or name))  # just written

    def _in_use(self, name: str) -> bool:
        """Whether anybody's span carries the label, from the counters: the spans have no label
        index (schema 7), so a rename reads them all only when there is something to change."""
        return self.db.execute("SELECT 1 FROM span_counts WHERE label = ? AND n > 0", [name]).fetchone() is not None

    def remove_label(self, name: str) -> int:
        """Remove a label and the human's spans that carry it; returns how many spans went."""
        with self.db.write():
            removed = self.db.execute(f"DELETE FROM annotations WHERE label = ? AND {_PUBLISHED}",
                                      [name]).rowcount if self._in_use(name) else 0
            if self.db.execute("DELETE FROM labels WHERE name = ?", [name]).rowcount:
                self.db.execute("INSERT INTO label_changes (old, new, at) VALUES (?, NULL, ?)", [name, now()])
        return removed

    def current(self, name: str, since: str, what: str) -> str:
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
