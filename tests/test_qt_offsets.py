"""Stored offsets and what Qt shows agree for any text: spans are drawn over exactly their text,
and a selection made in the window is stored as exactly the selected text.

The oracle is Qt itself: a QTextCursor's ``selectedText()`` over the drawn or selected stretch,
compared with the stored text as Qt reports it (every line end becomes U+2029 there).
"""

from __future__ import annotations

import re
import unicodedata
from itertools import pairwise
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor

from annotator.domain import ENTITIES, Label, NewDocument, Span, StoredSpan, content_hash
from annotator.qt.article_view import ArticleView
from annotator.storage import Store
from annotator.tokens import crosses_line_end, move_edge, snap

# What QTextCursor.selectedText() says for a line end of the stored text (checked per code point).
_BLOCK_END = re.compile("\r\n|[\r\n\u2029\ufdd0\ufdd1]")

PIECES = [
    "\n", "\r\n", "\r", "\r\n\r\n", "\n\r", "\u2028", "\u2029", "\u0085", "\t", "\0", "\ufeff", "\ufffe", "\f",
    "😀", "👍🏽", "🇺🇦", "👨\u200d👩\u200d👧", "𝔰𝔬", "e\u0301", "n\u0303o", "שלום", "مرحبا", "\u202eabc\u202c",
    "Zelenskyy", "Kyiv", " ", "  ", ".", "38,000", "d",
]
TEXTS = st.lists(
    st.one_of(st.sampled_from(PIECES), st.text(st.characters(blacklist_categories=("Cs",)), max_size=4)),
    min_size=1, max_size=25,
).map("".join).filter(bool)
FAST = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
WINDOW = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def as_qt(text: str) -> str:
    """The stored text as Qt's selectedText() reports it."""
    return _BLOCK_END.sub("\u2029", text)


def boundaries(text: str) -> list[int]:
    """Offsets a span may start or end at: anywhere but between the two characters of "\\r\\n"."""
    return [i for i in range(len(text) + 1) if not (0 < i < len(text) and text[i - 1 : i + 1] == "\r\n")]


def selected(view: ArticleView, start: int, end: int) -> str:
    cursor = QTextCursor(view.document())
    cursor.setPosition(start)
    cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
    return cursor.selectedText()


@pytest.fixture
def view(qtbot) -> ArticleView:
    widget = ArticleView()
    qtbot.addWidget(widget)
    widget.resize(500, 300)
    widget.show()
    return widget


@FAST
@given(text=TEXTS)
def test_every_offset_maps_to_the_qt_position_before_the_same_text(view: ArticleView, text: str) -> None:
    view.set_document(text, [], [])
    offsets = view.offsets
    assert view.document().characterCount() - 1 == offsets.to_qt(len(text))
    assert selected(view, 0, offsets.to_qt(len(text))) == as_qt(text)
    for offset in boundaries(text):
        position = offsets.to_qt(offset)
        assert selected(view, 0, position) == as_qt(text[:offset])
        assert offsets.from_qt(position) == offset


@FAST
@given(text=TEXTS)
def test_any_qt_position_maps_back_to_a_boundary_at_or_before_it(view: ArticleView, text: str) -> None:
    view.set_document(text, [], [])
    offsets = view.offsets
    allowed = set(boundaries(text))
    for position in range(view.document().characterCount()):
        offset = offsets.from_qt(position)
        assert offset in allowed
        assert offsets.to_qt(offset) <= position < (offsets.to_qt(offset + 1) if offset < len(text) else position + 1)


@st.composite
def text_and_spans(draw: st.DrawFn) -> tuple[str, list[StoredSpan]]:
    text = draw(TEXTS)
    edges = sorted(set(draw(st.lists(st.sampled_from(boundaries(text)), max_size=12))))
    spans = [StoredSpan.of(text, start, end, "GPE" if i % 2 else "PERSON", confirmed=i % 3 != 0, id=i)
             for i, (start, end) in enumerate(pairwise(edges)) if start < end]
    return text, spans


@FAST
@given(case=text_and_spans())
def test_a_stored_span_is_drawn_over_exactly_its_text(view: ArticleView, case: tuple[str, list[StoredSpan]]) -> None:
    text, spans = case
    view.set_document(text, spans, [Label("PERSON", colour="#f59e0b"), Label("GPE", colour="#10b981")])
    drawn = {}
    for selection in view.extraSelections():
        cursor = selection.cursor
        at = (view.offsets.from_qt(cursor.selectionStart()), view.offsets.from_qt(cursor.selectionEnd()))
        drawn[at] = cursor.selectedText()
    for span in spans:
        assert drawn[(span.start, span.end)] == as_qt(text[span.start : span.end]) == as_qt(span.text)


# -- selections made in the window ------------------------------------------------------------


@pytest.fixture
def project(db_path: Path) -> Path:
    with Store(db_path, annotator="tester") as store:
        store.add_documents([NewDocument("An article to start with.")])
        # Offsets are what these tests check: a string labelled in one example would otherwise be
        # suggested in the next one's article (tests/test_window_learning.py checks that).
        store.set_setting("learning", "off")
    return db_path


def open_text(window, text: str) -> int:
    """Add ``text`` as a document (or find it) with no spans of the tester, and show it."""
    store = window.store
    doc_id = store.document_id_for_hash(content_hash(text)) or store.add_documents([NewDocument(text)]).added[0]
    for span in store.spans(doc_id):
        store.delete_span(span.id)
    window.session.open(doc_id)
    return doc_id


def stored(window, doc_id: int) -> list[Span]:
    return window.store.spans(doc_id, ENTITIES)


def select_by_characters(window, skip: int, length: int) -> QTextCursor:
    """Move as the arrow keys move (whole characters, never into a surrogate pair or a line end)."""
    cursor = window.article.textCursor()
    cursor.movePosition(QTextCursor.MoveOperation.Start)
    cursor.movePosition(QTextCursor.MoveOperation.NextCharacter, QTextCursor.MoveMode.MoveAnchor, skip)
    cursor.movePosition(QTextCursor.MoveOperation.NextCharacter, QTextCursor.MoveMode.KeepAnchor, length)
    window.article.setTextCursor(cursor)
    return cursor


@WINDOW
@given(text=TEXTS, skip=st.integers(0, 40), length=st.integers(1, 40))
def test_a_selection_labelled_exactly_is_stored_as_exactly_the_selected_text(
        qtbot, window, text: str, skip: int, length: int) -> None:
    doc_id = open_text(window, text)
    cursor = select_by_characters(window, skip, length)
    if not cursor.hasSelection():
        return
    shown = cursor.selectedText()
    qtbot.keyClick(window.article, "p", Qt.KeyboardModifier.AltModifier)  # Alt: exactly what is selected
    [span] = stored(window, doc_id)
    assert as_qt(span.text) == shown
    assert text[span.start : span.end] == span.text
    assert span.start in boundaries(text) and span.end in boundaries(text)


@WINDOW
@given(text=TEXTS, skip=st.integers(0, 40), length=st.integers(1, 40))
def test_a_snapped_selection_only_grows_by_word_characters(qtbot, window, text: str, skip: int, length: int) -> None:
    doc_id = open_text(window, text)
    cursor = select_by_characters(window, skip, length)
    if not cursor.hasSelection():
        return
    start, end = window.article.selected_range()
    qtbot.keyClick(window.article, "p")
    spans = stored(window, doc_id)
    if not text[start:end].strip() or crosses_line_end(text, *snap(text, start, end)):
        assert spans == []  # only white space, or words of two lines: refused with a message
        assert window.status.message.text()
        return
    [span] = spans
    assert not crosses_line_end(text, span.start, span.end)
    inner = text[start:end].strip()
    assert inner in span.text and span.text == span.text.strip()
    grown = text[span.start : max(start, span.start)] + text[min(end, span.end) : span.end]
    assert all(c.isalnum() or c == "_" or unicodedata.category(c).startswith("M") for c in grown), grown


KEYS_SETTINGS = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@KEYS_SETTINGS
@given(text=TEXTS, skip=st.integers(0, 30), length=st.integers(1, 12))
def test_shift_arrow_selection_then_a_label_key_stores_the_selected_text(
        qtbot, window, text: str, skip: int, length: int) -> None:
    doc_id = open_text(window, text)
    window.menus.actions["snap"].setChecked(False)
    try:
        window.article.moveCursor(QTextCursor.MoveOperation.Start)
        for _ in range(skip):
            qtbot.keyClick(window.article, Qt.Key.Key_Right)
        for _ in range(length):
            qtbot.keyClick(window.article, Qt.Key.Key_Right, Qt.KeyboardModifier.ShiftModifier)
        shown = window.article.textCursor().selectedText()
        if not shown:
            return
        qtbot.keyClick(window.article, "p")
        [span] = stored(window, doc_id)
        assert as_qt(span.text) == shown
    finally:
        window.menus.actions["snap"].setChecked(True)


# -- by hand ----------------------------------------------------------------------------------

WINDOWS = ("Kyiv, 7 January\r\n\r\nPresident Volodymyr Zelenskyy said the attack 😀 was repelled.\r\n"
           "Zelenskyy thanked the air defence.\r\n")


def select_found(window, word: str, occurrence: int = 0) -> None:
    """Select a word the way a search would find it: in the Qt document, not by stored offsets."""
    cursor = QTextCursor(window.article.document())
    for _ in range(occurrence + 1):
        cursor = window.article.document().find(word, cursor)
    window.article.setTextCursor(cursor)


def test_a_windows_article_labels_zelenskyy_on_line_3(qtbot, window) -> None:
    doc_id = open_text(window, WINDOWS)
    select_found(window, "Zelenskyy")
    qtbot.keyClick(window.article, "p")
    select_found(window, "Zelenskyy", occurrence=1)
    qtbot.keyClick(window.article, "p")
    first, second = sorted(stored(window, doc_id), key=lambda s: s.start)
    assert (first.start, first.text) == (WINDOWS.index("Zelenskyy"), "Zelenskyy")
    assert (second.start, second.text) == (WINDOWS.rindex("Zelenskyy"), "Zelenskyy")
    drawn = sorted(s.cursor.selectedText() for s in window.article.extraSelections())
    assert drawn == ["Zelenskyy", "Zelenskyy"]


def test_part_of_a_word_after_windows_line_ends_snaps_to_the_word_not_the_line_before(qtbot, window) -> None:
    doc_id = open_text(window, WINDOWS)
    select_found(window, "elensk", occurrence=1)
    qtbot.keyClick(window.article, "p")
    [span] = [s for s in stored(window, doc_id) if s.origin == "human"]  # the other is suggested from it
    assert (span.start, span.text) == (WINDOWS.rindex("Zelenskyy"), "Zelenskyy")


def test_a_snapped_selection_over_a_line_end_is_refused_with_a_message(qtbot, window) -> None:
    doc_id = open_text(window, WINDOWS)
    select_found(window, "repelled.")
    cursor = window.article.textCursor()
    cursor.movePosition(QTextCursor.MoveOperation.NextCharacter, QTextCursor.MoveMode.KeepAnchor, 4)  # "⏎Zel"
    window.article.setTextCursor(cursor)
    qtbot.keyClick(window.article, "p")
    assert stored(window, doc_id) == []
    assert "line end" in window.status.message.text()
    qtbot.keyClick(window.article, "p", Qt.KeyboardModifier.AltModifier)  # Alt: exactly what is selected
    [span] = stored(window, doc_id)
    assert span.text == "repelled.\r\nZel"


def test_a_selection_starting_at_a_line_end_drops_the_line_end(qtbot, window) -> None:
    doc_id = open_text(window, WINDOWS)
    select_found(window, "repelled.")
    cursor = window.article.textCursor()
    start = cursor.selectionEnd()
    cursor.setPosition(start)
    cursor.movePosition(QTextCursor.MoveOperation.NextCharacter, QTextCursor.MoveMode.KeepAnchor, 10)  # "⏎Zelenskyy"
    window.article.setTextCursor(cursor)
    qtbot.keyClick(window.article, "p")
    [span] = [s for s in stored(window, doc_id) if s.origin == "human"]  # the other is suggested from it
    assert (span.start, span.text) == (WINDOWS.rindex("Zelenskyy"), "Zelenskyy")


@pytest.mark.parametrize("text", ["\ufeffKyiv said", "\ufffeKyiv said", "Kyiv\r\rsaid", "Kyiv\u2028\u2029\x85said"])
def test_odd_first_characters_and_line_ends_keep_offsets(qtbot, window, text: str) -> None:
    doc_id = open_text(window, text)
    select_found(window, "said")
    qtbot.keyClick(window.article, "p")
    [span] = stored(window, doc_id)
    assert (span.start, span.text) == (text.index("said"), "said")
    assert [s.cursor.selectedText() for s in window.article.extraSelections()] == ["said"]


@settings(max_examples=300, deadline=None)
@given(text=TEXTS, data=st.data())
def test_snapping_and_token_moves_never_split_a_letter_from_its_mark(text: str, data: st.DataObject) -> None:
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, len(text)))
    split = lambda at: 0 < at < len(text) and unicodedata.category(text[at]).startswith("M")  # noqa: E731
    snapped = snap(text, start, end)
    if snapped[0] < snapped[1]:
        assert not split(snapped[0]) or snapped[0] == start  # (a selection may begin on a mark)
        assert not split(snapped[1]) or snapped[1] == end
    if start < end:
        for edge in ("start", "end"):
            for forward in (True, False):
                moved = move_edge(text, start, end, edge, forward)
                assert [not split(at) or at == was for at, was in zip(moved, (start, end))] == [True, True]
