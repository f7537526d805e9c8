"""Undo and redo for a session: the store's history replayed, then shown.

An everyday edit is replayed through the session's write queue, and what the person decided on
its strings is reconsidered with it (annotator.learning); many documents marked at once are
replayed by a worker with its own Store (it rewrites their statuses).
"""

from __future__ import annotations

from collections.abc import Callable

from annotator.descriptions import replayed
from annotator.learning.consistency import reconsider
from annotator.open_document import OpenDocument
from annotator.status_edits import Progress
from annotator.storage import Edit, Store
from annotator.write_queue import WriteQueue


class UndoRedo:
    """Undo and redo of the project open in ``shown``; ``reopen`` opens the document an edit was of."""

    def __init__(self, shown: OpenDocument, queue: WriteQueue, reopen: Callable[[int], None]) -> None:
        self.shown = shown
        self.queue = queue
        self.reopen = reopen

    def undo(self) -> bool:
        return self._replay("undo")

    def redo(self) -> bool:
        return self._replay("redo")

    def _replay(self, verb: str) -> bool:
        store = self.shown.store

        def action() -> Edit:
            with store.transaction():
                edit = store.undo() if verb == "undo" else store.redo()
                if edit is None:
                    raise ValueError(f"Nothing to {verb}.")
                reconsider(store, edit.doc_id, edit.changes)
            return edit

        return self.queue.write(action, lambda edit: self.replayed(edit, verb))

    def replay_work(self, verb: str) -> Callable[[Progress, Callable[[], bool]], Edit | None] | None:
        """An undo (``verb`` "undo") or redo of many documents marked at once, as work for a
        worker (it rewrites their statuses); None when the next one is an everyday edit."""
        edit = self.shown.store.next_replay(verb)
        if edit is None or not edit.bulk:
            return None
        path, annotator = self.shown.store.path, self.shown.store.annotator

        def work(progress: Progress, cancelled: Callable[[], bool]) -> Edit | None:
            with Store(path, annotator) as store:
                return store.undo() if verb == "undo" else store.redo()

        return work

    def replayed(self, edit: Edit | None, verb: str) -> None:
        """An undo or redo was stored (here or by a worker): show what it changed."""
        shown = self.shown
        if edit is None:
            shown.events.failed.emit(f"Nothing to {verb}.")
            return
        if edit.bulk:
            shown.events.listed.emit(None)
            shown.reread_status()
        elif edit.doc_id != shown.doc_id:
            self.reopen(edit.doc_id)
        else:
            shown.sync()
            shown.reread_status()
        shown.events.done.emit(replayed(verb, edit.action, edit.changes))
