"""The labels a new project starts with, and colours for labels met later."""

from __future__ import annotations

import hashlib

from annotator.domain import ENTITIES, NUMBERS, Label

# spaCy's English NER scheme (OntoNotes), so the model's suggestions need no mapping,
# plus the numbers layer. Keys follow the label's initial where it is free.
DEFAULT_LABELS: tuple[Label, ...] = (
    Label("PERSON", ENTITIES, "#f4a261", "p"),
    Label("ORG", ENTITIES, "#8ecae6", "o"),
    Label("GPE", ENTITIES, "#90be6d", "g"),
    Label("LOC", ENTITIES, "#b5e48c", "l"),
    Label("NORP", ENTITIES, "#cdb4db", "n"),
    Label("FAC", ENTITIES, "#ffafcc", "f"),
    Label("EVENT", ENTITIES, "#ffd166", "e"),
    Label("PRODUCT", ENTITIES, "#a0c4ff", "r"),
    Label("DATE", ENTITIES, "#e9c46a", "d"),
    Label("TIME", ENTITIES, "#f6bd60", "t"),
    Label("WORK_OF_ART", ENTITIES, "#bdb2ff", "w"),
    Label("LAW", ENTITIES, "#caffbf", "a"),
    Label("LANGUAGE", ENTITIES, "#fdffb6", "u"),
    Label("CARDINAL", ENTITIES, "#d9d9d9", "c"),
    Label("ORDINAL", ENTITIES, "#e0e0e0", "i"),
    Label("QUANTITY", ENTITIES, "#c9ada7", "q"),
    Label("MONEY", ENTITIES, "#b7e4c7", "m"),
    Label("PERCENT", ENTITIES, "#ffc8dd", "x"),
    Label("NUMBER", NUMBERS, "#1d4ed8", "1"),
    Label("CASUALTIES", NUMBERS, "#b91c1c", "2"),
    Label("WEAPONS", NUMBERS, "#7c3aed", "3"),
    Label("AMOUNT", NUMBERS, "#047857", "4"),
)

_PALETTE = ("#e76f51", "#2a9d8f", "#e9c46a", "#8338ec", "#3a86ff", "#ff006e", "#fb8500",
            "#06d6a0", "#118ab2", "#ef476f", "#8d99ae", "#6a994e")


def colour_for(name: str) -> str:
    """A stable colour for a label that arrives without one (imports, other models)."""
    return _PALETTE[int(hashlib.md5(name.encode()).hexdigest(), 16) % len(_PALETTE)]
