"""Offsets as each peer's editor counts them, converted at the format's edge.

Three units: code points (Python's ``str`` indices, ours), UTF-16 units (JavaScript and Java
string positions: a character beyond U+FFFF, such as most emoji, is two) and grapheme clusters
(what a reader sees as one character: a ZWJ family, a flag, a letter with its combining marks;
doccano's "grapheme mode"), the last found by the ``regex`` package's ``\\X``. A converter is
made per text; for a text where the unit is the same as code points there is none (free).
A span whose offsets do not fit in the unit assumed is checked against the others, so that the
error says which unit fits and which ``--offsets`` takes it: nothing shifts silently.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

# Also named here, where the readers find them with the converters (``as``: re-exported).
from annotator.formats.units import CODEPOINTS as CODEPOINTS
from annotator.formats.units import GRAPHEMES as GRAPHEMES
from annotator.formats.units import NAMES as NAMES
from annotator.formats.units import UNITS as UNITS
from annotator.formats.units import UTF16 as UTF16

if TYPE_CHECKING:
    from annotator.domain import Document, Span
    from annotator.formats import ReadOptions


_ASTRAL = re.compile("[\U00010000-\U0010ffff]")


class Converter(Protocol):
    def to_chars(self, offset: int) -> int | None:
        """The code point offset at ``offset`` in this unit; None inside a character of the unit."""

    def to_unit(self, chars: int) -> int | None:
        """The offset in this unit at code point ``chars``; None if the unit cannot say it."""


class Utf16:
    """UTF-16 units of one text; a text without astral characters needs no converter."""

    def __init__(self, text: str) -> None:
        self.astral = [m.start() for m in _ASTRAL.finditer(text)]  # code point offsets
        self.units = [at + k for k, at in enumerate(self.astral)]  # the same, in UTF-16 units

    def to_unit(self, chars: int) -> int:
        return chars + bisect_left(self.astral, chars)

    def to_chars(self, offset: int) -> int | None:
        before = bisect_right(self.units, offset - 2)  # pairs that end at or before ``offset``
        if before < len(self.units) and self.units[before] == offset - 1:
            return None
        return offset - before


class Graphemes:
    """Extended grapheme clusters of one text (``regex``'s ``\\X``, Unicode's rules)."""

    def __init__(self, text: str) -> None:
        import regex  # only a grapheme count needs it

        self.starts: list[int] = [m.start() for m in regex.finditer(r"\X", text)] + [len(text)]

    def to_unit(self, chars: int) -> int | None:
        at = bisect_left(self.starts, chars)
        return at if at < len(self.starts) and self.starts[at] == chars else None

    def cluster(self, chars: int) -> int:
        """The cluster that holds code point ``chars`` (a token may start inside one: spaCy parts a flag)."""
        return bisect_right(self.starts, chars) - 1

    def to_chars(self, offset: int) -> int | None:
        if offset < 0:
            return offset
        last = len(self.starts) - 1
        return self.starts[offset] if offset <= last else self.starts[last] + offset - last  # beyond: refused later


def has_astral(text: str) -> bool:
    return not text.isascii() and _ASTRAL.search(text) is not None  # isascii: a flag of the string, free


def converter(unit: str, text: str) -> Converter | None:
    """The converter of ``text`` for ``unit``; None where the unit counts as code points do."""
    if unit == GRAPHEMES:
        return Graphemes(text)
    if unit == UTF16 and has_astral(text):
        return Utf16(text)
    return None


def fitting_unit(text: str, start: object, end: object, said: str | None, unit: str) -> str | None:
    """Another unit in which ``start``-``end`` gives the text the file says is there (or, with no
    text said, lands on whole characters); None if none does."""
    if not (type(start) is int and type(end) is int and 0 <= start < end):
        return None
    for other in (u for u in UNITS if u != unit):
        conv = converter(other, text)
        a, b = (start, end) if conv is None else (conv.to_chars(start), conv.to_chars(end))
        if a is not None and b is not None and a < b <= len(text) and (
                text[a:b] == said if said is not None else other != GRAPHEMES):
            return other
    return None


def hint(text: str, start: object, end: object, said: str | None, unit: str) -> str:
    """``"; they fit as … : --offsets …"`` when another unit fits, else nothing."""
    other = fitting_unit(text, start, end, said, unit)
    if other is None:
        return ""
    return f"; the offsets fit as {NAMES[other]}: import with --offsets {other}"


@dataclass
class Reading:
    """The unit one file's offsets are read in, and how many of its documents it mattered for."""

    path: Path
    unit: str
    chosen: bool  # by --offsets, not the format's default
    documents: int = 0  # documents with characters outside the Basic Multilingual Plane

    def converter(self, text: str) -> Converter | None:
        astral = has_astral(text)
        self.documents += astral
        if self.unit == GRAPHEMES:
            return Graphemes(text)
        return Utf16(text) if astral and self.unit == UTF16 else None

    def to_chars(self, conv: Converter | None, text: str, start: object, end: object, said: str | None,
                 what: str, line: int | str | None) -> tuple[object, object]:
        """Offsets in code points; an offset inside a character of the unit is refused with the unit that fits."""
        if conv is None or type(start) is not int or type(end) is not int:
            return start, end
        a, b = conv.to_chars(start), conv.to_chars(end)
        if a is None or b is None:
            from annotator.formats import InputError

            raise InputError(self.path, f"{what} {start}-{end} starts or ends inside one character as counted in "
                                        f"{NAMES[self.unit]}{hint(text, start, end, said, self.unit)}", line)
        return a, b

    def report(self, options: ReadOptions) -> None:
        if self.documents:
            how = "as --offsets said" if self.chosen else "as this format's editor counts them; another: --offsets " \
                  + "|".join(u for u in UNITS if u != self.unit)
            options.note(self.path, f"{self.documents} document(s) hold characters beyond U+FFFF (emoji and the "
                                    f"like); their offsets were read as {NAMES[self.unit]}, {how}")


class Readings:
    """A file's :class:`Reading` per unit (a JSON Lines file may mix Prodigy's lines, in code
    points, with doccano's, in UTF-16 units), each reported once at the end of the file."""

    def __init__(self, path: Path, options: ReadOptions) -> None:
        self.path, self.options = path, options
        self.by_unit: dict[str, Reading] = {}
        self.by_format: dict[str, Reading] = {}  # asked for every line: looked up once

    def __getitem__(self, fmt: str) -> Reading:
        """The reading for offsets of format ``fmt``'s shape."""
        if fmt not in self.by_format:
            from annotator.formats import FORMATS

            self.by_format[fmt] = self.in_unit(FORMATS[fmt].offsets)
        return self.by_format[fmt]

    def in_unit(self, default: str) -> Reading:
        """The reading for offsets counted in ``default`` unless --offsets says otherwise."""
        unit = self.options.offsets or default
        if unit not in self.by_unit:
            self.by_unit[unit] = Reading(self.path, unit, self.options.offsets is not None)
        return self.by_unit[unit]

    def report(self) -> None:
        for reading in self.by_unit.values():
            reading.report(self.options)


class Places:
    """One document's offsets in a writer's unit. A span the unit cannot place (one that starts
    inside a grapheme cluster, in grapheme mode) is reported and left out, never moved."""

    def __init__(self, doc: Document, unit: str, problems: list[str]) -> None:
        self.doc, self.problems = doc, problems
        self.conv = converter(unit, doc.text)

    def __call__(self, chars: int) -> int:
        if self.conv is None:
            return chars
        offset = self.conv.to_unit(chars)
        assert offset is not None, "fits() said so"
        return offset

    def fits(self, span: Span) -> bool:
        if self.conv is None or (self.conv.to_unit(span.start) is not None and self.conv.to_unit(span.end) is not None):
            return True
        self.problems.append(f"document {self.doc.id}: {span.label} {span.text!r} ({span.start}-{span.end}) starts or "
                             "ends inside a grapheme cluster; left out of this file")
        return False
