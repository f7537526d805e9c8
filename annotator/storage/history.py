"""The history of edits: who changed what, when; undo and redo replay it, also after a restart.

A label renamed since an edit is followed (redo brings the span back under the new name); a
label removed since refuses the undo/redo with a one-line :class:`UndoRefused`, changing nothing.
Many documents marked at once are one edit (op ``statuses``), their statuses before kept as runs
of consecutive ids per status (storage/marking.py): a million documents are a few numbers here.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from annotator.storage.connection import Connection
from annotator.storage.rows import now


class State(StrEnum):
    """Where an edit stands (the edits table's CHECK lists the same)."""

    DONE = "done"
    UNDONE = "undone"
    DISCARDED = "discarded"  # undone, then replaced by a newer edit: never redone


@dataclass(frozen=True)
class Edit:
    """One undoable user action: a list of changes, each ``{"op", "before", "after"}``."""

    id: int
    doc_id: int
    annotator: str
    action: str
    changes: list[dict[str, Any]]
    at: str
    state: str  # a State

    @property
    def bulk(self) -> bool:
        """Many documents marked at once: no one document to show, and long to replay."""
        return any(change.get("op") == "statuses" for change in self.changes)


_EDIT = "SELECT id, doc_id, annotator, action, changes, at, state FROM edits"


def _edit(row: Any) -> Edit:
    return Edit(row[0], row[1], row[2], row[3], json.loads(row[4]), row[5], row[6])


# Replays one change of an op a part records: (edit, current, target, what), either side
# None for an addition or a removal; raises UndoRefused when it cannot.
Replay = Callable[[Edit, Any, Any, str], None]


class History:
    """``store.history``: the edit log. Every part records its edits here (:meth:`record`, handed to
    it when built); undo and redo hand each change back to the part that owns its op
    (``replayers``, filled by the Store once every part is built). Called, it lists the edits."""

    def __init__(self, db: Connection, annotator: str) -> None:
        self.db = db
        self.annotator = annotator
        self.replayers: dict[str, Replay] = {}

    def record(self, doc_id: int, action: str, changes: list[dict[str, Any]]) -> None:
        """Record an edit (inside the edit's own write): a new edit ends this person's redo chain."""
        self.db.execute("UPDATE edits SET state = ? WHERE annotator = ? AND state = ?",
                        [State.DISCARDED, self.annotator, State.UNDONE])
        self.db.execute("INSERT INTO edits (doc_id, annotator, action, changes, at, state) VALUES (?, ?, ?, ?, ?, ?)",
                        [doc_id, self.annotator, action, json.dumps(changes, ensure_ascii=False), now(), State.DONE])

    def __call__(self, doc_id: int | None = None, limit: int = 1000) -> list[Edit]:
        """Who changed what, when: newest first."""
        sql, params = _EDIT, []
        if doc_id is not None:
            sql += " WHERE doc_id = ?"
            params.append(doc_id)
        return [_edit(r) for r in self.db.execute(sql + " ORDER BY id DESC LIMIT ?", [*params, limit])]

    def can_undo(self) -> bool:
        return self._last_edit(State.DONE, "DESC") is not None

    def can_redo(self) -> bool:
        return self._last_edit(State.UNDONE, "ASC") is not None

    def _last_edit(self, state: str, order: str) -> Edit | None:
        row = self.db.execute(f"{_EDIT} WHERE annotator = ? AND state = ? ORDER BY id {order} LIMIT 1",
                              [self.annotator, state]).fetchone()
        return _edit(row) if row else None

    def next_replay(self, verb: str) -> Edit | None:
        """The edit an undo (or a redo) would replay now, if any."""
        return self._last_edit(State.DONE, "DESC") if verb == "undo" else self._last_edit(State.UNDONE, "ASC")

    def undo(self) -> Edit | None:
        """Revert this annotator's latest edit (persisted: undo survives a restart)."""
        return self._replay(State.DONE, "DESC", State.UNDONE, "undo")

    def redo(self) -> Edit | None:
        """Apply again the edit most recently undone."""
        return self._replay(State.UNDONE, "ASC", State.DONE, "redo")

    def _replay(self, state: str, order: str, new_state: str, verb: str) -> Edit | None:
        with self.db.write():
            edit = self._last_edit(state, order)
            if edit is None:
                return None
            changes = edit.changes if verb == "redo" else list(reversed(edit.changes))
            for change in changes:
                current, target = (change["before"], change["after"]) if verb == "redo" else (change["after"], change["before"])
                self.replayers[change["op"]](edit, current, target, f"{verb} {edit.action}")
            self.db.execute("UPDATE edits SET state = ? WHERE id = ?", [new_state, edit.id])
        return edit
