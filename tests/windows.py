"""The real window opened on a project with its own settings file, what Qt repaints, and a person
reading a message box: shared by the window tests."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, QPoint, QRect, QSettings, Qt
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QAbstractItemView, QApplication, QMessageBox, QWidget

from annotator.qt.main_window import MainWindow
from annotator.storage import Store


def open_window(qtbot, db: Path, ini: Path, annotator: str = "tester") -> tuple[MainWindow, Store]:
    """The window on ``db``, as a person whose settings are in ``ini`` opens it, active and ready for keys."""
    store = Store(db, annotator=annotator)
    win = MainWindow(store, QSettings(str(ini), QSettings.Format.IniFormat), detect_on_open=False)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win, timeout=30_000)
    with qtbot.waitActive(win, timeout=30_000):  # its shortcuts work once it is the active window
        win.activateWindow()
    win.article.setFocus()
    return win, store


@contextmanager
def paints(widget: QWidget) -> Iterator[list[QRect]]:
    """The rectangles Qt repaints in ``widget`` while the block runs."""
    painted: list[QRect] = []

    class Spy(QObject):
        def eventFilter(self, obj, event):  # Qt's name
            if event.type() == QEvent.Type.Paint:
                painted.extend(event.region())
            return False

    spy = Spy()
    widget.installEventFilter(spy)
    try:
        yield painted
    finally:
        widget.removeEventFilter(spy)


def read_and_close(said: list[str]) -> Callable[[], None]:
    """A person reading the message box on top and closing it (its text goes into ``said``)."""
    def read() -> None:
        box = QApplication.activeModalWidget()
        if isinstance(box, QMessageBox):
            said.append(box.text())
            box.done(QMessageBox.StandardButton.Ok)

    return read


def settle(passes: int = 100) -> None:
    """Deliver what Qt has posted, and what that posts in turn (new labels grow the label bar, which
    lays the window out again, which repaints the article), until a pass delivers nothing: what
    follows starts from a window at rest, however slow the machine (a short wait may end midway)."""
    delivered: list[QEvent.Type] = []

    class Spy(QObject):
        def eventFilter(self, obj, event):
            delivered.append(event.type())
            return False

    spy = Spy()
    app = QApplication.instance()
    app.installEventFilter(spy)
    try:
        for _ in range(passes):
            delivered.clear()
            QApplication.sendPostedEvents()  # those posted meanwhile wait for the next pass
            if not delivered:
                return
    finally:
        app.removeEventFilter(spy)
    raise AssertionError(f"Qt was still busy after {passes} passes: {delivered[:10]}")


def listed(listing: QAbstractItemView) -> list[str]:
    """The rows a list shows, as read."""
    model = listing.model()
    return [model.index(row, 0).data() for row in range(model.rowCount())]


def click_listed(qtbot, listing: QAbstractItemView, row: int) -> None:
    """A person clicking a row of a list."""
    rect = listing.visualRect(listing.model().index(row, 0))
    qtbot.mouseClick(listing.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def point_of(win: MainWindow, offset: int) -> QPoint:
    """Where on screen the character at a Python offset is (its left half)."""
    cursor = QTextCursor(win.article.document())
    cursor.setPosition(win.article.offsets.to_qt(offset))
    rect = win.article.cursorRect(cursor)
    return QPoint(rect.left() + 2, rect.center().y())


def click(qtbot, win: MainWindow, offset: int) -> None:
    """A person clicking the character at a Python offset of the open article."""
    qtbot.mouseClick(win.article.viewport(), Qt.MouseButton.LeftButton, pos=point_of(win, offset))
