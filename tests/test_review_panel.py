"""The window's Review panel: figures, disagreements that open the article, picking a version."""

from __future__ import annotations

import threading
from pathlib import Path

from matplotlib.backends.backend_agg import FigureCanvasAgg
from PySide6.QtCore import Qt
from windows import click_listed, listed

from annotator.domain import NewDocument, Span
from annotator.qt.main_window import MainWindow
from annotator.storage import Store

TEXT = "Alice met Bob in Paris and Berlin today."


def put(store: Store, doc: int, word: str, label: str) -> None:
    start = TEXT.index(word)
    store.add_span(doc, Span.of(TEXT, start, start + len(word), label))


def open_window(qtbot, make_window, db_path: Path, annotator: str) -> MainWindow:
    win = make_window(Store(db_path, annotator=annotator))
    qtbot.keyClick(win.article, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)
    panel = win.review.window.panel
    qtbot.waitUntil(lambda: panel.refresh_button.isEnabled(), timeout=60_000)
    return win


def test_a_disagreement_opens_the_article_there_with_both_versions(qtbot, make_window, db_path: Path) -> None:
    with Store(db_path, annotator="tester") as store:
        doc = store.add_documents([NewDocument(TEXT)]).added[0]
        store.save_predictions(doc, [Span.of(TEXT, 10, 13, "ORG"), Span.of(TEXT, 17, 22, "GPE")], "en_test", "1")
        store.clear_suggestions(doc)
        put(store, doc, "Bob", "PERSON")
        put(store, doc, "Paris", "GPE")
        store.set_status(doc, "done")
    win = open_window(qtbot, make_window, db_path, "tester")
    panel = win.review.window.panel
    assert len(listed(panel.disagreements)) == 1
    assert "wrong label" in listed(panel.disagreements)[0]
    assert "1 document done" in panel.summary.text() and "1 accepted" in panel.summary.text()
    click_listed(qtbot, panel.disagreements, 0)
    assert win.session.doc_id == doc and win.article.selected_range() == (10, 13)
    assert win.status.message.text() == "Model: “Bob” ORG   —   yours: “Bob” PERSON"
    win.close()


def test_pick_one_annotators_version_into_the_final_layer(qtbot, make_window, db_path: Path) -> None:
    with Store(db_path, annotator="alice") as alice, Store(db_path, annotator="bob") as bob:
        doc = alice.add_documents([NewDocument(TEXT)]).added[0]
        put(alice, doc, "Paris", "GPE")
        put(bob, doc, "Paris", "LOC")
    win = open_window(qtbot, make_window, db_path, "alice")
    panel = win.review.window.panel
    panel.tabs.setCurrentIndex(1)
    assert len(listed(panel.differences)) == 1 and "wrong label" in listed(panel.differences)[0]
    click_listed(qtbot, panel.differences, 0)
    qtbot.mouseClick(panel.take_second, Qt.MouseButton.LeftButton)
    with Store(db_path, annotator="final") as final:
        assert [(s.text, s.label) for s in final.spans(doc)] == [("Paris", "LOC")]
    win.close()


def test_the_chart_is_drawn_in_a_worker_shown_at_the_panels_size_and_drawn_again_when_resized(
        qtbot, make_window, db_path: Path, monkeypatch) -> None:
    """matplotlib's layout and drawing took about a second of the window's thread at the Review's first show."""
    on_window_thread: list[bool] = []
    draw = FigureCanvasAgg.draw

    def recorded(canvas, *args, **kwargs):  # type: ignore[no-untyped-def]
        on_window_thread.append(threading.current_thread() is threading.main_thread())
        return draw(canvas, *args, **kwargs)

    monkeypatch.setattr(FigureCanvasAgg, "draw", recorded)
    with Store(db_path, annotator="tester") as store:
        doc = store.add_documents([NewDocument(TEXT)]).added[0]
        store.save_predictions(doc, [Span.of(TEXT, 10, 13, "PERSON")], "en_test", "1")
        store.set_status(doc, "done")
    win = open_window(qtbot, make_window, db_path, "tester")
    chart = win.review.window.panel.chart
    qtbot.waitUntil(lambda: not chart.image.isNull(), timeout=30_000)
    assert on_window_thread and not any(on_window_thread)
    bar_blue = bytes([0x1F, 0x77, 0xB4, 0xFF])  # precision's bars, in matplotlib's first colour
    assert bar_blue in bytes(chart.image.constBits())
    assert chart.image.deviceIndependentSize().toSize() == chart.size()
    win.review.window.resize(win.review.window.width() + 120, win.review.window.height())
    qtbot.waitUntil(lambda: chart.image.deviceIndependentSize().toSize() == chart.size(), timeout=30_000)
    assert not any(on_window_thread)
    win.close()
