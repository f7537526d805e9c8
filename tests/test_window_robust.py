"""The window under failure: no exception escapes an event handler, a failed write is never shown
as saved, a read-only project opens read-only."""

from __future__ import annotations

import errno
import itertools
import json
import os
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

import pytest
from locks import lock_held, locked, made_read_only
from PySide6.QtCore import QEvent, Qt, QTimer
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QLabel, QPushButton
from windows import click_listed, read_and_close

from annotator.domain import NewDocument, Span
from annotator.qt.app import install_exception_hook
from annotator.storage import Store, StoreError


@pytest.fixture
def reports(monkeypatch, tmp_path: Path) -> list[str]:
    """The exception hook installed as the window installs it, reporting into a list."""
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)  # put back after the test
    said: list[str] = []
    install_exception_hook(said.append, tmp_path / "data" / "errors.log")
    return said


def test_an_exception_in_a_click_handler_is_said_in_one_line_and_logged(qtbot, reports: list[str], tmp_path: Path) -> None:
    button = QPushButton("go")
    qtbot.addWidget(button)

    def boom() -> None:
        raise RuntimeError("boom\nsecond line")

    button.clicked.connect(boom)
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    log = tmp_path / "data" / "errors.log"
    assert reports == [f"Something went wrong: RuntimeError: boom (details in {log})"]
    assert "Traceback" in log.read_text() and "second line" in log.read_text()
    button.clicked.disconnect(boom)
    button.clicked.connect(lambda: (_ for _ in ()).throw(StoreError("/x/project.db is read-only: the change was not stored")))
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert reports[-1] == "/x/project.db is read-only: the change was not stored"


# -- failed writes, as the user sees them ---------------------------------------------------------

WORDS = [f"Name{chr(65 + i // 26)}{chr(65 + i % 26)}" for i in range(150)]  # NameAA, NameAB, … all different
ARTICLE = "President Volodymyr Zelenskyy met " + ", ".join(WORDS) + " on Monday."


@pytest.fixture
def project(db_path: Path) -> Path:
    with Store(db_path, annotator="tester") as store:
        [doc_id] = store.add_documents([NewDocument(ARTICLE)]).added
        store.add_span(doc_id, Span.of(ARTICLE, 0, 9, "PERSON"))  # "President": one span to start with
    return db_path


def label_word(qtbot, window, word: str, key: str = "p") -> None:
    """Select a word as a person would (found in the shown document), then press a label key."""
    cursor = window.article.document().find(word)
    window.article.setTextCursor(cursor)
    qtbot.keyClick(window.article, key)


def drawn(window) -> list[str]:
    return sorted(selection.cursor.selectedText() for selection in window.article.extraSelections()
                  if selection.cursor.hasSelection())


def stored(path: Path) -> list[str]:
    """The labelled words in the database, read by another connection (opening a Store could wait)."""
    db = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        return sorted(row[0] for row in db.execute("SELECT text FROM annotations WHERE annotator = 'tester'"))
    finally:
        db.close()


def status_text(window) -> str:
    return " | ".join(label.text() for label in window.statusBar().findChildren(QLabel) if label.isVisible())


def test_a_full_disk_is_said_and_the_word_is_not_drawn_as_labelled(qtbot, make_window, project: Path) -> None:
    store = Store(project, annotator="tester")
    window = make_window(store)
    pages = store.db.execute("PRAGMA page_count").fetchone()[0]
    store.db.execute(f"PRAGMA max_page_count = {pages}")  # the disk is full from here on
    failed = None
    for word in WORDS:
        label_word(qtbot, window, word)
        if word not in drawn(window):
            failed = word
            break
        assert "✓ saved" in window.status.save_label.text()
    assert failed is not None, "no write ever needed a new page"
    assert "full" in window.status.message.text() and "not stored" in window.status.message.text()
    assert "✓ saved" not in window.status.save_label.text()
    assert drawn(window) == stored(project)
    window.close()
    store.close()


def stored_labels(path: Path) -> list[tuple[str, str]]:
    db = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        return sorted(db.execute("SELECT text, label FROM annotations WHERE annotator = 'tester'"))
    finally:
        db.close()


def drawn_labels(window) -> list[tuple[str, str]]:
    return sorted((s.text, s.label) for s in window.article.spans)


def test_a_key_press_while_another_program_holds_the_lock_waits_and_the_window_goes_on(
        qtbot, make_window, project: Path) -> None:
    with Store(project, annotator="tester") as store:
        store.add_documents([NewDocument("Kyiv said so on Monday.")])
    store = Store(project, annotator="tester")
    window = make_window(store)
    with lock_held(project):  # before the fix the key press froze the window until it was free
        label_word(qtbot, window, "Zelenskyy")
        assert "busy" in window.status.message.text() and "another program is writing" in window.status.message.text()
        assert "waiting" in window.status.save_label.text() and "✓ saved" not in status_text(window)
        assert drawn(window) == ["President"] == stored(project)  # nothing drawn before it is stored
        ticks: list[int] = []
        timer = QTimer()
        timer.timeout.connect(lambda: ticks.append(1))
        timer.start(20)
        qtbot.waitUntil(lambda: len(ticks) >= 5, timeout=30_000)  # the event loop runs on
        timer.stop()
        qtbot.keyClick(window.article, Qt.Key.Key_PageDown, Qt.KeyboardModifier.ControlModifier)  # next document
        assert window.article.text == "Kyiv said so on Monday."
        qtbot.keyClick(window.article, Qt.Key.Key_PageUp, Qt.KeyboardModifier.ControlModifier)  # and back
        assert window.article.text == ARTICLE and drawn(window) == ["President"]
        assert "waiting" in window.status.save_label.text()
        assert locked(project)  # all of that while the other program still held the lock
    qtbot.waitUntil(lambda: "Zelenskyy" in drawn(window), timeout=30_000)  # stored as soon as it is free
    assert drawn(window) == ["President", "Zelenskyy"] == stored(project)
    assert "✓ saved" in window.status.save_label.text() and "waiting" not in status_text(window)
    window.close()
    store.close()


def test_edits_made_while_the_project_is_locked_are_stored_in_order_each_on_what_came_before(
        qtbot, make_window, project: Path) -> None:
    store = Store(project, annotator="tester")
    window = make_window(store)
    with lock_held(project):
        label_word(qtbot, window, "Volodymyr")  # waits
        qtbot.keyClick(window.article, Qt.Key.Key_Right, Qt.KeyboardModifier.AltModifier)  # grow the waiting span
        qtbot.keyClick(window.article, "o")  # and relabel it
        label_word(qtbot, window, "NameAA", key="g")
        qtbot.keyClick(window.article, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)  # undo: NameAA, once stored
        assert "5 edits waiting" in window.status.save_label.text()
        assert drawn(window) == ["President"] == stored(project)
        assert locked(project)
    qtbot.waitUntil(lambda: "waiting" not in window.status.save_label.text(), timeout=30_000)
    assert drawn_labels(window) == [("President", "PERSON"), ("Volodymyr Zelenskyy", "ORG")] == stored_labels(project)
    assert "✓ saved" in window.status.save_label.text()
    window.close()
    store.close()


def test_an_edit_the_lock_keeps_out_past_the_limit_is_not_drawn_and_said_not_saved(
        qtbot, make_window, project: Path) -> None:
    store = Store(project, annotator="tester")
    window = make_window(store)
    window.session.lock_limit_s = 1  # instead of 15 s
    with lock_held(project):
        label_word(qtbot, window, "Zelenskyy")
        assert "waiting" in window.status.save_label.text()
        qtbot.waitUntil(lambda: "✗ not saved" in window.status.save_label.text(), timeout=30_000)
        assert drawn(window) == ["President"] == stored(project)
        assert "busy" in window.status.message.text() and "not stored" in window.status.message.text()
    # The lock is free now: what was given up stays given up. (Had it waited still, it would be
    # stored before the next edit, which follows it in line.)
    assert drawn(window) == ["President"] == stored(project)
    assert "✗ not saved" in window.status.save_label.text()
    label_word(qtbot, window, "NameAA")
    assert drawn(window) == ["NameAA", "President"] == stored(project)
    label_word(qtbot, window, "Zelenskyy")  # pressed again, it is stored
    assert drawn(window) == ["NameAA", "President", "Zelenskyy"] == stored(project)
    assert "✓ saved" in window.status.save_label.text()
    window.close()
    store.close()


def test_a_label_first_met_while_the_project_is_locked_is_shown_at_once_and_kept_once_it_is_free(
        qtbot, make_window, project: Path) -> None:
    text = "The Antonov airport was hit."
    with Store(project, annotator="tester") as store:
        [doc_id] = store.add_documents([NewDocument(text)]).added
        store.add_span(doc_id, Span.of(text, 4, 19, "FAC"))  # a label the label bar does not show yet
    store = Store(project, annotator="tester")
    window = make_window(store)
    with lock_held(project):
        qtbot.keyClick(window.article, Qt.Key.Key_PageDown, Qt.KeyboardModifier.ControlModifier)
        assert window.article.text == text and "FAC" in window.label_bar.used
        assert locked(project)  # the window did not wait to keep it in the project
    qtbot.keyClick(window.article, Qt.Key.Key_PageUp, Qt.KeyboardModifier.ControlModifier)  # a later chance
    with Store(project, annotator="tester") as other:
        assert "FAC" in json.loads(other.setting("shown_labels"))
    window.close()
    store.close()


def test_a_label_change_while_the_project_is_locked_is_refused_at_once_and_made_once_it_is_free(
        qtbot, make_window, project: Path) -> None:
    from annotator.qt.label_dialog import LabelDialog

    store = Store(project, annotator="tester")
    store.update_label("GPE", colour="#90be6d")  # a colour of before the default palette
    window = make_window(store)
    dialog = LabelDialog(store, window)
    qtbot.addWidget(dialog)
    button = next(b for b in dialog.findChildren(QPushButton) if b.text() == "Default colours")
    said: list[str] = []

    with lock_held(project):
        QTimer.singleShot(200, read_and_close(said))
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
        assert len(said) == 1 and "locked by another program" in said[0] and "not stored" in said[0]
        assert store.label("GPE").colour == "#90be6d"
        assert locked(project)  # refused at once, not after waiting for the other program
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert store.label("GPE").colour != "#90be6d"
    window.close()
    store.close()


def test_taking_a_version_in_the_review_while_the_project_is_locked_is_refused_at_once(
        qtbot, make_window, db_path: Path) -> None:
    text = "Activists of human rights groups met in Kyiv."
    groups = text.index("human rights groups")
    with Store(db_path) as store:
        doc = store.add_documents([NewDocument(text)]).added[0]
    for person, label in (("alice", "ORG"), ("carol", "NORP")):
        with Store(db_path, annotator=person) as store:
            store.add_span(doc, Span.of(text, groups, groups + len("human rights groups"), label))
    store = Store(db_path, annotator="alice")
    window = make_window(store)
    qtbot.keyClick(window.article, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)
    panel = window.review.window.panel
    qtbot.waitUntil(lambda: panel.refresh_button.isEnabled(), timeout=60_000)
    click_listed(qtbot, panel.differences, 0)
    said: list[str] = []

    with lock_held(db_path):
        QTimer.singleShot(200, read_and_close(said))
        qtbot.mouseClick(panel.take_second, Qt.MouseButton.LeftButton)
        assert len(said) == 1 and "carol's version was not taken" in said[0] and "locked" in said[0]
        assert locked(db_path)  # refused at once, not after waiting for the other program
    with Store(db_path, annotator="final") as final:
        assert final.spans(doc) == []
    qtbot.mouseClick(panel.take_second, Qt.MouseButton.LeftButton)  # the lock gone: taken
    with Store(db_path, annotator="final") as final:
        assert [(s.text, s.label) for s in final.spans(doc)] == [("human rights groups", "NORP")]
    window.close()
    store.close()


def status_of(path: Path, doc_id: int) -> str:
    db = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        return db.execute("SELECT status FROM documents WHERE id = ?", [doc_id]).fetchone()[0]
    finally:
        db.close()


def test_marking_done_while_the_project_is_locked_goes_on_to_the_next_document_and_stores_it_later(
        qtbot, make_window, project: Path) -> None:
    with Store(project, annotator="tester") as store:
        [next_id] = store.add_documents([NewDocument("Kyiv said so on Monday.")]).added
    store = Store(project, annotator="tester")
    window = make_window(store)
    first = window.session.doc_id
    with lock_held(project):
        qtbot.keyClick(window.article, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)  # done, next
        assert window.session.doc_id == next_id and window.article.text == "Kyiv said so on Monday."
        assert status_of(project, first) == "open" and "waiting" in window.status.save_label.text()
        assert locked(project)
    qtbot.waitUntil(lambda: status_of(project, first) == "done", timeout=30_000)
    qtbot.waitUntil(lambda: "✓ saved" in window.status.save_label.text(), timeout=30_000)
    assert window.documents.model.summary(window.documents.model.row_of(first)).status == "done"  # its row in the list too
    window.close()
    store.close()


def test_closing_the_window_while_edits_wait_closes_it_once_they_are_stored(qtbot, make_window, project: Path) -> None:
    store = Store(project, annotator="tester")
    window = make_window(store)
    with lock_held(project):
        label_word(qtbot, window, "Zelenskyy")
        window.close()
        assert window.isVisible() and "Closing once your 1 waiting edit is saved" in window.status.message.text()
        assert locked(project)
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=30_000)
    assert stored(project) == ["President", "Zelenskyy"]
    store.close()


@pytest.fixture
def read_only(project: Path) -> Iterator[Path]:
    with made_read_only(project):
        yield project


def test_a_read_only_project_opens_read_only_and_says_so(qtbot, make_window, read_only: Path) -> None:
    before = read_only.read_bytes()
    store = Store(read_only, annotator="tester")
    window = make_window(store)
    assert "read-only" in window.windowTitle()
    assert "read-only" in window.status.message.text() and "read-only" in window.status.save_label.text()
    assert not window.label_bar.isEnabled() and not window.menus.actions["undo"].isEnabled()
    label_word(qtbot, window, "Zelenskyy")
    assert drawn(window) == ["President"] == stored(read_only)
    assert "read-only" in window.status.message.text() and "✓ saved" not in status_text(window)
    window.close()
    store.close()
    assert read_only.read_bytes() == before


def test_a_read_only_project_shows_the_model_suggestions_of_a_document_not_yet_opened(
        qtbot, make_window, db_path: Path) -> None:
    with Store(db_path, annotator="tester") as store:
        [doc_id] = store.add_documents([NewDocument(ARTICLE)]).added
        store.save_predictions(doc_id, [Span.of(ARTICLE, 10, 29, "PERSON")], "model", "1")
    with made_read_only(db_path):
        store = Store(db_path, annotator="reviewer")  # who has no layer of it yet
        window = make_window(store)
        assert drawn(window) == ["Volodymyr Zelenskyy"]
        assert store.spans(doc_id) == []  # shown, not copied
        window.close()
        store.close()


@pytest.mark.qt_no_exception_capture  # the window's own hook is what is tested
def test_an_unexpected_error_in_a_key_press_is_said_and_the_window_goes_on(
        qtbot, make_window, project: Path, monkeypatch, tmp_path: Path) -> None:
    store = Store(project, annotator="tester")
    window = make_window(store)
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    install_exception_hook(lambda text: window.show_message(text, error=True), tmp_path / "errors.log")  # as run() does
    real = store.add_span
    monkeypatch.setattr(store, "add_span", lambda *a, **k: 1 / 0)
    window.article.setTextCursor(window.article.document().find("Zelenskyy"))
    # Delivered by the event loop, as a key from the keyboard is (a key sent from Python code
    # would hand the error back to that code instead).
    QApplication.postEvent(window.article, QKeyEvent(QEvent.Type.KeyPress, Qt.Key.Key_P, Qt.KeyboardModifier.NoModifier, "p"))
    QApplication.processEvents()
    assert window.status.message.text().startswith("Something went wrong: ZeroDivisionError: division by zero (details in")
    assert drawn(window) == ["President"] == stored(project)
    monkeypatch.setattr(store, "add_span", real)
    label_word(qtbot, window, "Zelenskyy")
    assert drawn(window) == ["President", "Zelenskyy"] == stored(project)
    window.close()
    store.close()


def test_a_file_name_with_markup_is_shown_as_written_in_the_status_bar(qtbot, make_window, tmp_path: Path) -> None:
    from PySide6.QtGui import Qt as QtGui
    from PySide6.QtGui import QTextDocument

    path = tmp_path / "<img src=x> <b>team" / "project.db"
    with Store(path, annotator="tester") as store:
        store.add_documents([NewDocument(ARTICLE)])
    with made_read_only(path):
        store = Store(path, annotator="tester")
        window = make_window(store)
        tip = window.status.save_label.toolTip()
        rendered = QTextDocument()
        rendered.setHtml(tip)
        seen = rendered.toPlainText() if QtGui.mightBeRichText(tip) else tip
        assert str(path) in seen and "read-only" in seen
        assert str(path) in window.status.message.text()  # the message line is plain text
        window.close()
        store.close()


def importing(path: Path) -> bool:
    """Whether an import is under way: it has stored rows not yet made visible."""
    db = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        return db.execute("SELECT count(*) FROM pending_docs").fetchone()[0] > 0
    finally:
        db.close()


@contextmanager
def fed_to(reader: subprocess.Popen, fifo: Path) -> Iterator[BinaryIO]:
    """The writing end of the named pipe ``fifo``, once ``reader`` has opened it to read; closed
    (the reader's end of input) when the block ends."""
    deadline = time.monotonic() + 120
    while True:
        try:
            end = os.open(fifo, os.O_WRONLY | os.O_NONBLOCK)  # refused while nobody reads it
            break
        except OSError as err:
            if err.errno != errno.ENXIO:
                raise
            assert reader.poll() is None, reader.communicate()
            assert time.monotonic() < deadline, f"{fifo.name} not opened in 120 s"
            time.sleep(0.05)
    os.set_blocking(end, True)
    with os.fdopen(end, "wb") as pipe:
        yield pipe


def test_labelling_while_another_process_imports_stores_and_draws_every_key_press(
        qtbot, make_window, project: Path, tmp_path: Path) -> None:
    """The import reads its articles from a pipe the test fills as it goes: every key press is made
    while the import is under way (its rows stored, not yet published), however fast either side."""
    articles = tmp_path / "incoming.jsonl"
    os.mkfifo(articles)
    lines = (json.dumps({"text": f"Report {i}: drones struck Kharkiv overnight, officials said. " * 30}) + "\n"
             for i in range(6000))
    store = Store(project, annotator="tester")
    window = make_window(store)
    importer = subprocess.Popen([sys.executable, "-m", "annotator", "import", str(articles), "--db", str(project),
                                 "--no-detect"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        with fed_to(importer, articles) as pipe:
            pipe.write("".join(itertools.islice(lines, 3000)).encode())  # more than a chunk: its first is stored
            pipe.flush()
            qtbot.waitUntil(lambda: importing(project), timeout=120_000)
            for word in WORDS[:40]:
                pipe.write("".join(itertools.islice(lines, 75)).encode())  # it goes on storing chunks meanwhile
                pipe.flush()
                label_word(qtbot, window, word)
                # It may wait for one of the import's chunks (the window does not): drawn once stored.
                qtbot.waitUntil(lambda word=word: word in drawn(window) and "✓ saved" in window.status.save_label.text(),
                                timeout=30_000)
                assert drawn(window) == stored(project)
                assert importing(project)  # all of it while the import was under way
            assert next(lines, None) is None
    finally:
        out, err = importer.communicate(timeout=300)
    assert importer.returncode == 0, err
    assert "Imported 6000 document(s)" in out
    assert len(stored(project)) == 41  # "President" and the 40 words
    window.close()
    store.close()


def test_a_document_opened_while_another_process_holds_the_lock_opens_and_says_so(
        qtbot, make_window, project: Path) -> None:
    with Store(project, annotator="model-runner") as store:
        [doc_id] = store.add_documents([NewDocument("Kyiv said so on Monday.")]).added
        store.save_predictions(doc_id, [Span.of("Kyiv said so on Monday.", 0, 4, "GPE")], "model", "1")
    store = Store(project, annotator="tester")
    window = make_window(store)
    with lock_held(project):
        window.session.open(doc_id)  # its suggestions cannot be copied into the tester's layer now
        assert window.article.text == "Kyiv said so on Monday." and drawn(window) == []
        assert "busy" in window.status.message.text() and "waiting" in window.status.save_label.text()
    qtbot.waitUntil(lambda: drawn(window) == ["Kyiv"], timeout=30_000)  # copied once the lock is free
    window.close()
    store.close()
