"""Which strings count as "the same string" for a person's decision, and where they occur.

The rule: the same words in the same order (any run of white space between them counts as one
space), with case ignored, except that a decision on a capitalised string ("Kyiv") applies only
to capitalised occurrences and one on a string in capitals ("US", "NATO") only to occurrences
in capitals, so that "us" or "may" never pick up a name's label. A possessive "'s" (or "’s")
after the string is ignored: "Kyiv's" is an occurrence of "Kyiv" (the suggestion covers "Kyiv"),
and a decision on "Kyiv's" is one on "Kyiv". An occurrence starts and ends at word edges.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache

POSSESSIVE = re.compile(r"['’]s$", re.IGNORECASE)
WORD = re.compile(r"\w+")
ANY, TITLE, UPPER = "any", "title", "upper"


def phrase(text: str) -> str:
    """The words a decision is about: white space made single, a possessive "'s" cut off."""
    words = " ".join(text.split())
    cut = POSSESSIVE.sub("", words)
    return cut if WORD.search(cut) else words


def learnable(text: str) -> bool:
    """Whether a string can be found again: it starts with a letter or digit (not white space or punctuation)."""
    return WORD.match(text) is not None


def key(text: str) -> str:
    """What decisions on one string share (case ignored)."""
    return phrase(text).lower()


def shape(text: str) -> str:
    """How an occurrence must be written to count: in capitals, capitalised, or any way."""
    words = phrase(text)
    letters = [c for c in words if c.isalpha()]
    if len(letters) > 1 and all(c.isupper() for c in letters):
        return UPPER
    return TITLE if words[:1].isupper() else ANY


@dataclass(frozen=True)
class Target:
    """A string to find: its key and the shape its occurrences must have."""

    key: str
    shape: str


FEW = 8  # up to this many strings are each found by their own regex (in C); more by one pass over the words


@lru_cache(maxsize=4096)
def _pattern(key: str) -> re.Pattern[str]:
    body = r"\s+".join(re.escape(word) for word in key.split(" "))
    return re.compile(r"(?<!\w)" + body + r"(?!\w)", re.IGNORECASE)


def _fits(found: str, wanted: str) -> bool:
    if wanted == UPPER:
        return found == found.upper()
    return not (wanted == TITLE and not found[:1].isupper())


def occurrences(text: str, targets: Iterable[Target]) -> Iterator[tuple[int, int, Target]]:
    """Every occurrence of the targets in ``text`` (start, end, target), in text order; where two
    targets start at one word the longer wins, and occurrences do not overlap."""
    return Finder(targets)(text)


class Finder:
    """Finds many strings in many texts: the strings indexed by their first word once (for a
    project's thousands of decisions, building that index for each article was most of the time)."""

    def __init__(self, targets: Iterable[Target]) -> None:
        self.targets = [t for t in targets if learnable(t.key)]
        self.by_first: dict[str, list[Target]] = {}
        for target in self.targets:
            first = WORD.match(target.key)
            if first is not None:
                self.by_first.setdefault(first.group(), []).append(target)
        for lists in self.by_first.values():
            lists.sort(key=lambda t: -len(t.key))

    def __call__(self, text: str) -> Iterator[tuple[int, int, Target]]:
        if len(self.targets) <= FEW:
            yield from _each(text, self.targets)
            return
        if not self.by_first:
            return
        end = 0
        for word in WORD.finditer(text):  # maximal runs of word characters: each starts at a word edge
            if word.start() < end:
                continue
            for target in self.by_first.get(word.group().lower(), ()):
                found = _pattern(target.key).match(text, word.start())
                if found is not None and _fits(found.group(), target.shape):
                    yield word.start(), found.end(), target
                    end = found.end()
                    break


def _each(text: str, targets: list[Target]) -> Iterator[tuple[int, int, Target]]:
    """:func:`occurrences` of a few strings, each found by its regex over the whole text."""
    found = sorted(((m.start(), -m.end(), target) for target in targets for m in _matches(text, target.key)
                    if _fits(m.group(), target.shape)), key=lambda f: (f[0], f[1]))
    end = 0
    for start, minus_end, target in found:
        if start >= end:
            yield start, -minus_end, target
            end = -minus_end


@lru_cache(maxsize=4)
def _lowered(text: str) -> str | None:
    """The text in small letters, if that keeps every offset (it does unless a letter such as "İ" grows)."""
    lowered = text.lower()
    return lowered if len(lowered) == len(text) else None


def _matches(text: str, k: str) -> Iterator[re.Match[str]]:
    """The key's matches: candidates found by ``str.find`` on the lowered text (a case-blind regex
    scan of a long article was most of a decision's time), each checked by the regex."""
    lowered, first = _lowered(text), k.split(" ")[0]
    if lowered is None:
        yield from _pattern(k).finditer(text)
        return
    pattern, at = _pattern(k), lowered.find(first)
    while at >= 0:
        found = pattern.match(text, at)
        if found is not None:
            yield found
            at = lowered.find(first, max(found.end(), at + 1))
        else:
            at = lowered.find(first, at + 1)
