"""Edit → Undo and Redo, over all of the person's edits (also after a restart): an everyday edit
at once, many documents marked at once in a worker; the menu items on only while there is
something to undo or redo in a project that may be written."""

from __future__ import annotations

from PySide6.QtGui import QAction

from annotator.qt.status_line import StatusLine
from annotator.session import Session


class UndoRedo:
    def __init__(self, session: Session, status: StatusLine, undo_action: QAction, redo_action: QAction) -> None:
        self.session, self.status = session, status
        self.actions = {"undo": undo_action, "redo": redo_action}

    def undo(self) -> None:
        self._replay("undo")

    def redo(self) -> None:
        self._replay("redo")

    def _replay(self, verb: str) -> None:
        work = self.session.replay_work(verb) if not self.session.store.read_only else None
        if work is None:
            self.session.undo() if verb == "undo" else self.session.redo()
            self.update()
            return
        self.status.run(verb.capitalize(), work, lambda edit: self.session.replayed(edit, verb),
                        "Not undone" if verb == "undo" else "Not redone")

    def update(self) -> None:
        """Undo and Redo on where there is something to undo or redo."""
        store = self.session.store
        for verb, possible in (("undo", store.can_undo), ("redo", store.can_redo)):
            self.actions[verb].setEnabled(not store.read_only and possible())
