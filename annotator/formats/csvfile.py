"""CSV: articles in, a table of spans out.

Read: a ``text`` column; the other columns become the document's metadata. Label Studio's CSV
export is such a file with the spans as a JSON string in a column (``label`` by default):
such a column is read as spans (offsets in UTF-16 units, see :mod:`labelstudio`), never left
as metadata. Cells may be of any length (the csv module's 131,072-character limit is lifted).
Write: one row a span (document id, title, offsets, text, label, layer, the number's fields
and the resolved date), for spreadsheets; a cell a spreadsheet would run as a formula
(starting ``= + - @``, tab or carriage return) gets a leading ``'``. The table holds no article
texts, so it cannot be imported back.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from annotator.domain import NUMBERS, Document, NewDocument, Span
from annotator.formats import MAX_ARTICLE_BYTES, InputError, ReadOptions, WriteOptions, decode, open_binary, too_big
from annotator.formats.offsets import Readings
from annotator.formats.writing import FileWriter

csv.field_size_limit(MAX_ARTICLE_BYTES)  # characters: at most that many bytes' worth of article


def read(path: Path, options: ReadOptions) -> Iterator[NewDocument]:
    from annotator.formats import labelstudio

    with open_binary(path) as raw:
        head = raw.read(4096)
    decode(path, head[: head.rfind(b"\n") + 1] or head)  # UTF-16, binary and bad bytes at the start
    line = 1  # where the record being read starts, for messages
    readings = Readings(path, options)
    try:
        with path.open(encoding="utf-8-sig", newline="") as file:
            reader = csv.DictReader(file, strict=True)
            if not reader.fieldnames or "text" not in reader.fieldnames:
                raise InputError(path, f"no \"text\" column (columns: {', '.join(reader.fieldnames or [])})", 1)
            if {"start", "end", "label", "layer"} <= set(reader.fieldnames):
                raise InputError(path, "this is a table of spans (as `annotator export --format csv` writes it); "
                                       "it holds no article texts to import", 1)
            width = len(reader.fieldnames)
            line = reader.line_num + 1
            for row in reader:
                if None in row or any(v is None for v in row.values()):
                    raise InputError(path, f"expected {width} cells, found a different number", line)
                text = row.pop("text")
                if not text.strip():
                    raise InputError(path, "empty \"text\" cell", line)
                spans = []
                for column in [c for c, v in row.items() if v.startswith("[{")]:
                    found = labelstudio.spans_in_cell(path, line, text, row[column], column, readings["labelstudio"])
                    if found is not None:
                        spans += found
                        del row[column]
                meta: dict[str, Any] = {k: v for k, v in row.items() if v != ""}
                meta["source"] = f"{path.name}:{line}"
                who = labelstudio.completed_by(path, line, meta.get("annotator")) if spans else None  # Label Studio's CSV
                yield NewDocument(text=text, meta=meta, spans=spans, source=str(path), line=line, annotator=who)
                line = reader.line_num + 1
            readings.report()
    except csv.Error as err:
        if "field larger than field limit" in str(err):
            raise InputError(path, too_big("a cell"), line) from None
        raise InputError(path, f"broken CSV ({err})", line) from None
    except UnicodeDecodeError as err:
        raise InputError(path, f"not UTF-8 text (byte 0x{err.object[err.start]:02x})", line) from None


def neutralised(cell: Any) -> Any:
    """A text cell a spreadsheet would run as a formula gets a leading quote (OWASP's advice)."""
    if isinstance(cell, str) and cell[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + cell
    return cell


class Writer(FileWriter):
    """One row a span, for spreadsheets and review."""

    columns = ("doc_id", "title", "start", "end", "text", "label", "layer", "value", "kind", "approx", "unit",
               "resolved")

    def __init__(self, path: Path, options: WriteOptions) -> None:
        super().__init__(path, options)
        self.csv = csv.writer(self.file)
        self.csv.writerow(self.columns)

    def write(self, doc: Document, spans: list[Span], problems: list[str]) -> int:
        self.csv.writerows([neutralised(c) for c in (doc.id, doc.title, s.start, s.end, s.text, s.label, s.layer,
                                                     s.value, s.kind, s.approx if s.layer == NUMBERS else "", s.unit,
                                                     s.resolved)]
                           for s in spans)
        return len(spans)
