"""The labels a new project starts with, their colours, and colours for labels met later.

Entity colours are a designed qualitative palette: light tints of clearly different hues (the
labels met together — GPE, LOC, LAW, MONEY; CARDINAL, ORDINAL; PERSON, TIME, DATE — far apart),
each with the article's ink on it at 4.5:1 or better (WCAG AA). Number labels are drawn as
coloured text on white, so theirs are dark, again at 4.5:1 or better.
"""

from __future__ import annotations

import hashlib

from annotator.domain import ENTITIES, NUMBERS, Label

INK = "#1a1a1a"  # the text drawn on an entity's colour
PAPER = "#ffffff"  # the article's background, on which number labels are drawn as text

# spaCy's English NER scheme (OntoNotes), so the model's suggestions need no mapping,
# plus the numbers layer. Keys follow the label's initial where it is free.
DEFAULT_LABELS: tuple[Label, ...] = (
    Label("PERSON", ENTITIES, "#fb8a7e", "p"),
    Label("ORG", ENTITIES, "#7fb2e5", "o"),
    Label("GPE", ENTITIES, "#9fd66b", "g"),
    Label("LOC", ENTITIES, "#5fd0c0", "l"),
    Label("NORP", ENTITIES, "#c3b1f7", "n"),
    Label("FAC", ENTITIES, "#b7c9a8", "f"),
    Label("EVENT", ENTITIES, "#f9a8d4", "e"),
    Label("PRODUCT", ENTITIES, "#7dd3fc", "r"),
    Label("DATE", ENTITIES, "#fde047", "d"),
    Label("TIME", ENTITIES, "#fdba74", "t"),
    Label("WORK_OF_ART", ENTITIES, "#e6a4f0", "w"),
    Label("LAW", ENTITIES, "#93a8f5", "a"),
    Label("LANGUAGE", ENTITIES, "#d9f99d", "u"),
    Label("CARDINAL", ENTITIES, "#d4d4d4", "c"),
    Label("ORDINAL", ENTITIES, "#c9a67a", "i"),
    Label("QUANTITY", ENTITIES, "#c8a2c8", "q"),
    Label("MONEY", ENTITIES, "#b5b83a", "m"),
    Label("PERCENT", ENTITIES, "#fda4af", "x"),
    Label("NUMBER", NUMBERS, "#1d4ed8", "1"),
    Label("CASUALTIES", NUMBERS, "#b91c1c", "2"),
    Label("WEAPONS", NUMBERS, "#7c3aed", "3"),
    Label("AMOUNT", NUMBERS, "#047857", "4"),
)

# The labels a project shows before it has used others (the rest are one click away).
CORE_LABELS = ("PERSON", "ORG", "GPE", "LOC", "NORP", "DATE", "NUMBER", "CASUALTIES", "WEAPONS", "AMOUNT")

_PALETTE = ("#f4a582", "#92c5de", "#a6d96a", "#fdae61", "#c2a5cf", "#80cdc1", "#f1b6da", "#dfc27d",
            "#b2abd2", "#fee08b", "#9ecae1", "#bababa")


def colour_for(name: str) -> str:
    """A stable colour for a label that arrives without one (imports, other models)."""
    return _PALETTE[int(hashlib.md5(name.encode()).hexdigest(), 16) % len(_PALETTE)]


def luminance(colour: str) -> float:
    """Relative luminance of ``#rrggbb`` (WCAG 2)."""
    def channel(hex_pair: str) -> float:
        c = int(hex_pair, 16) / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(colour[i:i + 2]) for i in (1, 3, 5))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    """WCAG contrast ratio of two colours, from 1 to 21."""
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def text_contrast(label: Label) -> float:
    """How well a label's spans read: ink on an entity's colour, a number's colour on the page."""
    return contrast(INK, label.colour) if label.layer == ENTITIES else contrast(label.colour, PAPER)
