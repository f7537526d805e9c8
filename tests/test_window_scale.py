"""The window on large projects: what an action costs must not grow with the number of documents.

Each test drives the real widgets on two projects, one four times the other, and counts what the
action asked of the window's thread — the SQL statements it ran (the store's trace hook) and the
calls into the document list's Python model — never how long it took.
"""

from __future__ import annotations

import sys
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, QObject, Qt

from annotator.domain import NUMBERS, ORIGIN_IMPORT, Label, NewDocument, Span
from annotator.qt import colours, confusion_table, document_list, result_list
from annotator.qt.main_window import MainWindow
from annotator.review.evaluate import evaluate
from annotator.storage import Interrupted, Store
from annotator.storage.marking import Selection

CTRL = Qt.KeyboardModifier.ControlModifier
SMALL, LARGE = 500, 2000  # both more than a page of the list (200 rows)


def build(path: Path, documents: int) -> Path:
    with Store(path, annotator="tester") as store:
        store.add_documents([NewDocument(f"Report {i} from Kyiv about the war." if i % 3 else f"Note {i} on prices.",
                                         meta={"title": f"Article {i}"}) for i in range(documents)])
        text = store.document(2).text
        store.save_predictions(2, [Span.of(text, text.index("Kyiv"), text.index("Kyiv") + 4, "GPE")], "m", "1")
    return path


@contextmanager
def costs(win: MainWindow) -> Iterator[dict[str, list[str] | int]]:
    """The statements the window's store runs, and how often Qt asks the list's model its size, inside."""
    cost: dict[str, list[str] | int] = {"sql": [], "calls": 0}
    model_file = document_list.__file__

    def profile(frame, event, arg) -> None:  # type: ignore[no-untyped-def]
        if event == "call" and frame.f_code.co_filename == model_file and frame.f_code.co_name in ("rowCount", "columnCount"):
            cost["calls"] += 1  # type: ignore[operator]

    def statement(sql: str) -> None:
        if not sql.startswith("--"):  # those SQLite runs inside one (a trigger's, the full-text index's own)
            cost["sql"].append(sql)  # type: ignore[union-attr]

    sys.setprofile(profile)
    try:
        with win.store.traced(statement):
            yield cost
    finally:
        sys.setprofile(None)


def both(make_window, tmp_path: Path, action: Callable[[MainWindow], None]) -> list[dict[str, list[str] | int]]:
    """What ``action`` costs on the small and on the large project."""
    found = []
    for size in (SMALL, LARGE):
        store = Store(build(tmp_path / f"{size}.db", size), annotator="tester")
        win = make_window(store)
        with costs(win) as cost:
            action(win)
        found.append(cost)
        win.close()
        store.close()
    return found


def finish(qtbot, win: MainWindow) -> None:
    qtbot.waitUntil(lambda: not win.workers.running)


def test_select_all_then_mark_done_costs_the_same_at_any_size_and_undoes_as_one_edit(qtbot, make_window, tmp_path: Path) -> None:
    def select_all_and_mark(win: MainWindow) -> None:
        win.documents.table.setFocus()
        qtbot.keyClick(win.documents.table, Qt.Key.Key_A, CTRL)
        qtbot.keyClick(win.documents.table, Qt.Key.Key_D, CTRL | Qt.KeyboardModifier.ShiftModifier)
        finish(qtbot, win)
        size = win.documents.model.rowCount()
        assert win.status.message.text() == f"Marked {size:,} documents done."
        assert win.status.progress_label.text() == f"{size} of {size} done"
        assert {win.documents.model.index(row, 0).data() for row in (0, size // 2, size - 1)} == {"✓ done"}
        assert win.store.history(limit=1)[0].action == f"mark {size:,} documents done"
        win.history.undo()  # the whole marking, at once
        finish(qtbot, win)
        assert win.status.progress_label.text() == f"0 of {size} done"
        assert win.documents.model.index(size - 1, 0).data() == "○ open"
        assert win.status.message.text().startswith(f"Undid: mark {size:,} documents done")
        assert len(win.store.history(limit=1)[0].changes[0]["before"]["open"]) == 1  # one run of ids, not one per document

    small, large = both(make_window, tmp_path, select_all_and_mark)
    assert len(large["sql"]) == len(small["sql"])  # type: ignore[arg-type]
    assert large["calls"] < LARGE  # type: ignore[operator]  # (before: 8 per row, asked by the header)


def test_a_search_is_found_by_a_worker_once_and_the_count_the_pages_and_the_position_read_its_ids(
        qtbot, make_window, tmp_path: Path) -> None:
    def search(win: MainWindow) -> None:
        qtbot.keyClicks(win.documents.search, "Kyiv")
        listed = win.documents.model
        qtbot.waitUntil(lambda: listed.search == "Kyiv" and listed.rowCount() > 0)  # found by a worker, once
        win.documents.table.scrollToBottom()
        win.documents.model.summary(win.documents.model.rowCount() - 1)
        assert win.documents.model.index(0, 2).data() == "Article 1"
        assert win.documents.model.rowCount() == len([i for i in range(win.store.count_documents()) if i % 3])

    small, large = both(make_window, tmp_path, search)
    for cost in (small, large):  # on the window's thread: no scan of the full-text index at all
        assert not any("MATCH" in sql for sql in cost["sql"])  # type: ignore[union-attr]
    assert len(large["sql"]) == len(small["sql"])  # type: ignore[arg-type]


def test_ctrl_end_after_a_filter_change_reads_the_last_page_without_skipping_the_list(
        qtbot, make_window, tmp_path: Path) -> None:
    def filter_and_go_to_end(win: MainWindow) -> None:
        win.documents.status_filter.setCurrentText("open")
        win.documents.table.setFocus()
        qtbot.keyClick(win.documents.table, Qt.Key.Key_End, CTRL)
        last = win.documents.model.rowCount() - 1
        assert win.documents.table.currentIndex().row() == last
        assert win.documents.model.index(last, 2).data() == f"Article {win.documents.model.rowCount() - 1}"

    small, large = both(make_window, tmp_path, filter_and_go_to_end)
    offsets = [int(sql.rsplit("OFFSET", 1)[1]) for sql in large["sql"] if "OFFSET" in sql]  # type: ignore[union-attr]
    assert offsets and max(offsets) < document_list.PAGE
    assert len(large["sql"]) == len(small["sql"])  # type: ignore[arg-type]


def test_a_nul_or_a_pasted_page_in_the_search_box_searches_what_it_can_and_says_so(qtbot, make_window, tmp_path: Path) -> None:
    store = Store(build(tmp_path / "p.db", 30), annotator="tester")
    win = make_window(store)
    win.documents.search.setText("Kyiv\x00war")  # as pasted: the NUL separates two words
    qtbot.waitUntil(lambda: win.documents.model.rowCount() == 20)
    assert win.status.message.text() == ""
    win.documents.search.setText(" ".join(["Kyiv"] * 3000))
    qtbot.waitUntil(lambda: win.documents.model.search is not None and win.documents.model.search.startswith("Kyiv Kyiv"))
    qtbot.waitUntil(lambda: win.documents.model.rowCount() == 20)
    assert win.documents.search_note.text() == "Searching for the first 24 of these 3,000 words."
    win.close()
    store.close()



def test_review_shows_thousands_of_disagreements_making_only_the_rows_in_view_and_stops_when_cancelled(
        qtbot, make_window, tmp_path: Path) -> None:
    path = tmp_path / "review.db"
    with Store(path, annotator="tester") as store:
        ids = store.add_documents([NewDocument(f"Talks {i} in Kyiv.") for i in range(LARGE)]).added
        for doc_id in ids:  # the model says GPE; the person says LOC: one disagreement each
            text = store.document(doc_id).text
            at = text.index("Kyiv")
            store.save_predictions(doc_id, [Span.of(text, at, at + 4, "GPE")], "m", "1")
            store.insert_layer(doc_id, "tester", [Span.of(text, at, at + 4, "LOC")], replace=True)
        store.mark_documents(Selection(stretches=((ids[0], LARGE),)), "done")
        with pytest.raises(Interrupted), store.cancellable(lambda: True):  # the window closing meanwhile
            evaluate(store)
    win = make_window(Store(path, annotator="tester"))
    made = []
    model_file = result_list.__file__

    def profile(frame, event, arg) -> None:  # type: ignore[no-untyped-def]
        if event == "call" and frame.f_code.co_filename == model_file and frame.f_code.co_name == "data":
            made.append(frame.f_locals["index"].row())

    qtbot.keyClick(win.article, Qt.Key.Key_R, CTRL)
    panel = win.review.window.panel
    qtbot.waitUntil(lambda: panel.refresh_button.isEnabled(), timeout=60000)
    sys.setprofile(profile)
    panel.disagreements.viewport().repaint()
    sys.setprofile(None)
    assert panel.disagreements.model().rowCount() == LARGE
    assert panel.disagreements.model().index(LARGE - 1, 0).data().startswith(f"doc {ids[-1]} · wrong label")
    assert made and max(made) < 100  # the rows in view, not one item per disagreement
    win.close()
    win.store.close()


def test_an_article_of_2000_spans_gives_qt_the_spans_in_view_and_the_next_ones_when_scrolled(
        qtbot, make_window, tmp_path: Path) -> None:
    words = [f"Kharkiv{i}" for i in range(2000)]
    text = " and ".join(words)
    with Store(tmp_path / "dense.db", annotator="tester") as store:
        doc = store.add_documents([NewDocument(text)]).added[0]
        at, spans = 0, []
        for word in words:
            spans.append(Span.of(text, at, at + len(word), "GPE"))
            at += len(word) + len(" and ")
        store.insert_layer(doc, "tester", spans, replace=True)
    win = make_window(Store(tmp_path / "dense.db", annotator="tester"))
    drawn = lambda: {s.cursor.selectedText() for s in win.article.extraSelections()}  # noqa: E731
    assert "Kharkiv0" in drawn() and len(drawn()) < 500  # (before: all 2,000, each laid over every line painted)
    win.article.verticalScrollBar().setValue(win.article.verticalScrollBar().maximum())
    assert "Kharkiv1999" in drawn() and len(drawn()) < 500
    win.close()
    win.store.close()


def test_with_2000_labels_the_bar_makes_chips_for_the_labels_shown_and_finds_the_others(
        qtbot, make_window, tmp_path: Path) -> None:
    text = "Kharkiv was quiet."
    with Store(tmp_path / "labels.db", annotator="tester") as store:
        doc = store.add_documents([NewDocument(text)]).added[0]
        for i in range(2000):
            store.add_label(Label(f"TYPE_{i:04d}", colour="#88aacc"))
        store.insert_layer(doc, "tester", [Span.of(text, 0, 7, "TYPE_0000")], replace=True)
    win = make_window(Store(tmp_path / "labels.db", annotator="tester"))
    bar = win.label_bar
    assert bar.chips["TYPE_0000"].isVisible() and len(bar.chips) < 100
    win.article.select_range(12, 17)
    bar.picker.setFocus()
    qtbot.keyClicks(bar.picker, "1234")
    popup = bar.picker.completer().popup()
    qtbot.waitUntil(popup.isVisible)
    qtbot.keyClick(popup, Qt.Key.Key_Down)
    qtbot.keyClick(popup, Qt.Key.Key_Return)
    assert [(s.text, s.label) for s in win.store.spans(doc) if s.start == 12] == [("quiet", "TYPE_1234")]
    assert bar.chips["TYPE_1234"].isVisible()
    win.close()
    win.store.close()


def test_in_a_large_project_a_status_filter_is_found_once_and_the_open_documents_row_is_not_counted(
        qtbot, make_window, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(document_list, "FIND_ABOVE", 100)  # "large": both projects here

    def filter_open(win: MainWindow) -> None:
        win.session.open(win.store.count_documents() - 10)
        win.documents.status_filter.setCurrentText("open")
        qtbot.waitUntil(lambda: win.documents.model.status == "open" and win.documents.model.rowCount() > 0)
        last = win.documents.model.rowCount() - 1
        table = win.documents.table
        assert table.currentIndex().row() == last - 10  # the open document (id N - 10), selected
        assert table.rowAt(0) <= last - 10 <= table.rowAt(table.viewport().height() - 1)  # and in view
        assert win.documents.model.index(last, 2).data() == f"Article {last}"

    # Each page read once: the open document's (in view), not the top's too when the view was painted
    # before it scrolled (it did not scroll: the list's rows were laid out after the scroll, which was
    # lost; the top was read and shown or not as the painting fell, and the counts differed by one).
    small, large = both(make_window, tmp_path, filter_open)
    assert not any("+d.id <" in sql for sql in large["sql"])  # type: ignore[union-attr]  # no row counted
    assert len(large["sql"]) == len(small["sql"])  # type: ignore[arg-type]


def dense_project(path: Path, spans: int) -> Path:
    """A short article, then one of ``spans`` places ("Kharkiv7 and 40 ..."), each a GPE span and a CARDINAL number."""
    words = [f"Kharkiv{i} and {i % 90 + 10}" for i in range(spans)]
    text = " then ".join(words)
    with Store(path, annotator="tester") as store:
        store.add_documents([NewDocument("Kharkiv was quiet."), NewDocument(text)])
        found, at = [], 0
        for word in words:
            name = word.index(" ")
            found.append(Span.of(text, at, at + name, "GPE"))
            found.append(Span.of(text, at + len(word) - 2, at + len(word), "CARDINAL", layer=NUMBERS))
            at += len(word) + len(" then ")
        store.insert_layer(2, "tester", found, replace=True)
    return path


def test_opening_a_dense_article_costs_the_window_the_same_python_calls_whatever_its_spans_out_of_view(
        qtbot, make_window, tmp_path: Path) -> None:
    """Down in the list opens the dense article after the short one; what the code that draws spans
    does (its Python calls) is counted: the spans beyond the view are sorted, not looked at one by one."""
    drawing = {str(Path(document_list.__file__).with_name(name)) for name in (
        "article_view.py", "offsets.py", "label_bar.py", "arcs.py", "colours.py", "relations_panel.py")}
    counts = []
    for spans in (500, 2000):
        win = make_window(Store(dense_project(tmp_path / f"dense-{spans}.db", spans), annotator="tester"))
        assert win.session.doc_id == 1
        win.resize(1280, 800)  # (the second window would take the first's saved size)
        qtbot.waitUntil(lambda win=win: win.article.viewport().width() > 800)
        calls: Counter[str] = Counter()

        def profile(frame, event, arg, calls=calls) -> None:  # type: ignore[no-untyped-def]
            if event == "call" and frame.f_code.co_filename in drawing:
                calls[f"{Path(frame.f_code.co_filename).name}:{frame.f_code.co_name}"] += 1

        win.documents.table.setFocus()
        colours._text_on.cache_clear()  # (kept for the process: both runs work out the same colours)
        sys.setprofile(profile)
        qtbot.keyClick(win.documents.table, Qt.Key.Key_Down)
        win.article.viewport().repaint()
        sys.setprofile(None)
        assert win.session.doc_id == 2
        drawn = {s.cursor.selectedText() for s in win.article.extraSelections()}
        assert {"Kharkiv0", "10"} <= drawn and f"Kharkiv{spans - 1}" not in drawn
        counts.append(calls)
        win.close()
        win.store.close()
    assert counts[1] == counts[0]  # (before: 15,000 more for 3,000 more spans: sort keys, starts converted, labels counted)


def test_a_long_article_opens_with_its_scroll_bar_so_its_text_is_laid_out_once(
        qtbot, make_window, tmp_path: Path) -> None:
    """A scroll bar appearing after the text is laid out narrows the view, and Qt lays the whole
    text out again: the view never changes width while a long text is in it, opened after a short
    article or a long one."""
    win = make_window(Store(dense_project(tmp_path / "dense.db", 2000), annotator="tester"))
    long_text = len(win.store.document(2).text)
    resized: list[int] = []  # the length of the text in the view at each change of its width

    class Spy(QObject):
        def eventFilter(self, obj, event):  # Qt's name
            if event.type() == QEvent.Type.Resize:
                resized.append(win.article.document().characterCount())
            return False

    spy = Spy()
    win.article.viewport().installEventFilter(spy)
    win.documents.table.setFocus()
    for key in (Qt.Key.Key_Down, Qt.Key.Key_Up, Qt.Key.Key_Down):  # long, short, long
        qtbot.keyClick(win.documents.table, key)
    win.session.open(2)  # long again, from long
    win.article.viewport().repaint()
    assert win.session.doc_id == 2 and win.article.verticalScrollBar().isVisible()
    assert resized and max(resized) < long_text  # (before: 4 widths with the long text in, each a whole layout)
    win.article.viewport().removeEventFilter(spy)
    win.close()
    win.store.close()


def test_with_2000_labels_the_reviews_confusion_table_makes_only_the_cells_in_view(
        qtbot, make_window, tmp_path: Path) -> None:
    """A fine-grained scheme: 2,000 gold labels, the model's GPE for each; the table has a row per
    label, and the words of the rows in view only are made (before: a widget item per cell)."""
    path = tmp_path / "labels.db"
    text = "Kharkiv was quiet."
    with Store(path, annotator="tester") as store:
        ids = store.add_documents([NewDocument(f"{text} {i}", status="done", spans=[
            Span.of(text, 0, 7, f"TYPE_{i:04d}", origin=ORIGIN_IMPORT)]) for i in range(2000)]).added
        for doc_id in ids:
            store.save_predictions(doc_id, [Span.of(text, 0, 7, "GPE")], "m", "1")
    win = make_window(Store(path, annotator="tester"))
    made = []
    model_file = confusion_table.__file__

    def profile(frame, event, arg) -> None:  # type: ignore[no-untyped-def]
        if event == "call" and frame.f_code.co_filename == model_file and frame.f_code.co_name == "data":
            made.append(frame.f_locals["index"].row())

    sys.setprofile(profile)
    qtbot.keyClick(win.article, Qt.Key.Key_R, CTRL)
    panel = win.review.window.panel
    qtbot.waitUntil(lambda: panel.refresh_button.isEnabled(), timeout=60000)
    panel.confusion.viewport().repaint()
    sys.setprofile(None)
    table = panel.confusion.model()
    assert table.rowCount() == 2000 and table.headerData(1999, Qt.Orientation.Vertical) == "TYPE_1999"
    assert table.headerData(0, Qt.Orientation.Horizontal) == "GPE" and table.index(1999, 0).data() == "1"
    assert made and max(made) < 100  # the rows in view
    panel.confusion.scrollToBottom()
    made.clear()
    sys.setprofile(profile)
    panel.confusion.viewport().repaint()
    sys.setprofile(None)
    assert 1999 in made and min(made) > 1900
    win.close()
    win.store.close()


def test_mark_done_and_next_reads_as_much_of_the_project_at_any_size(qtbot, make_window, tmp_path: Path) -> None:
    """Ctrl+Enter looks for the person's next assigned document first: in a project where nobody
    was given any, that must not walk the open documents (it did: 0.4 s at a million articles).
    SQLite's steps are counted by its progress hook (called every 10,000), not timed."""
    steps: list[int] = []

    def mark_done(win: MainWindow) -> None:
        win.session.open(1)
        win.article.setFocus()
        steps.append(0)
        with win.store.cancellable(lambda: bool(steps.__setitem__(-1, steps[-1] + 1))):
            qtbot.keyClick(win.article, Qt.Key.Key_Return, CTRL)
        assert win.session.doc_id == 2 and win.store.document(1).status == "done"
        assert win.documents.model.index(0, 0).data() == "✓ done"

    small, large = both(make_window, tmp_path, mark_done)
    assert steps[1] == steps[0]  # (before: 0 and 2 ten-thousands of steps: 1,500 more documents walked)
    assert len(large["sql"]) == len(small["sql"])  # type: ignore[arg-type]


def test_an_article_of_one_long_paragraph_is_laid_out_from_its_start_a_piece_at_a_time(
        qtbot, make_window, tmp_path: Path) -> None:
    """A 44,000-character paragraph (2,000 places, no line break): opening it lays out the pieces
    in view, not the whole paragraph (Qt lays out a paragraph at once: 0.1–0.2 s for this one);
    the rest follows between events, and Ctrl+End shows its end with its spans."""
    win = make_window(Store(dense_project(tmp_path / "dense.db", 2000), annotator="tester"))
    win.documents.table.setFocus()
    qtbot.keyClick(win.documents.table, Qt.Key.Key_Down)
    document = win.article.document()
    assert win.session.doc_id == 2 and document.characterCount() > 40_000
    assert document.firstBlock().layout().lineCount() > 0
    assert document.lastBlock().layout().lineCount() == 0  # (before: one block, laid out whole)
    drawn = lambda: {s.cursor.selectedText() for s in win.article.extraSelections()}  # noqa: E731
    assert "Kharkiv0" in drawn()
    win.article.setFocus()
    qtbot.keyClick(win.article, Qt.Key.Key_End, CTRL)
    assert "Kharkiv1999" in drawn() and "Kharkiv0" not in drawn()
    win.close()
    win.store.close()


def test_a_new_window_opens_its_first_article_in_a_turn_of_its_own(qtbot, tmp_path: Path) -> None:
    """Opening a project shows the window, and its own posted events (layout, painting) are
    delivered, before its article opens, in a later turn of the event loop (a long article took as
    long again, in the same block); a document opened meanwhile stays open."""
    from PySide6.QtCore import QSettings, QTimer
    from PySide6.QtWidgets import QApplication

    store = Store(dense_project(tmp_path / "dense.db", 2000), annotator="tester")
    win = MainWindow(store, QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat), detect_on_open=False)
    qtbot.addWidget(win)
    assert win.session.doc_id is None and win.article.text == ""
    win.show()
    QApplication.sendPostedEvents()  # the window's own events, and what is posted with them: not the article
    assert win.session.doc_id is None and win.isVisible()
    qtbot.waitUntil(lambda: win.session.doc_id == 1)
    assert win.article.text == "Kharkiv was quiet." and win.documents.table.currentIndex().row() == 0

    other = MainWindow(store, QSettings(str(tmp_path / "other.ini"), QSettings.Format.IniFormat), detect_on_open=False)
    qtbot.addWidget(other)
    other.session.open(2)  # before its first turn of the event loop: the first document is not opened over it
    later: list[int] = []
    QTimer.singleShot(1, lambda: later.append(1))  # due after the window's own (started first, same interval)
    qtbot.waitUntil(lambda: bool(later))
    assert other.session.doc_id == 2
    for window in (win, other):
        window.close()
    store.close()
