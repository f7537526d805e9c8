"""Pre-annotation from the window: load the model and detect new documents in a worker."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from annotator.qt.plain import plain_tooltip
from annotator.qt.status_line import StatusLine
from annotator.session import counted
from annotator.storage import Store

if TYPE_CHECKING:
    from annotator.detect.pipeline import Pipeline


class DetectionRunner:
    """Owns the loaded pipeline; the first run loads it (off the UI thread) and keeps it."""

    def __init__(self, status: StatusLine, store: Callable[[], Store], detected: Callable[[int], None],
                 model: str | None = None) -> None:
        self.status = status
        self.store = store
        self.detected = detected  # told how many documents got new predictions
        self.model = model
        self.pipeline: Pipeline | None = None

    def start(self, only_new: bool = True) -> None:
        self._run((lambda store: store.documents_without_predictions()) if only_new else (lambda store: store.document_ids()),
                  "Detecting", "Pre-annotated")

    def measure(self) -> None:
        """Detect again the open documents whose uncertainty was never measured, measuring it (the same
        suggestions: annotator.detect.uncertainty; edited documents keep their layer)."""
        self._run(lambda store: store.uncertainty.unmeasured_open(), "Measuring how sure the model is",
                  "Measured how sure the model is of", measure=True)

    def _run(self, which: Callable[[Store], list[int]], title: str, said: str, measure: bool | None = None) -> None:
        db, annotator = self.store().path, self.store().annotator
        runner = self

        def work(progress: Callable[[int, int], None], cancelled: Callable[[], bool]) -> Any:
            from annotator.detect.detector import detect_documents
            from annotator.detect.pipeline import load_pipeline

            with Store(db, annotator) as store:
                ids = which(store)
                if not ids and measure:  # nothing to measure: no model to load
                    return 0
                if runner.pipeline is None:
                    runner.pipeline = load_pipeline(runner.model)
                progress(0, len(ids))
                return detect_documents(store, ids, runner.pipeline, progress=lambda n: progress(n, len(ids)),
                                        cancelled=cancelled, measure=measure)

        self.status.model_label.setText("model: loading…" if self.pipeline is None else self._describe())
        self.status.workers.start(work, lambda count: self._finished(count, said), self._failed, self.status.progress, title)

    def _describe(self) -> str:
        if self.pipeline is None:
            return "model: none"
        if self.pipeline.fallback_reason:
            return "⚠ no spaCy model — rule-based numbers only"
        return f"model: {self.pipeline.name} {self.pipeline.version}"

    def _finished(self, count: int, said: str) -> None:
        self.status.model_label.setText(self._describe())
        if self.pipeline and self.pipeline.fallback_reason:
            self.status.model_label.setToolTip(plain_tooltip(self.pipeline.describe()))
        if count:
            self.status.show_message(f"{said} {counted(count, 'document')}.")
            self.detected(count)

    def _failed(self, message: str) -> None:
        self.status.model_label.setText("⚠ model failed")
        self.status.show_message(f"Detection failed: {message}", error=True)
