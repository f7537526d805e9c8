"""The window half of ``annotator --self-test``: render it offscreen, make one edit as a user would.

The edit goes through real input events (a double-click selects a word in the article, a key
press labels it), so it exercises the same path as a person at the keyboard.
"""

from __future__ import annotations

import os
import re
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import PySide6
from PySide6.QtCore import QMessageLogContext, QPoint, QSettings, Qt, QThreadPool, QtMsgType, qInstallMessageHandler, qVersion
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget

from annotator.domain import ENTITIES, Span
from annotator.qt.app import application
from annotator.qt.article_view import ArticleView
from annotator.qt.main_window import MainWindow
from annotator.qt.review_panel import ReviewPanel
from annotator.storage import Store

WORD = re.compile(r"\b[A-Za-z]{5,}\b")
T = TypeVar("T")
QT_VERSION = qVersion()
PYSIDE_VERSION = PySide6.__version__


@dataclass
class WindowEdit:
    doc_id: int
    span: Span


# The offscreen platform says this each time a window with a size hint is shown: it has no
# window manager to tell. It is no problem of ours, so the self-test's report leaves it out.
OFFSCREEN_NOTICE = "This plugin does not support propagateSizeHints()"


def offscreen_application() -> QApplication:
    """The app as ``annotator`` makes it, drawn offscreen unless a QApplication already runs."""
    if QApplication.instance() is None:
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
        qInstallMessageHandler(_without_offscreen_notice)
    return application()


def _without_offscreen_notice(kind: QtMsgType, context: QMessageLogContext, message: str) -> None:
    if message != OFFSCREEN_NOTICE:
        print(message, file=sys.stderr)


def render_window(store: Store, settings_file: Path) -> tuple[MainWindow, str]:
    """Show the window; its settings (geometry, last document) go to ``settings_file``, not the user's."""
    app = offscreen_application()
    icon = app.windowIcon()
    if icon.isNull():
        raise FileNotFoundError("the application icon did not load")
    window = MainWindow(store, settings=QSettings(str(settings_file), QSettings.Format.IniFormat))
    window.show()
    if not QTest.qWaitForWindowExposed(window):
        raise RuntimeError("the window was never shown")
    app.processEvents()
    image = window.grab().toImage()
    if image.isNull():
        raise RuntimeError("the window could not be drawn")
    step = 7
    colours = {image.pixel(x, y) for x in range(0, image.width(), step) for y in range(0, image.height(), step)}
    if len(colours) < 8:
        raise RuntimeError(f"the drawn window is nearly blank ({len(colours)} colours)")
    doc_id, _ = shown_article(window)
    title = store.document(doc_id).title
    return window, (f"{image.width()}x{image.height()} px, {len(colours)} colours, "
                    f"showing {title[:40] + '…' if len(title) > 40 else title!r}, window icon set")


def shown_article(window: MainWindow) -> tuple[int, ArticleView]:
    """The document the window shows, checked against the text on screen, and its view."""
    view = window.article
    if window.session.doc_id is None or not view.isVisible():
        raise RuntimeError("the window shows no article")
    on_screen = view.document().toRawText().replace("\u2029", "\n")  # Qt's paragraph separator
    if on_screen != window.store.document(window.session.doc_id).text:
        raise RuntimeError(f"the article view does not show the text of document {window.session.doc_id}")
    return window.session.doc_id, view


def unlabelled_word(text: str, spans: Sequence[Span]) -> tuple[int, int]:
    """The first plain word (letters only) that no entity covers."""
    for match in WORD.finditer(text):
        if not any(s.start < match.end() and match.start() < s.end for s in spans):
            return match.start(), match.end()
    raise RuntimeError("the article has no unlabelled word to label")


def label_a_word(window: MainWindow, label_name: str) -> tuple[WindowEdit, str]:
    store = window.store
    label = store.label(label_name)
    if label is None or not label.key:
        raise RuntimeError(f"the project has no label {label_name} with a key")
    doc_id, view = shown_article(window)
    text = store.document(doc_id).text
    start, end = unlabelled_word(text, store.spans(doc_id, layer=ENTITIES))
    word = text[start:end]

    cursor = view.textCursor()
    cursor.setPosition(view.offsets.to_qt((start + end) // 2))
    view.setTextCursor(cursor)  # scrolls the word into view; the selection is made by the mouse
    view.ensureCursorVisible()
    middle: QPoint = view.cursorRect().center()
    QTest.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, middle)
    if view.selected_range() != (start, end):
        raise RuntimeError(f"double-clicking {word!r} selected {view.textCursor().selectedText()!r}")
    QTest.keyClicks(view, label.key)  # the label key, typed as a person types it
    QApplication.processEvents()

    saved = [s for s in store.spans(doc_id, layer=label.layer)
             if (s.start, s.end, s.label, s.origin) == (start, end, label.name, "human")]
    if not saved:
        raise RuntimeError(f"pressing {label.key!r} on {word!r} stored no {label.name} span")
    return WindowEdit(doc_id, saved[0]), (f"double-clicked {word!r} ({start}:{end}), pressed {label.key!r}: "
                                          f"{label.name} span saved")


def open_review(window: MainWindow) -> tuple[None, str]:
    """Ctrl+Enter marks the edited article done, so that there is something to score; then Ctrl+R
    opens the Review panel, whose chart matplotlib draws in a worker from the figures of another."""
    QTest.keyClick(window.article, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    QTest.keyClick(window.article, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)
    panel = wait_until(lambda: window.findChild(ReviewPanel), "Ctrl+R opened no Review panel")
    wait_until(lambda: not panel.chart.image.isNull(), "the Review panel drew no chart")
    bars = 3 * len(panel.charted)  # precision, recall and F1 a group
    if not panel.isVisible() or not bars:
        raise RuntimeError(f"the Review panel is {'shown' if panel.isVisible() else 'hidden'} with {bars} bars")
    return None, f"Ctrl+R opened it, chart drawn with {bars} bars; {panel.summary.text().splitlines()[0]}"


def wait_until(found: Callable[[], T | None], failure: str, seconds: float = 60) -> T:
    """Let Qt run (workers report back through events) until ``found()`` gives something."""
    deadline = time.monotonic() + seconds
    while not (result := found()):
        if time.monotonic() > deadline:
            raise TimeoutError(f"{failure} within {seconds:.0f} s")
        QTest.qWait(20)
    return result


def close_window(window: QWidget) -> None:
    """Close the window and let any background work it started finish before the exit."""
    window.close()
    window.deleteLater()
    QThreadPool.globalInstance().waitForDone(30_000)
    QApplication.processEvents()
