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
from typing import Any

from annotator.domain import ENTITIES, Document, LinkRow, NewDocument, Span
from annotator.formats import InputError, ReadOptions, WriteOptions, links, read_text_file
from annotator.formats.links import UNLABELLED
from annotator.formats.offsets import GRAPHEMES, NAMES, UNITS, UTF16, Places, Readings, has_astral
from annotator.formats.spans import Found
from annotator.formats.writing import aligned

NAMED_ENTITY = "de.tudarmstadt.ukp.dkpro.core.api.ner.type.NamedEntity"
DOCUMENT_LABEL = "webanno.custom.DocumentLabel"  # a custom layer (span in TSV, document metadata in a CAS), feature value
RELATION = "webanno.custom.Relation"  # a custom relation layer on the named entities, feature label
HEADER = f"#FORMAT=WebAnno TSV 3.3\n#T_SP={NAMED_ENTITY}|identifier|value\n"
_RESERVED = re.compile(r"\\|\[|\]|\||_|->|;|\t|\*")
_ESCAPED = re.compile(r"\\(\\|\[|\]|\||_|->|;|\t|\*)")
_LAYER = re.compile(r"^#T_(SP|CH|RL)=([^|]+)(?:\|(.*))?$")
_ROWS = re.compile(r"^(\d+-\d+(?:\.\d+)?)\t(\d+)-(\d+)\t([^\t\n]*)((?:\t[^\t\n]*)*)$", re.MULTILINE)
_FIRST_ROW = re.compile(r"^\d", re.MULTILINE)
_CELL = re.compile(r"^(.*?)(?:\[(\d+)\])?$")
_STACK = re.compile(r"(?<!\\)\|")
_REFERENCE = re.compile(r"^(\d+-\d+(?:\.\d+)?)(?:\[(\d+)_(\d+)\])?$")  # a relation's source: its token[source_target ids]


def escape(value: str) -> str:
    return _RESERVED.sub(lambda m: "\\" + m.group(), value)


def unescape(value: str) -> str:
    return _ESCAPED.sub(lambda m: m.group(1), value) if "\\" in value else value


@dataclass
class Layers:
    """The file's layers: which columns hold the named entities' value, the document labels and
    the relations between named entities, how many columns there are."""

    columns: int = 0
    entity: int | None = None  # the column of the NamedEntity layer's value (or its first feature)
    category: int | None = None  # the column of the DocumentLabel layer's value
    relation: tuple[int | None, int] | None = None  # the relation layer's label column (None: no feature), its source's
    other: dict[int, str] = field(default_factory=dict)  # first column of each other layer: its name

    def add(self, kind: str, name: str, features: list[str]) -> None:
        width = max(1, len(features))
        source = next((k for k, f in enumerate(features) if f.startswith("BT_")), None)
        if kind == "SP" and (name == NAMED_ENTITY or name.endswith(".NamedEntity")):
            self.entity = self.columns + (features.index("value") if "value" in features else 0)
        elif kind == "SP" and name.endswith(".DocumentLabel"):
            self.category = self.columns + (features.index("value") if "value" in features else 0)
        elif (kind == "RL" and self.relation is None and source is not None
              and (features[source] == "BT_" + NAMED_ENTITY or features[source].endswith(".NamedEntity"))):
            label = next((k for k, f in enumerate(features) if not f.startswith("BT_")), None)
            self.relation = (None if label is None else self.columns + label, self.columns + source)
        else:
            self.other[self.columns] = name.rsplit(".", 1)[-1]
        self.columns += width


@dataclass
class Mention:
    label: str
    start: int  # in the file's unit
    end: int
    line: int | str  # a line, or (UIMA CAS) "annotation 7"


@dataclass
class Pending:
    """A relation as read, its ends named by token and id: found once the whole file is read."""

    label: str
    source: tuple[str, str | None]  # the source's first token ("1-3") and its id (None: a single token's, no id)
    target: tuple[str, str | None]
    line: int


def measure(text: str, unit: str) -> int:
    """How long ``text`` is in ``unit`` (ASCII, most tokens, is as long in any)."""
    if text.isascii():
        return len(text)
    if unit == UTF16:
        return len(text.encode("utf-16-le")) // 2
    if unit == GRAPHEMES:
        import regex

        return len(regex.findall(r"\X", text))
    return len(text)


def read(path: Path, options: ReadOptions) -> Iterator[NewDocument]:
    reading = Readings(path, options)["webanno"]
    layers = Layers()
    text = Text(path, reading.unit)
    data = read_text_file(path)  # one document a file: read whole, then a sentence (a block) at a time
    if "\r" in data:
        data = data.replace("\r\n", "\n")
    if not data.startswith("#FORMAT=WebAnno TSV 3"):
        raise InputError(path, "not WebAnno TSV (its first line is '#FORMAT=WebAnno TSV 3.3'); for another kind of file "
                               "say which with --format", 1)
    number = 1  # the line a block starts on
    for block in data.split("\n\n"):
        first_row = _FIRST_ROW.search(block)
        head = block[:first_row.start()] if first_row else block
        sentence = []
        for k, line in enumerate(head.split("\n")):
            if line.startswith("#Text="):
                sentence.append(unescape(line[6:]))
            elif line.startswith("#T_"):
                layer = _LAYER.match(line)
                if layer is None:
                    raise InputError(path, f"a layer line that cannot be read: {line[:60]!r}", number + k)
                layers.add(layer.group(1), layer.group(2), layer.group(3).split("|") if layer.group(3) else [])
            elif line.strip() and not line.startswith("#"):
                raise InputError(path, f"expected a token row 'sentence-token<TAB>begin-end<TAB>token…', found "
                                       f"{line[:60]!r}", number + k)
        if first_row:
            text.sentence(sentence, block[first_row.start():].rstrip("\n"), number + head.count("\n"), layers)
        number += block.count("\n") + 2
    found = Found(path, None, "".join(text.pieces))
    if not found.text.strip():
        raise InputError(path, "no tokens: an empty document")
    placed = keep_first_of_stacked(found.use(reading), text.mentions, options)
    relations = text.links(placed, options)
    if text.others:
        options.warn(path, "not imported: " + ", ".join(f"{n} annotation(s) of layer {name}" for name, n in sorted(
            text.others.items())) + " (a project holds entity spans; the named entities were imported)")
    reading.report(options)
    yield NewDocument(text=found.text, meta={"source": path.name}, spans=found.spans, entities=found.entities,
                      source=str(path), categories=list(dict.fromkeys(text.categories)), links=relations)


class Text:
    """The document put together a sentence at a time, each where its tokens' offsets put it
    (what lies between sentences is not in the file: one space, or line ends), and the
    annotations of its rows."""

    def __init__(self, path: Path, unit: str) -> None:
        self.path, self.unit = path, unit
        self.pieces: list[str] = []
        self.size = 0  # of the text so far, in the file's unit
        self.mentions: list[Mention] = []
        self.open_ids: dict[str, Mention] = {}
        self.others: Counter[str] = Counter()
        self.categories: list[str] = []
        self.named: dict[tuple[str, str | None], Mention] = {}  # a mention by its first token and id
        self.pending: list[Pending] = []

    def links(self, placed: dict[int, int], options: ReadOptions) -> list[LinkRow]:
        """The relations read, between the mentions kept (``placed``: each one's index among the
        document's spans); one whose end is missing or was not kept is reported."""
        rows: list[LinkRow] = []
        lost: list[Pending] = []
        for rel in self.pending:
            head, child = self.named.get(rel.source), self.named.get(rel.target)
            if head is None or child is None or id(head) not in placed or id(child) not in placed:
                lost.append(rel)
            else:
                rows.append((placed[id(head)], placed[id(child)], rel.label))
        if lost:
            options.warn(self.path, f"{len(lost)} relation(s) not imported: an end is not a named entity that was "
                                    f"imported (first at line {lost[0].line}: {lost[0].label})")
        return list(dict.fromkeys(rows))

    def sentence(self, lines: list[str], chunk: str, line: int, layers: Layers) -> None:
        """A sentence: its #Text lines, and its rows (``chunk``, from ``line`` on), read at once."""
        rows = _ROWS.findall(chunk)
        if len(rows) != chunk.count("\n") + 1:
            bad = next(k for k, text in enumerate(chunk.split("\n")) if not _ROWS.fullmatch(text))
            raise InputError(self.path, "expected a token row 'sentence-token<TAB>begin-end<TAB>token…', found "
                                        f"{chunk.split(chr(10))[bad][:60]!r}", line + bad)
        places = [(int(b), int(e)) for _, b, e, _, _ in rows]
        tokens = [unescape(t) for _, _, _, t, _ in rows]
        text = "\n".join(lines)
        if not self._whole(text, places, tokens):
            self._by_token(text, rows, places, tokens, line)
        blank = "\t_" * layers.columns
        for k, (address, _, _, _, rest) in enumerate(rows):
            if rest != blank and rest:
                begin, end = places[k]
                _cells(rest[1:].split("\t"), layers, (address, begin, end), self, line + k)

    def _whole(self, text: str, places: list[tuple[int, int]], tokens: list[str]) -> bool:
        """The sentence in one piece, when its offsets count as Python does and every token is at its place."""
        if self.unit == GRAPHEMES or (self.unit == UTF16 and has_astral(text)):
            return False
        start = places[0][0] - text.find(tokens[0])
        if text.find(tokens[0]) < 0 or start < self.size or any(
                text[b - start:e - start] != t for (b, e), t in zip(places, tokens)):
            return False
        self.pieces += [self._fill("", start - self.size, True), text]
        self.size = start + len(text)
        return True

    def _by_token(self, text: str, rows: list[tuple[str, ...]], places: list[tuple[int, int]], tokens: list[str],
                  line: int) -> None:
        """Token by token, with the sentence's text between them (its Windows line ends put back)."""
        at, first = 0, True
        for number, (row, (begin, end), token) in enumerate(zip(rows, places, tokens), line):
            if "." in row[0]:
                continue  # a sub-token (1-3.1) lies inside its token: only its annotations count
            found = text.find(token, at)
            if found < 0:
                raise InputError(self.path, f"the token {token!r} is not in its sentence's #Text line", number)
            need = begin - self.size
            if need < 0 or measure(token, self.unit) != end - begin:
                raise InputError(self.path, f"the token {token!r} at {begin}-{end} does not fit the text before it or "
                                            f"its own length in {NAMES[self.unit]}; are the offsets counted in another "
                                            f"unit? (--offsets {'|'.join(u for u in UNITS if u != self.unit)})", number)
            self.pieces += [self._fill(text[at:found], need, first), token]
            self.size, at, first = end, found + len(token), False

    def _fill(self, between: str, need: int, first: bool) -> str:
        """``between`` (the sentence's text before the token), made ``need`` units long."""
        have = measure(between, self.unit)
        if not first and have != need and measure(crlf := between.replace("\n", "\r\n"), self.unit) == need:
            return crlf  # a Windows line end, of which the #Text lines keep only the \n
        if have == need or (not first and have > need):
            return between if have == need else " " * need
        gap = need - have  # before a sentence: what separated it from the one before
        return (" " if gap == 1 else "\n" * gap) + between


def _cell(cells: list[str], column: int | None) -> list[str]:
    """A feature column's stacked values (none for ``_``)."""
    if column is None or column >= len(cells) or cells[column] in ("_", ""):
        return []
    return _STACK.split(cells[column])


def _value(cell: str) -> tuple[str, str | None]:
    """A stacked value's text and its id (``PER[3]``)."""
    match = _CELL.match(cell)
    assert match is not None  # the pattern matches any text
    return unescape(match.group(1)), match.group(2)


def _cells(cells: list[str], layers: Layers, token: tuple[str, int, int], text: Text, number: int) -> None:
    """The annotations a token row's feature columns hold."""
    mentions, open_ids, others = text.mentions, text.open_ids, text.others
    address, begin, end = token
    for column, name in layers.other.items():
        if column < len(cells) and cells[column] not in ("_", ""):
            others[name] += 1
    text.categories += [name for name, _ in map(_value, _cell(cells, layers.category)) if name not in ("*", "")]
    for value in _cell(cells, layers.entity):
        label, ident = _value(value)
        label = "NamedEntity" if label in ("*", "") else label
        if ident is not None and ident in open_ids:
            open_ids[ident].end = max(open_ids[ident].end, end)
            continue
        mention = Mention(label, begin, end, number)
        mentions.append(mention)
        text.named[(address, ident)] = mention
        if ident is not None:
            open_ids[ident] = mention
    if layers.relation is not None:
        _relations(cells, layers.relation, address, text, number)


def _relations(cells: list[str], columns: tuple[int | None, int], address: str, text: Text, number: int) -> None:
    """The relations a row holds, on their target's first token: a label and its source's token
    (``1-2``, or ``1-2[3_4]``: the source's id and the target's, 0 for a single token's none)."""
    labels, sources = _cell(cells, columns[0]), _cell(cells, columns[1])
    for k, source in enumerate(sources):
        reference = _REFERENCE.match(source)
        if reference is None:
            raise InputError(text.path, f"a relation's source {source[:40]!r} is not a token such as 1-2 or 1-2[3_4]", number)
        label = unescape(labels[k]) if k < len(labels) and labels[k] not in ("*", "") else UNLABELLED
        ids = [None if i in (None, "0") else i for i in reference.group(2, 3)]
        text.pending.append(Pending(label, (reference.group(1), ids[0]), (address, ids[1]), number))


def keep_first_of_stacked(found: Found, mentions: list[Mention], options: ReadOptions) -> dict[int, int]:
    """The mentions as entities of ``found``; stacked ones (over words another covers) reported,
    the first kept. Offsets only grow with their unit, so overlaps are found before converting.
    Returns where each kept mention (by ``id``) is among the spans then the rows: a relation's end."""
    stacked: list[Mention] = []
    last = -1
    placed: dict[int, tuple[bool, int]] = {}  # id(mention): (made a span?, its index among them or the rows)
    for mention in sorted(mentions, key=lambda m: (m.start, -m.end)):
        if mention.start < last:
            stacked.append(mention)
            continue
        last = mention.end
        found.line = mention.line
        spans = len(found.spans)
        found.add(mention.start, mention.end, mention.label)
        placed[id(mention)] = (True, spans) if len(found.spans) > spans else (False, len(found.entities) - 1)
    if stacked:
        options.warn(found.path, f"{len(stacked)} stacked named entit{'y' if len(stacked) == 1 else 'ies'} over words "
                                 f"another one covers not imported (first at {_where(stacked[0].line)}: "
                                 f"{stacked[0].label}); a project's entities may not overlap, the first of each was kept")
    return {key: at if span else len(found.spans) + at for key, (span, at) in placed.items()}


def _where(line: int | str) -> str:
    return f"line {line}" if isinstance(line, int) else line


def _whole_tokens(words: list[Any], at: Places) -> list[tuple[int, int, int]]:
    """The tokens' places (start, end, first token's index); in grapheme clusters, a token that
    starts inside a cluster (spaCy parts a flag's two letters) joins the one before it."""
    places: list[tuple[int, int, int]] = []
    for token in words:
        start, end = token.idx, token.idx + len(token)
        if places and at.conv is not None and at.conv.to_unit(start) is None:
            places[-1] = (places[-1][0], end, places[-1][2])
        else:
            places.append((start, end, token.i))
    return places


class Writer:
    """A folder of WebAnno TSV 3.3 files, one a document."""

    def __init__(self, path: Path, options: WriteOptions) -> None:
        self.path, self.options = path, options
        path.mkdir(parents=True, exist_ok=True)

    def write(self, doc: Document, spans: list[Span], problems: list[str], extra: links.Extra = links.NOTHING) -> int:
        from annotator.detect.pipeline import make_sentences

        sdoc = make_sentences(doc.text)
        at = Places(doc, self.options.unit("webanno"), problems)
        sentences = [(number, words, _whole_tokens(words, at)) for number, words in enumerate(
            ([t for t in sent if not t.is_space] for sent in sdoc.sents if any(not t.is_space for t in sent)), 1)]
        address = {i: f"{number}-{k}" for number, _, places in sentences for k, (_, _, i) in enumerate(places, 1)}
        cells: dict[int, list[str]] = {}  # token index: its entities as "LABEL" or "LABEL[n]"
        written: dict[tuple[str, int, int, str], tuple[int, int]] = {}  # a span's key: its first token, its id (0: none)
        ident = 0
        for span in (s for s in spans if s.layer == ENTITIES and at.fits(s)):
            found = aligned(sdoc, doc, span, problems)
            if found is None or found.start not in address:
                continue
            ident += len(found) > 1
            written[span.key()] = (found.start, ident if len(found) > 1 else 0)
            for i in range(found.start, found.end):
                cells.setdefault(i, []).append(escape(span.label) + (f"[{ident}]" if len(found) > 1 else ""))
        relations: dict[int, list[tuple[str, str]]] = {}  # the target's first token: (label, its source)
        for link in links.kept_links(doc, extra, [s for s in spans if s.key() in written], problems):
            (source, a), (target, b) = written[link.head.key()], written[link.child.key()]
            relations.setdefault(target, []).append((escape(link.label), address[source] + (f"[{a}_{b}]" if a or b else "")))
        labels = [escape(c) + (f"[{ident + k}]" if len(extra.categories) > 1 else "") for k, c in enumerate(extra.categories, 1)]
        lines = [HEADER, f"#T_SP={DOCUMENT_LABEL}|value\n" if labels else "",
                 f"#T_RL={RELATION}|label|BT_{NAMED_ENTITY}\n" if relations else "", "\n"]
        for number, words, places in sentences:
            text = doc.text[words[0].idx:words[-1].idx + len(words[-1])]
            lines.append("\n" + "".join(f"#Text={escape(part)}\n" for part in text.split("\n")))
            for k, (start, end, i) in enumerate(places, 1):
                entities = cells.get(i)
                value = "|".join(entities) if entities else "_"
                identifier = "|".join("*" + re.sub(r"^.*?((?:\[\d+\])?)$", r"\1", v) for v in entities) if entities else "_"
                row = f"{number}-{k}\t{at(start)}-{at(end)}\t{escape(doc.text[start:end])}\t{identifier}\t{value}"
                if labels:
                    row += "\t" + ("|".join(labels) if number == k == 1 else "_")
                if relations:
                    pairs = relations.get(i, [])
                    row += "".join("\t" + ("|".join(p[side] for p in pairs) if pairs else "_") for side in (0, 1))
                lines.append(row + "\n")
        (self.path / f"{doc.id:06d}.tsv").write_text("".join(lines), encoding="utf-8", newline="\n")
        return len(written)

    def close(self) -> list[Path]:
        return [self.path]
