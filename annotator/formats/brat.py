"""brat standoff, both ways: ``NAME.txt`` holds the text, ``NAME.ann`` the annotations.

Read: text-bound lines ``T1<TAB>LABEL START END<TAB>text``, offsets in code points of the
``.txt`` taken byte for byte (line ends included), as brat (Python) counts; a file of
INCEpTION or DKPro (Java type names, below) counts UTF-16 units, as Java does. brat writes a span that crosses a line end
as fragments (``0 5;6 10``); fragments apart only by white space are one span, and any other
discontinuous span is refused with its line. Relations (R) between text-bound annotations and
document labels are read and written by :mod:`links`; events (E), other attributes (A, M),
normalisations (N) and equivalences (*) are counted and reported, not imported; notes (#) are
counted too, except the ones this module writes for numbers. INCEpTION's and DKPro's files name
a type by its Java class (``de-tudarmstadt-ukp-dkpro-core-api-ner-type-NamedEntity``) and keep a
named entity's class in its ``value`` feature, an attribute ``A1<TAB>…NamedEntity_value T1 LOC``:
such a span is labelled LOC (or NamedEntity, without a value), and the change is reported.
Write: a folder with a ``.txt`` and a ``.ann`` per document, named by document id. A span
crossing a line end is written as fragments, so that each annotation stays on one line. Numbers
are text-bound annotations with a note ``AnnotatorNotes T3<TAB>annotator {"layer": "numbers",
"value": …}`` that brings their layer and value back (a resolved date rides the same way); the
document's meta is not kept. ``--offsets utf16`` writes offsets as INCEpTION reads them.
"""

from __future__ import annotations

import itertools
import json
import re
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from annotator.domain import ENTITIES, NUMBERS, Document, NewDocument, Span
from annotator.formats import InputError, ReadOptions, WriteOptions, lines_of, links, read_text_file
from annotator.formats.offsets import UTF16, Converter, Places, Reading, Readings, hint
from annotator.formats.spans import resolved_of, span_from

_TEXT_BOUND = re.compile(r"^(T\S+)\t(\S+) (\d+ \d+(?:;\d+ \d+)*)\t?(.*)$")
_OTHER = {"R": "relation(s)", "E": "event(s)", "A": "attribute(s)", "M": "attribute(s)", "N": "normalisation(s)",
          "*": "equivalence(s)", "#": "note(s)"}
_NOTE = re.compile(r"^#\S*\tAnnotatorNotes (T\S+)\tannotator (\{.*\})$")
# INCEpTION and DKPro (its brat writer) name a type by its Java class, dots made dashes, and
# write a span's "value" feature — the named entity's class — as an attribute of the span.
_JAVA_TYPE = re.compile(r"^(?:[a-z][a-z0-9_]*-){2,}([A-Z]\w*)$")
_VALUE = re.compile(r"^A\S*\t(\S+)_value (T\S+) (.+)$")
_LINE_BREAK = re.compile(r"\r\n|[\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")


def pair(path: Path) -> tuple[Path, Path]:
    txt, ann = path.with_suffix(".txt"), path.with_suffix(".ann")
    for needed in (txt, ann):
        if not needed.exists():
            raise InputError(needed, f"no such file: brat standoff is a .txt and a .ann of the same name "
                                     f"({txt.name}, {ann.name})")
    return txt, ann


def read(path: Path, options: ReadOptions) -> Iterator[NewDocument]:
    txt, ann = pair(path)
    text = read_text_file(txt, bom=False)  # brat's offsets count a leading U+FEFF as a character
    bound: list[tuple[str, str, str, str, int]] = []  # id, type, ranges, text, line
    first_line: dict[str, int] = {}  # span id: the line that gave it
    extra: dict[str, tuple[dict[str, Any], int]] = {}  # span id: the note's fields, its line
    values: dict[str, tuple[str, str]] = {}  # span id: (its type, its value feature)
    others: Counter[str] = Counter()
    relations: list[tuple[str, str, str, int]] = []  # label, head id, child id, line
    flags: list[tuple[str, str]] = []  # binary attributes: name, target id
    for number, line in lines_of(ann, allow_empty=True):
        if not line.strip():
            continue
        match = _TEXT_BOUND.match(line)
        if match:
            ident = match.group(1)
            if ident in first_line:  # notes and attributes name a span by its id: which one they meant is unknowable
                raise InputError(ann, f"{ident} is given twice (first on line {first_line[ident]}): each annotation "
                                      "needs an id of its own", number)
            first_line[ident] = number
            bound.append((*match.groups(), number))  # type: ignore[arg-type]  # four strings and the line
        elif (note := _NOTE.match(line)) is not None:
            extra[note.group(1)] = (_note_fields(ann, number, note.group(2)), number)
        elif (feature := _VALUE.match(line)) is not None:
            values[feature.group(2)] = (feature.group(1), feature.group(3).strip())
        elif (relation := links.BRAT_RELATION.match(line)) is not None:
            relations.append((*relation.groups(), number))  # type: ignore[arg-type]  # three strings and the line
        elif (flag := links.BRAT_FLAG.match(line)) is not None:
            flags.append(flag.groups())  # type: ignore[arg-type]  # two strings
        elif line[0] in _OTHER:
            others[_OTHER[line[0]]] += 1
        else:
            raise InputError(ann, f"not a brat annotation line: {line[:60]!r} (brat's lines start with T, R, E, A, M, "
                                  "N, * or #; remove or fix this one)", number)
    bound, categories = links.brat_categories(bound, extra, flags, others)
    # INCEpTION and DKPro are Java programs: their files count offsets in UTF-16 units.
    java = any(_JAVA_TYPE.match(label) for _, label, _, _, _ in bound)
    reading = Readings(ann, options).in_unit(UTF16) if java else Readings(ann, options)["brat"]
    conv = reading.converter(text)
    spans = {ident: (_span(ann, number, text, label, ranges, said, reading, conv), number)
             for ident, label, ranges, said, number in bound}
    found: list[tuple[Span, int, str]] = []
    kept: list[str] = []  # the ids of ``found``
    renamed: Counter[str] = Counter()
    left: Counter[str] = Counter()
    for ident, (span, number) in spans.items():
        short = _short(span.label)  # its type
        if options.brat_types and not {span.label, short} & set(options.brat_types):
            left[short] += 1
            values.pop(ident, None)
            continue
        if ident in extra:
            fields = extra.pop(ident)[0]
            span = span_from(ann, number, text, span.start, span.end, span.label, fields.get("layer", ENTITIES), fields)
        kind, value = values.pop(ident, (span.label, ""))
        if kind != span.label:  # a value feature of another type: not this span's class
            others["attribute(s)"] += 1
        label = value if kind == span.label and value else short
        if label != span.label:
            renamed[label] += 1
            span = span.with_(label=label)
        found.append((span, number, short))
        kept.append(ident)
    _refuse_layers_that_overlap(ann, found)
    relation_rows = links.brat_links(ann, kept, relations, others)
    if values:  # values of spans that are not there
        others["attribute(s)"] += len(values)
    if renamed:
        options.warn(ann, "labels of INCEpTION/DKPro types taken by their short name, or by the span's value "
                          "feature where it has one: " + ", ".join(f"{n} {label}" for label, n in sorted(renamed.items())))
    if extra:
        ident, (_, at) = next(iter(extra.items()))
        raise InputError(ann, f"an annotator note refers to {ident}, which is no text-bound annotation (remove the "
                              "note)", at)
    if left:
        options.warn(ann, "not imported (not among --brat-types): " + ", ".join(
            f"{n} {kind}" for kind, n in sorted(left.items())))
    if others:
        options.warn(ann, "not imported: " + ", ".join(f"{n} {what}" for what, n in sorted(others.items()))
                     + " (a project holds spans only; the text-bound annotations were imported)")
    reading.report(options)
    yield NewDocument(text=text, meta={"source": txt.name}, spans=[span for span, _, _ in found], source=str(ann),
                      categories=categories, links=relation_rows)


def _refuse_layers_that_overlap(ann: Path, found: list[tuple[Span, int, str]]) -> None:
    """Files of INCEpTION or DKPro may hold several layers over the same words (tokens, parts of
    speech, named entities), and brat's own corpora nest entities (an organisation in a
    location): a project's entities may not overlap, so say where, which types there are, and
    how to choose, rather than refuse the first overlap as if it were a mistake."""
    entities = sorted((f for f in found if f[0].layer == ENTITIES), key=lambda f: (f[0].start, -f[0].end))
    kinds = Counter(kind for _, _, kind in entities)
    for (before, _, one), (after, line, other) in itertools.pairwise(entities):
        if after.start < before.end:
            way = (f"choose the ones to import, e.g. --brat-types {min(kinds, key=kinds.__getitem__)}" if one != other
                   else "import one type with --brat-types, or remove one of the two from the .ann file")
            what = "layers that overlap" if one != other else "nested spans"
            raise InputError(ann, f"{after.text!r} ({other}) overlaps {before.text!r} ({one}): this file holds "
                                  f"{what} (" + ", ".join(f"{n} {kind}" for kind, n in kinds.most_common())
                                  + f"), and a project's entities may not; {way}", line)


def _span(ann: Path, line: int, text: str, label: str, ranges: str, said: str, reading: Reading,
          conv: Converter | None) -> Span:
    fragments: list[tuple[int, int]] = [
        reading.to_chars(conv, text, a, b, None, "fragment", line)  # type: ignore[misc]  # whole numbers in, whole out
        for a, b in (tuple(map(int, r.split())) for r in ranges.split(";"))]
    for (_, end), (start, _) in itertools.pairwise(fragments):
        if start < end or text[end:start].strip():
            raise InputError(ann, f"discontinuous span {ranges} ({label}): a span must be one stretch of the "
                                  "text (fragments apart only by white space are joined); split it into one "
                                  "annotation per fragment, or remove it", line)
    start, end = fragments[0][0], fragments[-1][1]
    joined = " ".join(text[a:b] for a, b in fragments) if 0 <= start <= end <= len(text) else None
    if said and joined is not None and said != joined:
        first, last = ranges.split(";")[0].split()[0], ranges.split(";")[-1].split()[-1]
        way = hint(text, int(first), int(last), said, reading.unit) or " (is the .txt the one this .ann was made for?)"
        raise InputError(ann, f"span {ranges} ({label}) says {said!r} but the text there is {joined!r}{way}", line)
    return span_from(ann, line, text, start, end, label)


def _short(label: str) -> str:
    """An INCEpTION/DKPro type by its class's name (NamedEntity); any other label as it is."""
    java = _JAVA_TYPE.match(label)
    return java.group(1) if java else label


def _note_fields(ann: Path, line: int, fields: str) -> dict[str, Any]:
    try:
        found = json.loads(fields)
    except (ValueError, RecursionError):
        found = None
    if not isinstance(found, dict):
        raise InputError(ann, f"an annotator note that cannot be read: {fields!r}", line)
    return found


class Writer:
    """A folder of ``.txt`` and ``.ann`` pairs."""

    def __init__(self, path: Path, options: WriteOptions) -> None:
        self.path, self.options = path, options
        path.mkdir(parents=True, exist_ok=True)
        self.files: list[Path] = []

    def write(self, doc: Document, spans: list[Span], problems: list[str], extra: links.Extra = links.NOTHING) -> int:
        stem = self.path / f"{doc.id:06d}"
        stem.with_suffix(".txt").write_text(doc.text, encoding="utf-8", newline="")
        at = Places(doc, self.options.unit("brat"), problems)
        spans = [s for s in spans if at.fits(s)]
        lines = []
        for i, span in enumerate(spans, 1):
            fragments = _fragments(doc.text, span.start, span.end)
            ranges = ";".join(f"{at(a)} {at(b)}" for a, b in fragments)
            lines.append(f"T{i}\t{span.label} {ranges}\t{' '.join(doc.text[a:b] for a, b in fragments)}")
            fields = {**({"layer": NUMBERS, "value": span.value, "kind": span.kind, "approx": span.approx,
                          "unit": span.unit} if span.layer == NUMBERS else {}), **resolved_of(span)}
            if fields:
                lines.append(f"#{i}\tAnnotatorNotes T{i}\tannotator {json.dumps(fields)}")
        lines += links.brat_lines(doc, spans, extra, problems)
        stem.with_suffix(".ann").write_text("".join(line + "\n" for line in lines), encoding="utf-8", newline="")
        self.files.append(stem.with_suffix(".ann"))
        return len(spans)

    def close(self) -> list[Path]:
        return [self.path]


def _fragments(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """[start, end) cut at line ends, the line ends themselves left out."""
    pieces, at = [], start
    for brk in _LINE_BREAK.finditer(text, start, end):
        if brk.start() > at:
            pieces.append((at, brk.start()))
        at = brk.end()
    if end > at:
        pieces.append((at, end))
    return pieces or [(start, end)]
