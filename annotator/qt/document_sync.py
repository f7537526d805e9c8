"""The document list, the heading, the progress count and the labels shown follow the session:
a document opened, edited, marked or listed anew is redrawn where it shows, and nowhere else."""

from __future__ import annotations

from annotator.categories import Scheme
from annotator.domain import Document
from annotator.qt.document_panel import DocumentPanel
from annotator.qt.last_document import LastDocument
from annotator.qt.shown_labels import RememberedLabels
from annotator.qt.status_line import StatusLine
from annotator.qt.undo_redo import UndoRedo
from annotator.qt.window_layout import Heading
from annotator.session import Session
from annotator.session_links import Links


class DocumentSync:
    def __init__(self, session: Session, links: Links, documents: DocumentPanel, heading: Heading,
                 shown_labels: RememberedLabels, last_document: LastDocument, status: StatusLine, history: UndoRedo) -> None:
        self.session, self.documents, self.heading, self.shown_labels = session, documents, heading, shown_labels
        self.last_document, self.status, self.history = last_document, status, history
        documents.document_chosen.connect(session.open)
        session.events.opened.connect(self._opened)
        session.events.spans.connect(self._spans_changed)
        session.events.status.connect(self._status_changed)
        session.events.labels.connect(documents.set_labels)
        session.events.marked.connect(self._marked)
        session.events.listed.connect(self._relisted)
        links.events.categories.connect(lambda _: self._update_open())
        links.events.scheme.connect(self._scheme_changed)

    def _opened(self, doc: Document) -> None:
        self.heading.show_document(doc)
        self.documents.update_row(doc.id)  # an undo may have changed it while another was open
        self.documents.show_document(doc.id)
        self.shown_labels.remember()
        self.last_document.opened(self.session.store, doc.id)

    def _update_open(self) -> None:
        if self.session.doc_id is not None:
            self.documents.update_row(self.session.doc_id)

    def _spans_changed(self, _: object) -> None:
        self._update_open()
        self.shown_labels.remember()

    def _status_changed(self, doc: Document) -> None:
        self.heading.show_document(doc)
        self.documents.update_row(doc.id)
        self.update_progress()

    def _marked(self, doc_ids: list[int]) -> None:
        for doc_id in doc_ids:
            self.documents.update_row(doc_id)
        self.update_progress()

    def _relisted(self, _: object) -> None:
        self.documents.reread()
        self.update_progress()

    def _scheme_changed(self, scheme: Scheme) -> None:
        self.documents.set_categories([c.name for c in scheme.labels])

    def update_progress(self) -> None:
        counts = self.session.store.counts()  # kept by the store: no scan of the project's spans
        self.status.progress_label.setText(f"{counts['status']['done']} of {counts['documents']} done")
        self.history.update()
