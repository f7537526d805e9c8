"""Offsets counted in UTF-16 units (JavaScript string positions, Label Studio's) and in
characters (ours): a character beyond U+FFFF, such as most emoji, is two units and one character."""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right

_ASTRAL = re.compile("[\U00010000-\U0010ffff]")


class Utf16:
    """Converts offsets into one text both ways; free for texts without astral characters."""

    def __init__(self, text: str) -> None:
        self.astral = [m.start() for m in _ASTRAL.finditer(text)]  # character offsets
        self.units = [at + k for k, at in enumerate(self.astral)]  # the same, in UTF-16 units

    def to_units(self, offset: int) -> int:
        return offset + bisect_left(self.astral, offset) if self.astral else offset

    def to_chars(self, units: int) -> int | None:
        """The character offset at ``units``; None if it falls between the two halves of a pair."""
        if not self.astral:
            return units
        before = bisect_right(self.units, units - 2)  # pairs that end at or before ``units``
        if before < len(self.units) and self.units[before] == units - 1:
            return None
        return units - before
