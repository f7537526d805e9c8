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
    ``setPlainText`` puts it: one ``insertText`` into the emptied document.
    """
    document = view.document()
    document.clear()
    cursor = QTextCursor(document)
    if block is not None:
        cursor.setBlockFormat(block)
    guarded = text.startswith(_BYTE_ORDER_MARKS)
    cursor.insertText("x" + text if guarded else text)
    if guarded:
        QTextCursor(document).deleteChar()
    document.clearUndoRedoStacks()
    view.setTextCursor(QTextCursor(document))
