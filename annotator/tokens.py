"""Word boundaries for snapping a selection and growing or shrinking a span by a token.

Pure and fast (a regex), so the window does not need spaCy to snap: a boundary that falls
inside a word moves to the word's edge; punctuation marks are tokens of their own.
"""

from __future__ import annotations

import re
import unicodedata
from itertools import accumulate

_TOKEN = re.compile(r"\w+|[^\w\s]")
_BETWEEN_TOKENS = re.compile(f"({_TOKEN.pattern})")  # splits a text into what lies between tokens, and tokens
_LINE_END = re.compile("[\n\r\v\f\x1c-\x1e\x85\u2028\u2029]")


def tokens(text: str) -> list[tuple[int, int]]:
    return [m.span() for m in _TOKEN.finditer(text)]


def token_bounds(text: str) -> tuple[list[int], list[int]]:
    """The starts and the ends of :func:`tokens`, from the lengths of the pieces between and of
    the tokens (no match object each: agreement tokenises every document it compares)."""
    offsets = list(accumulate(map(len, _BETWEEN_TOKENS.split(text)), initial=0))
    return offsets[1:-1:2], offsets[2::2]


def snap(text: str, start: int, end: int) -> tuple[int, int]:
    """Widen [start, end) to whole words and trim surrounding white space; (s, s) if nothing is left."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if start == end:
        return start, end
    while start > 0 and _word(text[start - 1]) and _word(text[start]):
        start -= 1
    while end < len(text) and _word(text[end - 1]) and _word(text[end]):
        end += 1
    return start, end


def crosses_line_end(text: str, start: int, end: int) -> bool:
    """Whether ``text[start:end]`` holds a line end (any that ``str.splitlines`` breaks at)."""
    return _LINE_END.search(text, start, end) is not None


def _word(char: str) -> bool:
    # Combining marks belong to the letter before them: "cafe\u0301" snaps whole.
    return char.isalnum() or char == "_" or unicodedata.category(char).startswith("M")


def move_edge(text: str, start: int, end: int, edge: str, forward: bool) -> tuple[int, int]:
    """Grow or shrink [start, end) by one token at one edge; unchanged if it would vanish.

    An edge never falls before a combining mark (it would split a letter from its accent)."""
    spans = tokens(text)
    if edge == "end":
        ends = [e for _, e in spans if not _mark(text, e) and (e > end if forward else start < e < end)]
        new = (min(ends) if forward else max(ends)) if ends else end
        return start, new
    starts = [s for s, _ in spans if not _mark(text, s) and (start < s < end if forward else s < start)]
    new = (min(starts) if forward else max(starts)) if starts else start
    return new, end


def _mark(text: str, at: int) -> bool:
    return at < len(text) and unicodedata.category(text[at]).startswith("M")
