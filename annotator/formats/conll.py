"""CoNLL/IOB files as other tools write them: a token a line, the tag in the last column
(IOB1, IOB2, BILUO or BIOES), blank lines between sentences, optional ``-DOCSTART-`` lines."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Iterator

from annotator.domain import NewDocument, Span
from annotator.formats import InputError, read_text_file
from annotator.formats.spans import span_from

_TAG = re.compile(r"^(O|([BIELUS])-(\S+))$")


def read(path: Path) -> Iterator[NewDocument]:
    sentences: list[list[tuple[str, str, int]]] = [[]]
    first_line = 1
    for number, raw in enumerate(read_text_file(path).splitlines(), 1):
        columns = raw.split()
        if columns and columns[0] == "-DOCSTART-":
            if any(sentences):
                yield _document(path, sentences, first_line)
            sentences, first_line = [[]], number + 1
            continue
        if not columns:
            if sentences[-1]:
                sentences.append([])
            continue
        if len(columns) < 2:
            raise InputError(path, f"expected a token and a tag, found {raw.strip()!r}", number)
        if not _TAG.match(columns[-1]):
            raise InputError(path, f"unknown tag {columns[-1]!r} (expected O, or B-, I-, E-, L-, U-, S- and a label)", number)
        sentences[-1].append((columns[0], columns[-1], number))
    if any(sentences):
        yield _document(path, sentences, first_line)


def _document(path: Path, sentences: list[list[tuple[str, str, int]]], line: int) -> NewDocument:
    """Tokens joined by spaces, sentences by new lines; entities from the tags."""
    parts: list[str] = []
    spans: list[Span] = []
    at = 0
    open_: tuple[str, int, int] | None = None  # label, start, line
    pieces: list[tuple[int, int, str, str, int]] = []
    for sentence in (s for s in sentences if s):
        for i, (token, tag, number) in enumerate(sentence):
            if i:
                parts.append(" ")
                at += 1
            pieces.append((at, at + len(token), tag, token, number))
            parts.append(token)
            at += len(token)
        pieces.append((-1, -1, "O", "", 0))  # a sentence boundary ends any entity
        parts.append("\n")
        at += 1
    text = "".join(parts).rstrip("\n")
    end = 0
    for start, stop, tag, _, number in pieces:
        prefix, label = (tag[0], tag[2:]) if tag != "O" else ("O", "")
        continues = open_ is not None and open_[0] == label and prefix in ("I", "E", "L")
        if open_ and not continues:
            spans.append(span_from(path, open_[2], text, open_[1], end, open_[0]))
            open_ = None
        if prefix != "O" and not continues:
            open_ = (label, start, number)
        end = stop
        if open_ and prefix in ("E", "L", "U", "S"):
            spans.append(span_from(path, open_[2], text, open_[1], end, open_[0]))
            open_ = None
    return NewDocument(text=text, meta={"source": f"{path.name}:{line}"}, spans=spans, source=str(path), line=line)
