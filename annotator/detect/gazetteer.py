"""The project's gazetteer: the person's agreed decisions as spaCy ``EntityRuler`` patterns.

Exported and imported as JSONL, one pattern a line, as the ruler writes them
(``{"label": "GPE", "pattern": [{"LOWER": "kyiv", "IS_LOWER": false}], "id": "kyiv"}``); the
patterns follow the rule of annotator.learning.strings (case ignored, except that a
capitalised string matches capitalised words only and one in capitals words in capitals).
``detect`` adds the ruler after the model's NER, its matches overriding the model's entities.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from spacy.pipeline import EntityRuler

from annotator.detect.pipeline import Pipeline, blank_english
from annotator.formats import InputError
from annotator.learning.strings import TITLE, UPPER
from annotator.learning.suggest import REJECTED, Decision

RULER = "project_gazetteer"


def patterns(decisions: Mapping[str, Decision]) -> list[dict[str, Any]]:
    """Token patterns of the agreed decisions that label a string (rejections have none)."""
    made = []
    for decision in sorted(decisions.values(), key=lambda d: d.key):
        if decision.label == REJECTED:
            continue
        words = [t.text for t in blank_english().make_doc(decision.key) if not t.is_space]
        if decision.shape == UPPER:
            tokens: list[dict[str, Any]] = [{"ORTH": w.upper()} for w in words]
        else:
            tokens = [{"LOWER": w} for w in words]
            if decision.shape == TITLE and tokens:
                tokens[0]["IS_LOWER"] = False
        made.append({"label": decision.label, "pattern": tokens, "id": decision.key})
    return made


def ruler(found: Iterable[dict[str, Any]]) -> EntityRuler:
    """A spaCy EntityRuler holding the patterns (which it checks)."""
    nlp = blank_english()
    made = EntityRuler(nlp, name=RULER, overwrite_ents=True, validate=True)
    made.add_patterns(list(found))
    return made


def export_patterns(decisions: Mapping[str, Decision], path: Path) -> int:
    """Write the gazetteer as spaCy's JSONL (beside the target, renamed into place once whole)."""
    rules = ruler(patterns(decisions))
    part = path.with_name(path.name + ".part.jsonl")
    rules.to_disk(part)
    os.replace(part, path)
    return len(rules.patterns)


def read_patterns(path: Path) -> list[tuple[str, str]]:
    """(string, label) of each pattern of a JSONL gazetteer; a bad line is refused with its number."""
    pairs, found = [], []
    with path.open(encoding="utf-8") as lines:
        for number, line in enumerate(lines, 1):
            if not line.strip():
                continue
            try:
                pattern = json.loads(line)
                text = _text(pattern["pattern"])
                label = pattern["label"]
                if not isinstance(label, str) or not label or not text.strip():
                    raise ValueError("a pattern needs a label and some words")
            except (ValueError, KeyError, TypeError, AttributeError) as err:
                raise InputError(path, f"not a spaCy entity pattern ({err})", number) from None
            pairs.append((text, label))
            found.append(pattern)
    try:
        ruler(found)  # spaCy's own check of every pattern
    except (ValueError, TypeError) as err:
        raise InputError(path, f"spaCy refuses its patterns: {' '.join(str(err).split())[:300]}") from None
    return pairs


def _text(pattern: Any) -> str:
    """The words a phrase or token pattern stands for, written as the rule reads them."""
    if isinstance(pattern, str):
        return pattern
    words = []
    for token in pattern:
        word = token.get("ORTH", token.get("TEXT", token.get("LOWER")))
        if not isinstance(word, str):
            raise ValueError("each token needs ORTH, TEXT or LOWER as a string")
        words.append(word)
    text = " ".join(words)
    if pattern and pattern[0].get("IS_LOWER") is False:
        text = text[:1].upper() + text[1:]
    return text


def with_gazetteer(pipeline: Pipeline, decisions: Mapping[str, Decision]) -> Pipeline:
    """The pipeline with the project's gazetteer after its entity recogniser (if it has patterns)."""
    return with_patterns(pipeline, patterns(decisions))


def with_patterns(pipeline: Pipeline, found: list[dict[str, Any]]) -> Pipeline:
    """The pipeline with these gazetteer patterns after its entity recogniser, kept in
    ``pipeline.patterns`` (a cluster's workers are sent them with the model)."""
    if not found:
        return pipeline
    nlp = pipeline.nlp
    if RULER in nlp.pipe_names:
        nlp.remove_pipe(RULER)
    last = [name for name in nlp.pipe_names if name in ("ner", "entity_ruler", "span_ruler")]
    added = nlp.add_pipe("entity_ruler", name=RULER, config={"overwrite_ents": True, "validate": True},
                         after=last[-1] if last else None)
    assert isinstance(added, EntityRuler)  # what the "entity_ruler" factory makes
    added.add_patterns(found)
    pipeline.patterns = list(found)
    pipeline.version = f"{pipeline.version}+gazetteer{len(found)}"
    return pipeline
