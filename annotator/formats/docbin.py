"""spaCy ``.spacy`` files: entities from ``doc.ents``, numbers from ``doc.spans["numbers"]``."""

from __future__ import annotations

from pathlib import Path
from typing import Iterator

from annotator.detect.pipeline import read_doc_bin
from annotator.domain import NUMBERS, NewDocument
from annotator.formats import InputError
from annotator.formats.spans import span_from, status_and_meta


def read(path: Path) -> Iterator[NewDocument]:
    try:
        docs = read_doc_bin(path.read_bytes())
    except Exception as err:  # spaCy raises a variety of errors for a damaged file
        raise InputError(path, f"not a spaCy DocBin file ({type(err).__name__}: {err})") from None
    for number, doc in enumerate(docs, 1):
        if not doc.text.strip():
            raise InputError(path, f"document {number} has no text")
        values = {(r["start"], r["end"]): r for r in doc.user_data.get("numbers", [])}
        spans = [span_from(path, None, doc.text, e.start_char, e.end_char, e.label_) for e in doc.ents]
        spans += [span_from(path, None, doc.text, s.start_char, s.end_char, s.label_, NUMBERS,
                            values.get((s.start_char, s.end_char))) for s in doc.spans.get("numbers", [])]
        status, meta = status_and_meta(dict(doc.user_data.get("meta", {})))
        meta["source"] = meta.get("source") or f"{path.name}:{number}"
        yield NewDocument(text=doc.text, meta=meta, spans=spans, status=status, source=f"{path} (document {number})")
