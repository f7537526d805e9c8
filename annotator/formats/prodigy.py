"""JSON Lines, the ``jsonl`` format: read plain (``text``, ``meta``), Prodigy (``spans``,
``tokens``), doccano (``label`` triples or ``entities``) and Label Studio JSON-MIN lines, told
apart by content; write Prodigy tasks.

Quirks: lines end at ``\\n`` only, so a JSON line may hold U+2028, U+2029 or U+0085 raw. JSON
allows escapes of lone surrogates (``"\\ud800"``), which are not text: refused with the line.
Prodigy's ``token_end`` is inclusive; our numbers ride along in ``numbers`` and the document's
status in ``answer`` (accept = done; reject and ignore: see :mod:`prodigy_tasks`). Offsets are
code points, as Prodigy counts them (Python ``str`` indices); doccano's lines are read in its
UTF-16 units.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from annotator.domain import ENTITIES, NUMBERS, Document, NewDocument, Span
from annotator.formats import TOO_DEEP, InputError, ReadOptions, lines_of
from annotator.formats.links import NOTHING, Extra, prodigy_extra
from annotator.formats.offsets import Graphemes, Places, Readings
from annotator.formats.prodigy_tasks import Answers, annotator_of, prodigy_meta, set_hashes
from annotator.formats.spans import Found, meta_of, number_record, numbers_from, resolved_of, status_and_meta
from annotator.formats.writing import FileWriter, aligned

_SURROGATE = re.compile("[\ud800-\udfff]")


def objects(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    """Each non-blank line's object with its line number; malformed lines are refused."""
    for number, line in lines_of(path):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as err:
            raise InputError(path, f"malformed JSON ({err.msg} at column {err.colno})", number) from None
        except RecursionError:
            raise InputError(path, TOO_DEEP, number) from None
        if not isinstance(obj, dict):
            raise InputError(path, f"expected a JSON object, found {type(obj).__name__}", number)
        text = obj.get("text")
        if not isinstance(text, str) or not text.strip():
            raise InputError(path, "the object has no string \"text\"", number)
        if "\\u" in line and (found := _SURROGATE.search(json.dumps(obj, ensure_ascii=False))):
            raise InputError(path, f"the line holds a lone surrogate \\u{ord(found.group()):04x}, which is not "
                                   "a character (a broken emoji?)", number)
        if not isinstance(obj.get("meta", {}), dict):
            raise InputError(path, "\"meta\" must be an object", number)
        yield number, obj


def _list(path: Path, line: int | str | None, obj: dict[str, Any], key: str) -> list[Any]:
    value = obj.get(key) or []
    if not isinstance(value, list):
        raise InputError(path, f'"{key}" must be a list', line)
    return value


def prodigy_spans(found: Found, obj: dict[str, Any]) -> None:
    for item in _list(found.path, found.line, obj, "spans"):
        if type(item) is not dict:
            raise InputError(found.path, '"spans" must be a list of objects with start, end and label', found.line)
        found.add(item.get("start"), item.get("end"), item.get("label"), item)


def document(path: Path, number: int, obj: dict[str, Any], options: ReadOptions, readings: Readings) -> NewDocument:
    """One line as a document, whichever tool's shape it has; offsets in the unit that tool counts."""
    from annotator.formats import doccano, labelstudio, links

    text = obj["text"]
    meta = obj.get("meta", {})
    if labelstudio.is_min_task(obj):
        return labelstudio.min_document(path, number, obj, options, readings["labelstudio"])
    found = Found(path, number, text)
    if "spans" in obj or "numbers" in obj:
        prodigy_spans(found.use(readings["jsonl"]), obj)
    if "label" in obj or "entities" in obj:
        doccano.spans(found.use(readings["doccano"]), obj)
    found.spans += numbers_from(found.use(found.reading or readings["jsonl"]), obj.get("numbers", meta.get("numbers")))
    categories = links.line_categories(found, obj)
    relations: list[tuple[int, int, str]] = []
    if obj.get("answer") != "reject":
        relations = links.line_links(found, obj, readings["jsonl"], readings["doccano"])
    status, meta = status_and_meta(meta, obj.get("answer"))
    meta = {**meta, "source": meta.get("source") or f"{path.name}:{number}"}
    who = None
    if (task := prodigy_meta(obj)):
        meta["prodigy"] = task
        if (who := annotator_of(path, number, obj)) is not None:
            meta.setdefault("annotator", who)
        if task.get("answer") == "reject":  # not gold: kept apart from the layer
            task["rejected"] = [list(row) for row in found.entities] + [
                [s.start, s.end, s.label] for s in found.spans if s.layer == ENTITIES]
            found.entities, found.spans = [], [s for s in found.spans if s.layer != ENTITIES]
    return NewDocument(text=text, meta=meta, spans=found.spans, entities=found.entities, status=status,
                       source=str(path), line=number, categories=categories, links=relations, annotator=who)


def read(path: Path, options: ReadOptions) -> Iterator[NewDocument]:
    readings = Readings(path, options)
    answers = Answers()
    for number, obj in objects(path):
        doc = document(path, number, obj, options, readings)
        answers.count(obj.get("answer"), len(doc.meta.get("prodigy", {}).get("rejected", ())))
        yield doc
    readings.report()
    answers.report(path, options)


class Writer(FileWriter):
    """Prodigy's JSONL: tokens, spans with inclusive ``token_end``, our numbers, the answer and hashes."""

    last: tuple[int, Any] = (-1, None)  # the last document's id and spaCy Doc: its next person's layer reuses it

    def write(self, doc: Document, spans: list[Span], problems: list[str], extra: Extra = NOTHING) -> int:
        from annotator.detect.pipeline import make_doc

        sdoc = self.last[1] if self.last[0] == doc.id else make_doc(doc.text)
        self.last = (doc.id, sdoc)
        at = Places(doc, self.options.unit("jsonl"), problems)
        meta = meta_of(doc)
        task_meta = meta.pop("prodigy", None)
        kept = task_meta if isinstance(task_meta, dict) else {}
        person = self.options.all_layers and meta.get("annotator")
        if person and _person(kept) != person:  # named for this layer's person (not for whom the file named)
            kept = {**({} if _person(kept) else kept), "_annotator_id": person, "_session_id": person}
        answer = "accept" if doc.status == "done" else "reject" if kept.get("answer") == "reject" else "ignore"
        entities = [s for s in spans if s.layer == ENTITIES]
        if answer == "reject":  # the rejected suggestions go out again, not the layer
            entities = [Span.of(doc.text, a, b, label) for a, b, label in kept.get("rejected", [])]
        records = []
        for span in (s for s in entities if at.fits(s)):
            found = aligned(sdoc, doc, span, problems)
            if found is not None:
                records.append({"start": at(span.start), "end": at(span.end), "label": span.label,
                                "token_start": found.start, "token_end": found.end - 1, **resolved_of(span)})
        numbers = [number_record(s, at) for s in spans if s.layer == NUMBERS and at.fits(s)]
        task = {"text": doc.text, "meta": meta, "tokens": tokens(doc.text, sdoc, at), "spans": records,
                "numbers": numbers, "answer": answer, **prodigy_extra(sdoc, doc, spans, extra, at, problems),
                **{k: kept[k] for k in ("_annotator_id", "_session_id", "_timestamp") if k in kept}}
        self.file.write(json.dumps(set_hashes(task), ensure_ascii=False) + "\n")
        return len(records) + len(numbers)


def _person(kept: dict[str, Any]) -> str | None:
    who = kept.get("_annotator_id") or kept.get("_session_id")
    return None if who is None else str(who)


def tokens(text: str, sdoc: Any, at: Places) -> list[dict[str, Any]]:
    """Prodigy's token records, read as one array (several times faster than a Token per word)."""
    rows = sdoc.to_array(["IDX", "LENGTH", "SPACY"]).tolist()
    if at.conv is None:
        return [{"text": text[start:start + length], "start": start, "end": start + length, "id": i, "ws": bool(space)}
                for i, (start, length, space) in enumerate(rows)]
    conv = at.conv
    place = conv.cluster if isinstance(conv, Graphemes) else conv.to_unit  # a token may start inside a cluster
    return [{"text": text[start:start + length], "start": place(start), "end": place(start + length),
             "id": i, "ws": bool(space)} for i, (start, length, space) in enumerate(rows)]
