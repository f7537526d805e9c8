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
        db, annotator = self.store().path, self.store().annotator
        runner = self

        def work(progress: Callable[[int, int], None], cancelled: Callable[[], bool]) -> Any:
            from annotator.detect.detector import detect_documents
            from annotator.detect.pipeline import load_pipeline

            if runner.pipeline is None:
                runner.pipeline = load_pipeline(runner.model)
            with Store(db, annotator) as store:
                ids = store.documents_without_predictions() if only_new else store.document_ids()
                progress(0, len(ids))
                return detect_documents(store, ids, runner.pipeline, progress=lambda n: progress(n, len(ids)),
                                        cancelled=cancelled)

        self.status.model_label.setText("model: loading…" if self.pipeline is None else self._describe())
        self.status.workers.start(work, self._finished, self._failed, self.status.progress, "Detecting")

    def _describe(self) -> str:
        if self.pipeline is None:
            return "model: none"
        if self.pipeline.fallback_reason:
            return "⚠ no spaCy model — rule-based numbers only"
        return f"model: {self.pipeline.name} {self.pipeline.version}"

    def _finished(self, count: int) -> None:
        self.status.model_label.setText(self._describe())
        if self.pipeline and self.pipeline.fallback_reason:
            self.status.model_label.setToolTip(plain_tooltip(self.pipeline.describe()))
        if count:
            self.status.show_message(f"Pre-annotated {counted(count, 'document')}.")
            self.detected(count)

    def _failed(self, message: str) -> None:
        self.status.model_label.setText("⚠ model failed")
        self.status.show_message(f"Detection failed: {message}", error=True)
