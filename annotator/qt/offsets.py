"""Stored character offsets <-> positions in the Qt document that shows the text, exactly.

The two count differently in two places, and nowhere else (every code point was checked):
- a character outside the Basic Multilingual Plane (emoji, 𝔰) is one stored character but two
  Qt positions (UTF-16 code units);
- a Windows line end ``\\r\\n`` is two stored characters but one Qt position: Qt makes it one
  block separator. A lone ``\\r``, ``\\n``, U+2028, U+2029 and U+0085 stay one position each.
So the map keeps only the offsets where the two counts part, and converts by bisection.

A stored offset between ``\\r`` and ``\\n`` has no place of its own in Qt; it maps to the start
of the next line. A Qt position maps back to the last stored offset at or before it, so a
position inside a surrogate pair means the character it belongs to, and a selection never
ends or starts between ``\\r`` and ``\\n``.

A paragraph longer than ``LONG_PARAGRAPH`` characters is shown as several (a space between two
sentences, or two words, shown as a paragraph break: one Qt position as the space is, so the
map is unchanged). Qt lays a text out a paragraph at a time, the first ones at once and the rest
in steps between events; one paragraph of 100,000 characters (a file with no line breaks) held
the window for the whole of its layout.
"""

from __future__ import annotations

import re
from bisect import bisect_right

from PySide6.QtGui import QTextBlockFormat, QTextCursor
from PySide6.QtWidgets import QPlainTextEdit, QTextEdit

# A character that takes two Qt positions, or the "\n" of "\r\n", which takes none.
_IRREGULAR = re.compile("[\U00010000-\U0010ffff]|(?<=\r)\n")
# What PySide reads as a byte-order mark when a string starts with it (it drops U+FEFF and
# byte-swaps the rest after U+FFFE).
_BYTE_ORDER_MARKS = ("\ufeff", "\ufffe")
LAID_OUT_AT_ONCE = 20_000  # characters: a longer text is laid out lazily (see show_text)
LONG_PARAGRAPH = 4000  # characters: a longer paragraph is shown as paragraphs of at most this many
# What Qt starts a new paragraph at (QTextCursor.insertText; its frame marks left out: no text holds them).
_BREAK = re.compile("[\n\r\u2029]")


class OffsetMap:
    """Converts between offsets into one stored text and positions in the Qt document showing it."""

    def __init__(self, text: str) -> None:
        self.length = len(text)
        # For each stretch between irregular characters: the first stored offset after the
        # previous one, the Qt position of that offset, and the stretch's shift (Qt - stored).
        self._starts = [0]
        self._qt_starts = [0]
        self._shifts = [0]
        shift = 0
        for match in _IRREGULAR.finditer(text):
            shift += 1 if match.group() != "\n" else -1
            after = match.end()
            self._starts.append(after)
            self._qt_starts.append(after + shift)
            self._shifts.append(shift)

    def to_qt(self, offset: int) -> int:
        """The Qt position of a stored offset (clamped to the text)."""
        offset = min(max(offset, 0), self.length)
        return offset + self._shifts[bisect_right(self._starts, offset) - 1]

    def from_qt(self, position: int) -> int:
        """The last stored offset whose Qt position is at or before ``position``."""
        stretch = bisect_right(self._qt_starts, position) - 1
        end = self._starts[stretch + 1] - 1 if stretch + 1 < len(self._starts) else self.length
        return min(max(position - self._shifts[stretch], 0), end)


def show_text(view: QPlainTextEdit | QTextEdit, text: str, block: QTextBlockFormat | None = None) -> None:
    """Make ``view`` show exactly ``text``, whatever its first character (each paragraph in
    ``block``'s format when one is given).

    Handing PySide a string that starts with a byte-order mark loses or garbles it, so such a
    text goes in behind a placeholder character that is then deleted. The text goes in as
    ``setPlainText`` puts it: one ``insertText`` into the emptied document; a text longer than
    ``LAID_OUT_AT_ONCE`` in one edit block, which Qt lays out a few paragraphs at a time, the
    first ones at once and the rest between events (see :func:`in_paragraphs` for what a long
    paragraph becomes). A shorter one is laid out at once, which takes a few milliseconds.
    """
    document = view.document()
    whole = QTextCursor(document)
    lazily = len(text) > LAID_OUT_AT_ONCE
    if lazily:  # one change of the whole document: Qt lays it out a few paragraphs at a time, from the top
        whole.beginEditBlock()
    document.clear()
    if lazily:  # the view's cursor put at the start before the text goes in: put there after, it has Qt lay out all
        start = QTextCursor(document)
        start.setKeepPositionOnInsert(True)
        view.setTextCursor(start)
    cursor = QTextCursor(document)
    if block is not None:
        cursor.setBlockFormat(block)
    guarded = text.startswith(_BYTE_ORDER_MARKS)
    shown = in_paragraphs(text)
    cursor.insertText("x" + shown if guarded else shown)
    if guarded:
        QTextCursor(document).deleteChar()
    if lazily:
        whole.endEditBlock()
    else:
        view.setTextCursor(QTextCursor(document))
    document.clearUndoRedoStacks()


def in_paragraphs(text: str) -> str:
    """``text`` as shown: each paragraph over ``LONG_PARAGRAPH`` characters cut at a space into
    pieces of at most that many (at a sentence's end when one is in the piece's second half), the
    space shown as a paragraph break. Offsets are unchanged; a stretch with no space stays whole.

    Such a paragraph holds one of the places looked at, ``LONG_PARAGRAPH`` apart (or just past the
    last paragraph looked at): a text of many short lines costs a few searches per 4,000 characters."""
    cuts: list[int] = []
    begun = done = 0  # the paragraph at ``done`` begins at ``begun``; nothing before ``done`` is looked at again
    at = LONG_PARAGRAPH
    while at < len(text):
        last = max(text.rfind("\n", done, at), text.rfind("\r", done, at), text.rfind("\u2029", done, at))
        if last >= 0:
            begun = last + 1
        found = _BREAK.search(text, at)
        end = found.start() if found else len(text)
        if end - begun > LONG_PARAGRAPH:
            cuts += _cuts(text, begun, end)
        begun, done = end + 1, end
        at = max(at + LONG_PARAGRAPH, end + 1)
    if not cuts:
        return text
    return "\u2029".join([text[after + 1:cut] for after, cut in zip([-1, *cuts], [*cuts, len(text)])])


def _cuts(text: str, start: int, end: int) -> list[int]:
    """Where the paragraph ``text[start:end]`` is cut: spaces at most ``LONG_PARAGRAPH`` apart."""
    cuts = []
    while end - start > LONG_PARAGRAPH:
        limit = start + LONG_PARAGRAPH
        sentence = text.rfind(". ", start + LONG_PARAGRAPH // 2, limit)
        cut = sentence + 1 if sentence >= 0 else text.rfind(" ", start + 1, limit)
        if cut <= start:  # one word longer than a piece: cut at the space after it
            cut = text.find(" ", limit, end)
            if cut < 0:
                break
        cuts.append(cut)
        start = cut + 1
    return cuts
