"""DATE spans resolved against their article's date, through the store: the model's and a person's."""

from __future__ import annotations

from pathlib import Path

from annotator.detect.detector import detect_documents
from annotator.detect.pipeline import load_pipeline
from annotator.domain import NewDocument
from annotator.importing import import_paths
from annotator.session import Session
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


def test_a_persons_date_gets_its_date_and_keeps_their_correction(fresh_store: Store) -> None:
    """Labelled by hand, a DATE is resolved against the article's date like the model's; a value
    the person typed survives relabelling, and a span that stops being a DATE has none."""
    text = "Talks resumed on Monday in Geneva."
    doc = fresh_store.add_documents([NewDocument(text, meta={"date": "2025-01-07"})]).added[0]
    session = Session(fresh_store)
    session.open(doc)
    assert session.label("DATE") is not None
    start = text.index("Monday")
    assert session.add(start, start + len("Monday"), "DATE")
    assert [(s.text, s.resolved) for s in fresh_store.spans(doc)] == [("Monday", "2025-01-06")]
    assert session.update(resolved="2025-01-13")  # the person knows it was the next Monday
    assert session.relabel("EVENT") and fresh_store.spans(doc)[0].resolved is None
    assert session.relabel("DATE") and fresh_store.spans(doc)[0].resolved == "2025-01-06"
    assert session.update(resolved="2025-01-13") and session.relabel("DATE")
    assert fresh_store.spans(doc)[0].resolved == "2025-01-13"
    assert fresh_store.predictions(doc) == []  # nothing of this touches the model's layer
