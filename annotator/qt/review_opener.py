"""View → Review: the Review in a window of its own, made on first use (its module brings
matplotlib, seconds to import), refreshed in a worker each time it is shown; a place it points
at opens in the article."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtWidgets import QWidget

from annotator.domain import Span
from annotator.qt.article_view import ArticleView
from annotator.qt.status_line import StatusLine
from annotator.session import Session


class ReviewOpener:
    def __init__(self, parent: QWidget, session: Session, article: ArticleView, status: StatusLine,
                 closed: Callable[[], None]) -> None:
        self.parent, self.session, self.article, self.status, self.closed = parent, session, article, status, closed
        self.window: Any = None  # the ReviewWindow, made on first use (its module is imported then)

    def toggle(self, show: bool) -> None:
        if self.window is None:
            from annotator.qt.review_panel import ReviewPanel, ReviewWindow

            def run(work: Any, done: Callable[[Any], None]) -> None:
                self.status.run("Reviewing", work, done, "Review failed")

            panel = ReviewPanel(self.session.store, run)
            panel.open_location.connect(self.open_location)
            panel.taken.connect(self.taken)
            self.window = ReviewWindow(panel, self.parent)
            self.window.addActions(self.parent.actions())  # the window's keys work there too: Ctrl+R closes it
            self.window.closed.connect(self.closed)
        if show:
            self.window.show()
            self.window.panel.refresh()
        else:
            self.window.hide()

    def project_switched(self) -> None:
        if self.window is not None:
            self.window.panel.store = self.session.store

    def close(self) -> None:
        if self.window is not None:
            self.window.close()

    def taken(self, doc_id: int) -> None:
        """A version taken here is the person's own change: the open document is read again (the
        window's look for others' changes then takes it as seen)."""
        if doc_id == self.session.doc_id:
            self.session.shown.sync()

    def open_location(self, doc_id: int, start: int, end: int) -> None:
        """Show a place of a document: the human's spans drawn, the model's version in the message."""
        self.session.open(doc_id)
        self.article.select_range(start, end)
        model = [s for s in self.session.store.predictions(doc_id) if s.start < end and start < s.end]
        human = [s for s in self.article.spans if s.start < end and start < s.end]

        def show(spans: Sequence[Span]) -> str:
            return ", ".join(f"“{s.text}” {s.label}" for s in spans) or "nothing"

        self.status.show_message(f"Model: {show(model)}   —   yours: {show(human)}")
