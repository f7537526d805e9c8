"""How long does the window stop answering when another program writes to the project?

Two cases, in the real window (offscreen, label keys sent as a person sends them), each press
timed two ways: *held* — how long the key press kept the window's thread (nothing else is drawn
or answered meanwhile), and *drawn* — from the key press to the word drawn as labelled, stored.

- another process holds the write lock (``BEGIN IMMEDIATE``) for ``--hold`` seconds, and one
  label key is pressed just after it takes it;
- another process imports ``--docs`` articles (in chunks, as ``annotator import`` does) while a
  label key is pressed every 50 ms.

Run it on two trees to compare (``PYTHONPATH=OTHER_TREE python bench/window_locked.py``): it uses
only what a person uses.

    python bench/window_locked.py [--hold 3] [--docs 60000]
"""

from __future__ import annotations

import argparse
import json
import os
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QSettings
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from annotator.domain import NewDocument
from annotator.qt.main_window import MainWindow
from annotator.storage import Store

WORDS = [f"Name{chr(65 + i // 26)}{chr(65 + i % 26)}" for i in range(400)]
HOLD = """
import sqlite3, sys, time
db = sqlite3.connect(sys.argv[1], isolation_level=None)
db.execute("BEGIN IMMEDIATE")
print("locked", flush=True)
time.sleep(float(sys.argv[2]))
db.execute("ROLLBACK")
"""


def press(app: QApplication, window: MainWindow, word: str, limit_s: float = 30) -> tuple[float, float]:
    """Select a word and press a label key: (held, drawn) in milliseconds (drawn: inf if never)."""
    window.article.setTextCursor(window.article.document().find(word))
    started = time.perf_counter()
    QTest.keyClick(window.article, "p")
    held = time.perf_counter() - started
    while not any(s.text == word for s in window.article.spans):
        if time.perf_counter() - started > limit_s:
            return held * 1000, float("inf")
        app.processEvents()
        time.sleep(0.001)
    return held * 1000, (time.perf_counter() - started) * 1000


def importing(path: Path) -> bool:
    """Whether an import is under way: it has stored rows not yet made visible."""
    db = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        return db.execute("SELECT count(*) FROM pending_docs").fetchone()[0] > 0
    finally:
        db.close()


def figures(values: list[float]) -> str:
    ordered = sorted(values)
    p99 = ordered[min(len(ordered) - 1, round(0.99 * (len(ordered) - 1)))]
    return f"{statistics.median(ordered):8.1f} / {p99:8.1f} / {ordered[-1]:8.1f} ms"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--hold", type=float, default=3.0, help="seconds the other process holds the lock")
    parser.add_argument("--docs", type=int, default=60000, help="articles the other process imports")
    args = parser.parse_args()
    app = QApplication([])
    folder = Path(tempfile.mkdtemp(prefix="window-locked-"))
    path = folder / "project.db"
    with Store(path, annotator="me") as store:
        store.add_documents([NewDocument("Talks with " + ", ".join(WORDS) + " ended.")])
    store = Store(path, annotator="me")
    window = MainWindow(store, QSettings(str(folder / "settings.ini"), QSettings.Format.IniFormat), detect_on_open=False)
    window.resize(1280, 800)
    window.show()
    app.processEvents()
    words = iter(WORDS)

    holder = subprocess.Popen([sys.executable, "-c", HOLD, str(path), str(args.hold)], stdout=subprocess.PIPE, text=True)
    assert holder.stdout.readline().strip() == "locked"
    held, drawn = press(app, window, next(words))
    holder.wait()
    print(f"another process holds the write lock {args.hold:g} s; one label key pressed as it takes it")
    print(f"  key press held the window {held:8.1f} ms; drawn, stored after {drawn:8.1f} ms ({window.status.save_label.text()})")

    articles = folder / "incoming.jsonl"
    articles.write_text("".join(json.dumps({"text": f"Report {i}: drones struck Kharkiv overnight, officials said. " * 30})
                                + "\n" for i in range(args.docs)))
    importer = subprocess.Popen([sys.executable, "-m", "annotator", "import", str(articles), "--db", str(path),
                                 "--no-detect"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    while not importing(path) and importer.poll() is None:  # until its first chunk is in
        time.sleep(0.01)
    helds, drawns = [], []
    while importer.poll() is None:
        word = next(words, None)
        if word is None:
            break
        held, drawn = press(app, window, word)
        helds.append(held)
        drawns.append(drawn)
        QTest.qWait(50)
    importer.wait()
    print(f"another process imports {args.docs:,} articles; {len(helds)} label keys pressed meanwhile, 50 ms apart")
    print(f"  key press held the window   p50 / p99 / max {figures(helds)}")
    print(f"  key press -> drawn, stored  p50 / p99 / max {figures(drawns)}")
    window.close()
    store.close()


if __name__ == "__main__":
    main()
