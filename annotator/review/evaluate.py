"""Models against a person's (or the final) layer on the documents marked done: scores, value
accuracy, a confusion matrix of labels, edits and disagreements.

A model's labels may be mapped to the gold's (PERSON → PER). Layers and labels the gold does not
annotate are left out and listed, not scored as zero: a CoNLL gold without numbers says nothing
about the model's numbers, nor about its DATE spans. A label counts as annotated when a gold span
carries it, or when the person was shown the model's suggestions of it (their layer started from
them) and so judged each one; an imported gold judged only what it holds.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from operator import itemgetter
from pathlib import Path
from typing import TYPE_CHECKING, Any

from annotator.counts import counted_phrase
from annotator.dates import article_day, resolve_span
from annotator.domain import LAYERS, NUMBERS, ORIGIN_IMPORT
from annotator.formats import InputError
from annotator.review.links import LinkScores, compare_links, relation_rows
from annotator.review.metrics import (
    EXACT,
    KEY,
    OVERLAP,
    RESOLVED,
    SPOT,
    SPURIOUS,
    WRONG_VALUE,
    AnySpan,
    Disagreement,
    Scores,
    SpanRow,
    disagreements,
    edit_counts,
    rows,
    score_modes,
    value_matches,
)
from annotator.storage import Store

if TYPE_CHECKING:
    from annotator.detect.pipeline import Pipeline

EDITS = ("accepted", "relabelled", "resized", "deleted", "value corrected", "added")
NOTHING = None  # the row or column of the confusion matrix where one side has no span


@dataclass
class Source:
    """Where a model's spans come from: a stored prediction set (by name; None = the latest
    run on each document) or a pipeline run afresh."""

    name: str
    stored: str | None = None
    pipeline: Pipeline | None = None


@dataclass
class Evaluation:
    model: str
    annotator: str = ""
    documents: int = 0
    not_annotated: int = 0  # done documents the person has no layer of: left out, not scored as perfect
    without_predictions: int = 0  # scored documents where a stored model has no span at all
    mapping: dict[str, str] = field(default_factory=dict)
    scores: dict[str, dict[str, Scores]] = field(
        default_factory=lambda: {mode: {layer: Scores() for layer in LAYERS} for mode in (EXACT, OVERLAP)})
    judged: dict[str, set[str]] = field(default_factory=lambda: {layer: set() for layer in LAYERS})
    not_scored: dict[str, Counter[str]] = field(default_factory=lambda: {layer: Counter() for layer in LAYERS})
    confusion: dict[str, Counter[tuple[str | None, str | None]]] = field(
        default_factory=lambda: {layer: Counter() for layer in LAYERS})
    values_right: int = 0
    values_found: int = 0
    dates_right: int = 0
    dates_found: int = 0
    # DATE spans a fresh run suggested, by where they came from ("model", "rules": the date finder);
    # empty for stored predictions, which do not keep it
    dates_by_source: dict[str, int] = field(default_factory=dict)
    layer_edits: dict[str, Counter[str]] = field(default_factory=lambda: {layer: Counter() for layer in LAYERS})
    disagreements: list[tuple[int, Disagreement]] = field(default_factory=list)
    links: LinkScores = field(default_factory=LinkScores)  # document labels and relations

    @property
    def value_accuracy(self) -> float:
        return self.values_right / self.values_found if self.values_found else 0.0

    @property
    def date_accuracy(self) -> float:
        return self.dates_right / self.dates_found if self.dates_found else 0.0

    @property
    def edits(self) -> Counter[str]:
        """What the person did to the suggestions they were shown, in the layers scored."""
        return sum((self.layer_edits[layer] for layer in self.layers), Counter())

    @property
    def layers(self) -> list[str]:
        """The layers the gold annotates: the only ones scored."""
        return [layer for layer in LAYERS if self.judged[layer]]

    @property
    def left_out_layers(self) -> list[str]:
        return [layer for layer in LAYERS if not self.judged[layer]]

    @property
    def unused_mapping(self) -> list[str]:
        """Mapping targets the gold never uses (a typo, or a label of another layer)."""
        gold = set().union(*self.judged.values())
        return sorted({target for target in self.mapping.values() if target not in gold})

    def finish(self) -> None:
        """Leave out what the gold does not annotate: labels it never judged (each such label has
        only false positives), whole layers it never judged, and their disagreements."""
        for layer in LAYERS:
            for label, counts in list(self.scores[EXACT][layer].labels.items()):
                if label not in self.judged[layer]:
                    self.not_scored[layer][label] += counts.fp
                    for mode in self.scores.values():
                        mode[layer].labels.pop(label, None)
        layers = self.layers
        self.disagreements = [
            (doc_id, d) for doc_id, d in self.disagreements
            if d.layer in layers
            and not (d.kind == SPURIOUS and d.predicted is not None and d.predicted.label not in self.judged[d.predicted.layer])]
        for layer in LAYERS:  # a label never judged where the gold has nothing is listed as not scored instead
            for gold, model in [cell for cell in self.confusion[layer] if cell[0] is NOTHING]:
                if model not in self.judged[layer]:
                    del self.confusion[layer][gold, model]
        if NUMBERS in self.left_out_layers:
            self.values_right = self.values_found = 0

    def as_dict(self) -> dict[str, Any]:
        return {
            "model": self.model,
            "annotator": self.annotator,
            "documents": self.documents,
            "not_annotated": self.not_annotated,
            "without_predictions": self.without_predictions,
            "mapping": dict(sorted(self.mapping.items())),
            "unused_mapping": self.unused_mapping,
            "left_out_layers": self.left_out_layers,
            "not_scored": {layer: dict(sorted(c.items())) for layer, c in self.not_scored.items() if c},
            "scores": {mode: {layer: {"overall": s.overall.as_dict(),
                                      "labels": {k: v.as_dict() for k, v in sorted(s.labels.items())}}
                              for layer, s in layers.items() if layer in self.layers}
                       for mode, layers in self.scores.items()},
            "confusion": {layer: [{"gold": g, "model": m, "count": n} for (g, m), n in confusion_rows(c)]
                          for layer, c in self.confusion.items() if layer in self.layers},
            "number_values": {"right": self.values_right, "found": self.values_found,
                              "accuracy": round(self.value_accuracy, 4)},
            "resolved_dates": {"right": self.dates_right, "found": self.dates_found,
                               "accuracy": round(self.date_accuracy, 4),
                               **({"suggested_by": dict(sorted(self.dates_by_source.items()))} if self.dates_by_source else {})},
            "edits": {k: self.edits.get(k, 0) for k in EDITS},
            "disagreements": [{"doc_id": doc_id, "kind": d.kind, "start": d.start, "end": d.end, "what": d.describe()}
                              for doc_id, d in self.disagreements],
            **self.links.as_dict(),
        }


def nothing_last(labels: Iterable[str | None]) -> list[str | None]:
    """Labels in order, "nothing" (None) last: the rows and columns of a confusion table."""
    return sorted(labels, key=lambda x: (x is None, x or ""))


def confusion_rows(confusion: Counter[tuple[str | None, str | None]]) -> list[tuple[tuple[str | None, str | None], int]]:
    """Cells in a steady order: by gold label, then model label, "nothing" last."""
    return sorted(confusion.items(), key=lambda c: ((c[0][0] is None, c[0][0] or ""), (c[0][1] is None, c[0][1] or "")))


def confusion(gold: Sequence[AnySpan], predicted: Sequence[AnySpan],
              found: Sequence[Disagreement]) -> Counter[tuple[str | None, str | None]]:
    """(gold label, model label) for every span: at the same place (or overlapping) with the same
    or another label, or one side with nothing there. ``found``: the two's disagreements."""
    cells: Counter[tuple[str | None, str | None]] = Counter()
    predicted_keys = set(map(KEY, predicted))
    for label, n in Counter(map(itemgetter(3), filter(predicted_keys.__contains__, map(KEY, gold)))).items():
        cells[label, label] = n
    for d in found:
        if d.kind != WRONG_VALUE:
            cells[d.gold.label if d.gold else NOTHING, d.predicted.label if d.predicted else NOTHING] += 1
    return cells


def date_matches(gold: Sequence[AnySpan], predicted: Sequence[AnySpan]) -> tuple[int, int]:
    """Of the gold's resolved dates the model found at the right place, how many it resolved to
    the same date: (right, found). A gold date not resolved (None) is not counted."""
    dated = [g for g in gold if g.resolved is not None]
    if not dated:
        return 0, 0
    by_place = dict(zip(map(SPOT, predicted), map(RESOLVED, predicted)))
    found = [(g.resolved, by_place[spot]) for g, spot in zip(dated, map(SPOT, dated)) if spot in by_place]
    return sum(1 for mine, theirs in found if mine == theirs), len(found)


def mapped(spans: Iterable[SpanRow], mapping: Mapping[str, str]) -> list[SpanRow]:
    if not mapping:
        return list(spans)
    return [s._replace(label=mapping[s.label]) if s.label in mapping else s for s in spans]


def parse_mapping(pairs: Iterable[str], where: str = "--map", first_line: int | None = None) -> dict[str, str]:
    """``MODEL=GOLD`` pairs (a tab also separates); blank lines and ``#`` comments are skipped."""
    mapping: dict[str, str] = {}
    for number, raw in enumerate(pairs, first_line or 0):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        model, sep, gold = line.partition("=") if "=" in line else line.partition("\t")
        if not sep or not model.strip() or not gold.strip():
            raise InputError(where, f"expected MODEL_LABEL=GOLD_LABEL, found {line!r}", number if first_line else None)
        mapping[model.strip()] = gold.strip()
    return mapping


def read_mapping(path: Path) -> dict[str, str]:
    """A mapping file: a JSON object {"PERSON": "PER"}, or one ``PERSON=PER`` (or tab-separated) pair a line."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as err:
        raise InputError(path, f"cannot read the label mapping: {err}") from None
    if text.lstrip().startswith("{"):
        try:
            data = json.loads(text)
        except json.JSONDecodeError as err:
            raise InputError(path, f"not valid JSON: {err.msg}", err.lineno) from None
        if not isinstance(data, dict) or not all(isinstance(v, str) and k and v for k, v in data.items()):
            raise InputError(path, 'expected an object of label names, e.g. {"PERSON": "PER"}')
        return data
    return parse_mapping(text.splitlines(), str(path), first_line=1)


def evaluate(store: Store, annotator: str | None = None, pipeline: Pipeline | None = None,
             mapping: Mapping[str, str] | None = None) -> Evaluation:
    """One model: the stored predictions (the latest run on each document) or a fresh run of ``pipeline``."""
    source = Source(f"{pipeline.name} {pipeline.version}", pipeline=pipeline) if pipeline else \
        Source(" + ".join(f"{m} {v}" for m, v in store.prediction_models()) or "no predictions")
    return compare(store, [source], annotator, mapping)[0]


def compare(store: Store, sources: Sequence[Source], annotator: str | None = None,
            mapping: Mapping[str, str] | None = None) -> list[Evaluation]:
    """Every model on the same documents: the done ones the person (by default the store's
    annotator) has a layer of, with the model's labels mapped to the gold's. Spans are read as
    rows, a few queries for all documents (a query and a Span object each were most of the time)."""
    who = annotator or store.annotator
    done = store.document_ids("done")
    ids = [i for i in done if store.has_layer(i, who)]
    reports = [Evaluation(model=s.name, annotator=who, not_annotated=len(done) - len(ids), mapping=dict(mapping or {}))
               for s in sources]
    humans, shown_rows = rows(store.span_rows(ids, who)), rows(store.prediction_rows(ids))
    own: list[Iterator[list[SpanRow]] | None] = [_predicted(store, s, ids) for s in sources]
    before = [Counter(s.pipeline.date_sources) if s.pipeline else Counter() for s in sources]
    for doc_id, human, shown in zip(ids, humans, shown_rows):  # shown: what was copied into the person's layer
        for source, report, run in zip(sources, reports, own):
            predicted = shown if run is None else next(run)
            if source.stored is not None and not predicted:
                report.without_predictions += 1
            _score_document(report, doc_id, human, mapped(predicted, report.mapping), shown)
    for source, report, counted in zip(sources, reports, before):
        if source.pipeline:
            report.dates_by_source = {k: n for k, n in (source.pipeline.date_sources - counted).items() if n}
        report.finish()
    _score_links(store, sources, reports, ids, who)
    return reports


def _score_links(store: Store, sources: Sequence[Source], reports: Sequence[Evaluation], ids: list[int],
                 who: str) -> None:
    """Document labels and relations of the stored suggestions against the gold's (a pipeline run
    afresh suggests neither: not scored)."""
    gold_categories = list(store.categories.rows(ids, who))
    gold_relations = list(relation_rows(store.relations.rows(ids, who)))
    undirected = frozenset(label.name for label in store.relations.labels() if not label.directed)
    for source, report in zip(sources, reports):
        if source.pipeline is None:
            report.links = compare_links(gold_categories, store.categories.prediction_rows(ids, source.stored),
                                         gold_relations, relation_rows(store.relations.prediction_rows(ids, source.stored)),
                                         undirected)


def _predicted(store: Store, source: Source, ids: list[int]) -> Iterator[list[SpanRow]] | None:
    """Each document's spans from a fresh run of the source (its dates resolved against the article's,
    as detection stores them), or its stored predictions; None: the latest shown."""
    if source.pipeline:
        return _fresh(store, source.pipeline, ids)
    return None if source.stored is None else rows(store.prediction_rows(ids, source.stored))


def _fresh(store: Store, pipeline: Pipeline, ids: list[int]) -> Iterator[list[SpanRow]]:
    read: dict[int, tuple[date | None, str]] = {}  # the documents the pipeline has read ahead

    def texts() -> Iterator[str]:
        for doc_id in ids:
            document = store.document(doc_id)
            read[doc_id] = (article_day(document.date), document.text)
            yield document.text

    for doc_id, spans in zip(ids, pipeline.predict(texts())):
        day, text = read.pop(doc_id)
        yield [SpanRow.of(doc_id, resolve_span(s, day, text)) for s in spans]


def _score_document(report: Evaluation, doc_id: int, human: list[SpanRow], predicted: list[SpanRow],
                    shown: list[SpanRow]) -> None:
    report.documents += 1
    # a counted noun phrase is a COUNTS link's end, scored with the links, not an entity
    human, predicted, shown = ([s for s in rows if not counted_phrase(s)] for rows in (human, predicted, shown))
    imported = any(s.origin == ORIGIN_IMPORT for s in human)  # not started from the suggestions
    for layer in LAYERS:
        gold = [s for s in human if s.layer == layer]
        pred = [s for s in predicted if s.layer == layer]
        report.judged[layer].update(s.label for s in gold)
        found = disagreements(gold, pred)
        if not imported:
            suggested = [s for s in shown if s.layer == layer]
            report.judged[layer].update(s.label for s in mapped(suggested, report.mapping))
            report.layer_edits[layer].update(edit_counts(suggested, gold, found if suggested == pred else None))
        score_modes(gold, pred, {mode: report.scores[mode][layer] for mode in (EXACT, OVERLAP)})
        report.disagreements += [(doc_id, d) for d in found]
        report.confusion[layer].update(confusion(gold, pred, found))
        if layer == NUMBERS:
            right, found_values = value_matches(gold, pred)
            report.values_right += right
            report.values_found += found_values
        right, found_dates = date_matches(gold, pred)
        report.dates_right += right
        report.dates_found += found_dates
