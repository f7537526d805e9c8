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
from typing import TYPE_CHECKING, Any

from annotator.domain import Span
from annotator.storage.connection import Connection
from annotator.storage.counts import add_span_counts
from annotator.storage.errors import UndoRefused
from annotator.storage.rows import COUNTED, INSERT_ANNOTATION, annotation_row, load, now


@dataclass(frozen=True)
class Edit:
    """One undoable user action: a list of changes, each ``{"op", "before", "after"}``."""

    id: int
    doc_id: int
    annotator: str
    action: str
    changes: list[dict[str, Any]]
    at: str
    state: str  # done | undone | discarded (undone, then replaced by a newer edit)

    @property
    def bulk(self) -> bool:
        """Many documents marked at once: no one document to show, and long to replay."""
        return any(change.get("op") == "statuses" for change in self.changes)


_EDIT = "SELECT id, doc_id, annotator, action, changes, at, state FROM edits"


def _edit(row: Any) -> Edit:
    return Edit(row[0], row[1], row[2], row[3], json.loads(row[4]), row[5], row[6])


# Replays one change of an op another part records: (edit, current, target, what), either side
# None for an addition or a removal; raises UndoRefused when it cannot.
Replay = Callable[[Edit, Any, Any, str], None]


class History:
    db: Connection
    annotator: str
    replayers: dict[str, Replay]  # the ops of other parts (set by the Store)
    if TYPE_CHECKING:  # what History uses of the Store's other parts
        def _write_status(self, doc_id: int, status: str) -> None: ...
        def _write_statuses(self, target: Any, current: Any) -> None: ...
        def _current_label(self, name: str, since: str, what: str) -> str: ...
        def _write_annotation(self, span: Span) -> bool: ...

    def _record(self, doc_id: int, action: str, changes: list[dict[str, Any]]) -> None:
        """Record an edit (inside the edit's own write): a new edit ends this person's redo chain."""
        self.db.execute("UPDATE edits SET state = 'discarded' WHERE annotator = ? AND state = 'undone'", [self.annotator])
        self.db.execute("INSERT INTO edits (doc_id, annotator, action, changes, at, state) VALUES (?, ?, ?, ?, ?, 'done')",
                        [doc_id, self.annotator, action, json.dumps(changes, ensure_ascii=False), now()])

    def history(self, doc_id: int | None = None, limit: int = 1000) -> list[Edit]:
        """Who changed what, when: newest first."""
        sql, params = _EDIT, []
        if doc_id is not None:
            sql += " WHERE doc_id = ?"
            params.append(doc_id)
        return [_edit(r) for r in self.db.execute(sql + " ORDER BY id DESC LIMIT ?", [*params, limit])]

    def can_undo(self) -> bool:
        return self._last_edit("done", "DESC") is not None

    def can_redo(self) -> bool:
        return self._last_edit("undone", "ASC") is not None

    def _last_edit(self, state: str, order: str) -> Edit | None:
        row = self.db.execute(f"{_EDIT} WHERE annotator = ? AND state = ? ORDER BY id {order} LIMIT 1",
                              [self.annotator, state]).fetchone()
        return _edit(row) if row else None

    def next_replay(self, verb: str) -> Edit | None:
        """The edit an undo (or a redo) would replay now, if any."""
        return self._last_edit("done", "DESC") if verb == "undo" else self._last_edit("undone", "ASC")

    def undo(self) -> Edit | None:
        """Revert this annotator's latest edit (persisted: undo survives a restart)."""
        return self._replay("done", "DESC", "undone", "undo")

    def redo(self) -> Edit | None:
        """Apply again the edit most recently undone."""
        return self._replay("undone", "ASC", "done", "redo")

    def _replay(self, state: str, order: str, new_state: str, verb: str) -> Edit | None:
        with self.db.write():
            edit = self._last_edit(state, order)
            if edit is None:
                return None
            changes = edit.changes if verb == "redo" else list(reversed(edit.changes))
            for change in changes:
                current, target = (change["before"], change["after"]) if verb == "redo" else (change["after"], change["before"])
                self._apply(edit, change["op"], current, target, f"{verb} {edit.action}")
            self.db.execute("UPDATE edits SET state = ? WHERE id = ?", [new_state, edit.id])
        return edit

    def _apply(self, edit: Edit, op: str, current: Any, target: Any, what: str) -> None:
        """Move one change from ``current`` to ``target`` (either may be None for add/delete)."""
        if op in self.replayers:  # another part's change (document labels, relations)
            self.replayers[op](edit, current, target, what)
            return
        if op == "status":
            self._write_status(edit.doc_id, target)
            return
        if op == "statuses":  # many documents marked at once (storage/marking.py)
            self._write_statuses(target, current)
            return
        if current is not None:
            self._check_same_span(edit, current, what)
        if target is None:
            self.db.execute("DELETE FROM annotations WHERE id = ? AND annotator = ?",
                            [current["id"], current.get("annotator") or edit.annotator])
        else:
            span = load(target)
            span = span.with_(label=self._current_label(span.label, edit.at, what),
                              annotator=span.annotator or edit.annotator)
            if current is None or not self._write_annotation(span):
                # added back, or changed back after its label's removal took it away
                if self.db.one("SELECT 1 FROM annotations WHERE id = ?", [span.id]):
                    raise UndoRefused(f"cannot {what}: another change has since taken the place of its span")
                row = annotation_row(edit.doc_id, span, self.annotator, now())
                self.db.execute(INSERT_ANNOTATION, row)
                add_span_counts(self.db, {COUNTED(row): 1})


    def _check_same_span(self, edit: Edit, recorded: dict[str, Any], what: str) -> None:
        """The span the edit left at ``recorded["id"]`` must still be that span (same document,
        place, person and label, a rename followed) before undo/redo touches it: SQLite reuses the
        ids of deleted spans, and a merge or another person may have put a different span there.
        A span that is gone is not checked (undo of an add then has nothing to remove)."""
        row = self.db.execute("SELECT doc_id, layer, start, [end], annotator, label FROM annotations WHERE id = ?",
                              [recorded["id"]]).fetchone()
        if row is None:
            return
        expected = (edit.doc_id, recorded["layer"], recorded["start"], recorded["end"],
                    recorded.get("annotator") or edit.annotator)
        labels = (recorded["label"], self._current_label_or_none(recorded["label"], edit.at))
        if tuple(row[:5]) != expected or row[5] not in labels:
            raise UndoRefused(f"cannot {what}: another change has since taken the place of its span")

    def _current_label_or_none(self, name: str, since: str) -> str | None:
        try:
            return self._current_label(name, since, "")
        except UndoRefused:
            return None
