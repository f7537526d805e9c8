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

``--phases`` says where each press's wall time goes: the store's transaction (the write queue's
action: SQL and COMMIT), what the session and the view do once it is stored, and Qt's drawing
(the events processed after the key press), each in wall and CPU time of the window's thread, with
the thread's context switches (involuntary: it was runnable but another process held the core;
voluntary: it waited on I/O or a lock, Python's GIL included), and the transactions per press.
``--load N`` runs N busy processes beside it (started and stopped by PID) to see the same under a
known load. The presses start once the window's start-up work is over (the Review's modules,
imported in a background thread at the first pause in typing: about 0.6 s of CPU holding the GIL);
``--at-once`` presses from the first moment, as the bench did before.

    python bench/learning_edit.py [--words 5000] [--presses 100] [--phases] [--load N] [--at-once]
"""

from __future__ import annotations

import argparse
import os
import random
import re
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from detect_speed import PEOPLE, PLACES, article
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QTextCursor
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
from window_edit import ANNOTATOR, ctrl_z, percentiles, timed, window_open

from annotator.domain import NewDocument, Span
from annotator.storage import Store
from annotator.write_queue import WriteQueue

Clock = tuple[float, float, int, int]  # wall, thread CPU, involuntary and voluntary context switches


def clock() -> Clock:
    usage = resource.getrusage(resource.RUSAGE_THREAD)
    return time.perf_counter(), time.thread_time(), usage.ru_nivcsw, usage.ru_nvcsw


class Phases:
    """Each press's phases (see the module's docstring), recorded by wrapping the write queue's
    action and its stored callback, and by timing the key press apart from the events after it."""

    def __init__(self) -> None:
        self.press: dict[str, Clock] = {}
        self.presses: list[dict[str, Clock]] = []
        self.commits = 0

    def since(self, name: str, started: Clock) -> None:
        now = clock()
        self.press[name] = tuple(b - a for a, b in zip(started, now))  # type: ignore[assignment]

    @contextmanager
    def watching(self, store: Store) -> Iterator[None]:
        original = WriteQueue.write
        phases = self

        def write(queue: WriteQueue, action: Callable[[], Any], stored: Callable[[Any], None],
                  failed: Callable[[Exception], None] | None = None) -> bool:
            def timed_action() -> Any:
                started = clock()
                try:
                    return action()
                finally:
                    phases.since("transaction", started)

            def timed_stored(result: Any) -> None:
                started = clock()
                stored(result)
                phases.since("stored", started)

            return original(queue, timed_action, timed_stored, failed)

        def counted(statement: str) -> None:
            if statement.strip().upper().startswith("COMMIT"):
                phases.commits += 1

        WriteQueue.write = write  # type: ignore[method-assign]
        try:
            with store.traced(counted):
                yield
        finally:
            WriteQueue.write = original  # type: ignore[method-assign]

    def timed(self, app: QApplication, press: Callable[[], None]) -> None:
        self.press = {}
        started = clock()
        press()
        handled = clock()
        app.processEvents()
        self.since("drawn", handled)
        self.since("press", started)
        self.presses.append(self.press)

    def report(self, presses: int) -> None:
        print(f"  transactions (COMMIT) per press: {self.commits / max(1, len(self.presses)):.2f}")
        for name in ("press", "transaction", "stored", "drawn"):
            walls = [p[name][0] * 1000 for p in self.presses if name in p]
            cpus = [p[name][1] * 1000 for p in self.presses if name in p]
            if walls:
                (w50, w99), (c50, c99) = percentiles(walls), percentiles(cpus)
                print(f"  {name:<12} wall p50 {w50:6.1f} p99 {w99:6.1f} ms   CPU p50 {c50:6.1f} p99 {c99:6.1f} ms")
        slowest = sorted(self.presses, key=lambda p: -p["press"][0])[: max(1, len(self.presses) // 20)]
        print(f"  the slowest {len(slowest)} presses (5%), mean per press:")
        for name in ("press", "transaction", "stored", "drawn"):
            got = [p[name] for p in slowest if name in p]
            if got:
                wall, cpu = (sum(g[i] for g in got) / len(got) * 1000 for i in (0, 1))
                inv, vol = (sum(g[i] for g in got) / len(got) for i in (2, 3))
                print(f"    {name:<12} wall {wall:6.1f} ms, CPU {cpu:6.1f} ms, not running {wall - cpu:6.1f} ms; "
                      f"switches involuntary {inv:4.1f}, voluntary {vol:4.1f}")


@contextmanager
def busy(count: int) -> Iterator[None]:
    """``count`` processes spinning on a core each, stopped by their PIDs."""
    spinners = [subprocess.Popen([sys.executable, "-c", "while True: pass"]) for _ in range(count)]
    try:
        yield
    finally:
        for spinner in spinners:
            spinner.kill()
            spinner.wait()


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


def presses(app: QApplication, folder: Path, words: int, count: int, learning: bool,
            phases: Phases | None = None, at_once: bool = False) -> tuple[dict[str, list[float]], int, int]:
    path, doc_id, _ = project(folder, words, learning)
    window, _ = window_open(app, path, doc_id, folder / "s.ini")
    if not at_once:  # a person reads before the first press: the window's start-up work is over by then
        while not window.preload.finished:
            app.processEvents()
            time.sleep(0.01)
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
        if phases is not None:
            with phases.watching(window.store):
                phases.timed(app, lambda: QTest.keyClick(article_view, "g"))
            ctrl_z(article_view)
            app.processEvents()
            continue
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
    parser.add_argument("--phases", action="store_true", help="where the relabelling presses' wall time goes (learning on)")
    parser.add_argument("--load", type=int, default=0, metavar="N", help="N busy processes beside the window")
    parser.add_argument("--at-once", action="store_true",
                        help="press from the first moment, while the window still imports the Review's modules in the background")
    args = parser.parse_args()
    app = QApplication.instance() or QApplication([])
    with tempfile.TemporaryDirectory() as folder, busy(args.load):
        if args.phases:
            phases = Phases()
            presses(app, Path(folder), args.words, args.presses, True, phases, args.at_once)
            print(f"learning on: {args.words:,}-word article, {len(phases.presses)} relabelling presses"
                  f"{' from the first moment' if args.at_once else ''}, {args.load} busy processes beside, "
                  f"load average {os.getloadavg()[0]:.1f}")
            return phases.report(args.presses)
        for learning in (False, True):
            times, shown, most = presses(app, Path(folder), args.words, args.presses, learning, at_once=args.at_once)
            print(f"learning {'on ' if learning else 'off'}: {args.words:,}-word article, {shown} spans drawn; "
                  f"most spans relabelled by one press: {most}")
            for kind, taken in times.items():
                p50, p99 = percentiles(taken)
                print(f"  {kind} ({len(taken)} presses)  p50 {p50:6.1f} ms  p99 {p99:6.1f} ms")


if __name__ == "__main__":
    main()
