"""The links list beside the article and the arcs drawn on it, kept in step: a link picked in one is
picked in the other, and a relation label's chip links or relabels."""

from __future__ import annotations

from annotator.qt.arcs import Arcs
from annotator.qt.article_view import ArticleView
from annotator.qt.link_mode import LinkMode
from annotator.qt.relations_panel import RelationsPanel
from annotator.qt.status_line import StatusLine
from annotator.session import Session
from annotator.session_links import Links


class Linking:
    def __init__(self, session: Session, links: Links, article: ArticleView, arcs: Arcs, link_mode: LinkMode,
                 relations: RelationsPanel, status: StatusLine) -> None:
        self.session, self.links, self.article, self.arcs = session, links, article, arcs
        self.link_mode, self.relations, self.status = link_mode, relations, status
        relations.label_chosen.connect(self._label_chosen)
        relations.picked.connect(self._picked)
        arcs.on_pick = self._arc_clicked
        session.events.opened.connect(lambda _: link_mode.cancel())

    def focus_list(self) -> None:
        """F6: the links list, to pick a link (Delete removes it, Enter confirms a suggested one)."""
        self.relations.list.setFocus()
        if self.relations.list.currentItem() is None and self.relations.list.count():
            self.relations.list.setCurrentRow(0)

    def _arc_clicked(self, relation_id: int) -> None:
        """A click on a link's name: picked in the links list, where Delete and Enter act on it."""
        self.relations.pick(relation_id)
        self.relations.list.setFocus()

    def _picked(self, relation_id: int | None) -> None:
        """A link picked in the list: drawn thicker, and its head scrolled into view."""
        self.arcs.select(relation_id)
        relation = self.links.relations.get(relation_id) if relation_id is not None else None
        head = self.session.spans.get(relation.head) if relation is not None else None
        if head is not None:
            cursor = self.article.textCursor()
            cursor.setPosition(self.article.offsets.to_qt(head.start))
            self.article.setTextCursor(cursor)  # which scrolls it into view

    def _label_chosen(self, name: str) -> None:
        """A relation label's chip: links while linking, else relabels the link picked in the panel."""
        picked = self.relations.current()
        if self.link_mode.active:
            self.link_mode.finish(name)
        elif picked is not None:
            self.links.relabel(picked, name)
        else:
            self.status.show_message("Select a span and press Tab to link it, or pick a link in the list to relabel it.",
                                     error=True)
