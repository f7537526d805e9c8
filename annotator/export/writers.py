"""One writer per export format; each takes a document and its checked spans at a time."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

from annotator.detect.pipeline import Doc, SpacySpan, doc_bin, make_doc, make_sentences
from annotator.domain import ENTITIES, NUMBERS, Document, Span


def number_record(span: Span) -> dict[str, Any]:
    return {"start": span.start, "end": span.end, "text": span.text, "label": span.label, "value": span.value,
            "approx": span.approx, "kind": span.kind, "unit": span.unit}


def meta_of(doc: Document) -> dict[str, Any]:
    return {**doc.meta, "doc_id": doc.id, "title": doc.title, "status": doc.status}


class Writer:
    suffix = ""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.file = path.open("w", encoding="utf-8", newline="")

    def write(self, doc: Document, spans: list[Span], problems: list[str]) -> int:
        raise NotImplementedError

    def close(self) -> None:
        self.file.close()


def aligned(sdoc: Doc, doc: Document, span: Span, problems: list[str]) -> SpacySpan | None:
    """The spaCy span on exactly these characters, or None (reported) if it cuts a token."""
    found = sdoc.char_span(span.start, span.end, label=span.label, alignment_mode="strict")
    if found is None:
        problems.append(f"document {doc.id}: {span.label} {span.text!r} ({span.start}-{span.end}) "
                        "does not align with token boundaries; left out of this format")
    return found


class DocBinWriter(Writer):
    """spaCy's binary format: entities in ``doc.ents``, numbers in ``doc.spans["numbers"]``."""

    suffix = ".spacy"

    def __init__(self, path: Path) -> None:
        self.path = path
        self.bin = doc_bin()

    def write(self, doc: Document, spans: list[Span], problems: list[str]) -> int:
        sdoc = make_doc(doc.text)
        ents = [a for s in spans if s.layer == ENTITIES if (a := aligned(sdoc, doc, s, problems)) is not None]
        numbers = [(s, a) for s in spans if s.layer == NUMBERS if (a := aligned(sdoc, doc, s, problems)) is not None]
        sdoc.ents = ents
        sdoc.spans["numbers"] = [a for _, a in numbers]
        sdoc.user_data["meta"] = meta_of(doc)
        sdoc.user_data["numbers"] = [number_record(s) for s, _ in numbers]
        self.bin.add(sdoc)
        return len(ents) + len(numbers)

    def close(self) -> None:
        self.bin.to_disk(self.path)


class ProdigyWriter(Writer):
    """Prodigy's JSONL: tokens, spans with inclusive ``token_end``, and our numbers."""

    suffix = ".jsonl"

    def write(self, doc: Document, spans: list[Span], problems: list[str]) -> int:
        sdoc = make_doc(doc.text)
        records = []
        for span in (s for s in spans if s.layer == ENTITIES):
            found = aligned(sdoc, doc, span, problems)
            if found is not None:
                records.append({"start": span.start, "end": span.end, "label": span.label,
                                "token_start": found.start, "token_end": found.end - 1})
        numbers = [number_record(s) for s in spans if s.layer == NUMBERS]
        task = {
            "text": doc.text,
            "meta": meta_of(doc),
            "tokens": [{"text": t.text, "start": t.idx, "end": t.idx + len(t.text), "id": t.i, "ws": bool(t.whitespace_)}
                       for t in sdoc],
            "spans": records,
            "numbers": numbers,
            "answer": {"done": "accept", "skipped": "ignore"}.get(doc.status, "ignore"),
        }
        self.file.write(json.dumps(task, ensure_ascii=False) + "\n")
        return len(records) + len(numbers)


class DoccanoWriter(Writer):
    """doccano's sequence-labelling JSONL; numbers ride along in ``meta``."""

    suffix = ".jsonl"

    def write(self, doc: Document, spans: list[Span], problems: list[str]) -> int:
        labels = [[s.start, s.end, s.label] for s in spans if s.layer == ENTITIES]
        numbers = [number_record(s) for s in spans if s.layer == NUMBERS]
        record = {"text": doc.text, "label": labels, "meta": {**meta_of(doc), "numbers": numbers}}
        self.file.write(json.dumps(record, ensure_ascii=False) + "\n")
        return len(labels) + len(numbers)


class ConllWriter(Writer):
    """CoNLL-2003 style: a token and its IOB2 tag a line, sentences apart, ``-DOCSTART-`` first."""

    suffix = ".conll"

    def write(self, doc: Document, spans: list[Span], problems: list[str]) -> int:
        sdoc = make_sentences(doc.text)
        tags = ["O"] * len(sdoc)
        kept = 0
        for span in (s for s in spans if s.layer == ENTITIES):
            found = aligned(sdoc, doc, span, problems)
            if found is None:
                continue
            kept += 1
            for i in range(found.start, found.end):
                tags[i] = ("B-" if i == found.start else "I-") + span.label
        self.file.write("-DOCSTART- -X- O O\n\n")
        for sent in sdoc.sents:
            lines = [f"{t.text} {tags[t.i]}" for t in sent if t.text.strip() and not any(c.isspace() for c in t.text)]
            if lines:
                self.file.write("\n".join(lines) + "\n\n")
        return kept


def neutralised(cell: Any) -> Any:
    """A text cell a spreadsheet would run as a formula gets a leading quote (OWASP's advice)."""
    if isinstance(cell, str) and cell[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + cell
    return cell


class CsvWriter(Writer):
    """One row a span, for spreadsheets and review."""

    suffix = ".csv"
    columns = ("doc_id", "title", "start", "end", "text", "label", "layer", "value", "kind", "approx", "unit")

    def __init__(self, path: Path) -> None:
        super().__init__(path)
        self.csv = csv.writer(self.file)
        self.csv.writerow(self.columns)

    def write(self, doc: Document, spans: list[Span], problems: list[str]) -> int:
        for s in spans:
            self.csv.writerow([neutralised(c) for c in (doc.id, doc.title, s.start, s.end, s.text, s.label, s.layer,
                                                        s.value, s.kind, s.approx if s.layer == NUMBERS else "", s.unit)])
        return len(spans)


WRITERS: dict[str, type[Writer]] = {
    "spacy": DocBinWriter, "jsonl": ProdigyWriter, "doccano": DoccanoWriter, "conll": ConllWriter, "csv": CsvWriter,
}
