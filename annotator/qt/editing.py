"""What a person does to spans in the article: label a selection, select, relabel, remove, confirm,
and the keys that depend on the project (label keys, Shift + a document label's key, Tab to link).

The fixed keys (Delete, Enter, Alt+arrows…) are rows of the command table (:mod:`annotator.qt.commands`)
whose handlers call the methods here; this part knows nothing of the table or the window.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeyEvent

from annotator.domain import Label, StoredSpan
from annotator.qt.article_view import ArticleView
from annotator.qt.category_bar import CategoryBar
from annotator.qt.link_mode import LinkMode
from annotator.qt.status_line import StatusLine
from annotator.session import Session
from annotator.session_links import Links
from annotator.tokens import crosses_line_end, snap

Mod = Qt.KeyboardModifier


class Editing:
    def __init__(self, session: Session, article: ArticleView, links: Links, link_mode: LinkMode,
                 category_bar: CategoryBar, status: StatusLine, snapping: Callable[[], bool]) -> None:
        self.session, self.article, self.links, self.link_mode = session, article, links, link_mode
        self.category_bar, self.status, self.snapping = category_bar, status, snapping
        self.keys: dict[str, Label] = {}  # the project's label keys
        article.span_clicked.connect(self.span_clicked)
        article.tab_handler = self.tab
        session.events.labels.connect(self._labels_changed)

    def _labels_changed(self, labels: list[Label]) -> None:
        self.keys = {label.key: label for label in labels if label.key}

    def apply_label(self, name: str, exact: bool = False) -> None:
        """Label the selected text, or relabel the selected span."""
        selected = self.article.selected_range()
        if self.session.doc_id is None:
            return
        if selected:
            snapping = not exact and self.snapping()
            start, end = snap(self.article.text, *selected) if snapping else selected
            if start >= end:
                self.status.show_message("Select some text first.", error=True)
            elif snapping and crosses_line_end(self.article.text, start, end):
                self.status.show_message("The selection runs over a line end: select within one line "
                                         "(or hold Alt with the key to label exactly what is selected).", error=True)
            elif self.session.add(start, end, name):
                self.article.clear_selection()
        elif self.session.selected is not None:
            self.session.relabel(name)
        else:
            self.status.show_message("Select text (or click a span) before choosing a label.", error=True)

    def span_clicked(self, span: StoredSpan | None) -> None:
        if self.link_mode.active:  # the click chooses the other end of the link
            self.article.clear_selection()
            self.link_mode.point_at(span)
            return
        self.session.select(span)
        if span is not None:
            self.status.show_message(f"Selected {span.label} “{span.text}” — a label key relabels it, Delete removes it, "
                                     "Alt+arrows resize it, Enter confirms it.")

    def delete_selected(self) -> None:
        if self.session.selected is not None:
            self.session.delete()

    def confirm_selected(self) -> None:
        if self.session.selected is not None:
            self.session.confirm()

    def deselect(self) -> None:
        self.article.clear_selection()
        self.session.select(None)

    def linking_key(self, event: QKeyEvent) -> bool:
        """While linking, every key is the link's; Shift + a document label's key toggles that label."""
        if self.link_mode.active:
            return self.link_mode.key(event)
        category = self._category_key(event)
        if category is not None:
            self.links.toggle(category)
        return category is not None

    def label_key(self, event: QKeyEvent) -> bool:
        """A label's key labels the selection (with Alt: exactly as selected) or relabels the selected span."""
        text = event.text().lower()
        if not text or text not in self.keys or event.modifiers() & Mod.ControlModifier:
            return False
        self.apply_label(self.keys[text].name, exact=bool(event.modifiers() & Mod.AltModifier))
        return True

    def _category_key(self, event: QKeyEvent) -> str | None:
        """The document label Shift + its key toggles (letters and digits only: Shift+arrows still select)."""
        mods = event.modifiers()
        if mods & ~(Mod.ShiftModifier | Mod.KeypadModifier) or not mods:
            return None
        key = event.key()
        if not (Qt.Key.Key_0 <= key <= Qt.Key.Key_9 or Qt.Key.Key_A <= key <= Qt.Key.Key_Z):
            return None
        return self.category_bar.key_of(chr(key).lower())

    def tab(self, forward: bool) -> bool:
        """Tab in the article: with a span selected, link from it (Tab again moves to the next span)."""
        if self.link_mode.active:
            self.link_mode.step(1 if forward else -1)
            return True
        if self.session.store.read_only:
            return False
        if self.session.selected is None:
            return forward and self._select_next_span()
        return self.link_mode.start()

    def _select_next_span(self) -> bool:
        """Tab with no span selected: the first span from the text cursor on is selected (the keyboard's click)."""
        at = self.article.offsets.from_qt(self.article.textCursor().position())
        spans = sorted(self.session.spans.values(), key=lambda s: (s.start, s.end))
        span = next((s for s in spans if s.start >= at), spans[0] if spans else None)
        if span is None:
            return False
        cursor = self.article.textCursor()
        cursor.setPosition(self.article.offsets.to_qt(span.end))  # Escape, Tab: the next one
        self.article.setTextCursor(cursor)
        self.span_clicked(span)
        return True
