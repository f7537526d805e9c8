"""In the window, resizing a DATE span recomputes the date it means, unless a person typed it."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from windows import click

from annotator.domain import NewDocument, Span
from annotator.qt.main_window import MainWindow
from annotator.storage import Store

TEXT = "Talks resumed in March 2023 after a pause, the ministry said."
MARCH = TEXT.index("March")
ALT = Qt.KeyboardModifier.AltModifier


@pytest.fixture
def project(db_path: Path) -> Path:
    with Store(db_path, annotator="tester") as store:
        store.add_documents([NewDocument(TEXT, meta={"date": "2024-06-05"})])
    return db_path


def label_march(qtbot, win: MainWindow) -> None:
    """Select "March" with Shift+Right and press d (DATE)."""
    click(qtbot, win, MARCH)
    for _ in "March":
        qtbot.keyClick(win.article, Qt.Key.Key_Right, Qt.KeyboardModifier.ShiftModifier)
    qtbot.keyClick(win.article, "d")


def stored(project: Path) -> list[tuple[str, str | None]]:
    with Store(project, annotator="tester") as store:
        return [(s.text, s.resolved) for s in store.spans(store.document_ids()[0])]


def test_widening_a_date_recomputes_what_it_means(qtbot, window: MainWindow, project: Path) -> None:
    label_march(qtbot, window)
    assert stored(project) == [("March", "2024-03")]
    qtbot.keyClick(window.article, Qt.Key.Key_Right, ALT)  # the end one token further
    assert stored(project) == [("March 2023", "2023-03")]
    assert window.status.message.text() == "Now DATE 'March 2023' (2023-03)"
    assert window.numbers.resolved.text() == "2023-03"  # the editor shows it too
    qtbot.keyClick(window.article, Qt.Key.Key_Left, ALT)
    assert stored(project) == [("March", "2024-03")]
    qtbot.keyClick(window.article, "z", Qt.KeyboardModifier.ControlModifier)  # undo gives the old date back
    assert stored(project) == [("March 2023", "2023-03")]


def test_a_models_date_from_an_older_version_is_recomputed_too(qtbot, window: MainWindow, project: Path) -> None:
    """Stored before dates were read in their sentence: still the resolver's, so not the person's."""
    with Store(project, annotator="tester") as store:
        doc = store.document_ids()[0]
        store.save_predictions(doc, [Span.of(TEXT, MARCH, MARCH + 5, "DATE", resolved="2024-03")], "m", "1")
    window.session.open(doc)
    click(qtbot, window, MARCH + 1)
    qtbot.keyClick(window.article, Qt.Key.Key_Right, ALT)
    assert stored(project) == [("March 2023", "2023-03")]


def test_a_date_typed_by_hand_survives_resizing(qtbot, window: MainWindow, project: Path) -> None:
    label_march(qtbot, window)
    window.numbers.resolved.clear()
    qtbot.keyClicks(window.numbers.resolved, "2023-03-15")
    qtbot.keyClick(window.numbers.resolved, Qt.Key.Key_Return)
    assert stored(project) == [("March", "2023-03-15")]
    window.article.setFocus()
    qtbot.keyClick(window.article, Qt.Key.Key_Right, ALT)
    assert stored(project) == [("March 2023", "2023-03-15")]
    assert window.status.message.text() == "Now DATE 'March 2023'"
