"""Suggested COUNTS links: each number -> what it counts. Pure Python: no Qt, no SQL, no spaCy.

The number finder already names the noun a number counts (``Span.unit``: "38,000 Russian military
casualties" -> "casualties"). Here that noun is found again in the text after the number, in the
same sentence and a few words on; the link goes to the entity that holds it ("6 million
Ukrainians" -> NORP "Ukrainians") or, where no entity does, to a new span on the counted noun
phrase: the noun and the modifiers just before it that no entity holds ("military casualties";
entities do not overlap, so "Russian", a NORP, stays its own span). The word lists are data a
linguist can extend.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Protocol

from annotator.domain import ENTITIES, NUMBERS, NumberKind, Span
from annotator.relations import Link

COUNTS = "COUNTS"
COUNTED = "COUNTED"  # the label of a new span on a counted noun phrase
COUNTED_KINDS = (NumberKind.CARDINAL,)  # durations, money, percentages and measures count no thing
MAX_WORDS = 6  # how far after the number its noun may be ("28 of 38 Russian drones")
# Words that end a counted noun phrase going back from its noun (they are not its modifiers).
NOT_MODIFIERS = frozenset({"of", "the", "a", "an", "and", "or", "than", "more", "less", "over", "under", "about",
    "around", "some", "nearly", "almost", "at", "least", "up", "to", "from", "by", "in", "on", "for", "with", "were",
    "was", "are", "is", "have", "has", "had", "been", "be", "their", "its", "his", "her", "our", "these", "those",
    "such", "other"})
# Entity labels that are numbers or times themselves, never what a number counts.
NOT_COUNTED = frozenset({"CARDINAL", "ORDINAL", "QUANTITY", "MONEY", "PERCENT", "DATE", "TIME"})
_WORD = re.compile(r"[^\W\d_](?:[\w'’-]*\w)?")
_SENTENCE_END = re.compile(r"[.!?;:\n]")


class Labelled(Protocol):
    @property
    def layer(self) -> str: ...
    @property
    def label(self) -> str: ...


def counted_phrase(span: Labelled) -> bool:
    """A span on a counted noun phrase: the end of a COUNTS link, not an entity. No model learns
    it as one, no NER corpus holds it and NER scores leave it out (the link's own scores count it)."""
    return span.label == COUNTED and span.layer == ENTITIES


def suggest(text: str, spans: Sequence[Span]) -> tuple[list[Span], list[Link]]:
    """New spans on counted noun phrases, and a COUNTS link from each counting number."""
    entities = [s for s in spans if s.layer == ENTITIES]
    made: dict[tuple[int, int], Span] = {}
    links: list[Link] = []
    for number in (s for s in spans if s.layer == NUMBERS and s.unit and s.kind in COUNTED_KINDS):
        noun = _noun_after(text, number)
        if noun is None:
            continue
        holder = next((e for e in entities if e.start <= noun[0] and noun[1] <= e.end), None)
        if holder is not None:
            if holder.label not in NOT_COUNTED:
                links.append(Link(number, holder, COUNTS))
            continue
        start = _phrase_start(text, number.end, noun, entities)
        if any(e.start < noun[1] and start < e.end for e in entities):
            continue  # an entity holds part of the noun: no span may overlap it
        target = made.get((start, noun[1]))
        if target is None:
            target = made[(start, noun[1])] = Span(start, noun[1], COUNTED, text[start:noun[1]], origin=number.origin,
                                                   confirmed=number.confirmed)
        links.append(Link(number, target, COUNTS))
    return list(made.values()), links


def _noun_after(text: str, number: Span) -> tuple[int, int] | None:
    """Where the number's noun is: among the next :data:`MAX_WORDS` words of its sentence."""
    stop = _SENTENCE_END.search(text, number.end)
    end = stop.start() if stop else len(text)
    unit = (number.unit or "").lower()
    for i, word in enumerate(_WORD.finditer(text, number.end, end)):
        if i >= MAX_WORDS:
            break
        if word.group().lower() == unit:
            return word.start(), word.end()
    return None


def _phrase_start(text: str, after: int, noun: tuple[int, int], entities: Sequence[Span]) -> int:
    """The first word of the noun's phrase: its modifiers back to a word that is not one, an
    entity, or the number."""
    words = list(_WORD.finditer(text, after, noun[0]))
    start = noun[0]
    for word in reversed(words):
        if word.group().lower() in NOT_MODIFIERS or any(e.start < word.end() and word.start() < e.end for e in entities):
            break
        start = word.start()
    return start
