"""CSV with a ``text`` column; the other columns become the document's metadata."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Iterator

from annotator.domain import NewDocument
from annotator.formats import InputError, read_text_file


def read(path: Path) -> Iterator[NewDocument]:
    reader = csv.DictReader(io.StringIO(read_text_file(path), newline=""), strict=True)
    line = 1  # where the record being read starts, for messages
    try:
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
            meta = {k: v for k, v in row.items() if v != ""}
            meta["source"] = f"{path.name}:{line}"
            yield NewDocument(text=text, meta=meta, source=str(path), line=line)
            line = reader.line_num + 1
    except csv.Error as err:
        raise InputError(path, f"broken CSV ({err})", line) from None
