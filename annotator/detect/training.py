"""The spaCy side of training: corpora as DocBins, the config, the starting pipeline, the record.

We write spaCy's inputs and let ``spacy train`` do all the learning (no loop of our own). The
config comes from ``spacy init config`` (NER, plus ``spancat_singlelabel`` for the numbers' labels
when the data has numbers), changed only where our project needs it: which component starts from
the installed pipeline, the number suggester, the step budget and our progress logger.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import spacy
from spacy.cli.init_config import init_config
from spacy.tokens import Doc, DocBin
from thinc.api import Config

from annotator.detect import trainable
from annotator.domain import ENTITIES, NUMBERS, Span

Example = tuple[str, Sequence[Span]]  # a text and its gold spans


def _spacy_doc(nlp: spacy.language.Language, text: str, spans: Iterable[Span], categories: Sequence[str] = (),
               chosen: frozenset[str] = frozenset()) -> tuple[Doc, int]:
    """The gold doc and how many spans were left out for cutting a token (never moved). Its
    ``cats`` say which of ``categories`` it has, when it has any (else they are left missing:
    a document nobody gave a document label was not judged for them)."""
    doc = nlp.make_doc(text)
    if chosen:
        doc.cats = {label: float(label in chosen) for label in categories}
    ents, numbers, missed = [], [], 0
    for span in spans:
        found = doc.char_span(span.start, span.end, label=span.label, alignment_mode="strict")
        if found is None:
            missed += 1
        elif span.layer == ENTITIES:
            ents.append(found)
        elif span.layer == NUMBERS:
            numbers.append(found)
    doc.set_ents(spacy.util.filter_spans(ents), default="outside")
    doc.spans[NUMBERS] = numbers
    return doc, missed


def write_corpus(path: Path, examples: Iterable[Example], categories: Sequence[str] = (),
                 chosen: Sequence[frozenset[str]] = ()) -> int:
    """Write the examples as a DocBin (entities in ``doc.ents``, numbers in ``doc.spans``, and the
    document labels ``chosen`` for each, if given, in ``doc.cats``); returns how many spans did
    not sit on token boundaries and were left out."""
    nlp = spacy.blank("en")
    out = DocBin(attrs=["ORTH", "SPACY", "ENT_IOB", "ENT_TYPE"])
    missed = 0
    for i, (text, spans) in enumerate(examples):
        doc, left_out = _spacy_doc(nlp, text, spans, categories, chosen[i] if chosen else frozenset())
        out.add(doc)
        missed += left_out
    path.parent.mkdir(parents=True, exist_ok=True)
    out.to_disk(path)
    return missed


# Components NER never listens to: not loaded when the base pipeline is prepared.
NOT_FOR_NER = ["tagger", "morphologizer", "parser", "senter", "attribute_ruler", "lemmatizer",
               "trainable_lemmatizer", "textcat", "textcat_multilabel", "spancat", "entity_linker"]


def prepare_base(base: str, labels: Iterable[str], out: Path) -> dict[str, str]:
    """The installed pipeline's NER (with its own copy of the tok2vec it listens to, if any), our
    new labels added, saved to ``out`` for the config to source. Returns the base's name and
    version for the record."""
    from annotator.detect.pipeline import ModelError

    try:
        nlp = spacy.load(base, exclude=NOT_FOR_NER)
    except (OSError, ValueError, ImportError) as err:
        raise ModelError(f"cannot load the base pipeline {base!r}: {err}") from None
    if "ner" not in nlp.pipe_names:
        raise ModelError(f"the base pipeline {base!r} has no NER component to start from")
    embed = nlp.config["components"]["ner"]["model"].get("tok2vec", {})
    if "Listener" in str(embed.get("@architectures", "")):
        upstream = next(n for n in ("tok2vec", "transformer") if n in nlp.pipe_names)
        nlp.replace_listeners(upstream, "ner", ["model.tok2vec"])
    for name in [n for n in nlp.pipe_names if n != "ner"]:
        nlp.remove_pipe(name)
    ner: Any = nlp.get_pipe("ner")  # typed as a bare callable by spaCy; it is the EntityRecognizer
    for label in sorted(set(labels) - set(ner.labels)):
        ner.add_label(label)
    nlp.to_disk(out)
    return {"name": f"{nlp.meta.get('lang', 'en')}_{nlp.meta.get('name', base)}", "version": str(nlp.meta.get("version", ""))}


# The text classifiers for document labels: one label of a single-choice group, or any of them.
TEXTCAT, TEXTCAT_MULTILABEL = "textcat", "textcat_multilabel"


def build_config(start: Path | None, with_numbers: bool, max_steps: int, seed: int,
                 eval_frequency: int, classifier: str | None = None) -> Config:
    """``spacy init config`` for NER (+ the numbers classifier, + a text classifier for document
    labels: ``classifier`` TEXTCAT or TEXTCAT_MULTILABEL), efficiency preset, CPU.

    ``start`` is a pipeline folder made by :func:`prepare_base` whose NER to continue from;
    None trains NER from scratch.
    """
    components = ["ner", *([trainable.NUMBERS_COMPONENT] if with_numbers else []), *([classifier] if classifier else [])]
    config = init_config(lang="en", pipeline=components, optimize="efficiency", gpu=False)
    config = Config(config)
    if start is not None:
        # The base's NER carries its own tok2vec; the shared one then serves only the numbers
        # (the efficiency preset's text classifier is a bag of words: it needs none).
        config["components"]["ner"] = {"source": str(start)}
        if not with_numbers:
            del config["components"]["tok2vec"]
            config["nlp"]["pipeline"] = [name for name in config["nlp"]["pipeline"] if name != "tok2vec"]
    if with_numbers:
        numbers = config["components"][trainable.NUMBERS_COMPONENT]
        numbers["spans_key"] = NUMBERS
        numbers["suggester"] = {"@misc": trainable.SUGGESTER}
    # The dev score spaCy keeps the best model by: entity F1, averaged with the numbers' label F1
    # and the document labels' score.
    share = 1.0 / len(components)
    weights: dict[str, float | None] = {"ents_f": share, "ents_p": 0.0, "ents_r": 0.0, "ents_per_type": None}
    if with_numbers:
        weights.update({f"spans_{NUMBERS}_f": share, f"spans_{NUMBERS}_p": 0.0,
                        f"spans_{NUMBERS}_r": 0.0, "spans_sc_f": None, "spans_sc_p": None, "spans_sc_r": None})
    if classifier:
        weights["cats_score"] = share
    training = config["training"]
    training.update({"max_steps": max_steps, "max_epochs": 0, "patience": 0, "seed": seed,
                     "eval_frequency": eval_frequency, "score_weights": weights})
    config["system"]["seed"] = seed
    training["logger"] = {"@loggers": trainable.LOGGER}
    return config


def train_arguments(config: Path, output: Path, train: Path, dev: Path) -> list[str]:
    """``spacy train``'s command line (after ``python -m spacy``) for these files."""
    return ["train", str(config), "--output", str(output), "--code", trainable.__file__,
            "--paths.train", str(train), "--paths.dev", str(dev)]


def stamp(model: Path, name: str, version: str, record: dict[str, Any]) -> dict[str, Any]:
    """Name and version the trained pipeline and record what it learned from in its meta.json;
    returns the dev scores spaCy stored there."""
    path = model / "meta.json"
    meta = json.loads(path.read_text(encoding="utf-8"))
    meta.update({"name": name, "version": version, "annotator": record})
    path.write_text(json.dumps(meta, indent=2, ensure_ascii=False), encoding="utf-8")
    return {k: v for k, v in meta.get("performance", {}).items() if isinstance(v, (int, float))}


def evaluate(model: Path | str, examples: Iterable[Example]) -> dict[str, float]:
    """The pipeline's scores (ents_f, spans_numbers_f…) on gold examples, by spaCy's scorer."""
    from spacy.training import Example as SpacyExample

    nlp = spacy.load(model)
    blank = spacy.blank("en")
    gold = [_spacy_doc(blank, text, spans)[0] for text, spans in examples]
    scored = nlp.evaluate([SpacyExample(nlp.make_doc(doc.text), doc) for doc in gold])
    return {k: v for k, v in scored.items() if isinstance(v, (int, float))}
