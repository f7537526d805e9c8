"""Document labels in the window: the chips above the article, Shift + a label's key, the document
list's Labels column and filter, undo and redo (across a restart), the model's suggestions apart."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt, QTimer
from PySide6.QtWidgets import QApplication, QInputDialog, QMessageBox, QPushButton
from windows import click_listed, listed, open_window

from annotator.categories import CategoryLabel
from annotator.domain import NewDocument
from annotator.qt.label_dialog import LabelDialog
from annotator.qt.main_window import MainWindow
from annotator.storage import Store

SHIFT, CTRL = Qt.KeyboardModifier.ShiftModifier, Qt.KeyboardModifier.ControlModifier


@pytest.fixture
def project(db_path: Path) -> Path:
    with Store(db_path, annotator="tester") as store:
        store.add_documents([NewDocument(f"Drones struck Odesa, article {i}.") for i in range(3)])
        store.categories.add_label(CategoryLabel("relevant", "relevance", "#15803d", "r"))
        store.categories.add_label(CategoryLabel("irrelevant", "relevance", "#6b7280", "i"))
        store.categories.set_group("relevance", exclusive=True)
        store.categories.add_label(CategoryLabel("casualties", colour="#b91c1c", key="k"))
    return db_path


def chips_on(win: MainWindow) -> list[str]:
    return [name for name, chip in win.category_bar.chips.items() if chip.property("on")]


def stored(db_path: Path, doc_id: int = 1) -> list[str]:
    with Store(db_path, annotator="tester") as store:
        return [c.label for c in store.categories.of(doc_id)]


def labels_column(win: MainWindow) -> list[str]:
    model = win.documents.model
    column = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())].index("Labels")
    return [win.documents.model.index(row, column).data() for row in range(win.documents.model.rowCount())]


def test_shift_and_a_key_or_a_click_toggles_a_document_label_and_each_is_undone(qtbot, window: MainWindow, db_path: Path) -> None:
    assert list(window.category_bar.chips) == ["relevant", "irrelevant", "casualties"] and chips_on(window) == []
    qtbot.keyClick(window.article, Qt.Key.Key_R, SHIFT)
    assert chips_on(window) == ["relevant"] and stored(db_path) == ["relevant"]
    assert labels_column(window)[0] == "relevant"
    assert window.status.message.text() == "Labelled the document relevant"
    qtbot.keyClick(window.article, Qt.Key.Key_I, SHIFT)  # single-choice: irrelevant takes relevant's place
    assert chips_on(window) == ["irrelevant"] and stored(db_path) == ["irrelevant"]
    qtbot.mouseClick(window.category_bar.chips["casualties"], Qt.MouseButton.LeftButton)
    assert chips_on(window) == ["irrelevant", "casualties"] and labels_column(window)[0] == "casualties, irrelevant"
    assert window.session.spans == {}  # no span was made by the keys
    qtbot.keyClick(window.article, Qt.Key.Key_Z, CTRL)
    assert chips_on(window) == ["irrelevant"] and stored(db_path) == ["irrelevant"]
    qtbot.keyClick(window.article, Qt.Key.Key_Z, CTRL)
    assert chips_on(window) == ["relevant"] and labels_column(window)[0] == "relevant"
    qtbot.keyClick(window.article, Qt.Key.Key_Z, CTRL | SHIFT)
    assert chips_on(window) == ["irrelevant"] and stored(db_path) == ["irrelevant"]
    qtbot.keyClick(window.article, Qt.Key.Key_I, SHIFT)  # again: taken away
    assert chips_on(window) == [] and stored(db_path) == []


def test_the_document_list_filters_by_a_document_label(qtbot, window: MainWindow) -> None:
    qtbot.keyClick(window.article, Qt.Key.Key_K, SHIFT)
    qtbot.keyClick(window.article, Qt.Key.Key_PageDown, CTRL)
    qtbot.keyClick(window.article, Qt.Key.Key_PageDown, CTRL)
    assert window.session.doc_id == 3
    window.article.setFocus()
    qtbot.keyClick(window.article, Qt.Key.Key_K, SHIFT)
    assert labels_column(window) == ["casualties", "", "casualties"]
    listed = lambda: [window.documents.model.summary(row).id for row in range(window.documents.model.rowCount())]  # noqa: E731
    window.documents.category_filter.setCurrentText("casualties")  # found by a worker
    qtbot.waitUntil(lambda: window.documents.finder is None, timeout=30_000)
    assert listed() == [1, 3]
    window.documents.category_filter.setCurrentText("relevant")
    qtbot.waitUntil(lambda: window.documents.finder is None, timeout=30_000)
    assert listed() == []
    window.documents.category_filter.setCurrentText("any document label")
    assert listed() == [1, 2, 3]


def test_a_document_label_is_undone_after_the_window_was_closed_and_opened_again(qtbot, project: Path, tmp_path: Path) -> None:
    win, store = open_window(qtbot, project, tmp_path / "s.ini")
    qtbot.keyClick(win.article, Qt.Key.Key_K, SHIFT)
    assert chips_on(win) == ["casualties"]
    win.close()
    store.close()
    win, store = open_window(qtbot, project, tmp_path / "s.ini")
    assert chips_on(win) == ["casualties"]
    qtbot.keyClick(win.article, Qt.Key.Key_Z, CTRL)
    assert chips_on(win) == [] and stored(project) == []
    qtbot.keyClick(win.article, Qt.Key.Key_Z, CTRL | SHIFT)
    assert chips_on(win) == ["casualties"] and stored(project) == ["casualties"]
    win.close()
    store.close()


def test_the_models_document_labels_are_shown_apart_with_their_score(qtbot, make_window, project: Path) -> None:
    with Store(project, annotator="tester") as store:
        store.categories.save_predictions(1, {"casualties": 0.83, "relevant": 0.2}, "m", "1")
    store = Store(project, annotator="tester")
    win = make_window(store)
    chip = win.category_bar.chips["casualties"]
    assert chip.property("suggested") and not chip.property("on") and "0.83" in chip.text()
    assert not win.category_bar.chips["relevant"].property("suggested")  # too unlikely to suggest
    assert "dashed" in chip.styleSheet()
    qtbot.keyClick(win.article, Qt.Key.Key_K, SHIFT)  # taken: now the person's own
    assert chip.property("on") and not chip.property("suggested") and "0.83" not in chip.text()
    win.close()
    store.close()


def test_the_f1_list_says_the_document_label_keys(qtbot, window: MainWindow) -> None:
    from annotator.qt.shortcuts import ShortcutsDialog

    dialog = ShortcutsDialog(window.store.labels(), window, window.links.scheme.labels,
                             window.links.relation_labels)
    rows = {dialog.table.item(r, 0).text(): dialog.table.item(r, 1).text() for r in range(dialog.table.rowCount())}
    assert rows["Shift+R"] == "document label relevant" and rows["c"] == "while linking: link COUNTS"
    assert "Tab on a selected span" in rows


def test_marking_a_stretch_of_the_list_filtered_by_a_document_label_marks_only_its_rows(fresh_store: Store) -> None:
    from annotator.storage.marking import Selection

    ids = fresh_store.add_documents([NewDocument(f"Article {i} about Kyiv.") for i in range(6)]).added
    fresh_store.categories.add_label(CategoryLabel("casualties", key="k"))
    for doc_id in (ids[1], ids[3], ids[4]):
        fresh_store.categories.toggle(doc_id, "casualties")
    # Rows 2-3 of the filtered list (ids[3], ids[4]), as a stretch: its first id and how many rows.
    fresh_store.mark_documents(Selection(stretches=((ids[3], 2),), category="casualties"), "done")
    assert [fresh_store.document(doc_id).status for doc_id in ids] == ["open", "open", "open", "done", "done", "open"]
    fresh_store.mark_documents(Selection(stretches=((ids[0], 2),), category="casualties"), "skipped")
    assert [fresh_store.document(doc_id).status for doc_id in ids] == ["open", "skipped", "open", "skipped", "done", "open"]


@contextmanager
def answering(answers: list[str], said: list[str] | None = None) -> Iterator[None]:
    """A person answering the dialog's questions in turn: typing each text into an input box, Yes to a
    question; a message read (into ``said``) and closed."""
    said = [] if said is None else said
    def answer() -> None:
        box = QApplication.activeModalWidget()
        if isinstance(box, QInputDialog) and answers:
            box.setTextValue(answers.pop(0))
            box.accept()
        elif isinstance(box, QMessageBox):
            said.append(box.text())
            yes = box.button(QMessageBox.StandardButton.Yes)
            (yes or box.button(QMessageBox.StandardButton.Ok)).click()

    timer = QTimer()
    timer.timeout.connect(answer)
    timer.start(30)
    try:
        yield
    finally:
        timer.stop()


def test_the_labels_dialog_adds_renames_removes_and_groups_document_labels(qtbot, window: MainWindow, db_path: Path) -> None:
    qtbot.keyClick(window.article, Qt.Key.Key_I, SHIFT)  # the first article is irrelevant
    dialog = LabelDialog(window.store, window)
    qtbot.addWidget(dialog)
    dialog.show()
    bar = dialog.tabs.tabBar()
    qtbot.mouseClick(bar, Qt.MouseButton.LeftButton, pos=bar.tabRect(1).center())
    panel = dialog.documents
    assert panel.isVisible() and listed(panel.table) == ["relevant", "irrelevant", "casualties"]

    def press(text: str) -> None:
        qtbot.mouseClick(next(b for b in panel.findChildren(QPushButton) if b.text() == text), Qt.MouseButton.LeftButton)

    def pick(name: str) -> None:
        click_listed(qtbot, panel.table, listed(panel.table).index(name))

    answers = ["economy", "topic"]
    with answering(answers):
        press("New document label…")
    assert answers == [] and listed(panel.table) == ["relevant", "irrelevant", "casualties", "economy"]
    with Store(db_path, annotator="reader") as store:
        assert store.categories.label("economy") == CategoryLabel("economy", "topic", store.categories.label("economy").colour)
    pick("economy")
    assert not panel.single.isChecked()
    qtbot.mouseClick(panel.single, Qt.MouseButton.LeftButton, pos=QPoint(8, panel.single.height() // 2))
    pick("relevant")
    assert panel.single.isChecked()  # relevance was single-choice already
    with Store(db_path, annotator="reader") as store:
        assert store.categories.scheme().exclusive("topic") and store.categories.scheme().exclusive("relevance")
    pick("casualties")
    said: list[str] = []
    with answering(["deaths"], said):  # quick: before, it could be done before the dialog listened, and was never shown
        press("Rename document label…")
        qtbot.waitUntil(lambda: "deaths" in listed(panel.table) or bool(said), timeout=30_000)
    assert said == []
    pick("irrelevant")
    with answering([]):
        press("Remove document label")
        qtbot.waitUntil(lambda: "irrelevant" not in listed(panel.table), timeout=30_000)
    assert listed(panel.table) == ["relevant", "deaths", "economy"]
    assert [panel.table.item(row, 2).text() for row in range(3)] == ["single", "multi", "single"]
    assert stored(db_path) == []  # the article's label went with it
    dialog.accept()
    window.session.reload_labels()  # as the window does when its Labels dialog closes
    assert list(window.category_bar.chips) == ["relevant", "deaths", "economy"]
