"""Linking two spans from the keyboard (or the mouse): the article's link mode.

With a span selected, Tab starts a link from it (the head) and points at the next span; Tab /
Shift+Tab or the arrows move to the next / previous span, a click points at the one clicked; a
relation label's key (or its chip in the links panel) links the head to the span pointed at, Enter
links with the label used last, Escape cancels. While it lasts, keys go to it first.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeyEvent

from annotator.domain import StoredSpan
from annotator.session_links import Links

K = Qt.Key
NEXT_KEYS = {K.Key_Tab, K.Key_Right, K.Key_Down}
PREVIOUS_KEYS = {K.Key_Backtab, K.Key_Left, K.Key_Up}


class LinkMode:
    """Who is being linked to whom; ``changed`` is called whenever that changes (to redraw)."""

    def __init__(self, links: Links, changed: Callable[[], None], say: Callable[[str], None]) -> None:
        self.links = links
        self.changed = changed
        self.say = say
        self.head: StoredSpan | None = None
        self.child: StoredSpan | None = None
        self.last_label: str | None = None

    @property
    def active(self) -> bool:
        return self.head is not None

    def start(self) -> bool:
        """Link from the selected span; False if none is selected."""
        head = self.links.session.selected
        if not isinstance(head, StoredSpan):  # none, or one whose adding waits for the write lock
            return False
        self.head = head
        self.child = None
        self.step(1)
        return True

    def cancel(self) -> None:
        if self.active:
            self.head = self.child = None
            self.changed()

    def _others(self) -> list[StoredSpan]:
        head = self.head
        return sorted((s for s in self.links.session.spans.values() if head is None or s.id != head.id),
                      key=lambda s: (s.start, s.end))

    def step(self, direction: int) -> None:
        """Point at the next (1) or previous (-1) span in the text, from the one pointed at (or the head)."""
        others = self._others()
        if not others or self.head is None:
            self.say("There is no other span in this document to link to.")
            self.cancel()
            return
        here = self.child or self.head
        place = (here.start, here.end)
        if direction > 0:
            self.child = next((s for s in others if (s.start, s.end) > place), others[0])
        else:
            self.child = next((s for s in reversed(others) if (s.start, s.end) < place), others[-1])
        self._tell()

    def point_at(self, span: StoredSpan | None) -> None:
        """A click while linking: the span clicked is the other end."""
        if span is None or self.head is None or span.id == self.head.id:
            return
        self.child = span
        self._tell()

    def _tell(self) -> None:
        keys = ", ".join(f"{label.key} {label.name}" for label in self.links.relation_labels if label.key)
        if self.head is not None and self.child is not None:
            self.say(f"Link “{self.head.text}” → “{self.child.text}”: a relation key ({keys}), Enter for "
                     f"{self.label_for_enter() or 'the first'}; Tab/arrows move, Escape cancels.")
        self.changed()

    def label_for_enter(self) -> str | None:
        first = self.links.relation_labels[0].name if self.links.relation_labels else None
        return self.last_label or first

    def finish(self, name: str | None) -> bool:
        """Link the head to the span pointed at with the label ``name``; the mode ends either way."""
        head, child = self.head, self.child
        self.head = self.child = None
        self.changed()
        if head is None or child is None or name is None:
            return False
        self.last_label = name
        session = self.links.session
        session.select(session.spans.get(head.id))  # the link starts from the selected span
        return self.links.link(session.spans.get(child.id, child), name)

    def key(self, event: QKeyEvent) -> bool:
        """Keys while linking: every key is the mode's (a stray one says what it waits for)."""
        key = event.key()
        if key == K.Key_Escape:
            self.cancel()
            self.say("Link cancelled.")
        elif key in NEXT_KEYS:
            self.step(1)
        elif key in PREVIOUS_KEYS:
            self.step(-1)
        elif key in (K.Key_Return, K.Key_Enter):
            self.finish(self.label_for_enter())
        elif event.modifiers() & (Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.MetaModifier):
            return False  # the window's shortcuts (Ctrl+Z …) still work
        else:
            text = event.text().lower()
            label = next((r for r in self.links.relation_labels if r.key and r.key.lower() == text), None) if text else None
            if label is not None:
                self.finish(label.name)
            elif text:
                self._tell()
            else:
                return False  # Shift, Alt alone
        return True
