"""What a trained pipeline of ours needs inside spaCy: the number suggester, the progress logger,
and reading the numbers classifier's labels back.

This file is handed to ``spacy train --code`` and imported by :mod:`annotator.detect.pipeline`
before any model loads, so a trained model's config can name these registered functions.

The numbers classifier is spaCy's ``spancat_singlelabel`` whose candidates are exactly the numbers
our rules find: it learns which label a person gives each of them (CASUALTIES, WEAPONS,
AMOUNT, NUMBER…), and detection puts that label on the rule-found number.
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Callable, Iterable
from typing import IO, Any

from spacy.language import Language
from spacy.tokens import Doc
from spacy.util import registry
from thinc.api import Ops, get_current_ops
from thinc.types import Ragged

from annotator.detect.numbers import Token, scan
from annotator.domain import NUMBERS, Span

SUGGESTER = "annotator.rule_numbers.v1"
LOGGER = "annotator.progress.v1"
NUMBERS_COMPONENT = "spancat_singlelabel"
PROGRESS_MARK = "@annotator-progress "  # a line of our logger among spaCy's other output


def tokens_of(doc: Doc) -> list[Token]:
    """The number finder's view of a doc: every token's text, offset and entity type."""
    text, strings = doc.text, doc.vocab.strings
    return [Token(text[start : start + length], start, strings[ent] if ent else "")
            for start, length, ent in doc.to_array(["IDX", "LENGTH", "ENT_TYPE"]).tolist()]


def rule_numbers(docs: Iterable[Doc], *, ops: Ops | None = None) -> Ragged:
    """The token spans (start, end) of the numbers our rules find, one ragged row per doc."""
    ops = ops or get_current_ops()
    rows: list[list[int]] = []
    lengths: list[int] = []
    for doc in docs:
        found = [[n.start, n.end] for n in scan(doc.text, tokens_of(doc))]
        rows.extend(found)
        lengths.append(len(found))
    data = ops.asarray2i(rows) if rows else ops.xp.zeros((0, 2), dtype="i")
    return Ragged(data, ops.asarray1i(lengths))


@registry.misc(SUGGESTER)  # type: ignore[untyped-decorator]  # spaCy's registries are untyped
def build_rule_numbers() -> Callable[..., Ragged]:
    return rule_numbers


def relabel_numbers(doc: Doc, spans: list[Span]) -> list[Span]:
    """Number spans with the label the trained classifier gives them (unchanged without one)."""
    predicted = {(s.start_char, s.end_char): s.label_ for s in doc.spans.get(NUMBERS, [])}
    if not predicted:
        return spans
    return [s.with_(label=predicted.get((s.start, s.end), s.label)) if s.layer == NUMBERS else s for s in spans]


@registry.loggers(LOGGER)  # type: ignore[untyped-decorator]  # spaCy's registries are untyped
def progress_logger() -> Callable[..., tuple[Callable[[dict[str, Any] | None], None], Callable[[], None]]]:
    """One JSON line per evaluation and a few a second between them: step, losses, dev scores.

    The trainer's parent process reads them to draw its progress bar; nothing else is printed.
    """

    def setup(nlp: Language, stdout: IO[str] = sys.stdout, stderr: IO[str] = sys.stderr) -> tuple[
            Callable[[dict[str, Any] | None], None], Callable[[], None]]:
        state = {"step": 0, "last": 0.0}

        def write(record: dict[str, Any]) -> None:
            stdout.write(PROGRESS_MARK + json.dumps(record) + "\n")
            stdout.flush()

        def log_step(info: dict[str, Any] | None) -> None:
            state["step"] += 1
            now = time.monotonic()
            if info is not None:
                state["step"] = info["step"]
                scores = {k: float(v) for k, v in info.get("other_scores", {}).items() if isinstance(v, (int, float))}
                write({"step": info["step"], "epoch": info["epoch"], "score": float(info["score"]),
                       "losses": {k: float(v) for k, v in info["losses"].items()}, "scores": scores})
                state["last"] = now
            elif now - state["last"] > 0.2:
                write({"step": state["step"]})
                state["last"] = now

        return log_step, lambda: None

    return setup
