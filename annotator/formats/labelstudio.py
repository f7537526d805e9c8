"""Label Studio, both ways: its JSON tasks, its JSON-MIN and (through :mod:`csvfile`) its CSV.

Quirks, met once here:
- Offsets are code points, as Python counts (Label Studio stores code points since its
  frontend's fix of 2022, not JavaScript's UTF-16 positions); ``--offsets`` reads and writes
  another unit (:mod:`offsets`), e.g. files written by Label Studio versions before 1.6.
- A task (``{"data": {"text": …}, "annotations": [...], "predictions": [...]}``) may hold several
  people's annotations: each one not cancelled becomes the layer of who made it (``completed_by``,
  a user id or an object with an email; nobody named: yours) of one document; a second one by the
  same person is counted in a warning. With no annotation, the last prediction comes in as unconfirmed
  suggestions. ``choices`` results are document labels and ``relation`` results relations
  (:mod:`links`); results of other types (text areas, ratings) are counted, not imported. A
  region with several labels keeps its first (counted).
- The task's ``data`` fields other than ``text``, the annotator (``completed_by``) and the task
  id become the document's meta.
Written with ``all_layers``, a task holds one annotation per person's layer, each with its
``completed_by`` (a user id as a number, else ``{"email": …}``).
- JSON-MIN is a list of flat objects: the data fields, the annotator (whose layer its regions are), and per labelling control
  (``label`` by default) a list of ``{start, end, text, labels}``.
Write: a JSON array of tasks that Label Studio imports, our layer as ``annotations`` or, with
``as_predictions``, as ``predictions`` to review. Entities use the control ``label``, numbers
``numbers`` (values, and resolved dates, in each region's ``meta``), both on ``text``: the labelling config is
``<Text name="text" value="$text"/>`` with ``<Labels name="label" toName="text">`` (and a second
``<Labels name="numbers" toName="text">`` for numbers).
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from annotator.domain import ENTITIES, NUMBERS, Document, NewDocument, Span
from annotator.formats import TOO_DEEP, InputError, ReadOptions, links, open_binary
from annotator.formats.offsets import Places, Reading, Readings
from annotator.formats.spans import Found, meta_of, person, resolved_of, span_in, status_and_meta
from annotator.formats.writing import FileWriter

NUMBER_FIELDS = ("value", "kind", "approx", "unit")
# JSON-MIN's own bookkeeping, left out of the meta (its "annotator" is kept, as for full tasks).
_MIN_BOOKKEEPING = ("annotation_id", "created_at", "updated_at", "lead_time", "id")


def items(path: Path) -> Iterator[tuple[int, Any]]:
    """The elements of the file's top-level JSON array, one at a time (memory stays flat)."""
    decoder = json.JSONDecoder()
    with open_binary(path) as file:
        head = file.read(2)
        if head[:2] in (b"\xff\xfe", b"\xfe\xff"):
            raise InputError(path, "this file is UTF-16 text; annotator reads UTF-8 (save it as UTF-8)", 1)
        pending = head + b""
        buffer, at, eof, number, started = "", 0, False, 0, False

        def more() -> bool:
            nonlocal buffer, at, pending, eof
            chunk = pending + file.read(1 << 20)
            pending = b""
            if not chunk:
                eof = True
                return False
            try:
                text = chunk.decode("utf-8")
            except UnicodeDecodeError as err:
                if err.start < len(chunk) - 3:
                    raise InputError(path, f"not UTF-8 text (byte 0x{chunk[err.start]:02x})") from None
                text, pending = chunk[: err.start].decode("utf-8"), chunk[err.start :]
            buffer = buffer[at:] + text
            at = 0
            return True

        while True:
            while at < len(buffer) and buffer[at] in " \t\r\n\ufeff" + ("," if started else ""):
                at += 1
            if at >= len(buffer):
                if more():
                    continue
                break
            if not started:
                if buffer[at] == "{":
                    raise InputError(path, "expected a JSON array of tasks, found one object (if it is a task, "
                                           "put it in [ ])")
                if buffer[at] != "[":
                    raise InputError(path, "expected a JSON array of Label Studio tasks")
                started, at = True, at + 1
                continue
            if buffer[at] == "]":
                return
            try:
                value, end = decoder.raw_decode(buffer, at)
            except json.JSONDecodeError as err:
                if not eof and more():
                    continue
                raise InputError(path, f"malformed JSON in element {number + 1} ({err.msg})") from None
            except RecursionError:
                raise InputError(path, f"{TOO_DEEP}, in element {number + 1}") from None
            if end == len(buffer) and not eof and more():
                continue  # a number cut by the chunk's end
            number += 1
            at = end
            yield number, value
        raise InputError(path, "the JSON array is not closed (file cut short?)")


class Tally:
    """What a file held that a project does not take, said once at the end with counts."""

    def __init__(self) -> None:
        self.counts: Counter[str] = Counter()

    def report(self, path: Path, options: ReadOptions) -> None:
        if self.counts:
            options.warn(path, "not imported: " + ", ".join(f"{n} {what}" for what, n in sorted(self.counts.items())))


def read(path: Path, options: ReadOptions) -> Iterator[NewDocument]:
    from annotator.formats import cas

    with open_binary(path) as file:
        if cas.is_cas_json(file.read(4096)):  # INCEpTION's UIMA CAS JSON, not a Label Studio export
            yield from cas.read_json(path, options)
            return
    tally = Tally()
    reading = Readings(path, options)["labelstudio"]
    for number, task in items(path):
        where = f"task {number}"
        if not isinstance(task, dict):
            raise InputError(path, f"expected a task object, found {type(task).__name__}", where)
        if "data" in task:
            yield from task_documents(path, where, task, tally, reading)
        elif is_min_task(task) or isinstance(task.get("text"), str):
            yield min_document(path, where, task, options, reading, tally)
        else:
            raise InputError(path, f"neither a Label Studio task (no \"data\") nor a JSON-MIN row (no \"text\"); "
                                   f"keys: {', '.join(sorted(task)) or 'none'}", where)
    tally.report(path, options)
    reading.report(options)


def _text(path: Path, where: str | int, data: Any) -> str:
    text = data.get("text") if isinstance(data, dict) else None
    if not isinstance(text, str) or not text.strip():
        keys = ", ".join(sorted(data)) if isinstance(data, dict) else type(data).__name__
        raise InputError(path, f"the task has no string \"text\" in its data (found: {keys})", where)
    return text


def task_documents(path: Path, where: str, task: dict[str, Any], tally: Tally, reading: Reading) -> Iterator[NewDocument]:
    """A task as a document: one for each person who annotated it (``completed_by``; the same text,
    so the import makes them that person's layer of one document), else its last prediction."""
    data = task["data"]
    text = _text(path, where, data)
    annotations = [a for a in task.get("annotations") or [] if isinstance(a, dict) and not a.get("was_cancelled")]
    predictions = [p for p in task.get("predictions") or [] if isinstance(p, dict)]
    meta = {k: v for k, v in data.items() if k != "text"}
    if "id" in task:
        meta.setdefault("label_studio_id", task["id"])
    if not annotations:
        result = predictions[-1].get("result") if predictions else None
        spans = [s.with_(confirmed=False) for s in regions(Found(path, where, text).use(reading), result, tally)]
        if len(predictions) > 1:
            tally.counts["earlier prediction(s) of the same task (the last was taken)"] += len(predictions) - 1
        yield _document(path, where, text, meta, result, spans)
        return
    if predictions:
        tally.counts["prediction(s) beside annotations"] += len(predictions)
    people: dict[str | None, dict[str, Any]] = {}
    for annotation in annotations:
        who = completed_by(path, where, annotation.get("completed_by"))
        if who in people:
            tally.counts["further annotation(s) by the same person (the first was taken)"] += 1
        else:
            people[who] = annotation
    for who in sorted(people, key=lambda name: name is not None):  # the importer's (nobody named) first
        result = people[who].get("result")
        spans = regions(Found(path, where, text).use(reading), result, tally)
        yield _document(path, where, text, meta if who is None else {**meta, "annotator": who}, result, spans, who)


def _document(path: Path, where: str, text: str, meta: dict[str, Any], result: Any, spans: list[Span],
              who: str | None = None) -> NewDocument:
    status, meta = status_and_meta(meta)
    meta["source"] = meta.get("source") or f"{path.name}:{where}"
    categories, relations = links.labelstudio_extra(path, where, result, spans)
    return NewDocument(text=text, meta=meta, spans=spans, status=status, source=f"{path}, {where}",
                       categories=categories, links=relations, annotator=who)


def completed_by(path: Path, where: str | int, value: Any) -> str | None:
    """Who made an annotation, by name: ``completed_by`` (JSON-MIN's ``annotator``) is a user's id, or
    (in some exports) an object with their email and id."""
    if isinstance(value, dict):
        value = value.get("email") or value.get("id")
    return person(path, where, value, "an annotation's completed_by")


def completed_by_of(who: str) -> int | dict[str, str]:
    """``completed_by`` as Label Studio reads it: a user's id, else an object with the email (or name)."""
    return int(who) if who.isdigit() else {"email": who}


def regions(found: Found, result: Any, tally: Tally) -> list[Span]:
    """The ``labels`` results of an annotation or prediction as spans."""
    if result is None:
        return []
    if not isinstance(result, list):
        raise InputError(found.path, "an annotation's \"result\" must be a list", found.line)
    spans = []
    for item in result:
        kind = item.get("type") if isinstance(item, dict) else None
        if kind in links.LABEL_STUDIO_RESULTS:
            continue
        if kind != "labels":
            tally.counts[f"result(s) of type {kind!r}"] += 1
            continue
        value = item.get("value")
        if not isinstance(value, dict):
            raise InputError(found.path, "a labels result has no \"value\" object", found.line)
        layer = NUMBERS if item.get("from_name") == "numbers" else ENTITIES
        record = {**(item.get("meta") or {}), "text": value.get("text")}
        spans.append(region(found, value, layer, record, tally))
    return spans


def region(found: Found, value: dict[str, Any], layer: str, record: dict[str, Any], tally: Tally) -> Span:
    labels = value.get("labels")
    if not isinstance(labels, list) or not labels:
        raise InputError(found.path, f"region {value.get('start')}-{value.get('end')} has no \"labels\" list", found.line)
    if len(labels) > 1:
        tally.counts["second label(s) of a region (the first was kept)"] += len(labels) - 1
    return span_in(found, value.get("start"), value.get("end"), labels[0], layer, record)


def is_min_task(obj: dict[str, Any]) -> bool:
    """A JSON-MIN row: some key holds a list of ``{start, end, labels}`` regions."""
    return any(_is_regions(v) for v in obj.values())


def _is_regions(value: Any) -> bool:
    return isinstance(value, list) and bool(value) and isinstance(value[0], dict) and all(
        isinstance(r, dict) and "labels" in r and "start" in r for r in value)


def min_document(path: Path, where: str | int, obj: dict[str, Any], options: ReadOptions, reading: Reading,
                 tally: Tally | None = None) -> NewDocument:
    """A JSON-MIN row (from a .json array, or a JSON Lines line)."""
    own = tally or Tally()
    text = _text(path, where, obj)
    found = Found(path, where, text).use(reading)
    spans: list[Span] = []
    meta: dict[str, Any] = {}
    for key, value in obj.items():
        if key == "text":
            continue
        if _is_regions(value):
            layer = NUMBERS if key == "numbers" else ENTITIES
            spans += [region(found, r, layer, r, own) for r in value]
        elif key not in _MIN_BOOKKEEPING:
            meta[key] = value
    if tally is None:
        own.report(path, options)
    status, meta = status_and_meta(meta)
    meta["source"] = meta.get("source") or f"{path.name}:{where}"
    return NewDocument(text=text, meta=meta, spans=spans, status=status, source=str(path),
                       line=where if isinstance(where, int) else None,
                       annotator=completed_by(path, where, meta.get("annotator")))


def spans_in_cell(path: Path, line: int, text: str, cell: str, column: str, reading: Reading) -> list[Span] | None:
    """Regions stored as a JSON string in a CSV cell (Label Studio's CSV export); None if the
    cell is not such a list."""
    try:
        value = json.loads(cell)
    except json.JSONDecodeError:
        return None
    except RecursionError:
        raise InputError(path, f"column {column!r}: {TOO_DEEP}", line) from None
    if not _is_regions(value):
        return None
    tally = Tally()
    found = Found(path, line, text).use(reading)
    layer = NUMBERS if column == "numbers" else ENTITIES
    spans = [region(found, r, layer, r, tally) for r in value]
    if tally.counts:
        raise InputError(path, f"column {column!r}: {', '.join(tally.counts)}", line)
    return spans


class Writer(FileWriter):
    """A JSON array of tasks, written one task at a time."""

    def __init__(self, path: Path, options: Any) -> None:
        super().__init__(path, options)
        self.file.write("[")
        self.first = True
        self.task: dict[str, Any] | None = None  # the last document's, which another person's layer may join
        self.task_of = -1  # its document's id

    def write(self, doc: Document, spans: list[Span], problems: list[str], extra: links.Extra = links.NOTHING) -> int:
        at = Places(doc, self.options.unit("labelstudio"), problems)
        result = []
        written = [s for s in spans if at.fits(s)]
        for i, span in enumerate(written):
            item: dict[str, Any] = {
                "id": f"s{i}", "from_name": "numbers" if span.layer == NUMBERS else "label", "to_name": "text",
                "type": "labels", "value": {"start": at(span.start), "end": at(span.end),
                                            "text": span.text, "labels": [span.label]}}
            fields = {**({k: getattr(span, k) for k in NUMBER_FIELDS} if span.layer == NUMBERS else {}),
                      **resolved_of(span)}
            if fields:
                item["meta"] = fields
            result.append(item)
        count = len(result)
        result += links.labelstudio_results(doc, written, extra, problems)
        key = "predictions" if self.options.as_predictions else "annotations"
        layer: dict[str, Any] = {"result": result}
        if self.options.as_predictions:
            layer["model_version"] = "annotator"
        elif self.options.all_layers and isinstance(who := doc.meta.get("annotator"), str):
            layer["completed_by"] = completed_by_of(who)
        if self.options.all_layers and self.task is not None and self.task_of == doc.id:
            self.task[key].append(layer)  # another person's layer of the same document
            return count
        self._flush()
        self.task, self.task_of = {"data": {**meta_of(doc), "text": doc.text}, key: [layer]}, doc.id
        return count

    def _flush(self) -> None:
        if self.task is not None:
            self.file.write(("\n" if self.first else ",\n") + json.dumps(self.task, ensure_ascii=False))
            self.first, self.task = False, None

    def close(self) -> list[Path]:
        self._flush()
        self.file.write("\n]\n")
        return super().close()
