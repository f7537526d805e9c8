"""What the writers share: a text file opened once, and spans aligned to spaCy's tokens."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from annotator.counts import counted_phrase
from annotator.domain import ENTITIES, Document, Span
from annotator.formats import WriteOptions

if TYPE_CHECKING:
    from annotator.detect.pipeline import Doc, SpacySpan


def ner_entities(spans: Iterable[Span]) -> Iterator[Span]:
    """The spans an NER corpus holds: the entity layer without its counted noun phrases (COUNTS
    links' ends, which no model should learn as entities)."""
    return (s for s in spans if s.layer == ENTITIES and not counted_phrase(s))


class FileWriter:
    """A writer of one UTF-8 file; ``newline=""`` so that a text's ``\\r\\n`` is written as is."""

    def __init__(self, path: Path, options: WriteOptions) -> None:
        self.path, self.options = path, options
        self.file = path.open("w", encoding="utf-8", newline="")
        self.started = False

    def put(self, text: str) -> None:
        """Write text. Readers take a file's leading U+FEFF for the byte-order mark and drop it,
        so a file whose first character would be a text's U+FEFF gets a mark before it."""
        if not self.started and text.startswith("\ufeff"):
            text = "\ufeff" + text
        self.started = self.started or bool(text)
        self.file.write(text)

    def write(self, doc: Document, spans: list[Span], problems: list[str]) -> int:
        raise NotImplementedError

    def close(self) -> list[Path]:
        self.file.close()
        return [self.path]


def aligned(sdoc: Doc, doc: Document, span: Span, problems: list[str]) -> SpacySpan | None:
    """The spaCy span on exactly these characters, or None (reported) if it cuts a token."""
    found = sdoc.char_span(span.start, span.end, label=span.label, alignment_mode="strict")
    if found is None:
        problems.append(f"document {doc.id}: {span.label} {span.text!r} ({span.start}-{span.end}) "
                        "does not align with token boundaries; left out of this format")
    return found
