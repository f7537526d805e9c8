"""CoNLL/IOB, both ways: a token a line with its tag in the last column.

Read: IOB1, IOB2, BILUO or BIOES tags; columns split by tabs when the line has one (a token
may then hold spaces), else by spaces. A file does not say where a document ends, so the user
does (``--conll-doc-sep``): ``docstart`` (default: ``-DOCSTART-`` lines part documents, blank
lines part sentences), ``blank`` (every blank line ends a document: doccano's files, and Label
Studio's, which write one ``-DOCSTART-`` and part tasks by blank lines; its shape, three
columns on the ``-DOCSTART-`` line, is recognised when no separator is given) or
``N-blank-lines`` (a run of N blank lines ends a document). A file of many blocks read as one
document is noted (warned about past 500), with the flag that parts it.
The text is rebuilt from the tokens (spaces between tokens, a line per sentence), so the
original spacing is not kept.
Write: CoNLL-2003 (``token TAG``, IOB2, ``-DOCSTART- -X- O O`` before each document, sentences
apart) or doccano's variant (``token<TAB>TAG``, no ``-DOCSTART-``, a blank line between
documents). White-space tokens are left out; white space inside a token becomes ``_``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from annotator.domain import Document, NewDocument, Span
from annotator.formats import InputError, ReadOptions, lines_of, open_binary
from annotator.formats.spans import span_from
from annotator.formats.writing import FileWriter, aligned, ner_entities

TAG = re.compile(r"^(O|([BIELUS])-(\S+))$")
_BLANK_RUN = re.compile(r"^([1-9]\d*)-blank-lines?$")
_SPACE = re.compile(r"\s")
BIG = 500  # sentences in one document read in docstart mode that deserve a hint

Token = tuple[str, str, int]  # text, tag, line
Piece = tuple[int, int, str, int]  # a token's start and end in the text, its tag, its line; (-1, -1, "O", 0) ends a sentence


def blanks_ending_a_document(path: Path, sep: str) -> int | None:
    """How many blank lines in a row end a document (None: only -DOCSTART- does)."""
    if sep == "docstart":
        return None
    if sep == "blank":
        return 1
    match = _BLANK_RUN.match(sep)
    if not match:
        raise InputError(path, f"--conll-doc-sep takes docstart, blank or N-blank-lines (e.g. 2-blank-lines), "
                               f"not {sep!r}")
    return int(match.group(1))


def read(path: Path, options: ReadOptions) -> Iterator[NewDocument]:
    sep = options.conll_doc_sep
    if sep is None and _label_studio_shape(path):
        options.note(path, "Label Studio's CoNLL export (one '-DOCSTART- -X- O', tasks apart by blank lines): every "
                           "blank line ends a document (--conll-doc-sep docstart reads it as one)")
        sep = "blank"
    return _read(path, options, sep or "docstart")


def _label_studio_shape(path: Path) -> bool:
    """Label Studio's converter writes ``-DOCSTART- -X- O`` (three columns, not CoNLL-2003's four)
    on top, then ``token -X- _ TAG`` lines and a blank line after each task."""
    with open_binary(path) as file:
        head = [line.split() for line in file.read(4096).decode("utf-8", "replace").splitlines() if line.strip()]
    return len(head) > 1 and head[0] == ["-DOCSTART-", "-X-", "O"] and len(head[1]) == 4 and head[1][1:3] == ["-X-", "_"]


def read_doccano(path: Path, options: ReadOptions) -> Iterator[NewDocument]:
    """doccano's CoNLL: every blank line ends a document."""
    return _read(path, options, "blank")


def _read(path: Path, options: ReadOptions, sep: str) -> Iterator[NewDocument]:
    run_ends = blanks_ending_a_document(path, sep)
    sentences: list[list[Token]] = [[]]
    first_line, blanks, docstarts, documents = 1, 0, 0, 0
    for number, raw in lines_of(path):
        columns = raw.split("\t") if "\t" in raw else raw.split()
        columns = [c.strip() for c in columns if c.strip()]
        if columns and columns[0] == "-DOCSTART-":
            docstarts += 1
            if any(sentences):
                documents += 1
                yield _document(path, sentences, first_line)
            sentences, first_line, blanks = [[]], number + 1, 0
            continue
        if not columns:
            blanks += 1
            if run_ends and blanks == run_ends and any(sentences):
                documents += 1
                yield _document(path, sentences, first_line)
                sentences = [[]]
            elif sentences[-1]:
                sentences.append([])
            continue
        if blanks and not any(sentences):
            first_line = number
        blanks = 0
        if len(columns) < 2:
            raise InputError(path, f"expected a token and a tag, found {raw.strip()!r}", number)
        if not TAG.match(columns[-1]):
            raise InputError(path, f"unknown tag {columns[-1]!r} (expected O, or B-, I-, E-, L-, U-, S- and a label)",
                             number)
        sentences[-1].append((columns[0], columns[-1], number))
    if any(sentences):
        documents += 1
        blocks = sum(1 for s in sentences if s)
        if run_ends is None and docstarts <= 1 and blocks > 1:
            say = options.warn if blocks > BIG else options.note
            say(path, f"read as one document of {blocks:,} blocks apart by blank lines (the file has "
                      f"{'one -DOCSTART-' if docstarts else 'no -DOCSTART-'}); if blank lines part documents, "
                      "import it with --conll-doc-sep blank (or N-blank-lines)")
        yield _document(path, sentences, first_line)


def _document(path: Path, sentences: list[list[Token]], line: int) -> NewDocument:
    """Tokens joined by spaces, sentences by new lines; entities from the tags."""
    parts: list[str] = []
    at = 0
    pieces: list[Piece] = []
    for sentence in (s for s in sentences if s):
        for i, (token, tag, number) in enumerate(sentence):
            if i:
                parts.append(" ")
                at += 1
            pieces.append((at, at + len(token), tag, number))
            parts.append(token)
            at += len(token)
        pieces.append((-1, -1, "O", 0))  # a sentence boundary ends any entity
        parts.append("\n")
        at += 1
    text = "".join(parts)[:-1]
    return NewDocument(text=text, meta={"source": f"{path.name}:{line}"}, spans=tagged_spans(path, text, pieces),
                       source=str(path), line=line)


def tagged_spans(path: Path, text: str, pieces: list[Piece]) -> list[Span]:
    """The entities that tokens' tags (IOB1, IOB2, BILUO or BIOES) make; a sentence's end ends any."""
    spans: list[Span] = []
    open_: tuple[str, int, int] | None = None  # label, start, line
    end = 0
    for start, stop, tag, number in pieces:
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
    return spans


def tagged_sentences(doc: Document, spans: list[Span], problems: list[str], sep: str) -> tuple[list[list[str]], int]:
    """Each sentence's lines (token, ``sep``, tag), and how many spans were kept."""
    from annotator.detect.pipeline import make_sentences

    sdoc = make_sentences(doc.text)
    tags = ["O"] * len(sdoc)
    kept = 0
    for span in ner_entities(spans):
        found = aligned(sdoc, doc, span, problems)
        if found is None:
            continue
        kept += 1
        tags[found.start] = "B-" + span.label
        for i in range(found.start + 1, found.end):
            tags[i] = "I-" + span.label
    words = [_SPACE.sub("_", w) if not w.isspace() else "" for w in (t.text for t in sdoc)]
    sentences = [[words[i] + sep + tags[i] for i in range(s.start, s.end) if words[i]] for s in sdoc.sents]
    return [s for s in sentences if s], kept


class Writer(FileWriter):
    """CoNLL-2003: ``token TAG``, ``-DOCSTART-`` before each document, a blank line after each sentence."""

    def write(self, doc: Document, spans: list[Span], problems: list[str]) -> int:
        sentences, kept = tagged_sentences(doc, spans, problems, " ")
        self.put("-DOCSTART- -X- O O\n\n" + "".join("\n".join(sentence) + "\n\n" for sentence in sentences))
        return kept


class DoccanoWriter(FileWriter):
    """doccano's CoNLL import: ``token<TAB>TAG``, a document's tokens together, a blank line after it."""

    def write(self, doc: Document, spans: list[Span], problems: list[str]) -> int:
        sentences, kept = tagged_sentences(doc, spans, problems, "\t")
        if sentences:
            self.put("\n".join(line for sentence in sentences for line in sentence) + "\n\n")
        return kept
