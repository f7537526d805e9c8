"""``annotator train``: from the project's done documents to a versioned, registered spaCy model.

Each run writes a new version folder ``OUTPUT/vN`` holding spaCy's config, the corpora, spaCy's
``model-best``/``model-last`` and ``training.json`` (what the model learned from). The model's
meta.json carries the same record, its name and version ``0.N.0``, and the project registers the
model under its name with its dev scores, for ``annotator models`` and ``detect --model NAME``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from annotator.domain import ENTITIES, NUMBERS
from annotator.files import Replacement
from annotator.storage import Store
from annotator.train.data import Labelled, categories_of, label_summary, labelled_documents, split, whose_layer
from annotator.train.run import Progress, watch

BLANK = "blank"
CATEGORIES = "categories"  # the record's document labels, beside its span labels per layer


@dataclass
class Settings:
    output: Path | None = None  # where the version folders go (required by train)
    base: str | None = None  # a pipeline name or folder, BLANK, or None for the installed default
    dev: float = 0.2
    max_steps: int = 1000
    seed: int = 0
    final: bool = False
    name: str | None = None  # the registered name; default: the output folder's name


@dataclass
class Trained:
    name: str
    version: str
    path: Path  # the model folder (spaCy's model-best, else model-last)
    scores: dict[str, float]
    record: dict[str, Any]
    finished: bool  # False when stopped early (the best model so far is kept)
    left_out: int = 0  # spans that cut a token and could not be used
    problems: list[str] = field(default_factory=list)


def next_version(output: Path) -> int:
    found = [int(m.group(1)) for p in output.glob("v*") if (m := re.fullmatch(r"v(\d+)", p.name))]
    return max(found, default=0) + 1


def eval_frequency(max_steps: int) -> int:
    """About ten evaluations a run, each at least 10 steps apart, never rarer than spaCy's 200."""
    return max(10, min(200, max_steps // 10))


def train(store: Store, settings: Settings, progress: Callable[[Progress], None] | None = None,
          cancelled: Callable[[], bool] | None = None, register: bool = True,
          documents: Sequence[Labelled] | None = None, dev_documents: Sequence[Labelled] | None = None) -> Trained:
    """Train on the project's done documents (or the given train/dev documents) and register the
    result. Raises ValueError for data that cannot train, ModelError for a base that cannot load,
    TrainingError when spaCy fails."""
    from annotator.detect import training  # spaCy loads only when a training runs

    if settings.output is None:
        raise ValueError("training needs an output folder (--output DIR)")
    annotator = whose_layer(store, settings.final)
    if documents is None:
        train_docs, dev_docs = split(labelled_documents(store, annotator), settings.dev, settings.seed)
    else:
        train_docs, dev_docs = list(documents), list(dev_documents or [])
    labels = label_summary(train_docs)
    categories = categories_of([*train_docs, *dev_docs])
    if categories:
        labels[CATEGORIES] = categories
    if not labels[ENTITIES]:
        raise ValueError(f"the done documents in {annotator}'s layer have no entity labels to learn")
    version = next_version(settings.output)
    # Built beside its final name and renamed when whole: a failed or killed run leaves no half-made version.
    replacement = Replacement(settings.output / f"v{version}", folder=True)
    folder = replacement.path
    name = re.sub(r"[^A-Za-z0-9_]+", "_", settings.name or settings.output.resolve().name).strip("_") or "model"
    started = datetime.now(UTC)
    try:
        single = store.categories.scheme().single_choice(categories)
        model, finished, base_info, left_out = _spacy_train(folder, settings, train_docs, dev_docs, labels,
                                                            progress, cancelled, single)
        record = {
            "annotator": annotator, "date": started.isoformat(timespec="seconds"), "base": base_info,
            "documents": {"train": len(train_docs), "dev": len(dev_docs)},
            "labels": labels, "max_steps": settings.max_steps, "seed": settings.seed, "finished": finished,
            "seconds": round((datetime.now(UTC) - started).total_seconds(), 1),
        }
        version_text = f"0.{version}.0"
        scores = training.stamp(model, name, version_text, record)
        record["scores"] = scores
        (folder / "training.json").write_text(json.dumps(
            {**record, "train_documents": [d.hash for d in train_docs], "dev_documents": [d.hash for d in dev_docs]},
            indent=2), encoding="utf-8")
    except BaseException:
        replacement.discard()
        raise
    replacement.commit(replace=False)
    model = replacement.final(model)
    if register:
        store.register_model(name, str(model.resolve()), {**record, "version": version_text})
    return Trained(name, version_text, model, scores, record, finished, left_out)


def _spacy_train(folder: Path, settings: Settings, train_docs: Sequence[Labelled], dev_docs: Sequence[Labelled],
                 labels: dict[str, list[str]], progress: Callable[[Progress], None] | None,
                 cancelled: Callable[[], bool] | None, single_choice: bool = False) -> tuple[Path, bool, dict[str, str], int]:
    """Corpora, base, config, then spaCy's run: (the model folder, whether it ran to its end,
    the base's name and version, spans left out for cutting a token). Document labels, if the
    documents have any, are learnt by ``textcat`` (one single-choice group) or ``textcat_multilabel``."""
    from annotator.detect import training

    categories = labels.get(CATEGORIES, [])
    left_out = 0
    for part, docs in (("train", train_docs), ("dev", dev_docs)):
        left_out += training.write_corpus(folder / "corpus" / f"{part}.spacy", ((d.text, d.spans) for d in docs),
                                          categories, [d.categories for d in docs] if categories else [])
    base_info: dict[str, str] = {"name": BLANK, "version": ""}
    start = None
    if settings.base != BLANK:
        from annotator.detect.pipeline import DEFAULT_MODELS

        base = settings.base or installed(DEFAULT_MODELS)
        if base:
            start = folder / "base"
            base_info = training.prepare_base(base, labels[ENTITIES], start)
    classifier = (training.TEXTCAT if single_choice else training.TEXTCAT_MULTILABEL) if categories else None
    config = training.build_config(start, bool(labels[NUMBERS]), settings.max_steps, settings.seed,
                                   eval_frequency(settings.max_steps), classifier)
    config.to_disk(folder / "config.cfg")
    arguments = training.train_arguments(folder / "config.cfg", folder, folder / "corpus" / "train.spacy",
                                         folder / "corpus" / "dev.spacy")
    finished = watch(arguments, settings.max_steps, progress, cancelled)
    model = next((p for p in (folder / "model-best", folder / "model-last") if (p / "meta.json").exists()), None)
    if model is None:
        raise ValueError("training was stopped before spaCy saved any model")
    return model, finished, base_info, left_out


def installed(candidates: Sequence[str]) -> str | None:
    """The first installed pipeline package of the candidates, found without loading it."""
    import importlib.util

    return next((c for c in candidates if importlib.util.find_spec(c) is not None), None)
