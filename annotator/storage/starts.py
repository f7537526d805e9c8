"""How a person's layer starts: as the model's suggestions. Detection stores its predictions and
copies them into the layer of whoever ran it (unless they have worked on the document); a person
opening a document detected for someone else starts from the same suggestions; marking documents
done unopened copies them first. Learned decisions (annotator.learning) join the copy."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from annotator.domain import ENTITIES, Span, check_span, check_spans
from annotator.learning.suggest import ORIGIN_LEARNED, SUGGESTED, suggestions
from annotator.storage.connection import Connection
from annotator.storage.counts import add_span_counts
from annotator.storage.decisions import Decisions
from annotator.storage.documents import Documents
from annotator.storage.labels import Labels
from annotator.storage.layers import Spans
from annotator.storage.predictions import Predictions
from annotator.storage.rows import now

# Told the documents whose layer was just copied from predictions (relations copy theirs).
LayerCopied = Callable[[Sequence[int]], None]


class Starts:
    """``store.starts``: predictions saved and copied into a layer."""

    def __init__(self, db: Connection, annotator: str, documents: Documents, labels: Labels, spans: Spans,
                 predictions: Predictions, decisions: Decisions, copied: Sequence[LayerCopied] = ()) -> None:
        self.db, self.annotator = db, annotator
        self.documents, self.labels, self.spans, self.predictions = documents, labels, spans, predictions
        self.decisions = decisions
        self.copied = list(copied)

    def save_predictions(self, doc_id: int, spans: Sequence[Span], model: str, version: str) -> bool:
        """Store a model's predictions for a document, replacing that model's previous run.

        The human's layer is set to a copy of them unless a person has edited the document
        (any recorded edit) or it carries imported annotations; returns whether it was copied.
        """
        return self.save_many_predictions([(doc_id, spans)], model, version)[0]

    def save_many_predictions(self, batch: Sequence[tuple[int, Sequence[Span]]], model: str,
                              version: str) -> list[bool]:
        """:meth:`save_predictions` for several documents in one transaction (detection stores in
        batches: a commit per document was a sixth of its storing time); whether each was copied.
        Whether a person has edited a document is read inside the transaction, so an edit stored
        while the batch was being predicted is kept."""
        for doc_id, spans in batch:
            text = self.documents.document(doc_id).text
            check_spans(text, [s for s in spans if s.layer == ENTITIES])
            for span in spans:
                check_span(text, span)
        copied: list[bool] = []
        with self.db.write():
            stamp = now()
            self.predictions.replace(batch, model, version, stamp)
            for doc_id, _ in batch:
                copied.append(not self.touched(doc_id))
                if copied[-1]:
                    self.db.execute("DELETE FROM annotations WHERE doc_id = ? AND annotator = ?", [doc_id, self.annotator])
            self.copy_to_layer([(d, spans) for (d, spans), copy in zip(batch, copied) if copy], stamp)
        return copied

    def touched(self, doc_id: int) -> bool:
        """Whether this annotator has edited the document or holds imported spans for it."""
        return self.db.execute(
            "SELECT 1 FROM edits WHERE doc_id = ? AND annotator = ? UNION ALL "
            "SELECT 1 FROM annotations WHERE doc_id = ? AND annotator = ? AND origin NOT IN (?, ?)",
            [doc_id, self.annotator, doc_id, self.annotator, *SUGGESTED],
        ).fetchone() is not None

    def copy_to_layer(self, doc_spans: Sequence[tuple[int, Sequence[Span]]], stamp: str) -> None:
        """The human's layer of each document starts as the model's suggestions, unconfirmed, and
        what the person decided on the same strings elsewhere (annotator.learning)."""
        self.labels.ensure([s for _, spans in doc_spans for s in spans])
        learned = self.decisions.learned() if self.decisions.enabled() else None
        if learned:
            doc_spans = [(d, suggestions(self.documents.document(d).text, spans, learned)) for d, spans in doc_spans]
        model = [(d, [s for s in spans if s.origin != ORIGIN_LEARNED]) for d, spans in doc_spans]
        taught = [(d, [s for s in spans if s.origin == ORIGIN_LEARNED]) for d, spans in doc_spans]
        add_span_counts(self.db, self.spans.add(model, stamp, as_model_copy=True) + self.spans.add(taught, stamp))
        for copied in self.copied:
            copied([doc_id for doc_id, _ in doc_spans])

    def start_layer(self, doc_id: int) -> bool:
        """Give this annotator a layer for the document, copied from the latest predictions.

        Detection copies predictions for the annotator who ran it; another person opening the
        document starts from the same suggestions. Nothing happens once they have a layer.
        """
        if self.spans.has_layer(doc_id):
            return False
        with self.db.write():
            if self.spans.has_layer(doc_id):  # another process of theirs was quicker
                return False
            predictions = self.predictions.of(doc_id)
            if not predictions:
                return False
            self.copy_to_layer([(doc_id, predictions)], now())
        return True
