"""Relations in the window: linking from the keyboard alone and with the mouse, the links panel
(Delete, Enter on suggestions), the arcs drawn between the spans, a linked span's removal and its
undo, and undo after a restart."""

from __future__ import annotations

from pathlib import Path

import pytest
import windows
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtGui import QColor, QTextCursor
from PySide6.QtWidgets import QApplication
from windows import open_window, settle

from annotator.domain import NewDocument, Span
from annotator.qt.main_window import MainWindow
from annotator.relations import Link
from annotator.storage import Store

SHIFT, CTRL = Qt.KeyboardModifier.ShiftModifier, Qt.KeyboardModifier.ControlModifier
TEXT = "Russia lost 38,000 soldiers near Bakhmut in May."
COUNTS, LOCATED_IN = "#1d4ed8", "#047857"  # the default relation labels' colours


def place(word: str) -> tuple[int, int]:
    return TEXT.index(word), TEXT.index(word) + len(word)


@pytest.fixture
def project(db_path: Path) -> Path:
    with Store(db_path, annotator="tester") as store:
        [doc] = store.add_documents([NewDocument(TEXT)]).added
        for word, label in (("soldiers", "NORP"), ("Bakhmut", "GPE")):
            store.add_span(doc, Span.of(TEXT, *place(word), label))
        store.start_layer(doc)
    return db_path


def with_span(db_path: Path, word: str, label: str) -> Span:
    with Store(db_path, annotator="tester") as store:
        return store.add_span(1, Span.of(TEXT, *place(word), label))


def relations(db_path: Path) -> list[tuple[str, str, str, bool]]:
    with Store(db_path, annotator="tester") as store:
        return [(link.head.text, link.label, link.child.text, link.confirmed) for link in store.relations.links(1)]


def point_of(win: MainWindow, word: str) -> QPoint:
    cursor = QTextCursor(win.article.document())
    cursor.setPosition(win.article.offsets.to_qt(place(word)[0]) + 1)
    rect = win.article.cursorRect(cursor)
    return QPoint(rect.left(), rect.center().y())


def click(qtbot, win: MainWindow, word: str) -> None:
    qtbot.mouseClick(win.article.viewport(), Qt.MouseButton.LeftButton, pos=point_of(win, word))


def keyboard_select(qtbot, win: MainWindow, word: str) -> None:
    """From the start of the text with the arrows, then Shift+Right over the word."""
    start, end = place(word)
    qtbot.keyClick(win.article, Qt.Key.Key_Home, CTRL)
    for _ in range(start):
        qtbot.keyClick(win.article, Qt.Key.Key_Right)
    for _ in range(end - start):
        qtbot.keyClick(win.article, Qt.Key.Key_Right, SHIFT)


def coloured_pixels(win: MainWindow, first: str, last: str, colour: str) -> int:
    """Pixels near ``colour`` under the line, between the two words (where their link is drawn)."""
    win.article.viewport().repaint()
    image = win.article.viewport().grab().toImage()
    left, right = point_of(win, first), point_of(win, last)
    line = win.article.fontMetrics().height()
    box = QRect(QPoint(min(left.x(), right.x()), left.y()), QPoint(max(left.x(), right.x()) + 40, left.y() + 2 * line))
    want = QColor(colour)
    count = 0
    for x in range(box.left(), box.right()):
        for y in range(box.top(), box.bottom()):
            got = image.pixelColor(x, y)
            if abs(got.red() - want.red()) + abs(got.green() - want.green()) + abs(got.blue() - want.blue()) < 60:
                count += 1
    return count


def test_keyboard_only_label_a_number_link_it_remove_the_link_and_undo(qtbot, window: MainWindow, db_path: Path) -> None:
    keyboard_select(qtbot, window, "38,000")
    qtbot.keyClick(window.article, Qt.Key.Key_2)  # CASUALTIES, selected once made
    assert window.session.selected is not None and window.session.selected.text == "38,000"
    qtbot.keyClick(window.article, Qt.Key.Key_Tab)  # link from it: the next span is pointed at
    assert window.link_mode.child is not None and window.link_mode.child.text == "soldiers"
    assert window.article.hasFocus()
    qtbot.keyClick(window.article, Qt.Key.Key_C)  # COUNTS
    assert window.relations.rows() == ["“38,000” → COUNTS → “soldiers”"]
    assert relations(db_path) == [("38,000", "COUNTS", "soldiers", True)]
    assert not window.link_mode.active
    # Tab, Tab, Escape: nothing linked.
    qtbot.keyClick(window.article, Qt.Key.Key_Tab)
    qtbot.keyClick(window.article, Qt.Key.Key_Tab)
    assert window.link_mode.child is not None and window.link_mode.child.text == "Bakhmut"
    qtbot.keyClick(window.article, Qt.Key.Key_Escape)
    assert not window.link_mode.active and len(relations(db_path)) == 1
    qtbot.keyClick(window.article, Qt.Key.Key_F6)  # the links list
    assert window.relations.list.hasFocus() and window.relations.current() is not None
    qtbot.keyClick(window.relations.list, Qt.Key.Key_Delete)
    assert window.relations.rows() == [] and relations(db_path) == []
    qtbot.keyClick(window.relations.list, Qt.Key.Key_Z, CTRL)
    assert window.relations.rows() == ["“38,000” → COUNTS → “soldiers”"] and len(relations(db_path)) == 1
    qtbot.keyClick(window.relations.list, Qt.Key.Key_Z, CTRL | SHIFT)
    assert window.relations.rows() == [] and relations(db_path) == []


def test_keyboard_only_link_two_spans_already_there(qtbot, window: MainWindow, db_path: Path) -> None:
    qtbot.keyClick(window.article, Qt.Key.Key_Home, CTRL)
    qtbot.keyClick(window.article, Qt.Key.Key_Tab)  # nothing selected: the first span from the cursor on
    assert window.session.selected.text == "soldiers" and not window.link_mode.active
    qtbot.keyClick(window.article, Qt.Key.Key_Escape)
    qtbot.keyClick(window.article, Qt.Key.Key_Tab)  # Escape, Tab: the next one
    assert window.session.selected.text == "Bakhmut"
    qtbot.keyClick(window.article, Qt.Key.Key_Tab)  # link from it: the other span (wrapping round)
    assert window.link_mode.child.text == "soldiers"
    qtbot.keyClick(window.article, Qt.Key.Key_A)  # ATTACKED
    assert relations(db_path) == [("Bakhmut", "ATTACKED", "soldiers", True)]
    assert window.relations.rows() == ["“Bakhmut” → ATTACKED → “soldiers”"]


def test_click_a_span_tab_click_another_and_a_chip_links_them_and_it_is_drawn(qtbot, window: MainWindow, db_path: Path) -> None:
    assert coloured_pixels(window, "soldiers", "Bakhmut", LOCATED_IN) == 0
    click(qtbot, window, "soldiers")
    assert window.session.selected.text == "soldiers"
    qtbot.keyClick(window.article, Qt.Key.Key_Tab)
    qtbot.keyClick(window.article, Qt.Key.Key_Tab, SHIFT)  # back: wraps round to the last span
    click(qtbot, window, "Bakhmut")  # the click chooses the other end
    assert window.link_mode.child.text == "Bakhmut" and window.session.selected.text == "soldiers"
    qtbot.mouseClick(window.relations.chips["LOCATED_IN"], Qt.MouseButton.LeftButton)
    assert relations(db_path) == [("soldiers", "LOCATED_IN", "Bakhmut", True)]
    assert window.relations.rows() == ["“soldiers” → LOCATED_IN → “Bakhmut”"]
    assert coloured_pixels(window, "soldiers", "Bakhmut", LOCATED_IN) > 20
    [(relation_id, name)] = window.arcs.drawn  # its name, drawn under the two spans: a click picks the link
    qtbot.mouseClick(window.article.viewport(), Qt.MouseButton.LeftButton, pos=name.center())
    assert window.relations.current() == relation_id and window.relations.list.hasFocus()
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Delete)
    assert relations(db_path) == [] and window.relations.rows() == []


def test_a_relation_whose_span_is_removed_goes_and_comes_back_with_undo(qtbot, make_window, project: Path) -> None:
    number = with_span(project, "38,000", "CASUALTIES")
    with Store(project, annotator="tester") as store:
        soldiers = next(s for s in store.spans(1) if s.text == "soldiers")
        store.relations.add(number.id, soldiers.id, "COUNTS")
    store = Store(project, annotator="tester")
    win = make_window(store)
    assert win.relations.rows() == ["“38,000” → COUNTS → “soldiers”"]
    assert coloured_pixels(win, "38,000", "soldiers", COUNTS) > 20
    click(qtbot, win, "soldiers")
    qtbot.keyClick(win.article, Qt.Key.Key_Delete)
    assert "soldiers" not in [s.text for s in win.session.spans.values()]
    assert win.relations.rows() == [] and relations(project) == []
    assert coloured_pixels(win, "38,000", "soldiers", COUNTS) == 0
    qtbot.keyClick(win.article, Qt.Key.Key_Z, CTRL)  # the span and its link together
    assert win.relations.rows() == ["“38,000” → COUNTS → “soldiers”"]
    assert relations(project) == [("38,000", "COUNTS", "soldiers", True)]
    assert coloured_pixels(win, "38,000", "soldiers", COUNTS) > 20
    win.close()
    store.close()


def test_suggested_links_are_confirmed_with_enter_and_rejected_with_delete(qtbot, make_window, project: Path) -> None:
    number = with_span(project, "38,000", "CASUALTIES")
    with Store(project, annotator="tester") as store:
        spans = {s.text: s for s in store.spans(1)}
        store.relations.insert_links(1, "tester", [
            Link(number, spans["soldiers"], "COUNTS", origin="model", confirmed=False),
            Link(spans["soldiers"], spans["Bakhmut"], "LOCATED_IN", origin="model", confirmed=False)])
    store = Store(project, annotator="tester")
    win = make_window(store)
    assert win.relations.rows() == ["“38,000” → COUNTS → “soldiers”  (suggested)",
                                    "“soldiers” → LOCATED_IN → “Bakhmut”  (suggested)"]
    assert win.relations.list.item(0).font().italic()
    qtbot.keyClick(win.article, Qt.Key.Key_F6)
    qtbot.keyClick(win.relations.list, Qt.Key.Key_Return)  # the first: confirmed
    assert win.relations.rows()[0] == "“38,000” → COUNTS → “soldiers”"
    win.relations.list.setFocus()
    qtbot.keyClick(win.relations.list, Qt.Key.Key_Down)
    qtbot.keyClick(win.relations.list, Qt.Key.Key_Delete)  # the second: rejected
    assert relations(project) == [("38,000", "COUNTS", "soldiers", True)]
    qtbot.keyClick(win.relations.list, Qt.Key.Key_Z, CTRL)
    assert ("soldiers", "LOCATED_IN", "Bakhmut", False) in relations(project)
    win.close()
    store.close()


def test_a_link_is_undone_after_the_window_was_closed_and_opened_again(qtbot, project: Path, tmp_path: Path) -> None:
    win, store = open_window(qtbot, project, tmp_path / "s.ini")
    click(qtbot, win, "soldiers")
    qtbot.keyClick(win.article, Qt.Key.Key_Tab)
    qtbot.keyClick(win.article, Qt.Key.Key_Return)  # Enter: the first relation label (none used yet)
    assert relations(project) == [("soldiers", "COUNTS", "Bakhmut", True)]
    win.close()
    store.close()
    win, store = open_window(qtbot, project, tmp_path / "s.ini")
    assert win.relations.rows() == ["“soldiers” → COUNTS → “Bakhmut”"]
    qtbot.keyClick(win.article, Qt.Key.Key_Z, CTRL)
    assert win.relations.rows() == [] and relations(project) == []
    qtbot.keyClick(win.article, Qt.Key.Key_Z, CTRL | SHIFT)
    assert win.relations.rows() == ["“soldiers” → COUNTS → “Bakhmut”"]
    win.close()
    store.close()


def test_a_link_picked_in_the_list_is_scrolled_into_view(qtbot, make_window, tmp_path: Path) -> None:
    text = "A line about nothing.\n" * 120 + TEXT
    with Store(tmp_path / "long.db", annotator="tester") as store:
        [doc] = store.add_documents([NewDocument(text)]).added
        at = text.index("soldiers")
        soldiers = store.add_span(doc, Span.of(text, at, at + 8, "NORP"))
        bakhmut = store.add_span(doc, Span.of(text, text.index("Bakhmut"), text.index("Bakhmut") + 7, "GPE"))
        store.relations.add(soldiers.id, bakhmut.id, "LOCATED_IN")
    store = Store(tmp_path / "long.db", annotator="tester")
    win = make_window(store)
    head = QTextCursor(win.article.document())
    head.setPosition(win.article.offsets.to_qt(text.index("soldiers")))
    assert not win.article.viewport().rect().contains(win.article.cursorRect(head).center())
    qtbot.keyClick(win.article, Qt.Key.Key_F6)  # the links list, its first link picked
    assert win.relations.current() is not None
    assert win.article.viewport().rect().contains(win.article.cursorRect(head).center())
    win.close()
    store.close()


DENSE = "In May 12 drones and 4 missiles hit 3 towns near Odesa and Kyiv, officials said on Monday."
DENSE_SPANS = (("12", "CARDINAL"), ("drones", "PRODUCT"), ("4", "CARDINAL"), ("missiles", "PRODUCT"), ("3", "CARDINAL"),
               ("towns", "LOC"), ("Odesa", "GPE"), ("Kyiv", "GPE"), ("officials", "NORP"))


def dense_place(word: str) -> tuple[int, int]:
    start = DENSE.index(f" {word}") + 1
    return start, start + len(word)


def test_names_of_nearby_links_stack_in_rows_under_their_curves_and_never_cover_one_another(
        qtbot, make_window, db_path: Path) -> None:
    with Store(db_path, annotator="tester") as store:
        [doc] = store.add_documents([NewDocument(DENSE)]).added
        ids = {word: store.add_span(doc, Span.of(DENSE, *dense_place(word), label,
                                                  layer="numbers" if word.isdigit() else "entities")).id
               for word, label in DENSE_SPANS}
        store.start_layer(doc)
        for head, child, label in (("12", "drones", "COUNTS"), ("4", "missiles", "COUNTS"), ("drones", "Odesa", "LOCATED_IN"),
                                   ("missiles", "Kyiv", "LOCATED_IN"), ("towns", "Odesa", "LOCATED_IN"),
                                   ("officials", "missiles", "SAID")):
            store.relations.add(ids[head], ids[child], label)
    store = Store(db_path, annotator="tester")
    win = make_window(store)
    win.resize(1400, 700)
    settle()
    # one more, from the keyboard: "3" COUNTS "towns"
    windows.click(qtbot, win, dense_place("3")[0])
    assert win.session.selected.text == "3"
    qtbot.keyClick(win.article, Qt.Key.Key_Tab)
    assert win.link_mode.child.text == "towns"
    qtbot.keyClick(win.article, Qt.Key.Key_C)
    assert len(win.relations.rows()) == 7
    win.article.viewport().repaint()
    spans = win.session.spans
    names = dict(win.arcs.drawn)
    assert len(names) == 7
    boxes = list(names.values())
    assert not [(a, b) for i, a in enumerate(boxes) for b in boxes[i + 1:] if a.intersects(b)]
    width = win.article.viewport().width()
    for relation_id, box in names.items():
        relation = win.links.relations[relation_id]
        head, child = win.arcs.anchor(spans[relation.head]), win.arcs.anchor(spans[relation.child])
        middle = (head.x() + child.x()) / 2  # the curve's lowest point: its name is right under it
        assert box.left() - 1 <= middle <= box.right() + 1 and box.left() >= 0 and box.right() < width
        assert box.top() >= min(head.y(), child.y()) - box.height()  # under the line, not over its words
    win.close()
    store.close()
