"""Detection resolves each DATE entity against its article's date, through the store."""

from __future__ import annotations

from pathlib import Path

from annotator.detect.detector import detect_documents
from annotator.detect.pipeline import load_pipeline
from annotator.importing import import_paths
from annotator.storage import Store


def test_dates_found_by_the_model_are_resolved_against_the_article(fresh_store: Store, seeds_dir: Path) -> None:
    import_paths(fresh_store, [seeds_dir])
    ids = fresh_store.document_ids()
    detect_documents(fresh_store, ids, load_pipeline())
    by_date = {fresh_store.document(i).date: i for i in ids}
    assert set(by_date) == {"2024-01-02", "2025-01-07"}
    tuesday_2024 = {s.text: s.resolved for s in fresh_store.spans(by_date["2024-01-02"]) if s.label == "DATE"}
    assert tuesday_2024["Tuesday"] == "2024-01-02"
    assert tuesday_2024["December 29"] == "2023-12-29"
    tuesday_2025 = {s.text: s.resolved for s in fresh_store.predictions(by_date["2025-01-07"]) if s.label == "DATE"}
    assert tuesday_2025["Tuesday"] == "2025-01-07"
    everything = [s for i in ids for s in fresh_store.spans(i) + fresh_store.predictions(i)]
    assert all(s.resolved is None for s in everything if s.label != "DATE")
