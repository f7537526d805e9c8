"""spaCy's binary ``.spacy`` files (DocBin), both ways.

Entities are ``doc.ents``, numbers ``doc.spans["numbers"]``, the counted noun phrases that COUNTS
links end on ``doc.spans["counted"]`` (links' ends, not entities NER should learn), document labels ``doc.cats``
(1.0 each), relations ``user_data["relations"]`` (:mod:`links`); the numbers' values and the
document's meta ride in ``user_data`` (and ``resolved``: ``[start, end, date]`` of each entity
whose date is resolved). Spans must sit on spaCy's tokens: one that cuts a token
is reported and left out. A DocBin is one compressed blob built in memory, so an export keeps
at most ``shard_size`` documents (1,000 by default) in one: up to that many it writes the one
file asked for; beyond, the name given becomes a folder of numbered shards (``000.spacy``,
``001.spacy``…; an existing folder always gets shards), which ``spacy train`` (``--paths.train FOLDER``) and ``annotator import``
read as one corpus.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator
from pathlib import Path

from annotator.counts import counted_phrase
from annotator.domain import ENTITIES, NUMBERS, Document, NewDocument, Span
from annotator.formats import InputError, ReadOptions, WriteOptions, links, open_binary
from annotator.formats.spans import Found, meta_of, number_record, span_from, status_and_meta
from annotator.formats.writing import aligned

COUNTED_KEY = "counted"  # the span group of the counted noun phrases (COUNTS links' ends): not NER's doc.ents


def read(path: Path, options: ReadOptions) -> Iterator[NewDocument]:
    from annotator.detect.pipeline import read_doc_bin

    with open_binary(path) as file:
        data = file.read()
    _refuse_a_bomb(path, data)
    try:
        docs = read_doc_bin(data)
    except Exception as err:  # spaCy raises a variety of errors for a damaged file
        raise InputError(path, f"not a spaCy DocBin file ({type(err).__name__}: {err})") from None
    for number, doc in enumerate(docs, 1):
        text = doc.text  # spaCy joins the tokens' text anew at each read: once a document, not once a span
        if not text.strip():
            raise InputError(path, f"document {number} has no text")
        values = {(r["start"], r["end"]): r for r in doc.user_data.get("numbers", [])}
        resolved = {(r[0], r[1]): {"resolved": r[2]} for r in doc.user_data.get("resolved", [])}
        found = Found(path, f"document {number}", text)  # where a message says a span is wrong
        for e in doc.ents:
            found.add(e.start_char, e.end_char, e.label_, resolved.get((e.start_char, e.end_char)))
        for s in doc.spans.get(COUNTED_KEY, []):
            found.add(s.start_char, s.end_char, s.label_)
        found.spans += [span_from(path, found.line, text, s.start_char, s.end_char, s.label_, NUMBERS,
                                  values.get((s.start_char, s.end_char))) for s in doc.spans.get("numbers", [])]
        status, meta = status_and_meta(dict(doc.user_data.get("meta", {})))
        meta["source"] = meta.get("source") or f"{path.name}:{number}"
        categories = links.categories_of(path, found.line, dict(doc.cats), "doc.cats")
        relations = links.docbin_links(found, doc.user_data.get("relations"))
        yield NewDocument(text=text, meta=meta, spans=found.spans, entities=found.entities, status=status,
                          source=f"{path} (document {number})", categories=categories, links=relations)


# A DocBin is one zlib blob; spaCy's inflate 3 to 10 times. One that would inflate to more than
# this many times its size (plus a little) is refused, counted while streaming, before it is inflated.
MAX_INFLATION = 100
_SLACK = 2**20
_STEP = 2**16


def _refuse_a_bomb(path: Path, data: bytes) -> None:
    """Inflate in steps, keeping nothing, and stop at the limit: memory stays a step's worth."""
    limit = MAX_INFLATION * len(data) + _SLACK
    inflater, total, view = zlib.decompressobj(), 0, memoryview(data)
    try:
        for at in range(0, len(data), _STEP):
            chunk: bytes | memoryview = view[at : at + _STEP]
            while chunk and not inflater.eof:
                total += len(inflater.decompress(chunk, _STEP))
                if total > limit:
                    raise InputError(path, f"inflates to more than {MAX_INFLATION} times its size ({len(data):,} bytes): "
                                           "not a spaCy DocBin but a zip bomb; refused before it was inflated")
                chunk = inflater.unconsumed_tail
    except zlib.error:
        return  # not zlib at all: spaCy's own reading says what is wrong with it


class Writer:
    def __init__(self, path: Path, options: WriteOptions) -> None:
        from annotator.detect.pipeline import doc_bin

        self.path, self.size, self.new_bin = path, max(1, options.shard_size), doc_bin
        self.bin = doc_bin()
        self.count = 0
        self.shards: list[Path] = []
        self.folder = path.is_dir()  # an existing folder gets shards, however few the documents
        if self.folder:
            for old in path.glob("[0-9][0-9][0-9].spacy"):  # shards of an earlier export
                old.unlink()

    def write(self, doc: Document, spans: list[Span], problems: list[str], extra: links.Extra = links.NOTHING) -> int:
        from annotator.detect.pipeline import make_doc

        if self.count and self.count % self.size == 0:
            self._flush()
        sdoc = make_doc(doc.text)
        kept = [(s, a) for s in spans if (a := aligned(sdoc, doc, s, problems)) is not None]
        ents = [(s, a) for s, a in kept if s.layer == ENTITIES and not counted_phrase(s)]
        counted = [a for s, a in kept if counted_phrase(s)]
        numbers = [(s, a) for s, a in kept if s.layer == NUMBERS]
        sdoc.ents = [a for _, a in ents]
        if numbers:  # an empty span group still costs two msgpack encoders per document in DocBin.add
            sdoc.spans["numbers"] = [a for _, a in numbers]
        if counted:
            sdoc.spans[COUNTED_KEY] = counted
        sdoc.user_data["meta"] = meta_of(doc)
        sdoc.user_data["numbers"] = [number_record(s) for s, _ in numbers]
        resolved = [[s.start, s.end, s.resolved] for s, _ in ents if s.resolved is not None]
        if resolved:
            sdoc.user_data["resolved"] = resolved
        links.docbin_extra(sdoc, doc, [s for s, _ in kept], extra, problems)
        self.bin.add(sdoc)
        self.count += 1
        return len(kept)

    def _flush(self) -> None:
        """Write the full DocBin as the next shard; the first flush turns the path into a folder."""
        if not self.shards and self.path.is_file():
            self.path.unlink()
        self.path.mkdir(parents=True, exist_ok=True)
        shard = self.path / f"{len(self.shards):03d}.spacy"
        self.bin.to_disk(shard)
        self.shards.append(shard)
        self.bin = self.new_bin()

    def close(self) -> list[Path]:
        if not self.shards and not self.folder:
            self.bin.to_disk(self.path)
            return [self.path]
        if len(self.bin):
            self._flush()
        return self.shards
