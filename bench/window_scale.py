"""How long does each action keep the window's thread from answering, on a very large project?

Builds once, through the CLI (``annotator import --no-detect`` of a generated JSON Lines file), a
project of N articles with 7 spans each, kept in the temporary folder between runs; and two small
ones: a project of 2,000 labels, and one article of 2,000 spans of one label. Then opens the real
window offscreen and, for each action, prints the longest the window's thread was busy: a 5 ms
QTimer on that thread records the gaps between its ticks, from the action until the window is
idle again (and any worker it started has finished), in wall time and in the thread's own CPU
time (the steadier figure on a loaded machine, where the wall also holds waiting for a core).

    python bench/window_scale.py [--docs 100000]      # --docs 1000000 for a newsroom's year
    python bench/window_scale.py --skip paste         # leave out what an old version takes minutes over
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QElapsedTimer, QEvent, QSettings, Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from annotator.qt.main_window import MainWindow
from annotator.storage import Store

ROOT = Path(__file__).resolve().parent.parent
ENV = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}
WORDS = [
    "the", "of", "and", "to", "in", "a", "said", "on", "for", "that", "was", "with", "by", "at", "from",
    "it", "as", "is", "has", "were", "government", "minister", "people", "police", "war", "city", "year",
    "officials", "prices", "market", "report", "week", "told", "after", "before"
]
NAMES = (("PERSON", "Olena Kovalenko"), ("ORG", "the Central Bank"), ("GPE", "Kharkiv"), ("DATE", "last Tuesday"),
         ("NORP", "Ukrainian"), ("ORG", "Reuters"), ("GPE", "Warsaw"))
CTRL, SHIFT = Qt.KeyboardModifier.ControlModifier, Qt.KeyboardModifier.ShiftModifier


def article(rng: random.Random, spans: list[tuple[str, str]]) -> dict:
    """An article of filler words with ``spans`` (label, words) placed in it."""
    text, placed = "", []
    for label, words in spans:
        text += " ".join(rng.choice(WORDS) for _ in range(rng.randint(4, 14))) + " "
        placed.append({"start": len(text), "end": len(text) + len(words), "label": label})
        text += words + " "
    return {"text": text + "and the report ended.", "spans": placed}


def build(path: Path, lines: Callable[[], object]) -> Path:
    """The project at ``path``, imported through the CLI once (kept for the next run; a project kept
    from an older version is brought to the current schema once, so that opening it measures an
    everyday opening, not its migration)."""
    if path.exists():
        Store(path, annotator="bench").close()
        return path
    source = path.with_suffix(".jsonl")
    with source.open("w", encoding="utf-8") as out:
        for line in lines():  # type: ignore[attr-defined]
            out.write(json.dumps(line) + "\n")
    partial = path.with_suffix(".building.db")
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "annotator", "import", str(source), "--no-detect", "--annotator", "bench",
                    "--db", str(partial)], check=True, env=ENV, stdout=subprocess.DEVNULL)
    partial.rename(path)
    source.unlink()
    print(f"built {path.name} in {time.perf_counter() - started:.0f} s", flush=True)
    return path


def news(docs: int) -> Callable[[], object]:
    def lines():  # type: ignore[no-untyped-def]
        rng = random.Random(7)
        for i in range(docs):
            yield {**article(rng, list(NAMES)), "meta": {"title": f"Report {i}"}}
    return lines


def many_labels() -> object:
    rng = random.Random(3)
    for i in range(200):
        yield article(rng, [(f"TYPE_{(i * 10 + k):04d}", "Kharkiv") for k in range(10)])


def dense() -> object:
    rng = random.Random(5)
    yield article(rng, [("GPE", "Kharkiv")] * 2000)


class Gaps:
    """The longest the window's thread went without running its 5 ms timer (wall), and the most
    CPU time that thread spent between two ticks."""

    def __init__(self) -> None:
        self.clock = QElapsedTimer()
        self.timer = QTimer(interval=5)
        self.timer.timeout.connect(self._tick)
        self.last = self.longest = 0
        self.cpu_last = self.cpu_longest = 0.0

    def _tick(self) -> None:
        now, cpu = self.clock.elapsed(), time.thread_time()
        self.longest = max(self.longest, now - self.last)
        self.cpu_longest = max(self.cpu_longest, cpu - self.cpu_last)
        self.last, self.cpu_last = now, cpu

    def measure(self, app: QApplication, action: Callable[[], None], until: Callable[[], bool] = lambda: True,
                limit_s: float = 900) -> tuple[int, int]:
        self.clock.start()
        self.last, self.longest = 0, 0
        self.cpu_last, self.cpu_longest = time.thread_time(), 0.0
        self.timer.start()
        action()
        self._tick()  # the action itself, run on this thread
        given_up = time.monotonic() + limit_s
        quiet = 0
        while quiet < 20 and time.monotonic() < given_up:  # until idle for 100 ms with the work done
            app.processEvents()
            time.sleep(0.005)
            quiet = quiet + 1 if until() else 0
        self.timer.stop()
        return self.longest, round(self.cpu_longest * 1000)


def working_copy(path: Path) -> Path:
    """A copy of the built project to act on: each run starts from the same state (its own copy)."""
    copy = path.with_name(f"work-{os.getpid()}-{path.name}")
    for suffix in ("", "-wal", "-shm"):
        Path(f"{copy}{suffix}").unlink(missing_ok=True)
    shutil.copyfile(path, copy)
    return copy


def window(app: QApplication, path: Path) -> tuple[MainWindow, Store]:
    store = Store(path, annotator="bench")
    settings = QSettings(str(path.with_suffix(".ini")), QSettings.Format.IniFormat)
    settings.clear()
    win = MainWindow(store, settings, detect_on_open=False)
    win.resize(1280, 800)
    win.show()
    app.processEvents()
    return win, store


def opening(app: QApplication, gaps: Gaps, path: Path) -> tuple[tuple[int, int], MainWindow, Store]:
    """How long opening the window on a project kept its thread, and the window."""
    made: list = []
    ms = gaps.measure(app, lambda: made.extend(window(app, path)))
    return ms, made[0], made[1]


def discard(app: QApplication, win: MainWindow) -> None:
    """A closed window's widgets deleted now, not when Python's cycle collector next runs (a person
    keeps one window; tearing down the last one, 60-70 ms, fell into whichever action came next)."""
    win.deleteLater()
    app.sendPostedEvents(None, QEvent.Type.DeferredDelete.value)
    gc.collect()


def resident_mib() -> int:
    """The process's resident memory now (Linux), in MiB: what the Review adds at scale."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) // 1024
    return 0


def report(name: str, ms: tuple[int, int]) -> None:
    print(f"| {name} | {ms[0]:,} ms | {ms[1]:,} ms |", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--docs", type=int, default=100_000)
    parser.add_argument("--dir", type=Path, default=Path(tempfile.gettempdir()) / "annotator-window-scale")
    parser.add_argument("--skip", action="append", default=[], metavar="WORDS",
                        help="skip the actions whose name holds these words (an old version's minutes-long ones)")
    args = parser.parse_args()
    args.dir.mkdir(exist_ok=True)
    big = working_copy(build(args.dir / f"news-{args.docs}.db", news(args.docs)))
    labels = working_copy(build(args.dir / "labels-2000.db", many_labels))
    spans = working_copy(build(args.dir / "dense-2000.db", dense))
    app = QApplication.instance() or QApplication([])
    gaps = Gaps()
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores at the start", flush=True)
    print(f"| action ({args.docs:,} articles) | window's thread busy at most | its CPU in one turn at most |\n|---|---|---|")

    ms, win, store = opening(app, gaps, big)
    report("opening the project (window shown)", ms)
    table = win.documents.table

    def step(name: str, action: Callable[[], object], until: Callable[[], bool] = lambda: True) -> None:
        if any(part in name for part in args.skip):
            print(f"| {name} | (skipped) | |", flush=True)
        else:
            report(name, gaps.measure(app, action, until))  # type: ignore[arg-type]

    idle = lambda: not win.workers.running  # noqa: E731
    listed = lambda: not win.documents.search_timer.isActive() and getattr(win.documents, "finder", None) is None  # noqa: E731
    step("next document (Down in the list)", lambda: (table.setFocus(), QTest.keyClick(table, Qt.Key.Key_Down)))
    step("label a word (select, key)", lambda: (win.article.select_range(0, 3), win.editing.apply_label("ORG")))
    step("undo", win.history.undo, idle)
    step("mark done and next (Ctrl+Enter)", win.navigation.mark_done, idle)
    step("Ctrl+A in the list", lambda: QTest.keyClick(table, Qt.Key.Key_A, CTRL))
    step("mark selected documents done (all)", lambda: win.navigation.mark_selected("done"), idle)
    step("undo of that marking", win.history.undo, idle)
    step("status filter → open", lambda: win.documents.status_filter.setCurrentText("open"), listed)
    step("Ctrl+End after the filter change", lambda: QTest.keyClick(table, Qt.Key.Key_End, CTRL))
    step("status filter → all", lambda: win.documents.status_filter.setCurrentText("all"), listed)
    step("label filter → PERSON", lambda: win.documents.label_filter.setCurrentText("PERSON"), listed)
    win.documents.label_filter.setCurrentText("any label")
    step("search a word most articles hold", lambda: win.documents.search.setText("government"), listed)
    pasted = " ".join(random.Random(1).choice(WORDS) for _ in range(3000))
    step("paste 3,000 words into the search", lambda: win.documents.search.setText(pasted), listed)
    win.documents.search.setText("")
    QTest.qWait(400)
    table.selectRow(int(table.model().rowCount() * 0.7))
    step("Shift+Ctrl+End (30% of the rows)", lambda: QTest.keyClick(table, Qt.Key.Key_End, CTRL | SHIFT))
    step("mark them done", lambda: win.navigation.mark_selected("done"), idle)
    before = resident_mib()
    step("Review (Ctrl+R) with 30% done", lambda: win.review.toggle(True),
         lambda: win.review.window is not None and win.review.window.panel.refresh_button.isEnabled()
         and not win.review.window.panel.chart.workers.running)  # its chart drawn too (closing would wait for it)
    print(f"memory: {before:,} MiB before the Review, {resident_mib():,} MiB with it open "
          f"({args.docs * 3 // 10:,} done documents), peak {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024:,} MiB",
          flush=True)
    step("closing the window", win.close)
    store.close()
    discard(app, win)

    for name, path in (("2,000 labels", labels), ("one 2,000-span article", spans)):
        ms, small, store = opening(app, gaps, path)
        report(f"{name}: opening the project", ms)
        report(f"{name}: opening a document", gaps.measure(app, lambda w=small: w.session.open(w.session.doc_id)))
        small.close()
        store.close()
        discard(app, small)
        del small
    print(f"load average {os.getloadavg()[0]:.1f} at the end", flush=True)
    for copy in (big, labels, spans):  # this run's copies go; the built projects stay
        for leftover in (copy, Path(f"{copy}-wal"), Path(f"{copy}-shm"), copy.with_suffix(".ini")):
            leftover.unlink(missing_ok=True)


if __name__ == "__main__":
    main()
