"""The status bar as a person reads it: a long message is cut with "…" (all of it in its tooltip)
rather than cut off or pushing the saved mark away; what it says fits the project open now."""

from __future__ import annotations

from pathlib import Path

import pytest
from locks import lock_held, made_read_only
from PySide6.QtCore import QEvent, QPoint, Qt
from PySide6.QtGui import QHelpEvent
from PySide6.QtWidgets import QApplication, QToolTip
from test_window import select

from annotator.domain import NewDocument
from annotator.qt.main_window import MainWindow
from annotator.storage import Store

TEXT = "Officials in Kyiv said 38,000 soldiers were sent to the front."


@pytest.fixture
def project(tmp_path: Path) -> Path:
    path = tmp_path / "ukraine-war-coverage-2025-second-team-shared-copy.db"  # a long name, as they are
    with Store(path, annotator="tester") as store:
        store.add_documents([NewDocument(TEXT)])
    return path


def test_a_long_message_is_cut_with_an_ellipsis_and_the_saved_mark_stays_whole(qtbot, window: MainWindow,
                                                                                 project: Path) -> None:
    window.resize(1280, 800)
    qtbot.waitUntil(lambda: window.width() == 1280)
    with lock_held(project):
        select(qtbot, window, TEXT.index("Kyiv"), TEXT.index("Kyiv") + 4)
        qtbot.keyClick(window.article, "g")
        message = window.status.message
        assert "is busy" in message.text() and "go on working" in message.text()
        labels = (window.status.model_label, window.status.progress_label, window.status.save_label)
        qtbot.waitUntil(lambda: all(label.width() >= label.sizeHint().width() for label in labels),
                        timeout=30_000)  # the status bar laid out again
        shown = message.shown()
        assert shown.endswith("…") and message.text().startswith(shown[:-1])
        assert message.fontMetrics().horizontalAdvance(shown) <= message.contentsRect().width()
        for label in labels:  # whole, beside it
            assert label.isVisible() and label.width() >= label.sizeHint().width(), label.text()
            assert label.geometry().left() >= message.geometry().right()
        assert window.status.save_label.text() == "… 1 edit waiting"
        # Hovering it shows all of it.
        QApplication.sendEvent(message, QHelpEvent(QEvent.Type.ToolTip, QPoint(5, 5), message.mapToGlobal(QPoint(5, 5))))
        assert "go on working" in QToolTip.text()
    qtbot.waitUntil(lambda: window.status.save_label.text().startswith("✓ saved"), timeout=30_000)


def test_opening_a_writable_project_after_a_read_only_one_no_longer_says_read_only(qtbot, make_window,
                                                                                     project: Path,
                                                                                     tmp_path: Path) -> None:
    other = tmp_path / "other.db"
    with Store(other, annotator="tester") as store:
        store.add_documents([NewDocument("Another project's article.")])
    with made_read_only(project):
        store = Store(project, annotator="tester")
        win = make_window(store)
        assert "read-only" in win.status.message.text() and win.status.save_label.text() == "read-only"
        assert ink_on_ground(win.status.message) >= 4.5 and ink_on_ground(win.status.save_label) >= 4.5
        win.switch_project(other)
        assert "read-only" not in win.status.message.text() and "read-only" not in win.windowTitle()
        assert win.status.save_label.text().startswith("✓ saved")
        qtbot.waitUntil(lambda: not win.workers.running, timeout=120_000)  # the model it starts there
        win.close()
        win.store.close()
        store.close()


def ink_on_ground(widget) -> float:
    """The contrast of a label's text on the window behind it, as its style sheet draws it."""
    from PySide6.QtGui import QPalette

    from annotator.labels import contrast

    widget.ensurePolished()
    ink = widget.palette().color(QPalette.ColorRole.WindowText).name()
    ground = widget.window().palette().color(QPalette.ColorRole.Window).name()
    return contrast(ink, ground)


def test_warnings_and_quiet_text_read_at_wcag_aa(qtbot, window: MainWindow, project: Path) -> None:
    with lock_held(project):
        select(qtbot, window, TEXT.index("Kyiv"), TEXT.index("Kyiv") + 4)
        qtbot.keyClick(window.article, "g")
        assert window.status.save_label.text() == "… 1 edit waiting"
        assert ink_on_ground(window.status.message) >= 4.5 and ink_on_ground(window.status.save_label) >= 4.5
    qtbot.waitUntil(lambda: window.status.save_label.text().startswith("✓ saved"), timeout=30_000)
    # A skipped document in the list: grey, yet readable.
    from PySide6.QtGui import QPalette

    from annotator.labels import contrast

    qtbot.keyClick(window.article, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)  # skip it
    index = window.documents.model.index(0, 0)
    assert index.data() == "↷ skipped"
    ink = index.data(Qt.ItemDataRole.ForegroundRole).name()
    assert contrast(ink, window.documents.table.palette().color(QPalette.ColorRole.Base).name()) >= 4.5
    # The Review's note of what it leaves out.
    qtbot.keyClick(window.article, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)
    assert ink_on_ground(window.review.window.panel.left_out) >= 4.5
    qtbot.keyClick(window.review.window, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)


def test_a_read_only_project_does_not_say_its_model_is_loading(qtbot, make_window, project: Path) -> None:
    with made_read_only(project):
        store = Store(project, annotator="tester")
        win = make_window(store, detect_on_open=True)
        assert not win.workers.running and win.status.model_label.text() == "model: not run (read-only)"
        win.close()
        store.close()
