"""The document list at size: pages by keyset, one row re-read per edit, titles shown as text."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PySide6.QtCore import QEvent
from PySide6.QtGui import QHelpEvent, Qt, QTextDocument
from PySide6.QtWidgets import QApplication, QLabel, QTableView

from annotator.domain import NewDocument, Span
from annotator.qt.document_list import DocumentListModel
from annotator.storage import Store

HOSTILE = 'Kyiv <img src="/tmp/x.png"> <b>bold</b> &amp; <a href="x">link</a>'


@pytest.fixture
def store(db_path: Path):
    with Store(db_path, annotator="tester") as store:
        store.add_documents(NewDocument(f"Article {i} about Kyiv.", {"title": f"Article {i}"}) for i in range(1, 1001))
        yield store


def shown(model: DocumentListModel) -> list[str]:
    return [model.summary(row).title for row in range(model.rowCount())]


def test_every_page_lists_what_the_store_lists_in_order_from_either_end(store: Store) -> None:
    for status in (None, "done"):
        if status:
            for doc_id in store.document_ids()[::7]:
                store.set_status(doc_id, "done")
        model = DocumentListModel(store)
        model.set_filter(status=status)
        expected = [d.title for d in store.list_documents(status=status, limit=10_000)]
        assert model.summary(model.rowCount() - 1).title == expected[-1]  # straight to the end first
        assert shown(model) == expected


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=st.lists(st.tuples(st.booleans(), st.integers(0, 999)), min_size=1, max_size=12),
       status=st.sampled_from([None, "done"]))
def test_pages_read_in_any_order_from_any_known_row_list_what_the_store_lists(
        store: Store, steps: list[tuple[bool, int]], status: str | None) -> None:
    """Jumping to a document (its row found), or scrolling to a row, in any order."""
    if status and not store.count_documents("done"):
        for doc_id in store.document_ids()[::7]:
            store.set_status(doc_id, "done")
    expected = store.list_documents(status=status, limit=10_000)
    model = DocumentListModel(store)
    model.set_filter(status=status)
    for jump, n in steps:
        if jump:
            doc = expected[n % len(expected)]
            assert model.row_of(doc.id) == n % len(expected)
        else:
            assert model.summary(n % len(expected)) == expected[n % len(expected)]
    assert shown(model) == [d.title for d in expected]


def test_an_edit_rereads_its_row_and_keeps_every_page_read(store: Store, qtbot) -> None:
    model = DocumentListModel(store)
    table = QTableView()
    qtbot.addWidget(table)
    table.setModel(model)
    last = model.summary(model.rowCount() - 1)
    first = model.summary(0)
    changed = []
    model.dataChanged.connect(lambda top, bottom: changed.append((top.row(), bottom.row())))
    reads = []
    original = store.list_documents
    store.list_documents = lambda *a, **k: reads.append(a) or original(*a, **k)  # type: ignore[method-assign]
    text = store.document(last.id).text
    store.add_span(last.id, Span.of(text, text.index("Kyiv"), text.index("Kyiv") + 4, "GPE"))
    store.set_status(last.id, "done")
    model.update_row(last.id)
    assert changed == [(999, 999)]
    row = model.summary(999)
    assert (row.status, row.span_count) == ("done", 1)
    assert model.summary(0) == first and model.row_of(last.id) == 999
    assert reads == []  # no page was read again


def test_a_title_with_markup_is_shown_as_text_in_the_tooltip(db_path: Path, qtbot) -> None:
    with Store(db_path, annotator="tester") as store:
        store.add_documents([NewDocument("Some text.", {"title": HOSTILE}), NewDocument("Plain <b>", {"title": "x < y"})])
        table = QTableView()
        qtbot.addWidget(table)
        table.setModel(DocumentListModel(store))
        table.resize(600, 200)
        table.show()
        qtbot.waitExposed(table)
        for row, title in ((0, HOSTILE), (1, "x < y")):
            rect = table.visualRect(table.model().index(row, 2))
            point = rect.center()
            QApplication.sendEvent(table.viewport(), QHelpEvent(QEvent.Type.ToolTip, point,
                                                                table.viewport().mapToGlobal(point)))
            tip = next(w for w in QApplication.topLevelWidgets() if w.objectName() == "qtooltip_label" and w.isVisible())
            assert isinstance(tip, QLabel)
            rendered = QTextDocument()
            rendered.setHtml(tip.text())
            # A tooltip lays its text out as HTML when it looks like HTML, else shows it as is.
            seen = rendered.toPlainText() if Qt.mightBeRichText(tip.text()) else tip.text()
            assert seen == title


def test_a_key_press_reads_only_the_open_document(make_window, qtbot, store: Store) -> None:
    """Edits cost the same in a project of any size: no statement of a label key press, a relabel
    or an undo reads beyond the open document (the counts come from the store's counters)."""
    from PySide6.QtCore import Qt

    last = store.document_ids()[-1]
    window = make_window(store)
    window.session.open(last)
    statements: list[str] = []
    store.db.conn.set_trace_callback(statements.append)
    try:
        window.article.setTextCursor(window.article.document().find("Kyiv"))
        qtbot.keyClick(window.article, "g")  # label
        qtbot.keyClick(window.article, "p")  # relabel the new span
        qtbot.keyClick(window.article, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    finally:
        store.db.conn.set_trace_callback(None)
    assert [s.label for s in store.spans(last)] == ["GPE"]
    reads = [s for s in statements if re.search(r"\bFROM (documents|annotations|predictions)\b", s)]
    assert reads
    for statement in reads:  # by the open document's id, or one span by its own
        assert re.search(rf"\b(doc_id|id) = {last}\b|FROM annotations WHERE id = \d+$", statement), statement
    window.close()
