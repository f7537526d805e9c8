"""The window follows another person's (or another process's) changes to the open document, on a
project file and on a server project: a real second process writes, and the window redraws."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt, QTimer
from PySide6.QtWidgets import QApplication
from windows import click, click_listed, open_window, settle

from annotator.categories import CategoryLabel
from annotator.domain import NewDocument, Span
from annotator.qt.main_window import MainWindow
from annotator.storage import Store

ROOT = Path(__file__).resolve().parent.parent
TEXT = "Drones struck Kyiv overnight; officials in Lviv said 38 were shot down."
# A second person (or the same one, elsewhere): labels a word of the first document, maybe marks it.
WRITER = """
import sys
from annotator.domain import Span
from annotator.storage import Store
project, who, word, label, status = sys.argv[1:]
with Store(project, annotator=who) as store:
    doc = store.document_ids()[0]
    text = store.document(doc).text
    start = text.index(word)
    store.add_span(doc, Span.of(text, start, start + len(word), label, layer=store.label(label).layer))
    if status != "-":
        store.set_status(doc, status)
"""


def write_elsewhere(project: Path | str, who: str, word: str, label: str, status: str = "-") -> None:
    done = subprocess.run([sys.executable, "-c", WRITER, str(project), who, word, label, status],
                          env={**os.environ, "PYTHONPATH": str(ROOT)}, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr


@pytest.fixture
def live(qtbot, any_project: Path | str, tmp_path: Path):
    """The window as "tester" on a project (a file, then a server database) of one article, Kyiv labelled;
    a document label "relevant" (Shift+R)."""
    with Store(any_project, annotator="tester") as store:
        doc = store.add_documents([NewDocument(TEXT)]).added[0]
        store.add_span(doc, Span.of(TEXT, 14, 18, "GPE"))
        store.categories.add_label(CategoryLabel("relevant", "relevance", "#15803d", "r"))
    win, store = open_window(qtbot, any_project, tmp_path / "settings.ini")
    yield win, any_project
    win.close()
    store.close()


def labels_at(win: MainWindow, word: str) -> list[str]:
    """The labels the article shows on a word."""
    return [s.label for s in win.article.spans_at(TEXT.index(word))]


def test_a_span_added_by_another_process_of_the_same_person_is_drawn_and_listed(qtbot, live) -> None:
    win, project = live
    click(qtbot, win, TEXT.index("Kyiv") + 1)  # the person's selected span
    assert win.session.selected is not None and win.session.selected.text == "Kyiv"
    write_elsewhere(project, "tester", "Lviv", "GPE")
    qtbot.waitUntil(lambda: labels_at(win, "Lviv") == ["GPE"], timeout=15_000)
    assert win.documents.model.index(0, 3).data() == 2  # the list's span count
    assert win.status.message.text() == "This document was changed elsewhere: redrawn"
    assert win.session.selected is not None and win.session.selected.text == "Kyiv"  # still selected


def test_another_persons_change_is_said_with_their_name_and_the_status_redrawn(qtbot, live) -> None:
    win, project = live
    write_elsewhere(project, "alice", "Lviv", "LOC", status="done")
    qtbot.waitUntil(lambda: win.status.message.text() == "alice changed this document: redrawn", timeout=15_000)
    assert win.heading.text().endswith("done")
    assert win.status.progress_label.text() == "1 of 1 done"
    assert labels_at(win, "Lviv") == []  # alice's span is in her layer, not the person's


def test_the_persons_own_edit_is_not_taken_for_someone_elses(qtbot, live) -> None:
    win, _ = live
    click(qtbot, win, TEXT.index("Lviv"))
    for _ in "Lviv":  # selected with the keyboard
        qtbot.keyClick(win.article, Qt.Key.Key_Right, Qt.KeyboardModifier.ShiftModifier)
    qtbot.keyClick(win.article, "g")
    assert labels_at(win, "Lviv") == ["GPE"]
    said = win.status.message.text()
    for _ in range(2):  # the checks that follow the edit find nothing changed
        with qtbot.waitSignal(win.live.timer.timeout, timeout=15_000):
            pass
    assert win.status.message.text() == said and "redrawn" not in said


def ticks(qtbot, win: MainWindow, n: int = 2) -> None:
    """Wait for the window's next ``n`` looks at the project (each would have redrawn a change)."""
    for _ in range(n):
        with qtbot.waitSignal(win.live.timer.timeout, timeout=15_000):
            pass


def test_a_link_being_made_is_not_disturbed_and_the_change_is_drawn_after_it(qtbot, live) -> None:
    win, project = live
    write_elsewhere(project, "tester", "Lviv", "GPE")
    qtbot.waitUntil(lambda: labels_at(win, "Lviv") == ["GPE"], timeout=15_000)
    click(qtbot, win, TEXT.index("Kyiv") + 1)
    qtbot.keyClick(win.article, Qt.Key.Key_Tab)  # linking from Kyiv: Lviv is pointed at
    assert win.link_mode.active
    prompt = win.status.message.text()
    write_elsewhere(project, "tester", "Drones", "PRODUCT")
    ticks(qtbot, win)
    assert labels_at(win, "Drones") == []  # not redrawn under the person's link
    assert win.link_mode.active and win.link_mode.child is not None and win.link_mode.child.text == "Lviv"
    assert win.status.message.text() == prompt
    qtbot.keyClick(win.article, Qt.Key.Key_Escape)  # the link given up: now it is redrawn
    qtbot.waitUntil(lambda: labels_at(win, "Drones") == ["PRODUCT"], timeout=15_000)
    assert win.status.message.text() == "This document was changed elsewhere: redrawn"


def test_an_open_dialog_is_not_disturbed_and_the_change_is_drawn_after_it(qtbot, live) -> None:
    win, project = live
    seen: list[list[str]] = []

    def person() -> None:  # in Edit → Annotator name…, while another process writes
        dialog = QApplication.activeModalWidget()
        write_elsewhere(project, "tester", "Lviv", "GPE")
        ticks(qtbot, win)
        seen.append(labels_at(win, "Lviv"))
        dialog.reject()

    QTimer.singleShot(0, person)
    win.menus.actions["annotator"].trigger()
    assert seen == [[]]  # not redrawn while the dialog was open
    qtbot.waitUntil(lambda: labels_at(win, "Lviv") == ["GPE"], timeout=15_000)


def test_the_persons_own_link_document_label_and_undo_are_not_taken_for_someone_elses(qtbot, live) -> None:
    win, project = live
    write_elsewhere(project, "tester", "Lviv", "GPE")
    qtbot.waitUntil(lambda: labels_at(win, "Lviv") == ["GPE"], timeout=15_000)
    click(qtbot, win, TEXT.index("Kyiv") + 1)
    qtbot.keyClick(win.article, Qt.Key.Key_Tab)
    qtbot.keyClick(win.article, "l")  # Kyiv LOCATED_IN Lviv
    assert win.relations.rows() == ["“Kyiv” → LOCATED_IN → “Lviv”"]
    qtbot.keyClick(win.article, "R", Qt.KeyboardModifier.ShiftModifier)  # the document label "relevant"
    qtbot.keyClick(win.article, "z", Qt.KeyboardModifier.ControlModifier)  # ... taken back
    said = win.status.message.text()
    ticks(qtbot, win)
    assert win.status.message.text() == said and "redrawn" not in said


def test_another_persons_status_met_by_an_edit_of_ones_own_is_drawn(qtbot, live) -> None:
    win, project = live
    win.live.timer.stop()  # the person's edit comes before the window looks again
    write_elsewhere(project, "alice", "Lviv", "LOC", status="done")
    click(qtbot, win, TEXT.index("Kyiv") + 1)
    qtbot.keyClick(win.article, "l")  # Kyiv relabelled: the edit re-reads what it changed
    qtbot.waitUntil(lambda: win.heading.text().endswith("done"), timeout=15_000)
    assert labels_at(win, "Kyiv") == ["LOC"]


def test_the_scroll_and_the_text_selection_stay_where_they_were(qtbot, any_project: Path | str, tmp_path: Path) -> None:
    long = " ".join([TEXT] * 300)
    with Store(any_project, annotator="tester") as store:
        store.add_documents([NewDocument(long)])
    win, store = open_window(qtbot, any_project, tmp_path / "settings.ini")
    try:
        cursor = win.article.textCursor()
        cursor.setPosition(10)
        cursor.setPosition(16, cursor.MoveMode.KeepAnchor)
        win.article.setTextCursor(cursor)  # text selected at the top, then the article scrolled down
        bar = win.article.verticalScrollBar()
        assert bar.maximum() > 0
        bar.setValue(bar.maximum() // 2)
        settle()  # a text this long is laid out a few paragraphs at a time (the scroll bar's range grows)
        top = win.article.cursorForPosition(QPoint(0, 0)).position()  # the first character in view
        assert top > len(long) // 4
        write_elsewhere(any_project, "tester", "Lviv", "GPE")
        qtbot.waitUntil(lambda: [s.label for s in win.article.spans_at(long.index("Lviv"))] == ["GPE"], timeout=15_000)
        settle()
        assert win.article.cursorForPosition(QPoint(0, 0)).position() == top  # the same text in view
        assert win.article.textCursor().selectedText() == long[10:16]
    finally:
        win.close()
        store.close()


def test_a_server_restarted_meanwhile_goes_unnoticed_and_changes_after_it_are_drawn(
        qtbot, pg_cluster, server_project: str, tmp_path: Path) -> None:
    with Store(server_project, annotator="tester") as store:
        store.add_documents([NewDocument(TEXT)])
    win, store = open_window(qtbot, server_project, tmp_path / "settings.ini")
    try:
        said = win.status.message.text()
        pg_cluster.restart()  # the window's connection is cut
        ticks(qtbot, win)
        assert win.status.message.text() == said  # nothing to say: the look after connects again
        write_elsewhere(server_project, "alice", "Lviv", "LOC", status="done")
        qtbot.waitUntil(lambda: win.status.message.text() == "alice changed this document: redrawn", timeout=15_000)
    finally:
        win.close()
        store.close()


def test_a_project_that_cannot_be_read_any_more_is_said_once(qtbot, db_path: Path, tmp_path: Path) -> None:
    with Store(db_path, annotator="tester") as store:
        store.add_documents([NewDocument(TEXT)])
    win, store = open_window(qtbot, db_path, tmp_path / "settings.ini")
    try:
        win.store.close()  # every look fails from now on
        qtbot.waitUntil(lambda: win.status.message.text().startswith("Cannot look for others' changes to this document: "),
                        timeout=15_000)
        assert "not stored" not in win.status.message.text()  # a look stores nothing
        win.status.message.setText("")
        ticks(qtbot, win)
        assert win.status.message.text() == ""  # said once, not at every look
    finally:
        win.close()
        store.close()


def test_a_value_being_typed_in_the_number_editor_is_not_disturbed(qtbot, live) -> None:
    win, project = live
    write_elsewhere(project, "tester", "38", "NUMBER")
    qtbot.waitUntil(lambda: labels_at(win, "38") == ["NUMBER"], timeout=15_000)
    click(qtbot, win, TEXT.index("38"))
    assert win.numbers.isVisible()
    qtbot.mouseClick(win.numbers.value, Qt.MouseButton.LeftButton)
    win.numbers.value.selectAll()
    qtbot.keyClicks(win.numbers.value, "40")
    write_elsewhere(project, "tester", "Lviv", "GPE")
    ticks(qtbot, win)
    assert labels_at(win, "Lviv") == [] and win.numbers.value.text() == "40"  # typing on, undisturbed
    click(qtbot, win, TEXT.index("Drones"))  # the person leaves the editor
    qtbot.waitUntil(lambda: labels_at(win, "Lviv") == ["GPE"], timeout=15_000)


def test_a_version_the_person_takes_in_the_review_is_not_taken_for_someone_elses(qtbot, make_window, db_path: Path) -> None:
    kyiv = TEXT.index("Kyiv")
    with Store(db_path) as store:
        doc = store.add_documents([NewDocument(TEXT)]).added[0]
    for person, label in (("alice", "GPE"), ("carol", "LOC")):
        with Store(db_path, annotator=person) as store:
            store.add_span(doc, Span.of(TEXT, kyiv, kyiv + 4, label))
    win = make_window(Store(db_path, annotator="alice"))
    qtbot.keyClick(win.article, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)
    panel = win.review.window.panel
    qtbot.waitUntil(lambda: panel.refresh_button.isEnabled(), timeout=60_000)
    bar = panel.tabs.tabBar()
    qtbot.mouseClick(bar, Qt.MouseButton.LeftButton, pos=bar.tabRect(1).center())
    click_listed(qtbot, panel.differences, 0)  # the document opens in the article there
    qtbot.mouseClick(panel.take_second, Qt.MouseButton.LeftButton)  # carol's version into the final layer
    said = win.status.message.text()
    ticks(qtbot, win)
    assert win.status.message.text() == said and "redrawn" not in said
    win.close()
