"""A rule-based date finder beside the model's NER, for the dates it never tags or tags as TIME.

spaCy's small English model tags "last night" or "this morning" as TIME and never tags "a
fortnight ago", "New Year's Eve", "FY2025" or "the autumn"; the resolver reads them all. The
patterns are data: ``date_patterns.jsonl`` beside this module, one spaCy ``Matcher`` token
pattern a line (``{"id": ..., "label": "DATE", "pattern": [...]}``), which a linguist extends
without touching code. Where the rules and the model meet, :func:`merge_dates` decides:

- a rule span overlapping no model entity is added;
- one the resolver reads replaces the DATE, TIME or EVENT entities it strictly contains ("A
  year" + "today" become "A year from today"), or an entity of another label at exactly its
  place ("last night" TIME: a day part relative to the article names its day; "New Year's Eve"
  EVENT; "FY2024" PRODUCT);
- anywhere else the model's entities are kept.

A model DATE the resolver cannot read whose comma-separated parts it reads each ("24.12.2024,
Christmas Eve") becomes those parts.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections import Counter
from functools import lru_cache
from pathlib import Path
from typing import Any

from spacy.matcher import Matcher
from spacy.tokens import Doc
from spacy.util import filter_spans
from spacy.vocab import Vocab

from annotator.dates import UNRESOLVED, resolve
from annotator.domain import DATE, Span

PATTERNS = Path(__file__).with_name("date_patterns.jsonl")
READ_ON = dt.date(2024, 1, 1)  # any day will do: whether the resolver reads the words at all
SWALLOWED = (DATE, "TIME", "EVENT")  # what a larger rule date may replace ("Christmas" in "Christmas Eve")
MODEL, RULES = "model", "rules"  # where a DATE came from (counted in Pipeline.date_sources)
_PARTS = re.compile(r"\s*,\s*")


def load_patterns(path: Path = PATTERNS) -> list[dict[str, Any]]:
    """The patterns of a JSONL file; a bad line is named by its file and line."""
    rows = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if line.strip():
            try:
                row = json.loads(line)
                rows.append({"id": str(row["id"]), "label": str(row["label"]), "pattern": list(row["pattern"])})
            except (ValueError, KeyError, TypeError) as err:
                raise ValueError(f"{path}:{number}: not a date pattern ({err})") from None
    return rows


@lru_cache(maxsize=4)
def _matcher(vocab: Vocab) -> tuple[Matcher, dict[int, str]]:
    """A matcher of the shipped patterns, and each pattern id's label (one per pipeline's vocab)."""
    matcher, labels = Matcher(vocab, validate=True), {}
    for row in load_patterns():
        matcher.add(row["id"], [row["pattern"]])
        labels[vocab.strings[row["id"]]] = row["label"]
    return matcher, labels


def find_dates(doc: Doc, text: str) -> list[Span]:
    """The dates the patterns find in a doc made from ``text``, longest first where they overlap."""
    matcher, labels = _matcher(doc.vocab)
    matches = matcher(doc)
    found = filter_spans([doc[start:end] for _, start, end in matches])
    ids = {(start, end): match for match, start, end in matches}
    return [Span.of(text, s.start_char, s.end_char, labels[ids[s.start, s.end]]) for s in found]


def reads(words: str) -> bool:
    """Whether the resolver gives a date for these words (for an article of some date)."""
    return resolve(words, READ_ON) not in (UNRESOLVED, None)


def apart(text: str, span: Span) -> list[Span]:
    """A model DATE the resolver cannot read cut at its commas into parts it reads each; else itself."""
    if span.label != DATE or "," not in span.text or reads(span.text):
        return [span]
    parts, start = [], span.start
    for piece in _PARTS.split(span.text):
        begin = text.index(piece, start)
        parts.append(Span.of(text, begin, begin + len(piece), DATE))
        start = begin + len(piece)
    return parts if all(reads(p.text) for p in parts) else [span]


def merge_dates(text: str, entities: list[Span], rules: list[Span], sources: Counter[str] | None = None) -> list[Span]:
    """The model's entities with the rules' dates merged in (see the module's docstring), in order."""
    model = [part for span in entities for part in apart(text, span)]
    added: list[Span] = []
    for rule in rules:
        met = [s for s in model if s.start < rule.end and rule.start < s.end]
        if met and not _wins(rule, met):
            continue
        model = [s for s in model if s not in met]
        added.append(rule)
    if sources is not None:
        sources[MODEL] += sum(s.label == DATE for s in model)
        sources[RULES] += sum(s.label == DATE for s in added)
    return sorted(model + added, key=lambda s: (s.start, s.end))


def _wins(rule: Span, met: list[Span]) -> bool:
    if not reads(rule.text):
        return False
    if len(met) == 1 and (met[0].start, met[0].end) == (rule.start, rule.end):
        return met[0].label != DATE
    return all(s.label in SWALLOWED and rule.start <= s.start and s.end <= rule.end for s in met)
