"""File formats, one module per format holding both directions, registered in :data:`FORMATS`.

Readers yield :class:`~annotator.domain.NewDocument` one at a time (the caller stores them in
one transaction, so a bad file imports nothing) and raise :class:`InputError` naming the file
and line of the first problem. What a reader cannot carry over (a second annotator, an event)
it reports through :meth:`ReadOptions.warn`, with counts: nothing is dropped silently.
Writers take one document and its checked spans at a time. The CLI, the window's dialogs and
the tests all go by :data:`FORMATS`; a format's module (and spaCy, for the token-based ones)
loads only when it is used.
"""

from __future__ import annotations

import importlib
import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from annotator.domain import NewDocument, SpanError, check_text
from annotator.formats.units import CODEPOINTS, UTF16


class InputError(Exception):
    """Bad input: the message names the file, and the line (or, as text, the item: "task 3")
    where there is one."""

    def __init__(self, path: Path | str, message: str, line: int | str | None = None) -> None:
        self.path, self.line, self.reason = Path(path), line, message
        where = f"{path}, line {line}" if isinstance(line, int) else f"{path}, {line}" if line else str(path)
        super().__init__(f"{where}: {message}")


# The formats that write several people's answers on one text: a task each (Prodigy), an annotation each (Label Studio).
ALL_LAYERS = ("jsonl", "labelstudio")
CONLL_DOC_SEPS = ("docstart", "blank")  # or "N-blank-lines", e.g. "2-blank-lines"
# JSON nested deeper than Python's parser goes (about 1,000 levels) is refused in one line.
TOO_DEEP = "JSON nested too deeply (more than about 1,000 arrays or objects inside one another)"


@dataclass
class ReadOptions:
    """What the user said about the input, and the warnings the readers gathered."""

    conll_doc_sep: str | None = None  # None: -DOCSTART- lines, or blank lines in Label Studio's CoNLL export
    status: str | None = None  # every document comes in with this status
    brat_types: tuple[str, ...] = ()  # brat: only text-bound annotations of these types (full or short name)
    offsets: str | None = None  # the unit of every file's offsets (--offsets); None: each format's own
    warnings: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # what was assumed (the unit of offsets), not wrong

    def warn(self, path: Path, message: str) -> None:
        self.warnings.append(f"{path}: {message}")

    def note(self, path: Path, message: str) -> None:
        self.notes.append(f"{path}: {message}")



@dataclass
class WriteOptions:
    as_predictions: bool = False  # Label Studio: our layer as predictions instead of annotations
    shard_size: int = 1000  # spaCy: documents per .spacy file in a folder
    offsets: str | None = None  # the unit offsets are written in (--offsets); None: the format's own
    shared: dict[str, Any] = field(default_factory=dict)  # what the writers of one export share (hf: its splits)
    all_layers: bool = False  # every person's layer of a document, each naming its person (ALL_LAYERS formats)

    def unit(self, fmt: str) -> str:
        return self.offsets or FORMATS[fmt].offsets


class Writer(Protocol):
    path: Path  # the file, or the folder, written

    def write(self, doc: Any, spans: list[Any], problems: list[str]) -> int: ...

    def close(self) -> list[Path]: ...


@dataclass(frozen=True)
class Format:
    """One row of the table: what a format is called, what files it takes, what it can do."""

    name: str
    module: str  # annotator.formats.<module> defines read(path, options) and/or Writer
    extensions: tuple[str, ...]  # what an import recognises it by ("" for none)
    description: str
    reads: bool
    writes: bool
    annotations: bool  # carries spans (else only article texts, or only a span table)
    suffix: str = ""  # what an export writes: a file suffix, or "/" for a folder
    reader: str = "read"
    writer_class: str = "Writer"
    exact_text: bool = True  # a round trip gives back the very text (CoNLL keeps only tokens)
    round_trip: bool = True  # its export can be imported again (the CSV span table cannot)
    entities_only: bool = False  # carries the entities alone (numbers, values, resolved dates stay behind)
    reads_as: str = ""  # another format whose reader reads this one (doccano's lines are JSON Lines)
    offsets: str = ""  # the unit its editor counts offsets in (see annotator.formats.offsets); "" for none

    @property
    def read(self) -> Callable[[Path, ReadOptions], Iterator[NewDocument]]:
        if self.reads_as:
            return FORMATS[self.reads_as].read
        reader: Callable[[Path, ReadOptions], Iterator[NewDocument]] = getattr(
            importlib.import_module(f"annotator.formats.{self.module}"), self.reader)
        return reader

    def writer(self, path: Path, options: WriteOptions | None = None) -> Writer:
        cls = getattr(importlib.import_module(f"annotator.formats.{self.module}"), self.writer_class)
        made: Writer = cls(path, options or WriteOptions())
        return made


FORMATS: dict[str, Format] = {f.name: f for f in (
    Format("txt", "text", (".txt", ".text"), "plain text, one article a file (a first line `date YYYY-MM-DD` "
           "becomes the date)", reads=True, writes=False, annotations=False),
    Format("jsonl", "prodigy", (".jsonl", ".ndjson"), "JSON Lines: plain {text, meta}, Prodigy (spans, tokens) "
           "or doccano, told apart by content; writes Prodigy tasks", reads=True, writes=True, annotations=True,
           suffix=".jsonl", offsets=CODEPOINTS),
    Format("doccano", "doccano", (), "doccano JSONL: label triples or entities with relations; document labels as cats or a "
           "label list", reads=True, writes=True, annotations=True, suffix=".jsonl", reads_as="jsonl", offsets=UTF16),
    Format("labelstudio", "labelstudio", (".json",), "Label Studio JSON tasks or JSON-MIN (offsets in code "
           "points); writes tasks with annotations or predictions", reads=True, writes=True, annotations=True,
           suffix=".json", offsets=CODEPOINTS),
    Format("brat", "brat", (".ann",), "brat standoff: a .txt and a .ann per document, text-bound spans "
           "(relations, events, attributes counted, not imported)", reads=True, writes=True, annotations=True,
           suffix="/", offsets=CODEPOINTS),
    Format("conll", "conll", (".conll", ".iob", ".bio", ".bilou"), "CoNLL/IOB: a token and its "
           "tag a line (IOB1, IOB2, BILUO, BIOES); writes CoNLL-2003 with -DOCSTART-", reads=True, writes=True,
           annotations=True, suffix=".conll", exact_text=False),
    Format("conll-doccano", "conll", (), "CoNLL as doccano imports it: token TAB tag, documents apart by a "
           "blank line, no -DOCSTART-", reads=True, writes=True, annotations=True, suffix=".conll",
           reader="read_doccano", writer_class="DoccanoWriter", exact_text=False),
    Format("conllu", "conllu", (".conllu",), "CoNLL-U (INCEpTION, Universal Dependencies): sentences and tokens, "
           "SpaceAfter=No and SpacesAfter in MISC so the text comes back whole, entities as NE=B-LOC in MISC (spaCy's "
           "convert reads them); writes a folder of .conllu", reads=True, writes=True, annotations=True, suffix="/",
           entities_only=True),
    Format("spacy", "docbin", (".spacy",), "spaCy DocBin: doc.ents, numbers in doc.spans['numbers']; large "
           "exports are a folder of shards", reads=True, writes=True, annotations=True, suffix=".spacy"),
    Format("webanno", "webanno", (".tsv",), "WebAnno TSV 3.3 (INCEpTION, WebAnno): one document a file, its named "
           "entity layer (other layers counted, not imported); writes a folder of .tsv", reads=True, writes=True,
           annotations=True, suffix="/", exact_text=False, offsets=UTF16),
    Format("uima-xmi", "cas", (".xmi",), "UIMA CAS XMI (INCEpTION): the text and its named entities, through "
           "dkpro-cassis; writes a folder of .xmi and TypeSystem.xml", reads=True, writes=True, annotations=True,
           suffix="/", reader="read_xmi", writer_class="XmiWriter", offsets=UTF16, entities_only=True),
    Format("uima-json", "cas", (), "UIMA CAS JSON (INCEpTION): a .json of %TYPES and %FEATURE_STRUCTURES, told apart "
           "from Label Studio's by content; writes a folder of .json", reads=True, writes=True, annotations=True,
           suffix="/", reader="read_json", writer_class="JsonWriter", offsets=UTF16, entities_only=True),
    Format("hf", "hf", (), "Hugging Face datasets DatasetDict saved to disk: spaCy's tokens, ner_tags as a "
           "ClassLabel of IOB2 names, the text and character offsets (needs the datasets package)", reads=False,
           writes=True, annotations=True, suffix="/", round_trip=False, offsets=CODEPOINTS),
    Format("facts", "facts", (), "the facts table (CSV): one row per number with its value, what it counts (its COUNTS "
           "link), the place and date of its sentence, the document and offsets", reads=False, writes=True,
           annotations=True, suffix=".csv", round_trip=False),
    Format("csv", "csvfile", (".csv",), "CSV: articles in a `text` column (Label Studio's CSV export too); "
           "writes one row a span", reads=True, writes=True, annotations=False, suffix=".csv", round_trip=False,
           offsets=CODEPOINTS),
)}

def format_of(path: Path) -> Format | None:
    """The format a file's extension names; None for files that a folder import passes over."""
    suffix = path.suffix.lower()
    if suffix in (".txt", ".text") and path.with_suffix(".ann").exists():
        return FORMATS["brat"]
    return next((f for f in FORMATS.values() if suffix in f.extensions), None)


def files_in(paths: Iterable[Path | str]) -> Iterator[Path]:
    """The files named, with folders walked in name order. Files of unknown kinds are passed
    over; a folder or file that cannot be read stops the import with its name."""
    for path in map(Path, paths):
        if path.is_dir():
            yield from _walk(path)
        elif path.exists():
            yield path
        else:
            raise InputError(path, "no such file or folder")


def _walk(folder: Path) -> Iterator[Path]:
    def refuse(err: OSError) -> None:
        raise InputError(err.filename or folder, f"cannot read this folder ({err.strerror or err})")

    found: list[Path] = []
    for root, dirs, files in os.walk(folder, onerror=refuse):
        dirs.sort()
        for name in files:
            path = Path(root, name)
            if format_of(path) and not (path.suffix.lower() == ".ann" and path.with_suffix(".txt").exists()):
                found.append(path)  # a brat pair is read once, through its .txt
    yield from sorted(found)


def read_paths(paths: Iterable[Path | str], fmt: str | None = None,
               options: ReadOptions | None = None) -> Iterator[NewDocument]:
    """Every document of every file, in order; ``fmt`` overrides what extensions say."""
    options = options or ReadOptions()
    if fmt is not None and (fmt not in FORMATS or not FORMATS[fmt].reads):
        raise InputError(fmt, f"unknown format (expected one of: {', '.join(readable())})")
    for path in files_in(paths):
        found = FORMATS[fmt] if fmt else format_of(path)
        if found is None:
            raise InputError(path, f"unknown file type {path.suffix!r} (expected one of: "
                                   f"{', '.join(sorted({e for f in FORMATS.values() for e in f.extensions}))}; "
                                   "or say which with --format)")
        for doc in found.read(path, options):
            try:
                check_text(doc.text)
            except SpanError as err:
                raise InputError(doc.source or path, str(err), doc.line) from None
            if options.status:
                doc.status = options.status
            yield doc


def readable() -> list[str]:
    return [name for name, f in FORMATS.items() if f.reads]


def writable() -> list[str]:
    return [name for name, f in FORMATS.items() if f.writes]


def open_binary(path: Path) -> Any:
    """The file opened for reading; a file that cannot be opened is refused with its name."""
    try:
        return path.open("rb")
    except OSError as err:
        raise InputError(path, f"cannot read this file ({err.strerror or err})") from None


def decode(path: Path, data: bytes, line_base: int = 1, first: bool = True, bom: bool = True) -> str:
    """UTF-8 bytes as text, refusing UTF-16, binary and non-UTF-8 input with the line at fault.
    A leading byte-order mark of the file (``first``) is dropped unless ``bom`` is False: then
    it is the text's first character (brat counts it in its offsets)."""
    if first and data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        raise InputError(path, "this file is UTF-16 text; annotator reads UTF-8 (save it as UTF-8)", 1)
    if b"\x00" in data:
        at = data.index(b"\x00")
        if first and len(data) > 1 and (data[1:2] == b"\x00" or data[:1] == b"\x00"):
            raise InputError(path, "this file looks like UTF-16 text (every other byte is 0); annotator reads "
                                   "UTF-8 (save it as UTF-8)", 1)
        raise InputError(path, "binary file (contains NUL bytes), not text", line_base + data[:at].count(b"\n"))
    try:
        return data.decode("utf-8-sig" if first and bom else "utf-8")
    except UnicodeDecodeError as err:
        line = line_base + data[: err.start].count(b"\n")
        raise InputError(path, f"not UTF-8 text (byte 0x{data[err.start]:02x} at offset {err.start})", line) from None


# The most one article (a line of JSON Lines, a text file, a CSV cell) may hold: a book is 3 MB.
# Reading is bounded by it (a 300 MB line is refused after 32 MB, not read whole into memory).
MAX_ARTICLE_BYTES = 32 * 2**20


def too_big(what: str) -> str:
    return (f"{what} is longer than {MAX_ARTICLE_BYTES // 2**20} MB, the most an article may hold "
            "(split it into several articles)")


def read_text_file(path: Path, bom: bool = True) -> str:
    """A whole file as text (line ends kept as they are); empty files are refused, and so is one
    larger than an article may be. ``bom``: see :func:`decode`."""
    with open_binary(path) as file:
        data = file.read(MAX_ARTICLE_BYTES + 1)
        if len(data) > MAX_ARTICLE_BYTES:
            raise InputError(path, too_big("this file"))
        text = decode(path, data, bom=bom)
    if not text.strip():
        raise InputError(path, "empty file")
    return text


def lines_of(path: Path, allow_empty: bool = False) -> Iterator[tuple[int, str]]:
    """A file's lines, streamed, with their numbers. Lines end at ``\\n`` (or ``\\r\\n``) only:
    U+2028, U+2029 and U+0085 are characters inside a line (JSON allows them raw)."""
    empty = True
    with open_binary(path) as file:
        for number, raw in enumerate(iter(lambda: file.readline(MAX_ARTICLE_BYTES + 1), b""), 1):
            if len(raw) > MAX_ARTICLE_BYTES:
                raise InputError(path, too_big("this line"), number)
            line = decode(path, raw, number, first=number == 1)
            if empty and line.strip():
                empty = False
            yield number, line.rstrip("\r\n") if line.endswith("\n") else line
    if empty and not allow_empty:
        raise InputError(path, "empty file")


def lines_in_blocks(path: Path, block: int = 2**20) -> Iterator[tuple[int, str]]:
    """A file's lines with their numbers, as :func:`lines_of` gives them, but decoded a block of
    whole lines at a time: several times faster for files of many short lines (CoNLL-U's). A line
    longer than an article may be is refused, so memory stays bounded."""
    number, rest, first = 1, b"", True
    with open_binary(path) as file:
        while True:
            chunk = file.read(block)
            data = rest + chunk
            cut = data.rfind(b"\n") + 1 if chunk else len(data)
            if chunk and not cut:  # no line end yet: the line goes on in the next block
                if len(data) > MAX_ARTICLE_BYTES:
                    raise InputError(path, too_big("this line"), number)
                rest = data
                continue
            lines = decode(path, data[:cut], number, first=first).split("\n")
            tail = lines.pop()  # after the last line end: nothing, or at the file's end a line without one
            for line in lines:
                yield number, line.rstrip("\r")
                number += 1
            if not chunk:
                if tail:
                    yield number, tail
                return
            rest, first = data[cut:], False
