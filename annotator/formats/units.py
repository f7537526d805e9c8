"""The units a peer's editor may count offsets in: the format table names each format's, and
:mod:`annotator.formats.offsets` converts between them (apart, so that the table need not import
the converters, which read the table back: no circle)."""

from __future__ import annotations

CODEPOINTS, UTF16, GRAPHEMES = "codepoints", "utf16", "graphemes"
UNITS = (CODEPOINTS, UTF16, GRAPHEMES)
NAMES = {CODEPOINTS: "code points (Python's count)", UTF16: "UTF-16 units (JavaScript's and Java's count)",
         GRAPHEMES: "grapheme clusters"}
