"""A person's marking of documents done, skipped or open: the open one, or a selection of the list.

Marking one document is an edit through the session's write queue; marking a selection (up to
every document) is work for a worker with its own Store: one transaction and one undoable edit
(storage/marking.py), told to the views once stored.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from annotator.descriptions import counted
from annotator.open_document import OpenDocument
from annotator.storage import Store
from annotator.storage.marking import Marked, Selection
from annotator.write_queue import WriteQueue

Progress = Callable[[int, int], None]  # done, total: what a worker reports


class StatusEdits:
    """Statuses of the documents of the project open in ``shown``."""

    def __init__(self, shown: OpenDocument, queue: WriteQueue) -> None:
        self.shown = shown
        self.queue = queue

    def set_status(self, status: str) -> bool:
        shown = self.shown
        if shown.document is None:
            return False
        doc, store = shown.document.id, shown.store

        def stored(_: Any) -> None:
            if shown.doc_id != doc:
                shown.events.marked.emit([doc])
                shown.events.done.emit(f"Marked {status}")
                return
            shown.sync()
            shown.events.done.emit(f"Marked {status}")
            shown.document = store.document(doc)
            shown.events.status.emit(shown.document)

        return self.queue.write(lambda: store.set_status(doc, status), stored)

    def mark_work(self, selection: Selection, status: str) -> Callable[[Progress, Callable[[], bool]], Marked]:
        """Marking a selection of the list (up to every document), as work for a worker with its
        own Store; :meth:`marked` tells the views once it is stored."""
        path, annotator = self.shown.store.path, self.shown.store.annotator

        def work(progress: Progress, cancelled: Callable[[], bool]) -> Marked:
            with Store(path, annotator) as store:
                return store.mark_documents(selection, status, progress, cancelled)

        return work

    def marked(self, result: Marked) -> None:
        """A marking was stored: the list re-reads its rows, the open document its status."""
        said = f"Marked {counted(result.changed, 'document')} {result.status}"
        self.shown.events.done.emit(said + (f"; {result.unchanged:,} already were." if result.unchanged else "."))
        self.shown.events.listed.emit(None)
        self.shown.reread_status()
