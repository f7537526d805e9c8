"""JSON Lines: plain (``text``, ``meta``), Prodigy (``spans``, ``tokens``) and doccano
(``label`` triples, or ``entities`` with ``start_offset``/``end_offset``), told apart by content."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Iterator

from annotator.domain import NewDocument, Span
from annotator.formats import InputError, read_text_file
from annotator.formats.spans import numbers_from, span_from, status_and_meta


def objects(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    """Each non-blank line's object with its line number; malformed lines are refused."""
    for number, line in enumerate(read_text_file(path).splitlines(), 1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as err:
            raise InputError(path, f"malformed JSON ({err.msg} at column {err.colno})", number) from None
        if not isinstance(obj, dict):
            raise InputError(path, f"expected a JSON object, found {type(obj).__name__}", number)
        text = obj.get("text")
        if not isinstance(text, str) or not text.strip():
            raise InputError(path, "the object has no string \"text\"", number)
        meta = obj.get("meta", {})
        if not isinstance(meta, dict):
            raise InputError(path, "\"meta\" must be an object", number)
        yield number, obj


def _list(path: Path, line: int, obj: dict[str, Any], key: str) -> list[Any]:
    value = obj.get(key) or []
    if not isinstance(value, list):
        raise InputError(path, f'"{key}" must be a list', line)
    return value


def entity_spans(path: Path, line: int, obj: dict[str, Any]) -> list[Span]:
    """Entities in whichever of the three shapes the line uses."""
    text = obj["text"]
    spans = []
    for item in _list(path, line, obj, "spans"):  # Prodigy
        if not isinstance(item, dict):
            raise InputError(path, '"spans" must be a list of objects with start, end and label', line)
        spans.append(span_from(path, line, text, item.get("start"), item.get("end"), item.get("label"), record=item))
    labels = obj.get("label")
    if isinstance(labels, list):  # doccano: [[start, end, "LABEL"], ...]
        for item in labels:
            if not (isinstance(item, list) and len(item) == 3):
                raise InputError(path, f'each doccano "label" must be [start, end, "LABEL"], found {item!r}', line)
            spans.append(span_from(path, line, text, *item))
    for item in _list(path, line, obj, "entities"):  # doccano's newer export
        if not isinstance(item, dict):
            raise InputError(path, '"entities" must be a list of objects', line)
        spans.append(span_from(path, line, text, item.get("start_offset"), item.get("end_offset"), item.get("label")))
    return spans


def read(path: Path) -> Iterator[NewDocument]:
    for number, obj in objects(path):
        text = obj["text"]
        meta = obj.get("meta", {})
        numbers = numbers_from(path, number, text, obj.get("numbers", meta.get("numbers")))
        status, meta = status_and_meta(meta, obj.get("answer"))
        meta = {**meta, "source": meta.get("source") or f"{path.name}:{number}"}
        yield NewDocument(text=text, meta=meta, spans=entity_spans(path, number, obj) + numbers, status=status,
                          source=str(path), line=number)
