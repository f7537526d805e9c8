"""How long does a key press take when the decision it makes is drawn on every other occurrence
of its string at once? Prints p50/p99 with suggestions learning from decisions and without.

A long news article (generated as bench/detect_speed.py's, ~``--words`` words: its ten places,
five people and five organisations each occur dozens of times) with the model's suggestions on
every name, opened in the real window (offscreen). Each press clicks a suggested name and types
a label key that changes its label; with learning on, that relabels it and every other
occurrence of the name in the article (one transaction, drawn before the press is over); then
Ctrl+Z undoes both. Timed from the key press to the repainted article, the edit committed: wall
clock, and the process's CPU time (the steadier figure on a machine shared with other jobs, where
the wall clock's p99 is mostly the time other processes held the cores).

    python bench/learning_edit.py [--words 5000] [--presses 100]
"""

from __future__ import annotations

import argparse
import os
import random
import re
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from detect_speed import PEOPLE, PLACES, article
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QTextCursor
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
from window_edit import ANNOTATOR, ctrl_z, percentiles, timed, window_open

from annotator.domain import NewDocument, Span
from annotator.storage import Store


def project(folder: Path, words: int, learning: bool) -> tuple[Path, int, str]:
    rng = random.Random(4)
    parts = []
    while sum(len(p.split()) for p in parts) < words:
        parts.append(article(rng))
    text = "\n\n".join(parts)
    names = re.compile("|".join(re.escape(n) for n in sorted(PLACES + PEOPLE, key=len, reverse=True)))
    spans = [Span.of(text, m.start(), m.end(), "PERSON") for m in names.finditer(text)]
    path = folder / ("on.db" if learning else "off.db")
    with Store(path, annotator=ANNOTATOR) as store:
        [doc_id] = store.add_documents([NewDocument(text)]).added
        store.save_predictions(doc_id, spans, "bench", "1")
        if not learning:
            store.set_setting("learning", "off")
    return path, doc_id, text


def presses(app: QApplication, folder: Path, words: int, count: int, learning: bool) -> tuple[dict[str, list[float]], int, int]:
    path, doc_id, _ = project(folder, words, learning)
    window, _ = window_open(app, path, doc_id, folder / "s.ini")
    article_view = window.article
    shown = len(article_view.spans)
    times: dict[str, list[float]] = {"relabel": [], "undo": [], "relabel CPU": [], "undo CPU": []}
    starts = sorted(s.start for s in window.session.spans.values())
    rng = random.Random(9)
    most = 0
    for _ in range(count):
        start = rng.choice(starts)
        cursor = QTextCursor(article_view.document())
        cursor.setPosition(article_view.offsets.to_qt(start + 1))
        rect = article_view.cursorRect(cursor)
        article_view.ensureCursorVisible()
        article_view.setTextCursor(cursor)
        article_view.ensureCursorVisible()
        rect = article_view.cursorRect(cursor)
        QTest.mouseClick(article_view.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(rect.left() + 1, rect.center().y()))
        app.processEvents()
        if window.session.current is None:
            continue
        before = sum(1 for s in window.session.spans.values() if s.label == "GPE")
        cpu = time.process_time()
        times["relabel"].append(timed(app, lambda: QTest.keyClick(article_view, "g")))
        times["relabel CPU"].append((time.process_time() - cpu) * 1000)
        most = max(most, sum(1 for s in window.session.spans.values() if s.label == "GPE") - before)
        cpu = time.process_time()
        times["undo"].append(timed(app, lambda: ctrl_z(article_view)))
        times["undo CPU"].append((time.process_time() - cpu) * 1000)
    window.close()
    window.store.close()
    return times, shown, most


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--words", type=int, default=5000)
    parser.add_argument("--presses", type=int, default=100)
    args = parser.parse_args()
    app = QApplication.instance() or QApplication([])
    with tempfile.TemporaryDirectory() as folder:
        for learning in (False, True):
            times, shown, most = presses(app, Path(folder), args.words, args.presses, learning)
            print(f"learning {'on ' if learning else 'off'}: {args.words:,}-word article, {shown} spans drawn; "
                  f"most spans relabelled by one press: {most}")
            for kind, taken in times.items():
                p50, p99 = percentiles(taken)
                print(f"  {kind} ({len(taken)} presses)  p50 {p50:6.1f} ms  p99 {p99:6.1f} ms")


if __name__ == "__main__":
    main()
