"""How long does switching to a long article take? Prints milliseconds per switch.

Builds a project with articles of 5,000 words and 300 spans each (entities and numbers, some
confirmed, some suggestions), opens the window offscreen and times ``open_document`` between
them, including the repaint.

    python bench/window_switch.py [--words 5000] [--spans 300] [--switches 20]
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication

from annotator.domain import NUMBERS, NewDocument, Span
from annotator.qt.main_window import MainWindow
from annotator.storage import Store

WORDS = ["the", "Ukrainian", "air", "force", "said", "drones", "struck", "Kyiv", "overnight", "and", "38", "people",
         "were", "hurt", "in", "Kharkiv", "😀"]


def long_article(rng: random.Random, words: int) -> str:
    paragraphs = []
    for _ in range(words // 100):
        paragraphs.append(" ".join(rng.choice(WORDS) for _ in range(100)) + ".")
    return "\n\n".join(paragraphs)


def spans_for(text: str, count: int) -> list[Span]:
    positions, at = [], 0
    for word in text.split(" "):
        positions.append((at, at + len(word)))
        at += len(word) + 1
    step = len(positions) // count
    chosen = positions[::step][:count]
    return [
        Span.of(text, s, e, "NUMBER", layer=NUMBERS, value=1.0, kind="cardinal", confirmed=i % 2 == 0) if i % 5 == 0
        else Span.of(text, s, e, ("GPE", "ORG", "PERSON")[i % 3], confirmed=i % 2 == 0)
        for i, (s, e) in enumerate(chosen)
        if text[s:e].strip() and not text[s:e].endswith(("\n", "."))
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--words", type=int, default=5000)
    parser.add_argument("--spans", type=int, default=300)
    parser.add_argument("--switches", type=int, default=20)
    args = parser.parse_args()
    app = QApplication.instance() or QApplication([])
    rng = random.Random(3)
    with tempfile.TemporaryDirectory() as folder:
        store = Store(Path(folder) / "bench.db", annotator="bench")
        texts = [long_article(rng, args.words) + f" ({i})" for i in range(2)]
        ids = store.add_documents(NewDocument(t) for t in texts).added
        for doc_id, text in zip(ids, texts):
            store.save_predictions(doc_id, spans_for(text, args.spans), "bench", "1")
        window = MainWindow(store, QSettings(str(Path(folder) / "s.ini"), QSettings.Format.IniFormat), detect_on_open=False)
        window.resize(1400, 900)
        window.show()
        app.processEvents()
        timings = []
        for i in range(args.switches):
            started = time.perf_counter()
            window.session.open(ids[i % 2])
            window.article.viewport().repaint()
            app.processEvents()
            timings.append((time.perf_counter() - started) * 1000)
        shown = len(window.article.spans)
        words = len(window.article.text.split())
        window.close()
        store.close()
    print(f"article: {words:,} words, {shown} spans")
    print(f"switch time: median {statistics.median(timings):.1f} ms, max {max(timings):.1f} ms over {args.switches} switches")


if __name__ == "__main__":
    main()
