"""``spacy train`` in a child process, watched: progress events, and a clean stop on request.

spaCy does all the learning; we start it, read the progress lines our registered logger prints
(:mod:`annotator.detect.trainable`), and on Ctrl+C or the window's Cancel let it stop the way it
does on an interrupt: it saves ``model-last``, and ``model-best`` is already on disk from the
best evaluation so far.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import annotator

PROGRESS_MARK = "@annotator-progress "  # the same mark as annotator.detect.trainable's (kept spaCy-free here)


class TrainingError(Exception):
    """spaCy's training stopped with an error; the message is its last line."""


@dataclass
class Progress:
    step: int
    max_steps: int
    loss: float | None = None  # summed losses of the last evaluation interval
    dev_f1: float | None = None  # the last evaluation's score (spaCy's weighted dev score)
    best: float | None = None
    scores: dict[str, float] | None = None


# ``python -m spacy``, but with Python's own Ctrl+C handling even when this process was started
# with SIGINT ignored (in the background, by nohup): Cancel interrupts spaCy with SIGINT.
SPACY_MAIN = ("import signal; signal.signal(signal.SIGINT, signal.default_int_handler); "
              "from spacy.cli import setup_cli; setup_cli()")


def spacy_command(arguments: Sequence[str]) -> list[str]:
    return [sys.executable, "-c", SPACY_MAIN, *arguments]


def child_environment() -> dict[str, str]:
    """This process's environment with our package importable (``--code`` imports it)."""
    env = dict(os.environ)
    root = str(Path(annotator.__file__).resolve().parent.parent)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (root, env.get("PYTHONPATH", "")) if p)
    env.setdefault("PYTHONUNBUFFERED", "1")
    return env


def watch(arguments: Sequence[str], max_steps: int, progress: Callable[[Progress], None] | None = None,
          cancelled: Callable[[], bool] | None = None) -> bool:
    """Run ``python -m spacy ARGUMENTS`` to its end; returns False if it was interrupted
    (Ctrl+C here, or ``cancelled()`` turning true), True if it finished."""
    child = subprocess.Popen(spacy_command(arguments), stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                             text=True, env=child_environment(), bufsize=1)
    tail: deque[str] = deque(maxlen=20)
    state = Progress(0, max_steps)
    stopped = threading.Event()
    if cancelled:
        threading.Thread(target=_stop_when, args=(cancelled, child, stopped), daemon=True).start()
    interrupted = False
    assert child.stdout is not None
    try:
        for line in child.stdout:
            if not line.startswith(PROGRESS_MARK):
                tail.append(line.rstrip())
            else:
                _update(state, json.loads(line[len(PROGRESS_MARK):]))
                if progress:
                    progress(state)
    except KeyboardInterrupt:
        interrupted = True  # the child got the same Ctrl+C from the terminal
    finally:
        _wait(child)
    interrupted = interrupted or stopped.is_set()
    if child.returncode != 0 and not interrupted:
        last = next((line for line in reversed(tail) if line.strip()), f"exit status {child.returncode}")
        raise TrainingError(f"spaCy's training failed: {last.strip()}")
    return not interrupted


def _stop_when(cancelled: Callable[[], bool], child: subprocess.Popen[str], stopped: threading.Event) -> None:
    """Interrupt the child as Ctrl+C would, as soon as the caller cancels (checked 10 times a second)."""
    while child.poll() is None:
        if cancelled():
            stopped.set()
            child.send_signal(signal.SIGINT)
            return
        time.sleep(0.1)


def _wait(child: subprocess.Popen[str]) -> None:
    """Wait for the child to save and exit; a second Ctrl+C does not leave it running."""
    while True:
        try:
            child.wait()
            return
        except KeyboardInterrupt:
            child.terminate()


def _update(state: Progress, record: dict[str, Any]) -> None:
    state.step = int(record["step"])
    if "score" in record:
        state.dev_f1 = float(record["score"])
        state.best = max(state.best or 0.0, state.dev_f1)
        state.loss = float(sum(record.get("losses", {}).values()))
        state.scores = record.get("scores")
