"""Label names over the text, where spans crowd: a number and an entity starting at the same word
("$5 million" MONEY with an AMOUNT, "38,000" CARDINAL inside a CASUALTIES number) get one tag
naming both, at their word, readable, never over another tag."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtGui import QColor, QTextCursor
from test_window import select

from annotator.domain import NewDocument
from annotator.qt.main_window import MainWindow
from annotator.storage import Store

TEXT = ("Congress approved $5 million in new aid on Tuesday, and officials said 38,000 soldiers "
        "were sent to the front near Kharkiv.")
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
