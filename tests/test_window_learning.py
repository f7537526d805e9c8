"""In the real window: label a string once with a key, and its other occurrences are suggested
the same at once, said so on hover, accepted with Enter; the menu turns it off for the project."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QHelpEvent
from PySide6.QtWidgets import QApplication, QToolTip
from windows import click, point_of

from annotator.domain import NewDocument, Span
from annotator.learning.suggest import ORIGIN_LEARNED
from annotator.qt.main_window import MainWindow
from annotator.storage import Store

TEXT = "Missiles hit Kyiv and Kharkiv. In Kyiv, the mayor said Kyiv's air defence held."
NEXT = "A day later Kyiv was calm."


def places(text: str, word: str) -> list[int]:
    return [i for i in range(len(text)) if text.startswith(word, i)]


@pytest.fixture
def project(db_path: Path) -> Path:
    with Store(db_path, annotator="tester") as store:
        one, two = store.add_documents([NewDocument(TEXT), NewDocument(NEXT)]).added
        store.save_predictions(one, [Span.of(TEXT, i, i + 4, "PERSON") for i in places(TEXT, "Kyiv")], "m", "1")
        store.save_predictions(two, [Span.of(NEXT, i, i + 4, "PERSON") for i in places(NEXT, "Kyiv")], "m", "1")
    return db_path




def hover(win: MainWindow, offset: int) -> str:
    viewport = win.article.viewport()
    at = point_of(win, offset)
    QApplication.sendEvent(viewport, QHelpEvent(QEvent.Type.ToolTip, at, viewport.mapToGlobal(at)))
    return QToolTip.text()


def shown(win: MainWindow) -> list[tuple[int, str, str, bool]]:
    return sorted((s.start, s.label, s.origin, s.confirmed) for s in win.session.spans.values())


def test_relabel_once_and_the_other_occurrences_are_suggested_then_accepted(qtbot, window: MainWindow) -> None:
    first, second, third = places(TEXT, "Kyiv")
    click(qtbot, window, first + 1)
    qtbot.keyClick(window.article, "g")  # GPE
    assert shown(window) == [(first, "GPE", "human", True), (second, "GPE", ORIGIN_LEARNED, False),
                             (third, "GPE", ORIGIN_LEARNED, False)]
    assert window.status.message.text() == "Relabelled PERSON → GPE 'Kyiv' (+2 suggestions from it)"
    assert hover(window, second + 1) == "“Kyiv” — GPE (suggested from your own decision on this string — not yet reviewed)"

    click(qtbot, window, second + 1)
    qtbot.keyClick(window.article, Qt.Key.Key_Return)  # accepted with the usual key
    assert (second, "GPE", ORIGIN_LEARNED, True) in shown(window)

    qtbot.keyClick(window.article, Qt.Key.Key_PageDown, Qt.KeyboardModifier.ControlModifier)  # the next article
    assert window.session.text == NEXT
    assert shown(window) == [(NEXT.index("Kyiv"), "GPE", ORIGIN_LEARNED, False)]


def test_turned_off_in_the_model_menu_the_model_keeps_its_suggestions(qtbot, window: MainWindow) -> None:
    window.learning.toggle.trigger()
    assert not window.learning.toggle.isChecked() and window.store.setting("learning") == "off"
    first, second, _ = places(TEXT, "Kyiv")
    click(qtbot, window, first + 1)
    qtbot.keyClick(window.article, "g")
    assert (second, "PERSON", "model", False) in shown(window)


def test_deleting_a_suggestion_removes_it_everywhere_but_what_the_person_confirmed(qtbot, window: MainWindow) -> None:
    first, second, _ = places(TEXT, "Kyiv")
    click(qtbot, window, second + 1)
    qtbot.keyClick(window.article, Qt.Key.Key_Return)  # the person confirms the second one as it is
    click(qtbot, window, first + 1)
    qtbot.keyClick(window.article, Qt.Key.Key_Delete)
    assert shown(window) == [(second, "PERSON", "model", True)]  # theirs stays; the third is gone
    assert window.status.message.text() == "Removed PERSON 'Kyiv' (+1 suggestion from it)"
