"""Label names over the text, where spans crowd: a number and an entity starting at the same word
("$5 million" MONEY with an AMOUNT, "38,000" CARDINAL inside a CASUALTIES number) get one tag
naming both, at their word, readable, never over another tag."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QTextCursor
from test_window import select
from windows import click, paints, settle

from annotator.domain import NewDocument
from annotator.qt.main_window import MainWindow
from annotator.storage import Store

TEXT = ("Congress approved $5 million in new aid on Tuesday, and officials said 38,000 soldiers "
        "were sent to the front near Kharkiv five months ago.")
MONEY = TEXT.index("$5")
SOLDIERS = TEXT.index("38,000")


@pytest.fixture
def project(db_path: Path) -> Path:
    with Store(db_path, annotator="tester") as store:
        store.add_documents([NewDocument(TEXT)])
    return db_path


def label(qtbot, win: MainWindow, start: int, end: int, key: str) -> None:
    """Select the words and press the label's key, as a person does."""
    select(qtbot, win, start, end)
    qtbot.keyClick(win.article, key)


def word_left(win: MainWindow, offset: int) -> int:
    cursor = QTextCursor(win.article.document())
    cursor.setPosition(win.article.offsets.to_qt(offset))
    return win.article.cursorRect(cursor).left()


def test_tags_of_spans_starting_at_the_same_word_are_one_tag_at_that_word(qtbot, window: MainWindow) -> None:
    window.resize(1280, 800)
    label(qtbot, window, MONEY, MONEY + len("$5 million"), "m")  # MONEY
    label(qtbot, window, MONEY, MONEY + len("$5 million"), "4")  # AMOUNT, a number inside it
    label(qtbot, window, SOLDIERS, SOLDIERS + len("38,000 soldiers"), "2")  # CASUALTIES
    label(qtbot, window, SOLDIERS, SOLDIERS + len("38,000"), "c")  # CARDINAL, an entity in it
    label(qtbot, window, TEXT.index("Kharkiv"), TEXT.index("Kharkiv") + 7, "g")
    assert sorted(s.label for s in window.session.spans.values()) == ["AMOUNT", "CARDINAL", "CASUALTIES", "GPE", "MONEY"]
    window.article.viewport().repaint()
    tags = dict(window.article.drawn_tags)
    # One tag for each place, the entity's name first, each at its own word.
    assert set(tags) == {"MONEY · AMOUNT", "CARDINAL · CASUALTIES", "GPE"}
    for name, offset in (("MONEY · AMOUNT", MONEY), ("CARDINAL · CASUALTIES", SOLDIERS), ("GPE", TEXT.index("Kharkiv"))):
        assert abs(tags[name].left() - word_left(window, offset)) <= 2
    boxes = list(tags.values())
    assert not any(a.intersects(b) for i, a in enumerate(boxes) for b in boxes[i + 1:])
    # Each label's part of the tag is painted in its colour, its name written on it.
    image = window.article.viewport().grab().toImage()
    box = tags["MONEY · AMOUNT"]
    colours = {QColor(image.pixel(x, box.center().y())).name() for x in range(box.left(), box.right())}
    for name in ("MONEY", "AMOUNT"):
        assert window.store.label(name).colour.lower() in colours
    # The text is as stored.
    assert window.article.toPlainText() == TEXT


def pixels(win: MainWindow, start: int, end: int, rows: tuple[float, float]) -> set[str]:
    """The colours painted over ``text[start:end]`` (one line), between two fractions of its height."""
    image = win.article.viewport().grab().toImage()
    left, right = word_left(win, start), word_left(win, end)
    cursor = QTextCursor(win.article.document())
    cursor.setPosition(win.article.offsets.to_qt(start))
    box = win.article.cursorRect(cursor)
    top, bottom = (round(box.top() + f * box.height()) for f in rows)
    return {QColor(image.pixel(x, y)).name() for x in range(left, right) for y in range(top, bottom + 1)}


def test_a_number_inside_an_entity_is_underlined_in_its_colour_and_the_entity_stays_readable(
        qtbot, window: MainWindow) -> None:
    label(qtbot, window, SOLDIERS, SOLDIERS + len("38,000 soldiers"), "2")  # CASUALTIES
    label(qtbot, window, SOLDIERS, SOLDIERS + len("38,000"), "c")  # CARDINAL, an entity in it
    label(qtbot, window, MONEY, MONEY + len("$5 million"), "m")  # MONEY
    label(qtbot, window, MONEY, MONEY + len("$5 million"), "4")  # AMOUNT, the same words
    qtbot.keyClick(window.article, Qt.Key.Key_Escape)  # nothing selected: each drawn as it is
    window.article.viewport().repaint()
    colour = {name: window.store.label(name).colour.lower() for name in ("CASUALTIES", "CARDINAL", "AMOUNT", "MONEY")}
    below = (0.8, 1.0)  # where the underline is drawn: under the letters
    # Inside the entity: the number's underline in its colour, on the entity's colour, letters in ink.
    assert colour["AMOUNT"] in pixels(window, MONEY, MONEY + 2, below)
    assert colour["CASUALTIES"] in pixels(window, SOLDIERS, SOLDIERS + 6, below)
    letters = pixels(window, MONEY, MONEY + 2, (0.2, 0.7))
    assert colour["MONEY"] in letters and any(QColor(p).lightness() < 60 for p in letters)
    # A number over part of an entity ("five" in "five months ago"): underlined there only.
    five = TEXT.index("five")
    label(qtbot, window, five, five + len("five months ago"), "d")  # DATE
    label(qtbot, window, five, five + 4, "1")  # NUMBER, part of it
    qtbot.keyClick(window.article, Qt.Key.Key_Escape)
    window.article.viewport().repaint()
    colour["NUMBER"] = window.store.label("NUMBER").colour.lower()
    assert colour["NUMBER"] in pixels(window, five, five + 4, below)
    assert colour["NUMBER"] not in pixels(window, five + 5, five + 11, below)
    # Past the entity the number is written and underlined in its colour.
    soldiers = TEXT.index("soldiers")
    assert colour["CASUALTIES"] in pixels(window, soldiers, soldiers + 8, below)
    assert colour["CASUALTIES"] in pixels(window, soldiers, soldiers + 8, (0.2, 0.7))


def test_an_edit_repaints_only_its_lines_where_numbers_sit_in_entities(qtbot, window: MainWindow) -> None:
    from annotator.domain import NUMBERS, Span

    line = "Line {}: $5 million paid, 38,000 soldiers sent to Kyiv five months ago."
    text = "\n".join(line.format(i) for i in range(60))
    at = [m for m in range(len(text)) if text.startswith("Line", m)]
    found: list[Span] = []
    for start in at:
        money, soldiers, five = (text.index(word, start) for word in ("$5", "38,000", "five"))
        found += [Span.of(text, money, money + 10, "MONEY"), Span.of(text, money, money + 10, "AMOUNT", layer=NUMBERS),
                  Span.of(text, soldiers, soldiers + 6, "CARDINAL"),
                  Span.of(text, soldiers, soldiers + 15, "CASUALTIES", layer=NUMBERS),
                  Span.of(text, five, five + 15, "DATE"), Span.of(text, five, five + 4, "NUMBER", layer=NUMBERS)]
    with Store(window.store.path, annotator="tester") as store:
        doc = store.add_documents([NewDocument(text)]).added[0]
        store.save_predictions(doc, found, "m", "1")
        store.set_setting("learning", "off")  # else the other lines' same strings take the edit too (test_window_learning.py)
    window.session.open(doc)
    settle()  # the new document drawn, and the window laid out for its labels: none of it left for the block
    kyiv = text.index("Kyiv", at[5])
    with paints(window.article.viewport()) as painted:
        label(qtbot, window, kyiv, kyiv + 4, "g")
        qtbot.waitUntil(lambda: "GPE" in [name for name, _ in window.article.drawn_tags], timeout=30_000)
    assert [s.label for s in window.session.spans.values() if s.start == kyiv] == ["GPE"]
    view = window.article.viewport().rect()
    assert painted and sum(r.width() * r.height() for r in painted) < view.width() * view.height() / 4


def test_relabelling_the_number_repaints_the_shared_tag(qtbot, window: MainWindow) -> None:
    label(qtbot, window, SOLDIERS, SOLDIERS + len("38,000"), "c")  # CARDINAL
    label(qtbot, window, SOLDIERS, SOLDIERS + len("38,000"), "1")  # NUMBER, the same word
    window.article.viewport().repaint()
    assert "CARDINAL · NUMBER" in dict(window.article.drawn_tags)
    click(qtbot, window, SOLDIERS + 1)  # selects the number (the entity is clicked past it)
    assert window.session.current is not None and window.session.current.label == "NUMBER"
    qtbot.keyClick(window.article, "2")  # CASUALTIES
    qtbot.waitUntil(lambda: "CARDINAL · CASUALTIES" in dict(window.article.drawn_tags), timeout=30_000)  # its lines repainted
    assert "CARDINAL · NUMBER" not in dict(window.article.drawn_tags)
