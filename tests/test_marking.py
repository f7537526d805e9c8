"""Marking many documents at once: one transaction, one edit whose undo restores every status."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from annotator.domain import STATUSES, NewDocument, Span
from annotator.storage import Interrupted, Store
from annotator.storage.marking import Selection, runs

DOCS = 60


@pytest.fixture(scope="module", params=["file", "server"])
def project(request: pytest.FixtureRequest, tmp_path_factory) -> Path | str:
    """The same 60 articles in a project file and on the PostgreSQL server (marking uses a temporary table)."""
    path = (request.getfixturevalue("pg_cluster").url("marking") if request.param == "server"
            else tmp_path_factory.mktemp("marking") / "p.db")
    with Store(path, annotator="tester") as store:
        store.add_documents([NewDocument(f"Article {i} about Kyiv.") for i in range(DOCS)])
    return path


def statuses(store: Store) -> list[str]:
    return [store.document(doc_id).status for doc_id in store.document_ids()]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(before=st.lists(st.sampled_from(STATUSES), min_size=DOCS, max_size=DOCS),
       stretches=st.lists(st.tuples(st.integers(1, DOCS), st.integers(1, 20)), max_size=4),
       ids=st.lists(st.integers(1, DOCS), max_size=6), status=st.sampled_from(STATUSES))
def test_marking_then_undo_restores_every_status_and_redo_marks_again(
        project: Path, before: list[str], stretches: list[tuple[int, int]], ids: list[int], status: str) -> None:
    with Store(project, annotator="tester") as store:
        with store.transaction():
            for doc_id, was in enumerate(before, 1):
                store.set_status(doc_id, was)
        chosen = set(ids) | {doc_id for first, count in stretches for doc_id in range(first, min(first + count, DOCS + 1))}
        marked = store.mark_documents(Selection(ids=tuple(ids), stretches=tuple(stretches)), status)
        expected = [status if doc_id in chosen else was for doc_id, was in enumerate(before, 1)]
        assert statuses(store) == expected
        assert marked.changed == sum(before[doc_id - 1] != status for doc_id in chosen)
        if not marked.changed:
            return
        assert store.undo() is not None
        assert statuses(store) == before
        assert store.redo() is not None
        assert statuses(store) == expected
        store.undo()


def test_a_cancelled_marking_changes_no_status_and_keeps_the_layers_it_gave(tmp_path: Path) -> None:
    with Store(tmp_path / "p.db", annotator="detector") as detector:  # another person ran the model
        ids = detector.add_documents([NewDocument(f"Talks {i} in Kyiv.") for i in range(5)]).added
        for doc_id in ids:
            text = detector.document(doc_id).text
            detector.save_predictions(doc_id, [Span.of(text, text.index("Kyiv"), text.index("Kyiv") + 4, "GPE")], "m", "1")
    with Store(tmp_path / "p.db", annotator="tester") as store:
        assert [len(store.spans(doc_id)) for doc_id in ids] == [0] * 5
        asked = []

        def cancelled() -> bool:  # Cancel pressed once the layers are given
            asked.append(1)
            return len(asked) > 1

        with pytest.raises(Interrupted, match="no status was changed"):
            store.mark_documents(Selection(stretches=((ids[0], 5),)), "done", cancelled=cancelled)
        assert store.counts()["status"]["done"] == 0 and store.history(limit=1) == []
        assert [len(store.spans(doc_id)) for doc_id in ids] == [1] * 5  # as opening them would have


def test_runs_of_ids() -> None:
    assert runs([1, 2, 3, 7, 9, 10]) == [[1, 3], [7, 7], [9, 10]]
