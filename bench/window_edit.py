"""How long from a key press to the edit drawn and committed? Prints p50/p99 beside the bare floor.

On a 5,000-word article with 300 spans, times in the real window (offscreen, keys sent as a
person sends them): a label key on a selected word, a label key relabelling the selected span,
and Ctrl+Z. Each is timed from the key press to the repainted article, with the edit committed.
The floor, measured in the same run, is a bare PySide6 QPlainTextEdit whose key press does one
INSERT (or UPDATE) + COMMIT with the same pragmas and redraws 300 extra selections.

    python bench/window_edit.py [--words 5000] [--spans 300] [--presses 200]
"""

from __future__ import annotations

import argparse
import os
import random
import sqlite3
import statistics
import tempfile
import time
from pathlib import Path
from typing import Callable

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QSettings, Qt  # noqa: E402
from PySide6.QtGui import QColor, QKeyEvent, QTextCharFormat, QTextCursor  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402
from PySide6.QtWidgets import QApplication, QPlainTextEdit, QTextEdit  # noqa: E402
from window_switch import long_article, spans_for  # noqa: E402

from annotator.domain import NewDocument  # noqa: E402
from annotator.qt.main_window import MainWindow  # noqa: E402
from annotator.storage import Store  # noqa: E402


def percentiles(timings: list[float]) -> tuple[float, float]:
    ordered = sorted(timings)
    return statistics.median(ordered), ordered[min(len(ordered) - 1, round(0.99 * (len(ordered) - 1)))]


def timed(app: QApplication, widget: QPlainTextEdit, press: Callable[[], None]) -> float:
    """Milliseconds from a key press to the article repainted (events of the press processed)."""
    started = time.perf_counter()
    press()
    widget.viewport().repaint()
    app.processEvents()
    return (time.perf_counter() - started) * 1000


def free_words(text: str, taken: list[tuple[int, int]], count: int) -> list[tuple[int, int]]:
    """Words of the text that no span covers, spread over the article."""
    words, at = [], 0
    for word in text.split(" "):
        start, end = at, at + len(word)
        at = end + 1
        if word.isalpha() and not any(s < end and start < e for s, e in taken):
            words.append((start, end))
    return random.Random(5).sample(words, count)


class Floor(QPlainTextEdit):
    """The bare libraries: a key press writes one row, commits, and redraws every span."""

    def __init__(self, text: str, spans: list[tuple[int, int]], db: sqlite3.Connection) -> None:
        super().__init__()
        self.setReadOnly(True)
        self.setPlainText(text)
        self.spans = list(spans)
        self.db = db
        self.last: int | None = None

    def keyPressEvent(self, event: QKeyEvent) -> None:
        cursor = self.textCursor()
        if event.key() == Qt.Key.Key_Z:  # undo the relabel
            self.db.execute("UPDATE spans SET label = 'PERSON' WHERE id = ?", [self.last])
        elif cursor.hasSelection():
            start, end = cursor.selectionStart(), cursor.selectionEnd()
            self.last = self.db.execute("INSERT INTO spans (start, end, label) VALUES (?, ?, 'PERSON')",
                                        [start, end]).lastrowid
            self.spans.append((start, end))
        else:
            self.db.execute("UPDATE spans SET label = 'GPE' WHERE id = ?", [self.last])
        self.db.commit()
        self.redraw()

    def redraw(self) -> None:
        selections = []
        for start, end in self.spans:
            selection = QTextEdit.ExtraSelection()
            cursor = QTextCursor(self.document())
            cursor.setPosition(start)
            cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
            selection.cursor = cursor
            fmt = QTextCharFormat()
            fmt.setBackground(QColor("#f59e0b"))
            selection.format = fmt
            selections.append(selection)
        self.setExtraSelections(selections)


def select(widget: QPlainTextEdit, start: int, end: int) -> None:
    cursor = QTextCursor(widget.document())
    cursor.setPosition(start)
    cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
    widget.setTextCursor(cursor)


def run_window(app: QApplication, folder: Path, text: str, spans: int, presses: int) -> dict[str, list[float]]:
    store = Store(folder / "bench.db", annotator="bench")
    [doc_id] = store.add_documents([NewDocument(text)]).added
    store.save_predictions(doc_id, spans_for(text, spans), "bench", "1")
    window = MainWindow(store, QSettings(str(folder / "s.ini"), QSettings.Format.IniFormat), detect_on_open=False)
    window.resize(1400, 900)
    window.show()
    window.activateWindow()
    window.article.setFocus()
    app.processEvents()
    article = window.article
    words = free_words(text, [(s.start, s.end) for s in article.spans], presses)
    times: dict[str, list[float]] = {"label": [], "relabel": [], "undo": []}
    for start, end in words:
        select(article, article.offsets.to_qt(start), article.offsets.to_qt(end))
        times["label"].append(timed(app, article, lambda: QTest.keyClick(article, "p")))
        times["relabel"].append(timed(app, article, lambda: QTest.keyClick(article, "g")))
        times["undo"].append(timed(app, article, lambda: QTest.keyClick(article, Qt.Key.Key_Z,
                                                                        Qt.KeyboardModifier.ControlModifier)))
    stored = len(store.spans(doc_id))
    if stored != len(article.spans) or any(s.label == "GPE" and (s.start, s.end) in words for s in article.spans):
        raise SystemExit("the window's edits did not all reach the store")
    times["spans shown"] = [float(len(article.spans))]
    window.close()
    store.close()
    return times


def run_floor(app: QApplication, folder: Path, text: str, spans: int, presses: int) -> dict[str, list[float]]:
    db = sqlite3.connect(folder / "floor.db")
    db.execute("PRAGMA journal_mode = WAL")
    db.execute("PRAGMA synchronous = NORMAL")
    db.execute("CREATE TABLE spans (id INTEGER PRIMARY KEY, start INTEGER, [end] INTEGER, label TEXT)")
    existing = [(s.start, s.end) for s in spans_for(text, spans)]
    widget = Floor(text.replace("😀", "x"), existing, db)  # one position per character: no mapping needed
    widget.resize(1400, 900)
    widget.show()
    widget.setFocus()
    widget.redraw()
    app.processEvents()
    times: dict[str, list[float]] = {"label": [], "relabel": [], "undo": []}
    for start, end in free_words(text, existing, presses):
        select(widget, start, end)
        times["label"].append(timed(app, widget, lambda: QTest.keyClick(widget, "p")))
        widget.setTextCursor(QTextCursor(widget.document()))
        times["relabel"].append(timed(app, widget, lambda: QTest.keyClick(widget, "g")))
        times["undo"].append(timed(app, widget, lambda: QTest.keyClick(widget, Qt.Key.Key_Z,
                                                                       Qt.KeyboardModifier.ControlModifier)))
    widget.close()
    db.close()
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--words", type=int, default=5000)
    parser.add_argument("--spans", type=int, default=300)
    parser.add_argument("--presses", type=int, default=200)
    args = parser.parse_args()
    app = QApplication.instance() or QApplication([])
    text = long_article(random.Random(3), args.words)
    with tempfile.TemporaryDirectory() as folder:
        floor = run_floor(app, Path(folder), text, args.spans, args.presses)
        window = run_window(app, Path(folder), text, args.spans, args.presses)
    print(f"article: {len(text.split()):,} words, {window['spans shown'][0]:.0f} spans drawn; "
          f"{args.presses} presses of each kind")
    print(f"{'key press -> drawn + committed':32} {'window p50/p99':>16} {'floor p50/p99':>16} {'ratio p99':>10}")
    for kind in ("label", "relabel", "undo"):
        (w50, w99), (f50, f99) = percentiles(window[kind]), percentiles(floor[kind])
        print(f"{kind:32} {w50:7.1f} /{w99:6.1f} ms {f50:7.1f} /{f99:6.1f} ms {w99 / f99:9.2f}x")


if __name__ == "__main__":
    main()
