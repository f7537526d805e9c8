"""Moving between documents and setting their status: next and previous, the next open one, and
marking the documents selected in the list (in a worker: a million of them take seconds)."""

from __future__ import annotations

from annotator.learning.queue import next_document
from annotator.qt.document_panel import DocumentPanel
from annotator.qt.status_line import StatusLine
from annotator.session import Session, counted


class Navigation:
    def __init__(self, session: Session, documents: DocumentPanel, status: StatusLine) -> None:
        self.session, self.documents, self.status = session, documents, status

    def go(self, step: int, status: str | None = None) -> None:
        doc_id, store = self.session.doc_id, self.session.store
        if doc_id is None:
            return
        target = store.neighbour(doc_id, step, status)
        if target is None and status:  # wrap around to the first of that status
            target = store.neighbour(0, 1, status)
            target = None if target == doc_id else target
        if target is None:
            self.status.show_message("No more documents" + (f" that are {status}." if status else " this way."))
            return
        self.session.open(target)

    def next_unreviewed(self) -> None:
        """The learning queue's choice if the project follows it, else this person's next assigned
        open document (``annotator assign``), else the list's next open one."""
        store, current = self.session.store, self.session.doc_id
        target = next_document(store, current)  # where the models disagree most, if the project says so
        if target is None:
            target = store.next_assigned(current)
        if target is None:
            self.go(1, "open")
        else:
            self.session.open(target)

    def mark_done(self) -> None:
        if self.session.set_status("done"):
            self.next_unreviewed()

    def skip(self) -> None:
        if self.session.set_status("skipped"):
            self.next_unreviewed()

    def mark_selected(self, status: str) -> None:
        """Every document selected in the list gets the status, in a worker, as one transaction and one undoable edit."""
        chosen = self.documents.selection()
        if not len(chosen):
            self.status.show_message("Select documents in the list first (Shift/Ctrl+click, Shift+arrows).", error=True)
            return
        self.status.run(f"Marking {counted(len(chosen), 'document')} {status}", self.session.mark_work(chosen, status),
                        self.session.marked, "Not marked")
