"""The first window of a process: what it asks of PySide before it is shown.

PySide builds a Qt class's Python enum classes the first time Python meets that class; handed a
widget Qt made, it looks at every widget class to find which it is. On the window's first opening
that was 54 enum classes (50-100 ms of the window's thread). Counted in a fresh process (this
one has met every class already), never timed.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QPalette, QTextCursor

from annotator.domain import Label, NewDocument
from annotator.storage import Store

ROOT = Path(__file__).resolve().parent.parent
FIRST_WINDOW = """
import json, os, sys
os.environ["QT_QPA_PLATFORM"] = "offscreen"
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication
from annotator.qt.main_window import MainWindow
from annotator.storage import Store

built = []
def profile(frame, event, arg):
    if event == "call" and frame.f_code.co_name == "_create_" and frame.f_code.co_filename.endswith("enum.py"):
        built.append(frame.f_locals.get("class_name"))

app = QApplication([])
store = Store(sys.argv[1], annotator="tester")
sys.setprofile(profile)
win = MainWindow(store, QSettings(sys.argv[2], QSettings.Format.IniFormat), detect_on_open=False)
win.show()
app.processEvents()
sys.setprofile(None)
print(json.dumps({"enums": built, "title": win.windowTitle(), "text": win.article.text}))
win.close()
store.close()
"""


def test_the_first_window_of_a_process_builds_few_of_pysides_enum_classes(tmp_path: Path) -> None:
    with Store(tmp_path / "p.db", annotator="tester") as store:
        store.add_documents([NewDocument("Kharkiv was quiet on Tuesday.")])
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}
    run = subprocess.run([sys.executable, "-c", FIRST_WINDOW, str(tmp_path / "p.db"), str(tmp_path / "s.ini")],
                         capture_output=True, text=True, env=env, timeout=120, check=True)
    shown = json.loads(run.stdout.strip().splitlines()[-1])
    assert shown["text"] == "Kharkiv was quiet on Tuesday." and "p.db" in shown["title"]
    assert len(shown["enums"]) <= 20, shown["enums"]  # was 54: every widget class's and QStyle's
    assert "WizardButton" not in shown["enums"] and "PixelMetric" not in shown["enums"]


@pytest.fixture
def project(db_path: Path) -> Path:
    with Store(db_path, annotator="tester") as store:
        store.add_documents([NewDocument("Kharkiv was quiet on Tuesday.")])
    return db_path


def point_before(view, offset: int) -> QPoint:  # type: ignore[no-untyped-def]
    cursor = QTextCursor(view.document())
    cursor.setPosition(view.offsets.to_qt(offset))
    return view.cursorRect(cursor).center()


def test_the_articles_text_area_shows_an_i_beam_and_the_text_background_and_selects_by_mouse(qtbot, window) -> None:
    """The article's viewport is made by the window (not Qt's own): it looks and answers as before."""
    view = window.article
    area = view.viewport()
    assert area.cursor().shape() == Qt.CursorShape.IBeamCursor
    image = area.grab().toImage()
    assert image.pixelColor(area.width() - 3, area.height() - 3) == view.palette().color(QPalette.ColorRole.Base)
    start, end = point_before(view, 0), point_before(view, 7)
    qtbot.mousePress(area, Qt.MouseButton.LeftButton, pos=start)
    qtbot.mouseMove(area, end)
    qtbot.mouseRelease(area, Qt.MouseButton.LeftButton, pos=end)
    assert view.textCursor().selectedText() == view.text[:7]


def test_the_label_filter_is_as_wide_whatever_the_projects_label_names_and_lists_them_all(
        qtbot, make_window, tmp_path: Path) -> None:
    """Sized to its names, the filter measured each of them as the window first showed (2,000
    labels: 25-30 ms) and grew with the longest; it is as wide for any names, and lists them all."""
    widths = []
    for name, labels in (("short", ["PER"]), ("long", [f"FINE_GRAINED_TYPE_{i:04d}_OF_A_LONG_SCHEME" for i in range(300)])):
        with Store(tmp_path / f"{name}.db", annotator="tester") as store:
            store.add_documents([NewDocument("Kharkiv was quiet.")])
            for label in labels:
                store.add_label(Label(label))
        win = make_window(Store(tmp_path / f"{name}.db", annotator="tester"))
        box = win.documents.label_filter
        widths.append(box.width())
        assert set(labels) <= {box.itemText(i) for i in range(box.count())}
        box.setCurrentText(labels[-1])
        assert box.currentText() == labels[-1]
        win.close()
        win.store.close()
    assert widths[0] == widths[1]
