"""WebAnno TSV 3.3, INCEpTION's and WebAnno's tab-separated format, both ways: one document a file.

A file opens with ``#FORMAT=WebAnno TSV 3.3`` and its layers (``#T_SP=`` span layers,
``#T_CH=`` chains, ``#T_RL=`` relations, each ``name|feature|feature…``: one column per feature);
then each sentence: its text on ``#Text=`` lines (one per line of the sentence), and a row per
token: ``sentence-token``, ``begin-end`` (offsets into the document in UTF-16 units, as Java
counts: its own tests put an emoji at 10-12), the token and a column per feature. A span over
several tokens carries an id, ``PER[3]``, on each of its tokens; several spans on one token are
stacked, ``LOC[2]|PER[3]``; ``_`` is nothing, ``*`` an annotation without that feature's value;
``\\`` escapes the reserved ``\\ [ ] | _ -> ; * TAB``.
Read: the text is put together from the sentences at their tokens' offsets (what lies between
sentences is not in the file: a line end and spaces fill it); the named entity layer
(``…ner.type.NamedEntity``) becomes entities, labelled by their ``value`` (else
``NamedEntity``). Stacked entities over the same words are reported (the first is kept: a
project's entities may not overlap); other layers are counted, not imported.
Write: a folder of ``NNNNNN.tsv``, spaCy's sentences and tokens (white space left out), the
named entity layer with ``identifier`` and ``value``; a span that cuts a token is reported
and left out.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from annotator.domain import ENTITIES, Document, NewDocument, Span
from annotator.formats import InputError, ReadOptions, WriteOptions, lines_of
from annotator.formats.offsets import GRAPHEMES, NAMES, UNITS, UTF16, Places, Readings
from annotator.formats.spans import Found, span_in
from annotator.formats.writing import aligned

NAMED_ENTITY = "de.tudarmstadt.ukp.dkpro.core.api.ner.type.NamedEntity"
HEADER = f"#FORMAT=WebAnno TSV 3.3\n#T_SP={NAMED_ENTITY}|identifier|value\n\n"
_RESERVED = re.compile(r"\\|\[|\]|\||_|->|;|\t|\*")
_ESCAPED = re.compile(r"\\(\\|\[|\]|\||_|->|;|\t|\*)")
_LAYER = re.compile(r"^#T_(SP|CH|RL)=([^|]+)(?:\|(.*))?$")
_ROW = re.compile(r"^(\d+)-(\d+)(\.\d+)?\t(\d+)-(\d+)\t")
_CELL = re.compile(r"^(.*?)(?:\[(\d+)\])?$")
_STACK = re.compile(r"(?<!\\)\|")


def escape(value: str) -> str:
    return _RESERVED.sub(lambda m: "\\" + m.group(), value)


def unescape(value: str) -> str:
    return _ESCAPED.sub(lambda m: m.group(1), value)


@dataclass
class Layers:
    """The file's layers: which column holds the named entities' value, how many columns there are."""

    columns: int = 0
    entity: int | None = None  # the column of the NamedEntity layer's value (or its first feature)
    other: dict[int, str] = field(default_factory=dict)  # first column of each other layer: its name

    def add(self, name: str, features: list[str]) -> None:
        width = max(1, len(features))
        if name == NAMED_ENTITY or name.endswith(".NamedEntity"):
            self.entity = self.columns + (features.index("value") if "value" in features else 0)
        else:
            self.other[self.columns] = name.rsplit(".", 1)[-1]
        self.columns += width


@dataclass
class Mention:
    label: str
    start: int  # in the file's unit
    end: int
    line: int


def measure(text: str, unit: str) -> int:
    """How long ``text`` is in ``unit``."""
    if unit == UTF16:
        return len(text.encode("utf-16-le")) // 2
    if unit == GRAPHEMES:
        import regex  # type: ignore[import-untyped]  # no stubs

        return len(regex.findall(r"\X", text))
    return len(text)


def read(path: Path, options: ReadOptions) -> Iterator[NewDocument]:
    reading = Readings(path, options)["webanno"]
    layers = Layers()
    text = Text(path, reading.unit)
    sentence: list[str] = []  # the #Text lines of the sentence being read
    mentions: list[Mention] = []
    open_ids: dict[str, Mention] = {}
    others: Counter[str] = Counter()
    for number, line in lines_of(path):
        if number == 1:
            if not line.startswith("#FORMAT=WebAnno TSV 3"):
                raise InputError(path, "not WebAnno TSV (its first line is '#FORMAT=WebAnno TSV 3.3'); for another "
                                       "kind of file say which with --format", 1)
            continue
        if line.startswith("#T_"):
            layer = _LAYER.match(line)
            if layer is None:
                raise InputError(path, f"a layer line that cannot be read: {line[:60]!r}", number)
            layers.add(layer.group(2), layer.group(3).split("|") if layer.group(3) else [])
            continue
        if line.startswith("#Text="):
            if text.sentence is not None:
                sentence, text.sentence = [], None
            sentence.append(unescape(line[6:]))
            continue
        if not line.strip() or line.startswith("#"):
            continue
        row = _ROW.match(line)
        if row is None:
            raise InputError(path, f"expected a token row 'sentence-token<TAB>begin-end<TAB>token…', found {line[:60]!r}",
                             number)
        cells = line.split("\t")
        begin, end = int(row.group(4)), int(row.group(5))
        if not row.group(3):  # a sub-token (1-3.1) lies inside its token: only its annotations count
            text.place(sentence, unescape(cells[2]), begin, end, number)
        _cells(cells[3:], layers, begin, end, mentions, open_ids, others, number)
    document = "".join(text.pieces)
    if not document.strip():
        raise InputError(path, "no tokens: an empty document")
    spans = _entities(Found(path, None, document).use(reading), mentions, options)
    if others:
        options.warn(path, "not imported: " + ", ".join(f"{n} annotation(s) of layer {name}" for name, n in sorted(
            others.items())) + " (a project holds entity spans; the named entities were imported)")
    reading.report(options)
    yield NewDocument(text=document, meta={"source": path.name}, spans=spans, source=str(path))


class Text:
    """The document put together token by token, each at its offsets, with the sentence's text
    between tokens; what lies between sentences is not in the file (one space, or line ends)."""

    def __init__(self, path: Path, unit: str) -> None:
        self.path, self.unit = path, unit
        self.pieces: list[str] = []
        self.size = 0  # of the text so far, in the file's unit
        self.sentence: str | None = None  # the current sentence's text, once its first token is placed
        self.at = 0  # where in it the last token ended

    def place(self, lines: list[str], token: str, begin: int, end: int, line: int) -> None:
        first = self.sentence is None
        if first:
            self.sentence, self.at = "\n".join(lines), 0
        assert self.sentence is not None
        found = self.sentence.find(token, self.at)
        if found < 0:
            raise InputError(self.path, f"the token {token!r} is not in its sentence's #Text line", line)
        between, need = self.sentence[self.at:found], begin - self.size
        if need < 0 or measure(token, self.unit) != end - begin:
            raise InputError(self.path, f"the token {token!r} at {begin}-{end} does not fit the text before it or its "
                                        f"own length in {NAMES[self.unit]}; are the offsets counted in another unit? (--offsets "
                                        f"{'|'.join(u for u in UNITS if u != self.unit)})", line)
        self.pieces += [self._fill(between, need, first), token]
        self.size, self.at = end, found + len(token)

    def _fill(self, between: str, need: int, first: bool) -> str:
        """``between`` (the sentence's text before the token), made ``need`` units long."""
        have = measure(between, self.unit)
        if not first and have != need and measure(crlf := between.replace("\n", "\r\n"), self.unit) == need:
            return crlf  # a Windows line end, of which the #Text lines keep only the \n
        if have == need or (not first and have > need):
            return between if have == need else " " * need
        gap = need - have  # before a sentence: what separated it from the one before
        return (" " if gap == 1 else "\n" * gap) + between


def _cells(cells: list[str], layers: Layers, begin: int, end: int, mentions: list[Mention],
           open_ids: dict[str, Mention], others: Counter[str], number: int) -> None:
    """The annotations a token row's feature columns hold."""
    for column, name in layers.other.items():
        if column < len(cells) and cells[column] not in ("_", ""):
            others[name] += 1
    if layers.entity is None or layers.entity >= len(cells) or cells[layers.entity] in ("_", ""):
        return
    for value in _STACK.split(cells[layers.entity]):
        match = _CELL.match(value)
        assert match is not None  # the pattern matches any text
        label, ident = unescape(match.group(1)), match.group(2)
        label = "NamedEntity" if label in ("*", "") else label
        if ident is not None and ident in open_ids:
            open_ids[ident].end = max(open_ids[ident].end, end)
            continue
        mention = Mention(label, begin, end, number)
        mentions.append(mention)
        if ident is not None:
            open_ids[ident] = mention


def _entities(found: Found, mentions: list[Mention], options: ReadOptions) -> list[Span]:
    """The mentions as spans; stacked ones (over words another covers) reported, the first kept."""
    spans: list[Span] = []
    stacked: list[Mention] = []
    for mention in sorted(mentions, key=lambda m: (m.start, -m.end)):
        found.line = mention.line
        span = span_in(found, mention.start, mention.end, mention.label)
        if spans and span.start < spans[-1].end:
            stacked.append(mention)
            continue
        spans.append(span)
    if stacked:
        options.warn(found.path, f"{len(stacked)} stacked named entit{'y' if len(stacked) == 1 else 'ies'} over words "
                                 f"another one covers not imported (first at line {stacked[0].line}: "
                                 f"{stacked[0].label}); a project's entities may not overlap, the first of each was kept")
    return spans


class Writer:
    """A folder of WebAnno TSV 3.3 files, one a document."""

    def __init__(self, path: Path, options: WriteOptions) -> None:
        self.path, self.options = path, options
        path.mkdir(parents=True, exist_ok=True)

    def write(self, doc: Document, spans: list[Span], problems: list[str]) -> int:
        from annotator.detect.pipeline import make_sentences

        sdoc = make_sentences(doc.text)
        at = Places(doc, self.options.unit("webanno"), problems)
        cells: dict[int, list[str]] = {}  # token index: its entities as "LABEL" or "LABEL[n]"
        kept, ident = 0, 0
        for span in (s for s in spans if s.layer == ENTITIES and at.fits(s)):
            found = aligned(sdoc, doc, span, problems)
            if found is None:
                continue
            kept += 1
            suffix = ""
            if len(found) > 1:
                ident += 1
                suffix = f"[{ident}]"
            for i in range(found.start, found.end):
                cells.setdefault(i, []).append(escape(span.label) + suffix)
        lines = [HEADER]
        for number, sent in enumerate((s for s in sdoc.sents if any(not t.is_space for t in s)), 1):
            words = [t for t in sent if not t.is_space]
            text = doc.text[words[0].idx:words[-1].idx + len(words[-1])]
            lines.append("\n" + "".join(f"#Text={escape(part)}\n" for part in text.split("\n")))
            for k, token in enumerate(words, 1):
                labels = cells.get(token.i)
                value = "|".join(labels) if labels else "_"
                identifier = "|".join("*" + re.sub(r"^.*?((?:\[\d+\])?)$", r"\1", v) for v in labels) if labels else "_"
                lines.append(f"{number}-{k}\t{at(token.idx)}-{at(token.idx + len(token))}\t{escape(token.text)}\t"
                             f"{identifier}\t{value}\n")
        (self.path / f"{doc.id:06d}.tsv").write_text("".join(lines), encoding="utf-8", newline="\n")
        return kept

    def close(self) -> list[Path]:
        return [self.path]
