"""Plain-text articles (read only): one per file, with an optional first line ``date YYYY-MM-DD``.

Quirk: the text is stripped of surrounding white space; line ends inside are kept as they are
(``\r\n`` too). A ``.txt`` with a ``.ann`` beside it is brat standoff, read by :mod:`brat`."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path

from annotator.domain import NewDocument
from annotator.formats import InputError, ReadOptions, read_text_file

# The sample corpus puts the header at the very start, sometimes on the same line as the text.
_HEADER = re.compile(r"\A\s*date[ \t]+(\S+)[ \t]*(?:\r?\n|[ \t]+|\Z)")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}\Z")


def split_header(raw: str, path: Path) -> tuple[str, dict[str, str]]:
    """The article text without its ``date`` header, and the header as metadata."""
    match = _HEADER.match(raw)
    if not match:
        return raw.strip(), {}
    value = match.group(1)
    try:
        if not _DATE.match(value):
            raise ValueError
        date.fromisoformat(value)
    except ValueError:
        raise InputError(path, f"the date header {value!r} is not a date YYYY-MM-DD", 1) from None
    text = raw[match.end() :].strip()
    if not text:
        raise InputError(path, "the file has a date header but no article text", 1)
    return text, {"date": value}


def read(path: Path, options: ReadOptions) -> Iterator[NewDocument]:
    text, meta = split_header(read_text_file(path), path)
    meta["source"] = path.name
    yield NewDocument(text=text, meta=meta, source=str(path))
