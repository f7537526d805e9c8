"""Model → Train, Use for pre-annotation and Re-detect in the window, driven with keys and clicks:
training runs in the background (the window keeps working), Cancel keeps the best model, and the
chosen model pre-annotates the open documents without touching what a person edited."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox

from annotator.domain import NUMBERS, OPEN, NewDocument, Span
from annotator.storage import Store
from annotator.train.synthetic import labelled_news

TRAINING = 180_000  # ms; a tiny run takes ~10 s alone, longer on a shared machine


def project(db: Path) -> None:
    """10 done labelled documents, and 3 open ones the model has not seen."""
    with Store(db, annotator="tester") as store:
        store.add_documents(labelled_news(10, seed=4))
        store.add_documents(NewDocument(d.text, status=OPEN) for d in labelled_news(3, seed=40, unseen=True))


def fill_and_train(qtbot, win, output: Path, steps: int) -> None:
    win.model_menu.train_action.trigger()
    dialog = win.model_menu.dialog
    qtbot.waitExposed(dialog)
    dialog.output.selectAll()
    qtbot.keyClicks(dialog.output, str(output))
    dialog.steps.selectAll()
    qtbot.keyClicks(dialog.steps, str(steps))
    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton)


def test_train_in_the_background_then_pre_annotate_the_open_documents(make_window, qtbot, db_path: Path,
                                                                       tmp_path: Path) -> None:
    project(db_path)
    store = Store(db_path, annotator="tester")
    win = make_window(store)
    first_open = store.document_ids(OPEN)[0]
    edited = Span.of(store.document(first_open).text, 0, 7, "PERSON")
    store.add_span(first_open, edited)  # a person's work on an open document
    win.open_document(store.document_ids()[0])

    fill_and_train(qtbot, win, tmp_path / "models" / "news", 8)
    qtbot.waitUntil(lambda: win.progress.isVisible())
    assert not win.model_menu.train_action.isEnabled()
    # The window keeps working while spaCy trains: the next document opens at once.
    before = win.doc_id
    qtbot.keyClick(win.article, Qt.Key.Key_PageDown, Qt.KeyboardModifier.ControlModifier)
    assert win.doc_id != before and win.workers.running
    qtbot.waitUntil(lambda: not win.workers.running, timeout=TRAINING)
    assert win.message.text().startswith("Trained news 0.1.0 (entities F1 ")
    assert win.model_menu.train_action.isEnabled()

    win.model_menu.use_menu.aboutToShow.emit()
    choices = [a.text() for a in win.model_menu.use_menu.actions()]
    assert choices[0] == "Installed English pipeline (default)" and choices[1].startswith("news 0.1.0 — entities F1 ")
    win.model_menu.use_menu.actions()[1].trigger()
    qtbot.waitUntil(lambda: not win.workers.running, timeout=TRAINING)
    assert win.model_label.text() == "model: en_news 0.1.0"
    assert win.message.text().startswith("Re-detected 3 open document(s) with en_news 0.1.0")
    for doc_id in store.document_ids(OPEN):
        layer = store.layer(doc_id)
        if doc_id == first_open:
            assert [(s.start, s.end, s.label) for s in layer] == [(0, 7, "PERSON")]  # never overwritten
        else:
            assert {s.label for s in layer if s.layer == NUMBERS} & {"CASUALTIES", "WEAPONS", "AMOUNT"}
    assert {m for m, _ in store.prediction_models()} == {"en_news"}
    win.close()
    store.close()


def test_cancel_keeps_the_best_model_so_far(make_window, qtbot, db_path: Path, tmp_path: Path) -> None:
    project(db_path)
    store = Store(db_path, annotator="tester")
    win = make_window(store)
    fill_and_train(qtbot, win, tmp_path / "m", 100000)
    qtbot.waitUntil(lambda: win.progress.label.text().startswith("Training — dev F1"), timeout=TRAINING)
    qtbot.mouseClick(win.progress.cancel, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not win.workers.running, timeout=TRAINING)
    assert win.message.text().startswith("Training stopped; kept the best model so far: m 0.1.0")
    assert [m["name"] for m in store.models()] == ["m"]
    assert (tmp_path / "m" / "v1" / "model-best" / "meta.json").exists()
    win.close()
    store.close()
