"""CoNLL-U, both ways, as INCEpTION reads and writes it (DKPro Core's ``ConllUReader`` and
``ConllUWriter``), with the named entities where spaCy's converter looks for them.

INCEpTION's CoNLL-U carries tokens, sentences, lemmas, parts of speech, morphology and
dependencies, but no named entities: its documentation lists MISC as unused, and its reader
takes only ``SpaceAfter=No`` from it. So the entities ride in MISC as ``NE=B-LOC``, ``NE=I-LOC``
(IOB2), which ``spacy convert -c conllu`` reads (it also reads ``name=``; ``NER=`` is read too);
INCEpTION ignores them and keeps the words and sentences.

The text is put together as INCEpTION does: tokens joined by a space unless MISC says
``SpaceAfter=No``, sentences by a line end (two before a ``# newpar``). Where the text holds
anything else between tokens, the writer says so in MISC, so that it comes back exactly:
``SpacesAfter=`` with UDPipe's escapes (``\\s`` space, ``\\t``, ``\\n``, ``\\r``, ``\\p`` for ``|``,
``\\\\``; any other white space ``\\uXXXX``) and ``SpacesBefore=`` on a document's first token. Such a
mark on a sentence's last token is taken over the line end (INCEpTION's writer puts none there).

Write: a folder of ``NNNNNN.conllu``, one a document (INCEpTION imports one document a file):
``# newdoc id``, then for each sentence ``# sent_id`` and ``# text`` (its line ends as spaces) and
its tokens, ids from 1, ``_`` in the columns we do not fill. The tokens are spaCy's (a grapheme
cluster kept whole: spaCy parts a flag's letters), cut at white space and wherever an entity
starts or ends, and no sentence ends inside an entity: no entity is left out or moved. An entity
whose label holds white space or ``|`` (MISC cannot), or whose text begins or ends with white
space, is reported and left out. Entities only: numbers' values, document labels and relations
are not carried.
Read: ``# newdoc`` lines part a file's documents (else the file is one); a word line has 10
tab-separated columns and ids that run from 1 in each sentence (else refused with its line); a
range (``1-2``) gives the text of the words it joins (their own lines are passed over for the
text), empty nodes (``1.1``) are passed over; tags IOB1, IOB2, BILUO or BIOES.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator
from pathlib import Path

from annotator.domain import Document, NewDocument, Span
from annotator.formats import InputError, ReadOptions, WriteOptions, lines_in_blocks
from annotator.formats.conll import TAG, Piece, tagged_spans
from annotator.formats.offsets import Graphemes
from annotator.formats.writing import ner_entities

NE_KEYS = ("NE", "NER", "name")  # MISC keys of an entity tag: spaCy's converter reads NE and name
_ESCAPES = {" ": "\\s", "\t": "\\t", "\n": "\\n", "\r": "\\r", "|": "\\p", "\\": "\\\\"}
_UNESCAPES = {v[1]: k for k, v in _ESCAPES.items()}
_ESCAPED = re.compile(r"\\(u[0-9a-fA-F]{4}|.)")
_WORD = re.compile(r"\S+")
_NOT_IN_MISC = re.compile(r"[\s|]")
_LINE_BREAK = re.compile(r"[^\S ]")  # white space other than a space: a line end in a "# text" comment


def escape(gap: str) -> str:
    """White space as MISC may hold it (UDPipe's ``SpacesAfter``)."""
    return "".join(_ESCAPES.get(c) or (c if c.isprintable() and not c.isspace() else f"\\u{ord(c):04x}") for c in gap)


def unescape(path: Path, line: int, value: str) -> str:
    def one(match: re.Match[str]) -> str:
        code = match.group(1)
        if len(code) == 5:
            return chr(int(code[1:], 16))
        if code not in _UNESCAPES:
            raise InputError(path, f"unknown escape \\{code} in {value!r} (known: \\s \\t \\n \\r \\p \\\\ \\uXXXX)", line)
        return _UNESCAPES[code]

    return _ESCAPED.sub(one, value)


class _Document:
    """One document's text and tagged tokens as its lines come."""

    def __init__(self, path: Path, line: int) -> None:
        self.path, self.line = path, line
        self.parts: list[str] = []
        self.at = 0
        self.pieces: list[Piece] = []
        self.gap: str | None = None  # what the last token's MISC says follows it (None: nothing said)
        self.new_sentence = False
        self.new_paragraph = False
        self.expected = 1  # the next word's id in this sentence
        self.joined = 0  # the last id of a range (1-2) whose words are passed over for the text

    def end_sentence(self) -> None:
        if self.expected > 1:
            self.pieces.append((-1, -1, "O", 0))
            self.new_sentence, self.expected, self.joined = True, 1, 0

    def word(self, cells: list[str], line: int) -> None:
        ident, form, misc = cells[0], cells[1], cells[9]
        gap, before, tag = (None, "", "O") if misc == "_" else self._misc(misc.strip(), line)
        if ident.isdigit() and self.joined < self.expected:  # a word of its own (the common case)
            if int(ident) != self.expected:
                self._wrong_id(ident, line)
            self.expected += 1
        elif not self._other(ident.strip(), tag, line):
            return
        if not form:
            raise InputError(self.path, "the word's FORM (second column) is empty", line)
        parts = self.parts
        if parts:
            between = self.gap if self.gap is not None else (
                ("\n\n" if self.new_paragraph else "\n") if self.new_sentence else " ")
            parts.append(between)
            self.at += len(between)
            self.new_sentence = self.new_paragraph = False
        elif before:
            parts.append(before)
            self.at += len(before)
        at = self.at
        self.pieces.append((at, at + len(form), tag, line))
        parts.append(form)
        self.at = at + len(form)
        self.gap = gap

    def _other(self, ident: str, tag: str, line: int) -> bool:
        """A range (1-2: its text, then its words, passed over), an empty node (1.1, passed over),
        or a word of a range; True if it brings text."""
        if "." in ident:
            return False
        first, _, last = ident.partition("-")
        if not first.isdigit() or (last and not last.isdigit()):
            raise InputError(self.path, f"the id {ident!r} is not a number or a range such as 1-2", line)
        if int(first) != self.expected:
            self._wrong_id(first, line)
        if last:
            if int(last) <= int(first):
                raise InputError(self.path, f"the range {ident!r} does not run forward", line)
            self.joined = int(last)
            return True
        self.expected += 1
        if tag != "O" and self.pieces[-1][2] == "O":  # a word of the range before: its text is the range's,
            self.pieces[-1] = (*self.pieces[-1][:2], tag, line)  # its entity tag may be on the words
        return False

    def _wrong_id(self, ident: str, line: int) -> None:
        raise InputError(self.path, f"word id {ident} where {self.expected} was expected (ids run from 1 in each "
                                    "sentence, a blank line between sentences)", line)

    def _misc(self, misc: str, line: int) -> tuple[str | None, str, str]:
        gap, before, tag = None, "", "O"
        for item in misc.split("|") if misc != "_" else ():
            key, _, value = item.partition("=")
            if item == "SpaceAfter=No":
                gap = ""
            elif key == "SpacesAfter":
                gap = unescape(self.path, line, value)
            elif key == "SpacesBefore":
                before = unescape(self.path, line, value)
            elif key in NE_KEYS:
                if not TAG.match(value):
                    raise InputError(self.path, f"unknown entity tag {value!r} in MISC (expected O, or B-, I-, E-, L-, "
                                                "U-, S- and a label, e.g. NE=B-LOC)", line)
                tag = value
        return gap, before, tag

    def done(self) -> NewDocument | None:
        if not self.pieces:
            return None
        if self.gap:
            self.parts.append(self.gap)  # white space at the end of the text
        text = "".join(self.parts)
        return NewDocument(text=text, meta={"source": f"{self.path.name}:{self.line}"},
                           spans=tagged_spans(self.path, text, self.pieces), source=str(self.path), line=self.line)


def read(path: Path, options: ReadOptions) -> Iterator[NewDocument]:
    doc = _Document(path, 1)
    words = 0
    for number, raw in lines_in_blocks(path):
        if raw.startswith("#"):
            key = raw[1:].partition("=")[0].strip()
            if key.startswith("newdoc"):
                if (made := doc.done()) is not None:
                    yield made
                doc = _Document(path, number)
            elif key.startswith("newpar"):
                doc.new_paragraph = True
            continue
        if not raw.strip():
            doc.end_sentence()
            continue
        cells = raw.split("\t")
        if len(cells) != 10:
            raise InputError(path, f"a word line has 10 columns apart by tabs; this one has {len(cells)}", number)
        doc.word(cells, number)
        words += 1
    if (made := doc.done()) is not None:
        yield made
    elif not words:
        raise InputError(path, "no word lines (a CoNLL-U file has a line of 10 tab-separated columns for each word)")


class Writer:
    """A folder of CoNLL-U files, one a document."""

    def __init__(self, path: Path, options: WriteOptions) -> None:
        self.path, self.options = path, options
        path.mkdir(parents=True, exist_ok=True)

    def write(self, doc: Document, spans: list[Span], problems: list[str]) -> int:
        from annotator.detect.pipeline import make_sentences

        text = doc.text
        entities = []
        for span in ner_entities(spans):
            if _NOT_IN_MISC.search(span.label) or span.text != span.text.strip():
                problems.append(f"document {doc.id}: {span.label} {span.text!r} ({span.start}-{span.end}) has a label "
                                "holding white space or '|', or begins or ends with white space; left out of CoNLL-U")
            else:
                entities.append(span)
        sdoc = make_sentences(text)
        inside = [(s.start, s.end) for s in entities]
        words = {t.idx for t in sdoc}
        if not text.isascii():  # spaCy parts a flag's two letters and a family's emoji: keep each cluster whole
            words &= set(Graphemes(text).starts)
        cuts = sorted(words | {s.start for s in entities} | {s.end for s in entities})
        tokens = list(_tokens(text, cuts))
        starts = sorted({sent.start_char for sent in sdoc.sents} - {b for a, e in inside for b in range(a + 1, e)})
        tags = _tags(tokens, entities)
        lines = [f"# newdoc id = {doc.id}\n"]
        sentence, number, sentences = -1, 0, 0
        for i, (start, end) in enumerate(tokens):
            here = bisect_right(starts, start) - 1
            if here != sentence:
                sentence, number, sentences = here, 0, sentences + 1
                last = _sentence_end(tokens, starts, i)
                blank = "\n" if i else ""  # a blank line ends the sentence before
                lines.append(f"{blank}# sent_id = {sentences}\n# text = {_LINE_BREAK.sub(' ', text[start:tokens[last][1]])}\n")
            number += 1
            closing = i + 1 == len(tokens) or bisect_right(starts, tokens[i + 1][0]) - 1 != sentence
            misc = [f"NE={tags[i]}"] if tags[i] != "O" else []
            if i == 0 and start:
                misc.append(f"SpacesBefore={escape(text[:start])}")
            gap = text[end:tokens[i + 1][0]] if i + 1 < len(tokens) else text[end:]
            usual = "" if i + 1 == len(tokens) else "\n" if closing else " "
            if gap != usual:
                misc.append("SpaceAfter=No" if not gap else f"SpacesAfter={escape(gap)}")
            lines.append(f"{number}\t{text[start:end]}\t_\t_\t_\t_\t_\t_\t_\t{'|'.join(misc) or '_'}\n")
        (self.path / f"{doc.id:06d}.conllu").write_text("".join(lines) + "\n", encoding="utf-8", newline="\n")
        return len(entities)

    def close(self) -> list[Path]:
        return [self.path]


def _tokens(text: str, cuts: list[int]) -> Iterator[tuple[int, int]]:
    """The text's runs of non-white-space, cut where spaCy's tokens and the entities start or end."""
    for match in _WORD.finditer(text):
        start, end = match.span()
        at = bisect_right(cuts, start)
        while at < len(cuts) and cuts[at] < end:
            yield start, cuts[at]
            start = cuts[at]
            at += 1
        yield start, end


def _tags(tokens: list[tuple[int, int]], entities: list[Span]) -> list[str]:
    """Each token's IOB2 tag; entities start and end on tokens (they cut them)."""
    tags = ["O"] * len(tokens)
    firsts = {start: i for i, (start, _) in enumerate(tokens)}
    for span in entities:
        i = firsts[span.start]
        tags[i] = f"B-{span.label}"
        while tokens[i][1] < span.end:
            i += 1
            tags[i] = f"I-{span.label}"
    return tags


def _sentence_end(tokens: list[tuple[int, int]], starts: list[int], first: int) -> int:
    """The index of the last token of the sentence that begins at token ``first``."""
    nxt = bisect_right(starts, tokens[first][0])
    limit = starts[nxt] if nxt < len(starts) else None
    last = first
    while last + 1 < len(tokens) and (limit is None or tokens[last + 1][0] < limit):
        last += 1
    return last
