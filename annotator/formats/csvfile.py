"""CSV with a ``text`` column; the other columns become the document's metadata."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Iterator

from annotator.domain import NewDocument
from annotator.formats import InputError, read_text_file


def read(path: Path) -> Iterator[NewDocument]:
    content = read_text_file(path)
    reader = csv.DictReader(io.StringIO(content, newline=""), strict=True)
    try:
        if not reader.fieldnames or "text" not in reader.fieldnames:
            raise InputError(path, f"no \"text\" column (columns: {', '.join(reader.fieldnames or [])})", 1)
        width = len(reader.fieldnames)
        for row in reader:
            line = reader.line_num
            if None in row or len(row) != width or any(v is None for v in row.values()):
                raise InputError(path, f"expected {width} cells, found a different number", line)
            text = row.pop("text")
            if not text.strip():
                raise InputError(path, "empty \"text\" cell", line)
            meta = {k: v for k, v in row.items() if v != ""}
            meta["source"] = f"{path.name}:{line}"
            yield NewDocument(text=text, meta=meta, source=str(path), line=line)
    except csv.Error as err:
        raise InputError(path, f"broken CSV ({err})", reader.line_num) from None
