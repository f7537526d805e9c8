"""The window half of ``annotator --self-test``: render it offscreen, make one edit as a user would.

The edit goes through real input events (a double-click selects a word in the article, a key
press labels it), so it exercises the same path as a person at the keyboard.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass

from PySide6.QtCore import QPoint, Qt, QThreadPool
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QPlainTextEdit, QTextEdit, QWidget

from annotator.domain import ENTITIES, Span
from annotator.qt.app import application
from annotator.qt.main_window import MainWindow
from annotator.storage import Store

WORD = re.compile(r"\b[A-Za-z]{5,}\b")


@dataclass
class WindowEdit:
    doc_id: int
    span: Span


def utf16(text: str, index: int) -> int:
    """Qt's cursor position for a character offset (Qt counts UTF-16 code units)."""
    return len(text[:index].encode("utf-16-le")) // 2


def offscreen_application() -> QApplication:
    """The app as ``annotator`` makes it, drawn offscreen unless a QApplication already runs."""
    if QApplication.instance() is None:
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    return application()


def render_window(store: Store) -> tuple[MainWindow, str]:
    app = offscreen_application()
    icon = app.windowIcon()
    if icon.isNull():
        raise FileNotFoundError("the application icon did not load")
    window = MainWindow(store)
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


def shown_article(window: MainWindow) -> tuple[int, QPlainTextEdit | QTextEdit]:
    """The document the window shows and the text view showing it."""
    texts = {window.store.document(doc_id).text: doc_id for doc_id in window.store.document_ids()}
    for view in window.findChildren(QWidget):
        if isinstance(view, (QPlainTextEdit, QTextEdit)) and view.isVisible() and view.toPlainText() in texts:
            return texts[view.toPlainText()], view
    raise RuntimeError("no visible view shows an article's text")


def unlabelled_word(text: str, spans: list[Span]) -> tuple[int, int]:
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
    cursor.setPosition(utf16(text, (start + end) // 2))
    view.setTextCursor(cursor)  # scrolls the word into view; the selection is made by the mouse
    view.ensureCursorVisible()
    middle: QPoint = view.cursorRect().center()
    QTest.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, middle)
    selected = view.textCursor().selectedText()
    if selected != word:
        raise RuntimeError(f"double-clicking {word!r} selected {selected!r}")
    QTest.keyClick(view, label.key)
    QApplication.processEvents()

    saved = [s for s in store.spans(doc_id, layer=label.layer)
             if (s.start, s.end, s.label, s.origin) == (start, end, label.name, "human")]
    if not saved:
        raise RuntimeError(f"pressing {label.key!r} on {word!r} stored no {label.name} span")
    return WindowEdit(doc_id, saved[0]), (f"double-clicked {word!r} ({start}:{end}), pressed {label.key!r}: "
                                          f"{label.name} span saved")


def close_window(window: QWidget) -> None:
    """Close the window and let any background work it started finish before the exit."""
    window.close()
    window.deleteLater()
    QThreadPool.globalInstance().waitForDone(30_000)
    QApplication.processEvents()
