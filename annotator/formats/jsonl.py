"""JSON Lines: one object per line with a string ``text`` and an optional ``meta`` object."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Iterator

from annotator.domain import NewDocument
from annotator.formats import InputError, read_text_file


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


def read(path: Path) -> Iterator[NewDocument]:
    for number, obj in objects(path):
        meta = {**obj.get("meta", {}), "source": f"{path.name}:{number}"}
        yield NewDocument(text=obj["text"], meta=meta, source=str(path), line=number)
