"""How long from a key press to the edit drawn and committed? Prints p50/p99 beside the bare floor.

Two cases, each in the real window (offscreen, keys sent as a person sends them) and, in the same
run, in the bare libraries:

- a 5,000-word article with 300 spans: a label key on a selected word, a label key relabelling
  the selected span, and Ctrl+Z (undoing the relabel); then a document label toggled (Shift + its
  key), a relation added (Tab from a selected span, then the relation's key) and removed (Delete
  in the links list), each beside the bare INSERT + COMMIT + redraw of a label key;
- the last article of a project of 100,000 detected articles (``bench/bigdata.py`` builds it, ~22
  million span rows, and keeps it for later runs): first paint of the window, then label keys.
  The labels made there are undone at the end, so the project's spans are left as they were.

Each press is timed from the key press to the repainted article, with the edit committed. The
floor is a bare PySide6 QPlainTextEdit whose key press does one INSERT (or UPDATE) + COMMIT
into the same kind of table with the same pragmas and redraws every span as an extra selection;
its first paint is one connection, one SELECT of the text and its spans, and one shown widget.

    python bench/window_edit.py [--words 5000] [--spans 300] [--presses 200] [--docs 100000] [--cache DIR]
"""

from __future__ import annotations

import argparse
import os
import random
import sqlite3
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from bigdata import ANNOTATOR, project_with_predictions
from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QColor, QKeyEvent, QTextCharFormat, QTextCursor
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QPlainTextEdit, QTextEdit
from window_switch import long_article, spans_for

from annotator.categories import CategoryLabel
from annotator.domain import NewDocument
from annotator.qt.last_document import SETTING as LAST_DOCUMENT
from annotator.qt.main_window import MainWindow
from annotator.storage import Store

Times = dict[str, list[float]]
INSERT = ("INSERT INTO annotations (doc_id, layer, start, [end], label, text, origin, confirmed, annotator, created, "
          "updated) VALUES (?, 'entities', ?, ?, 'PERSON', ?, 'human', 1, 'floor', '', '')")


def percentiles(timings: list[float]) -> tuple[float, float]:
    ordered = sorted(timings)
    return statistics.median(ordered), ordered[min(len(ordered) - 1, round(0.99 * (len(ordered) - 1)))]


def timed(app: QApplication, press: Callable[[], None]) -> float:
    """Milliseconds from a key press to its events processed, the repaint it asked for included
    (each side repaints what it chooses: the window only the lines that changed)."""
    started = time.perf_counter()
    press()
    app.processEvents()
    return (time.perf_counter() - started) * 1000


def free_words(text: str, taken: list[tuple[int, int]], count: int) -> list[tuple[int, int]]:
    """Words of the text that no span covers, spread over the article (fewer if it has fewer)."""
    covered = bytearray(len(text))
    for start, end in taken:
        covered[start:end] = b"\1" * (end - start)
    words, at = [], 0
    for word in text.split(" "):
        start, end = at, at + len(word)
        at = end + 1
        if word.isalpha() and not any(covered[start:end]):
            words.append((start, end))
    return random.Random(5).sample(words, min(count, len(words)))


def select(widget: QPlainTextEdit, start: int, end: int) -> None:
    """Select as a person does before the key press: the selection is drawn before the timing starts."""
    cursor = QTextCursor(widget.document())
    cursor.setPosition(start)
    cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
    widget.setTextCursor(cursor)
    QApplication.processEvents()


def ctrl_z(widget: QPlainTextEdit) -> None:
    QTest.keyClick(widget, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)


# -- the bare libraries ---------------------------------------------------------------------------


class Floor(QPlainTextEdit):
    """A key press writes one row, commits, and redraws every span."""

    def __init__(self, db: sqlite3.Connection, doc_id: int, text: str, spans: list[tuple[int, int]]) -> None:
        super().__init__()
        self.setReadOnly(True)
        self.setPlainText(text)
        self.db, self.doc_id, self.text = db, doc_id, text
        self.spans = list(spans)
        self.last: int | None = None
        self.redraw()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        cursor = self.textCursor()
        if event.key() == Qt.Key.Key_Z:  # undo the relabel
            self.db.execute("UPDATE annotations SET label = 'PERSON' WHERE id = ?", [self.last])
        elif cursor.hasSelection():
            start, end = cursor.selectionStart(), cursor.selectionEnd()
            self.last = self.db.execute(INSERT, [self.doc_id, start, end, self.text[start:end]]).lastrowid
            self.spans.append((start, end))
        else:
            self.db.execute("UPDATE annotations SET label = 'GPE' WHERE id = ?", [self.last])
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


def floor_open(app: QApplication, path: Path, doc_id: int) -> tuple[Floor, float]:
    """The bare first paint: connect, read the text and spans of one document, show them."""
    started = time.perf_counter()
    db = sqlite3.connect(path)
    db.execute("PRAGMA synchronous = NORMAL")
    text = db.execute("SELECT text FROM documents WHERE id = ?", [doc_id]).fetchone()[0]
    spans = db.execute("SELECT start, [end] FROM annotations WHERE doc_id = ?", [doc_id]).fetchall()
    widget = Floor(db, doc_id, text, spans)
    widget.resize(1400, 900)
    widget.show()
    widget.setFocus()
    app.processEvents()
    return widget, (time.perf_counter() - started) * 1000


def floor_presses(app: QApplication, widget: Floor, words: list[tuple[int, int]], relabel: bool) -> Times:
    times: Times = {"label": [], "relabel": [], "undo": []}
    for start, end in words:
        select(widget, start, end)
        times["label"].append(timed(app, lambda: QTest.keyClick(widget, "p")))
        if relabel:
            widget.setTextCursor(QTextCursor(widget.document()))
            times["relabel"].append(timed(app, lambda: QTest.keyClick(widget, "g")))
            times["undo"].append(timed(app, lambda: ctrl_z(widget)))
    widget.db.execute("DELETE FROM annotations WHERE annotator = 'floor'")
    widget.db.execute("DELETE FROM span_counts WHERE annotator = 'floor'")  # its raw inserts were not counted
    widget.db.commit()
    widget.db.close()
    widget.close()
    return times


# -- the window -----------------------------------------------------------------------------------


def window_open(app: QApplication, path: Path, doc_id: int, settings: Path) -> tuple[MainWindow, float]:
    """The window's first paint, from opening the project to the article drawn with its spans."""
    with Store(path, annotator=ANNOTATOR) as store:  # as a person who comes back to their article
        store.set_setting(LAST_DOCUMENT, str(doc_id))
    started = time.perf_counter()
    store = Store(path, annotator=ANNOTATOR)
    window = MainWindow(store, QSettings(str(settings), QSettings.Format.IniFormat), detect_on_open=False)
    window.resize(1400, 900)
    window.show()
    window.activateWindow()
    window.article.setFocus()
    app.processEvents()
    return window, (time.perf_counter() - started) * 1000


def window_presses(app: QApplication, window: MainWindow, words: list[tuple[int, int]], relabel: bool) -> Times:
    article, store = window.article, window.store
    times: Times = {"label": [], "relabel": [], "undo": []}
    for start, end in words:
        select(article, article.offsets.to_qt(start), article.offsets.to_qt(end))
        times["label"].append(timed(app, lambda: QTest.keyClick(article, "p")))
        if relabel:
            times["relabel"].append(timed(app, lambda: QTest.keyClick(article, "g")))
            times["undo"].append(timed(app, lambda: ctrl_z(article)))
    stored = store.spans(window.session.doc_id)
    made = [s for s in stored if (s.start, s.end) in set(words)]
    if len(stored) != len(article.spans) or len(made) != len(words) or any(s.label != "PERSON" for s in made):
        raise SystemExit("the window's edits did not all reach the store as shown")
    return times


def window_link_presses(app: QApplication, window: MainWindow, count: int) -> Times:
    """Document labels toggled, links made and removed: the state is as before when done."""
    article, store = window.article, window.store
    times: Times = {"toggle": [], "link": [], "unlink": []}
    for _ in range(count - count % 2):  # on, off, ...
        times["toggle"].append(timed(app, lambda: QTest.keyClick(article, Qt.Key.Key_V, Qt.KeyboardModifier.ShiftModifier)))
    spans = sorted(window.session.spans.values(), key=lambda s: (s.start, s.end))
    for head in spans[:count]:
        window.session.select(head)
        article.setFocus()
        QTest.keyClick(article, Qt.Key.Key_Tab)  # link from it to the next span: drawn before the timing starts
        app.processEvents()
        times["link"].append(timed(app, lambda: QTest.keyClick(article, "c")))
    QTest.keyClick(article, Qt.Key.Key_F6)  # the links list
    listed = window.relations.list
    for _ in range(len(times["link"])):
        listed.setCurrentRow(0)
        app.processEvents()
        times["unlink"].append(timed(app, lambda: QTest.keyClick(listed, Qt.Key.Key_Delete)))
    if store.relations.of(window.session.doc_id) or store.categories.of(window.session.doc_id) or len(times["link"]) != count:
        raise SystemExit("the window's document labels and links did not all reach the store as shown")
    return times


def close(window: MainWindow, undo: int = 0) -> None:
    store = window.store
    for _ in range(undo):
        store.undo()
    window.close()
    store.close()


# -- the two cases --------------------------------------------------------------------------------


def long_article_case(app: QApplication, folder: Path, words: int, spans: int, presses: int) -> tuple[str, Times, Times]:
    text = long_article(random.Random(3), words)
    path = folder / "article.db"
    with Store(path, annotator=ANNOTATOR) as store:
        [doc_id] = store.add_documents([NewDocument(text)]).added
        store.save_predictions(doc_id, spans_for(text, spans), "bench", "1")
        store.start_layer(doc_id)
        # Its words repeat: labelling one would suggest it everywhere (measured by bench/learning_edit.py).
        store.set_setting("learning", "off")
        store.categories.add_label(CategoryLabel("relevant", key="v"))
    taken = [(s.start, s.end) for s in spans_for(text, spans)]
    chosen = free_words(text, taken, presses)
    window, _ = window_open(app, path, doc_id, folder / "s.ini")
    shown = len(window.article.spans)
    linked = window_link_presses(app, window, min(presses, shown - 1))
    mine = window_presses(app, window, chosen, relabel=True) | linked
    close(window, undo=len(chosen))  # the floor starts from the same 300 spans
    # (The floor takes stored offsets for Qt positions: after an emoji its spans sit a little off,
    # which costs the same to draw.)
    floor, _ = floor_open(app, path, doc_id)
    bare = floor_presses(app, floor, chosen, relabel=True)
    return f"{len(text.split()):,}-word article, {shown} spans drawn", mine, bare


def big_project_case(app: QApplication, folder: Path, docs: int, presses: int,
                     cache: Path | None) -> tuple[str, Times, Times]:
    path = project_with_predictions(docs, cache)
    with sqlite3.connect(path) as db:
        doc_id, text = db.execute("SELECT id, text FROM documents ORDER BY id DESC LIMIT 1").fetchone()
        taken = db.execute("SELECT start, [end] FROM annotations WHERE doc_id = ?", [doc_id]).fetchall()
    chosen = free_words(text, taken, presses)
    floor_open(app, path, doc_id)[0].close()  # the first reads of the file (from disk) go to neither side
    floor, floor_paint = floor_open(app, path, doc_id)
    bare = floor_presses(app, floor, chosen, relabel=False)
    bare["first paint"] = [floor_paint]
    window, paint = window_open(app, path, doc_id, folder / "big.ini")
    mine = window_presses(app, window, chosen, relabel=False)
    mine["first paint"] = [paint]
    close(window, undo=len(chosen))
    return f"last of {docs:,} detected articles, {len(taken)} spans drawn", mine, bare


def report(title: str, mine: Times, bare: Times) -> None:
    print(title)
    print(f"  {'key press -> drawn + committed':30} {'window p50/p99':>18} {'floor p50/p99':>18} {'ratio p99':>10}")
    for kind in ("label", "relabel", "undo", "toggle", "link", "unlink"):
        if mine.get(kind):  # a document label or a link beside the floor's label key: one row written, committed, drawn
            (w50, w99), (f50, f99) = percentiles(mine[kind]), percentiles(bare[kind if kind in bare else "label"])
            print(f"  {kind + f' ({len(mine[kind])} presses)':30} {w50:8.1f} /{w99:6.1f} ms {f50:8.1f} /{f99:6.1f} ms"
                  f" {w99 / f99:9.2f}x")
    if "first paint" in mine:
        w, f = mine["first paint"][0], bare["first paint"][0]
        print(f"  {'first paint':30} {w:17.0f} ms {f:17.0f} ms {w / f:9.2f}x")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--words", type=int, default=5000)
    parser.add_argument("--spans", type=int, default=300)
    parser.add_argument("--presses", type=int, default=200)
    parser.add_argument("--docs", type=int, default=100_000, help="articles in the big project (0: skip it)")
    parser.add_argument("--cache", type=Path, help="folder where the big project is kept (default: bigdata's)")
    args = parser.parse_args()
    app = QApplication.instance() or QApplication([])
    with tempfile.TemporaryDirectory() as folder:
        report(*long_article_case(app, Path(folder), args.words, args.spans, args.presses))
        if args.docs:
            report(*big_project_case(app, Path(folder), args.docs, min(args.presses, 40), args.cache))


if __name__ == "__main__":
    main()
