"""Model → Retrain in the background…, driven with keys and clicks: after every N documents marked
done the window trains (``annotator train``'s code, a tiny run) in a worker, and a model that
beats the one in use on the same held-out documents takes over the documents not yet edited; the
status bar says which way it went."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox

from annotator.domain import DONE, OPEN, NewDocument, Span
from annotator.learning.queue import scores
from annotator.storage import Store
from annotator.train.models import MODEL_SETTING
from annotator.train.retrain import Retrained, describe, due
from annotator.train.synthetic import labelled_news

TRAINING = 180_000  # ms; a tiny run takes ~10 s alone, longer on a shared machine


def useless_model(tmp_path: Path) -> Path:
    """A model in use that finds nothing a person labels (dev F1 0): any trained model beats it."""
    import spacy

    nlp = spacy.blank("en")
    nlp.add_pipe("entity_ruler").add_patterns([{"label": "PRODUCT", "pattern": "zzz"}])  # type: ignore[attr-defined]  # add_pipe is typed as any component
    folder = tmp_path / "useless"
    nlp.to_disk(folder)
    return folder


@pytest.fixture
def project(db_path: Path, tmp_path: Path) -> Path:
    """10 done labelled documents, 4 open ones (one of them edited by the person), and the useless model chosen."""
    with Store(db_path, annotator="tester") as store:
        store.add_documents(labelled_news(10, seed=4))
        store.add_documents(NewDocument(d.text, status=OPEN) for d in labelled_news(4, seed=40, unseen=True))
        store.register_model("useless", str(useless_model(tmp_path)), {"version": "0.1.0", "scores": {"ents_f": 0.9}})
        store.set_setting(MODEL_SETTING, "useless")
        edited = store.document_ids(OPEN)[-1]
        store.add_span(edited, Span.of(store.document(edited).text, 0, 7, "PERSON"))
    return db_path


def set_retraining(qtbot, win, every: int, steps: int) -> None:
    win.retraining.action.trigger()
    dialog = win.retraining.dialog
    qtbot.waitExposed(dialog)
    for box, value in ((dialog.every, every), (dialog.steps, steps)):
        box.selectAll()
        qtbot.keyClicks(box, str(value))
    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton)


def mark_done(qtbot, win) -> None:
    qtbot.keyClick(win.article, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)


def test_marking_n_documents_done_retrains_and_a_better_model_takes_the_unedited_documents(
        make_window, qtbot, project: Path) -> None:
    store = Store(project, annotator="tester")
    win = make_window(store)
    open_ids = store.document_ids(OPEN)
    edited = open_ids[-1]
    set_retraining(qtbot, win, 2, 8)
    assert win.status.message.text() == "Retraining after every 2 documents marked done (8 steps)."
    win.session.open(open_ids[0])
    mark_done(qtbot, win)
    assert not win.workers.running  # one of two: nothing yet
    mark_done(qtbot, win)
    assert store.count_documents(DONE) == 12
    assert win.workers.running and win.status.progress.label.text() == "Retraining"
    qtbot.waitUntil(lambda: not win.workers.running, timeout=TRAINING)
    message = win.status.message.text()
    assert message.startswith("Retrained project_background 0.1.0: dev F1 "), message
    assert " against 0.000 for useless; it now pre-annotates the documents not yet edited (2 detected again)." in message
    assert win.status.model_label.text() == "model: project_background"
    assert store.setting(MODEL_SETTING) == "project_background"
    for doc_id in store.document_ids(OPEN):
        if doc_id == edited:
            assert [(s.start, s.end, s.label) for s in store.layer(doc_id)] == [(0, 7, "PERSON")]  # never overwritten
        else:
            assert {s.label for s in store.predictions(doc_id)} - {"PRODUCT"}  # the new model's, not the useless one's
            assert scores(store)[doc_id] == 1.0  # it suggested nothing there: next unreviewed may start here
    win.close()
    store.close()


def test_retraining_is_off_by_default(make_window, qtbot, project: Path) -> None:
    store = Store(project, annotator="tester")
    win = make_window(store)
    for doc_id in store.document_ids(OPEN)[:3]:
        win.session.open(doc_id)
        mark_done(qtbot, win)
    assert not win.workers.running and store.count_documents(DONE) == 13
    win.close()
    store.close()


@pytest.mark.parametrize(("done", "last", "every", "wanted"), [
    (12, 10, 2, True), (11, 10, 2, False), (9, 0, 2, False), (20, 0, 0, False), (10, 0, 1, True)])
def test_a_run_is_due_after_n_more_done_once_ten_are(done: int, last: int, every: int, wanted: bool) -> None:
    assert due(done, last, every) is wanted


def test_the_status_line_says_when_the_model_in_use_stays() -> None:
    lost = Retrained("news_background", "0.2.0", 0.41, 0.6, False, 0, True)
    assert describe(lost, "news") == "Retrained news_background 0.2.0: dev F1 0.410 against 0.600 for news; news stays in use."
    cancelled = Retrained("news_background", "0.2.0", 0.0, 0.0, False, 0, False)
    assert describe(cancelled, "news") == "Retraining cancelled; news stays in use."
