"""What a Prodigy task says besides its spans: the answer, who gave it, when, and its hashes.

- ``accept`` is gold: the spans become your layer and the document is done.
- ``reject`` says the spans are wrong: they are not gold and not lost. They are kept apart
  from your layer, in the document's meta (``meta["prodigy"]["rejected"]``, rows ``[start,
  end, label]`` in code points) — rejected suggestions that a model can learn from — and the
  document comes in skipped; its export is ``"answer": "reject"`` with those spans again.
- ``ignore`` stays ignore: skipped, its spans in your layer as before.
- ``_annotator_id`` (else ``_session_id``) says whose the task's spans are: they go to that
  person's layer (not the importer's), so that ``agreement`` and ``merge`` see who labelled what,
  and the name becomes the document's ``annotator`` in its meta; ``_timestamp`` and the ids are
  kept in ``meta["prodigy"]`` and written back.
- ``_input_hash`` and ``_task_hash`` are written as Prodigy's ``set_hashes`` makes them: a
  signed 32-bit MurmurHash3 of the task's input keys (``text``) as sorted JSON, and of its task
  keys (``spans``, ``label``, ``options``, ``arcs``) prefixed with the input hash; the same task
  always gets the same numbers.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

from murmurhash import hash as murmur  # spaCy's own dependency

from annotator.formats import ReadOptions
from annotator.formats.spans import person

ANSWERS = ("accept", "reject", "ignore")
KEPT = ("_annotator_id", "_session_id", "_timestamp")  # the hashes are made anew at export, from what is exported
INPUT_KEYS = ("text", "image", "html", "input")
TASK_KEYS = ("spans", "label", "options", "arcs")


def prodigy_meta(obj: dict[str, Any]) -> dict[str, Any]:
    """What the task says about itself that the document's status does not, kept in its meta
    under ``prodigy``: who, when, and a ``reject`` (``skipped`` is also what ``ignore`` becomes).
    Several people's answers on one text each keep theirs (:mod:`annotator.answers`)."""
    found = {key: obj[key] for key in KEPT if key in obj}
    if obj.get("answer") == "reject":
        found["answer"] = "reject"
    return found


def annotator_of(path: Path, line: int, obj: dict[str, Any]) -> str | None:
    """Who answered the task: its spans, labels and relations go to their layer."""
    return person(path, line, obj.get("_annotator_id") or obj.get("_session_id"), "the task's _annotator_id/_session_id")


def _hash(task: dict[str, Any], keys: tuple[str, ...], prefix: int | None = None) -> int:
    values = {key: task[key] for key in keys if key in task}
    return int(murmur((str(prefix) if prefix is not None else "") + json.dumps(values, sort_keys=True)))


def set_hashes(task: dict[str, Any]) -> dict[str, Any]:
    """The task with ``_input_hash`` and ``_task_hash``, as Prodigy's ``set_hashes`` computes them."""
    task["_input_hash"] = _hash(task, INPUT_KEYS)
    task["_task_hash"] = _hash(task, TASK_KEYS, task["_input_hash"])
    return task


class Answers:
    """The answers of a file's tasks, said once at the end with counts."""

    def __init__(self) -> None:
        self.counts: Counter[str] = Counter()
        self.rejected_spans = 0

    def count(self, answer: Any, rejected: int) -> None:
        if answer in ANSWERS:
            self.counts[answer] += 1
        self.rejected_spans += rejected

    def report(self, path: Path, options: ReadOptions) -> None:
        if not self.counts:
            return
        said = {"accept": "accept (done)", "ignore": "ignore (skipped)",
                "reject": f"reject (skipped; their {self.rejected_spans} span(s) kept apart from your layer as rejected "
                          "suggestions, in each document's meta)"}
        options.note(path, "Prodigy answers: " + ", ".join(f"{self.counts[a]} {said[a]}" for a in ANSWERS if self.counts[a]))
