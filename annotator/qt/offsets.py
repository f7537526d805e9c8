"""Python character offsets <-> Qt positions, which count UTF-16 code units.

Every emoji or other character outside the Basic Multilingual Plane is one Python character but
two Qt positions; converting here, at the edge, keeps the stored offsets spaCy's.
"""

from __future__ import annotations

from bisect import bisect_right


class OffsetMap:
    def __init__(self, text: str) -> None:
        # Python offsets of the non-BMP characters; for most news text this is empty and both
        # conversions are the identity.
        self._wide = [i for i, ch in enumerate(text) if ord(ch) > 0xFFFF]
        self._wide_qt = [i + n for n, i in enumerate(self._wide)]  # their Qt positions

    def to_qt(self, offset: int) -> int:
        return offset + bisect_right(self._wide, offset - 1)

    def from_qt(self, position: int) -> int:
        """A Qt position inside a surrogate pair maps to the character it belongs to."""
        return position - bisect_right(self._wide_qt, position - 1)
