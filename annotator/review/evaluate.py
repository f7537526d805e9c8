"""Model against human on the documents marked done: scores, value accuracy, edits, disagreements."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from annotator.domain import LAYERS, NUMBERS, Span
from annotator.review.metrics import EXACT, OVERLAP, Disagreement, Scores, disagreements, edit_counts, score, value_matches
from annotator.storage import Store

if TYPE_CHECKING:
    from annotator.detect.pipeline import Pipeline


@dataclass
class Evaluation:
    model: str
    annotator: str = ""
    documents: int = 0
    not_annotated: int = 0  # done documents the person has no layer of: left out, not scored as perfect
    scores: dict[str, dict[str, Scores]] = field(
        default_factory=lambda: {mode: {layer: Scores() for layer in LAYERS} for mode in (EXACT, OVERLAP)})
    values_right: int = 0
    values_found: int = 0
    edits: Counter[str] = field(default_factory=Counter)
    disagreements: list[tuple[int, Disagreement]] = field(default_factory=list)

    @property
    def value_accuracy(self) -> float:
        return self.values_right / self.values_found if self.values_found else 0.0

    def as_dict(self) -> dict[str, Any]:
        return {
            "model": self.model,
            "annotator": self.annotator,
            "documents": self.documents,
            "not_annotated": self.not_annotated,
            "scores": {mode: {layer: {"overall": s.overall.as_dict(),
                                      "labels": {k: v.as_dict() for k, v in sorted(s.labels.items())}}
                              for layer, s in layers.items()} for mode, layers in self.scores.items()},
            "number_values": {"right": self.values_right, "found": self.values_found,
                              "accuracy": round(self.value_accuracy, 4)},
            "edits": {k: self.edits.get(k, 0) for k in ("accepted", "relabelled", "resized", "deleted", "value corrected", "added")},
            "disagreements": [{"doc_id": doc_id, "kind": d.kind, "start": d.start, "end": d.end, "what": d.describe()}
                              for doc_id, d in self.disagreements],
        }


def evaluate(store: Store, annotator: str | None = None, pipeline: "Pipeline | None" = None) -> Evaluation:
    """Compare the stored predictions (or a fresh run of ``pipeline``) with a person's layer
    (by default the store's annotator) on the done documents that person annotated."""
    who = annotator or store.annotator
    done = store.document_ids("done")
    ids = [i for i in done if store.has_layer(i, who)]
    models = store.prediction_models()
    report = Evaluation(model=f"{pipeline.name} {pipeline.version}" if pipeline else
                        (" + ".join(f"{m} {v}" for m, v in models) or "no predictions"),
                        annotator=who, not_annotated=len(done) - len(ids))
    fresh = pipeline.predict(store.document(i).text for i in ids) if pipeline else None
    for doc_id in ids:
        human = store.spans(doc_id, annotator=who)
        stored = store.predictions(doc_id)
        predicted: list[Span] = next(fresh) if fresh is not None else stored
        report.documents += 1
        for layer in LAYERS:
            gold = [s for s in human if s.layer == layer]
            pred = [s for s in predicted if s.layer == layer]
            for mode in (EXACT, OVERLAP):
                score(gold, pred, mode, report.scores[mode][layer])
            report.disagreements += [(doc_id, d) for d in disagreements(gold, pred)]
            if layer == NUMBERS:
                right, found = value_matches(gold, pred)
                report.values_right += right
                report.values_found += found
        report.edits += edit_counts(stored, human)
    return report
