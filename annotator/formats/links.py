"""Document labels and relations in files, both ways, for every format that can carry them.

A reader finds a document's spans first (:class:`~annotator.formats.spans.Found`); the
functions here then read its labels and relations, each relation's ends found among those
spans by place and label, or past them among its plain entity rows (:class:`Ends`). A writer
gets the person's labels and relations as an :class:`Extra` beside the spans, and writes a
relation only if it wrote both its ends.

What each format carries (README, "Formats"):
- doccano: ``cats`` (a list of names, or ``{name: score}``), and ``label`` as a list of names
  (its text classification export); relations as its relation projects export them
  (``entities`` with ``id``, ``relations`` with ``from_id``/``to_id``/``type``). doccano's
  relations join entities only: a relation with a number at an end goes in ``meta.relations``
  (same shape; the number records in ``meta.numbers`` carry their ``id``).
- Prodigy (``jsonl``): ``accept`` (the options chosen in ``textcat.manual``/choice) or ``label``
  with ``answer: accept`` (binary ``textcat``); ``relations`` as ``rel.manual`` writes them: ``head``
  and ``child`` token indices, ``head_span``/``child_span`` with offsets and label, ``label``.
- Label Studio: ``choices`` results (control ``category``) and ``relation`` results
  (``from_id``/``to_id``, ``direction``, ``labels``; one drawn without a label is ``RELATED``).
- JSON Lines of our own: ``cats``.
Other formats count what they cannot carry in the export's warnings (:class:`Unwritten`).
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from annotator.domain import ENTITIES, NUMBERS, Document, LinkRow, Span
from annotator.formats import InputError
from annotator.formats.offsets import Places, Reading
from annotator.formats.spans import Found, entity_in, span_in
from annotator.relations import Link

SpanKey = tuple[str, int, int, str]


@dataclass(frozen=True)
class Extra:
    """What a document has besides its spans: the person's document labels and relations."""

    categories: tuple[str, ...] = ()
    links: tuple[Link, ...] = ()


class LinkWriter(Protocol):
    """A writer of a format that carries document labels and relations (see :data:`CARRIES`)."""

    def write(self, doc: Document, spans: list[Span], problems: list[str], extra: Extra = ...) -> int: ...


NOTHING = Extra()

# The formats whose writers take an Extra, and what they carry: (document labels, relations).
CARRIES: dict[str, tuple[bool, bool]] = {"jsonl": (True, True), "doccano": (True, True), "labelstudio": (True, True),
                                          "brat": (True, True), "spacy": (True, True), "facts": (True, True),
                                          "webanno": (True, True), "uima-xmi": (True, True), "uima-json": (True, True)}


# -- reading ---------------------------------------------------------------------------------------

class Ends:
    """Where a relation's end is among the document's spans and, past them, its plain entity rows
    (``LinkRow``'s indices): a row stays a row, not made a span."""

    def __init__(self, found: Found) -> None:
        self.found = found
        self.spans = {span.key(): i for i, span in enumerate(found.spans)}
        self.rows: dict[tuple[Any, ...], int] = {row: len(found.spans) + k for k, row in enumerate(found.entities)}

    def __call__(self, end: Span) -> int | None:
        at = self.spans.get(end.key())
        return self.rows.get((end.start, end.end, end.label)) if at is None and end.layer == ENTITIES else at

    def text(self, index: int) -> str:
        spans = self.found.spans
        if index < len(spans):
            return spans[index].text
        start, end, _ = self.found.entities[index - len(spans)]
        return self.found.text[start:end]


def categories_of(path: Path, line: int | str | None, value: Any, key: str) -> list[str]:
    """Document labels from a list of names or a ``{name: score or true}`` object (score ≥ 0.5)."""
    if value is None:
        return []
    if isinstance(value, dict):
        names = [k for k, v in value.items() if v is True or (isinstance(v, (int, float)) and not isinstance(v, bool)
                                                              and v >= 0.5)]
    elif isinstance(value, list) and all(isinstance(v, str) for v in value):
        names = list(value)
    else:
        raise InputError(path, f'"{key}" must be a list of label names or an object of name: score, found {value!r}', line)
    for name in names:
        if not name.strip() or len(name) > 100:
            raise InputError(path, f'"{key}" holds a label name that is empty or too long: {name[:20]!r}', line)
    return list(dict.fromkeys(names))


def line_links(found: Found, obj: dict[str, Any], prodigy: Reading, doccano: Reading) -> list[LinkRow]:
    """A JSON line's relations, in Prodigy's shape (ends as spans) or doccano's (ends by id),
    each read in the unit its tool counts."""
    relations, meta = obj.get("relations"), obj.get("meta")
    if not relations and not (isinstance(meta, dict) and meta.get("relations")):
        return []  # most lines: no reading switched, no converter made
    if isinstance(relations, list) and relations and isinstance(relations[0], dict) and "head_span" in relations[0]:
        return prodigy_links(found.use(prodigy), obj)
    return doccano_links(found.use(doccano), obj)


def doccano_links(found: Found, obj: dict[str, Any]) -> list[LinkRow]:
    """doccano's ``relations`` (and ours in ``meta.relations``), their ends by entity id; the
    entities' offsets in the unit ``found`` reads."""
    meta = obj.get("meta") if isinstance(obj.get("meta"), dict) else {}
    relations = [*(_list(found, obj, "relations")), *(_list(found, meta, "relations"))]
    if not relations:
        return []
    named = {rel.get(end) for rel in relations if isinstance(rel, dict) for end in ("from_id", "to_id")}
    where = Ends(found)
    rows_are_keys = found.conv is None  # offsets in code points: a plain entity's (start, end, label) is its row
    ids: dict[Any, int] = {}
    for item in _list(found, obj, "entities"):
        if isinstance(item, dict) and (name := item.get("id")) in named:
            start, end, label = item.get("start_offset"), item.get("end_offset"), item.get("label")
            at = where.rows.get((start, end, label)) if rows_are_keys else None  # read (and checked) as a row
            ids[name] = _index(found, where, entity_in(found, start, end, label)) if at is None else at
    for item in _list(found, meta, "numbers"):
        if isinstance(item, dict) and item.get("id") in named:
            ids[item["id"]] = _index(found, where, span_in(found, item.get("start"), item.get("end"),
                                                           item.get("label", "NUMBER"), NUMBERS, item))
    rows = []
    for rel in relations:
        if not isinstance(rel, dict):
            raise InputError(found.path, '"relations" must be a list of objects with from_id, to_id and type', found.line)
        head, child, label = ids.get(rel.get("from_id")), ids.get(rel.get("to_id")), rel.get("type")
        if head is None or child is None:
            missing = rel.get("from_id") if head is None else rel.get("to_id")
            raise InputError(found.path, f"relation {label!r} names the entity id {missing!r}, which the "
                                         "line does not have", found.line)
        if not isinstance(label, str) or not label.strip():
            raise InputError(found.path, f"a relation between {where.text(head)!r} and {where.text(child)!r} has no "
                                         "label", found.line)
        rows.append((head, child, label))
    return rows


def prodigy_links(found: Found, obj: dict[str, Any]) -> list[LinkRow]:
    """Prodigy's ``relations`` (``rel.manual``): each end by its span's offsets and label."""
    relations = _list(found, obj, "relations")
    if not relations:
        return []
    pairs = []
    for rel in relations:
        spans = [rel.get(f"{end}_span") if isinstance(rel, dict) else None for end in ("head", "child")]
        if not all(isinstance(s, dict) for s in spans):
            raise InputError(found.path, 'each Prodigy relation needs "head_span" and "child_span" objects', found.line)
        head, child = (span_in(found, s.get("start"), s.get("end"), s.get("label"), s.get("layer", ENTITIES), s)
                       for s in spans if isinstance(s, dict))
        pairs.append((head, child, rel.get("label")))
    where = Ends(found)
    return [_row(found, where, head, child, label) for head, child, label in pairs]


def line_categories(found: Found, obj: dict[str, Any]) -> list[str]:
    """A JSON line's document labels: ``cats``; doccano's ``label`` as a list of names; Prodigy's
    ``accept`` (choice, ``textcat.manual``) or ``label`` + ``answer: accept`` (binary textcat)."""
    names = categories_of(found.path, found.line, obj.get("cats"), "cats")
    label = obj.get("label")
    if isinstance(label, list):
        names += [name for name in label if isinstance(name, str)]
    if obj.get("answer") == "reject":
        return names
    if "accept" in obj:
        names += categories_of(found.path, found.line, obj["accept"], "accept")
    if isinstance(obj.get("label"), str) and obj.get("answer") == "accept":
        names.append(obj["label"])
    return list(dict.fromkeys(names))


LABEL_STUDIO_RESULTS = ("choices", "relation")
UNLABELLED = "RELATED"  # a Label Studio relation drawn without a label


def labelstudio_extra(path: Path, where: str, result: Any, spans: list[Span]) -> tuple[list[str], list[LinkRow]]:
    """The ``choices`` and ``relation`` results of an annotation: document labels, and relations
    whose ends are its ``labels`` regions by id (``spans`` are those regions, in their order).
    A relation's ``direction`` ``left`` points from ``to_id`` to ``from_id``."""
    if not isinstance(result, list):
        return [], []
    ids: dict[Any, int] = {}
    categories: list[str] = []
    relations: list[LinkRow] = []
    regions = 0
    for item in (r for r in result if isinstance(r, dict)):
        kind = item.get("type")
        if kind == "labels":
            ids[item.get("id")] = regions
            regions += 1
        elif kind == "choices":
            value = item.get("value")
            categories += categories_of(path, where, value.get("choices") if isinstance(value, dict) else value, "choices")
    for item in (r for r in result if isinstance(r, dict) and r.get("type") == "relation"):
        missing = [item.get(end) for end in ("from_id", "to_id") if item.get(end) not in ids]
        if missing:
            raise InputError(path, f"a relation names the region {missing[0]!r}, which the annotation does not have", where)
        head, child = ids[item["from_id"]], ids[item["to_id"]]
        if item.get("direction") == "left":
            head, child = child, head
        labels = item.get("labels") or [UNLABELLED]
        relations += [(head, child, str(label)) for label in labels]
    return list(dict.fromkeys(categories)), relations


def labelstudio_results(doc: Document, written: list[Span], extra: Extra, problems: list[str]) -> list[dict[str, Any]]:
    """Label Studio results for the document labels (``choices`` of the control ``category``) and
    the relations (between the regions ``s<i>`` just written, ``i`` their place in ``written``)."""
    ids = {span.key(): f"s{i}" for i, span in enumerate(written)}
    found: list[dict[str, Any]] = []
    if extra.categories:
        found.append({"id": "c0", "from_name": "category", "to_name": "text", "type": "choices",
                      "value": {"choices": list(extra.categories)}})
    found += [{"from_id": ids[link.head.key()], "to_id": ids[link.child.key()], "type": "relation", "direction": "right",
               "labels": [link.label]} for link in kept_links(doc, extra, written, problems)]
    return found


BRAT_RELATION = re.compile(r"^R\S*\t(\S+) \S+:(T\S+) \S+:(T\S+)\s*$")
BRAT_FLAG = re.compile(r"^[AM]\S*\t(\S+) (T\S+)\s*$")  # a binary attribute of a text-bound annotation
BRAT_DOCUMENT = "DOCUMENT"  # the document-level annotation (on the first line) that holds its labels


def brat_categories(bound: list[tuple[str, str, str, str, int]], notes: dict[str, tuple[dict[str, Any], int]],
                    flags: list[tuple[str, str]], others: Counter[str]) -> tuple[list[tuple[str, str, str, str, int]], list[str]]:
    """The document's labels in brat: a text-bound ``DOCUMENT`` annotation (brat has no document
    level) whose ``AnnotatorNotes`` note holds ``{"categories": [...]}`` as we write it, or whose
    binary attributes (``A1<TAB>war T0``, as made in brat) name them. Returns the other
    text-bound annotations and the labels; binary attributes of other annotations are counted."""
    documents = {ident for ident, label, *_ in bound if label == BRAT_DOCUMENT}
    categories: list[str] = []
    for ident in documents:
        fields, line = notes.pop(ident, ({}, 0))
        categories += categories_of(Path("brat"), line, fields.get("categories"), "categories")
    categories += [name for name, target in flags if target in documents]
    if (elsewhere := sum(target not in documents for _, target in flags)):
        others["attribute(s)"] += elsewhere
    return [b for b in bound if b[0] not in documents], list(dict.fromkeys(categories))


def brat_links(ann: Path, kept: list[str], relations: list[tuple[str, str, str, int]], others: Counter[str]) -> list[LinkRow]:
    """``R`` lines between text-bound annotations that were imported; one naming an event or an
    annotation left out (``--brat-types``) is counted with the rest not imported."""
    where = {ident: i for i, ident in enumerate(kept)}
    rows = []
    for label, head, child, _ in relations:
        if head in where and child in where and head != child:
            rows.append((where[head], where[child], label))
        else:
            others["relation(s)"] += 1
    return rows


def brat_lines(doc: Document, spans: list[Span], extra: Extra, problems: list[str]) -> list[str]:
    """``R`` lines between the text-bound annotations ``T<i>`` just written (``i`` from 1 in
    ``spans``), and the document's labels on a ``DOCUMENT`` annotation of its first line."""
    ids = {span.key(): i for i, span in enumerate(spans, 1)}
    lines = []
    for n, link in enumerate(kept_links(doc, extra, spans, problems), 1):
        if re.search(r"\s", link.label):
            problems.append(f"document {doc.id}: relation {link.label!r} left out of brat: a brat type has no spaces")
            continue
        lines.append(f"R{n}\t{link.label} Arg1:T{ids[link.head.key()]} Arg2:T{ids[link.child.key()]}")
    if extra.categories:
        first = re.search(r"\S[^\r\n\x0b\x0c\x1c-\x1e\x85\u2028\u2029]*", doc.text)
        if first is None:
            problems.append(f"document {doc.id}: its document labels left out of brat: the text is blank")
            return lines
        a, b = first.start(), first.start() + len(first.group().rstrip())
        lines += [f"T0\t{BRAT_DOCUMENT} {a} {b}\t{doc.text[a:b]}",
                  f"#0\tAnnotatorNotes T0\tannotator {json.dumps({'categories': list(extra.categories)})}"]
    return lines


def docbin_extra(sdoc: Any, doc: Document, spans: list[Span], extra: Extra, problems: list[str]) -> None:
    """Document labels as ``doc.cats`` (1.0 each: what ``textcat`` trains on) and relations in
    ``user_data["relations"]``: rows ``[head, child, label]``, each end ``[layer, start, end,
    label]`` in characters. user_data, not a sidecar file: a DocBin keeps it with its document
    through shards, and spaCy's training leaves it alone."""
    if extra.categories:
        sdoc.cats = dict.fromkeys(extra.categories, 1.0)
    kept = kept_links(doc, extra, spans, problems)
    if kept:
        sdoc.user_data["relations"] = [[list(link.head.key()), list(link.child.key()), link.label] for link in kept]


def docbin_links(found: Found, rows: Any) -> list[LinkRow]:
    """The relations a DocBin document keeps in ``user_data["relations"]`` (see :func:`docbin_extra`)."""
    if not rows:
        return []
    pairs = []
    for row in rows if isinstance(rows, (list, tuple)) else [rows]:  # msgpack gives lists back as tuples
        if not (isinstance(row, (list, tuple)) and len(row) == 3
                and all(isinstance(e, (list, tuple)) and len(e) == 4 for e in row[:2])):
            raise InputError(found.path, f'user_data["relations"] holds {row!r}: each must be [head, child, label], '
                                         "each end [layer, start, end, label]", found.line)
        head, child = (span_in(found, e[1], e[2], e[3], e[0]) for e in row[:2])
        pairs.append((head, child, row[2]))
    where = Ends(found)
    return [_row(found, where, head, child, label) for head, child, label in pairs]


def _row(found: Found, where: Ends, head: Span, child: Span, label: Any) -> LinkRow:
    if not isinstance(label, str) or not label.strip():
        raise InputError(found.path, f"a relation between {head.text!r} and {child.text!r} has no label", found.line)
    return _index(found, where, head, label), _index(found, where, child, label), label


def _index(found: Found, where: Ends, span: Span, label: Any = None) -> int:
    at = where(span)
    if at is None:
        raise InputError(found.path, f"relation{'' if label is None else ' ' + repr(label)}: its end {span.label} "
                                     f"{span.text!r} ({span.start}-{span.end}) is not one of the document's spans", found.line)
    return at


def _list(found: Found, obj: Any, key: str) -> list[Any]:
    value = obj.get(key) if isinstance(obj, dict) else None
    if value is None:
        return []
    if not isinstance(value, list):
        raise InputError(found.path, f'"{key}" must be a list', found.line)
    return value


# -- writing ---------------------------------------------------------------------------------------

def kept_links(doc: Document, extra: Extra, written: Iterable[Span], problems: list[str]) -> list[Link]:
    """The relations both of whose ends were written; the others reported."""
    keys = {span.key() for span in written}
    kept = []
    for link in extra.links:
        if link.head.key() in keys and link.child.key() in keys:
            kept.append(link)
        else:
            problems.append(f"document {doc.id}: relation {link.label} from {link.head.text!r} to {link.child.text!r} "
                            "left out: an end of it was left out")
    return kept


def doccano_relations(doc: Document, entities: list[Span], numbers: list[Span], meta: dict[str, Any], extra: Extra,
                      at: Places, problems: list[str]) -> dict[str, Any]:
    """A document's entities with ids and its relations, as doccano's relation projects export
    them; the numbers (in ``meta``) get ids after the entities', and a relation with a number at
    an end goes in ``meta.relations``, since doccano's own relations join entities only."""
    ids = {span.key(): i for i, span in enumerate([*entities, *numbers])}
    for record, span in zip(meta["numbers"], numbers, strict=True):
        record["id"] = ids[span.key()]
    relations: list[dict[str, Any]] = []
    for link in kept_links(doc, extra, [*entities, *numbers], problems):
        item = {"from_id": ids[link.head.key()], "to_id": ids[link.child.key()], "type": link.label}
        (relations if link.head.layer == link.child.layer == ENTITIES else meta.setdefault("relations", [])).append(item)
    return {"entities": [{"id": ids[s.key()], "start_offset": at(s.start), "end_offset": at(s.end), "label": s.label}
                         for s in entities], "relations": relations}


def prodigy_extra(sdoc: Any, doc: Document, spans: list[Span], extra: Extra, at: Places,
                  problems: list[str]) -> dict[str, Any]:
    """``accept`` (the document labels, as Prodigy's choice interface records them) and
    ``relations`` as ``rel.manual`` writes them; an end in the numbers layer says so (``layer``)."""
    from annotator.formats.writing import aligned

    found: dict[str, Any] = {"accept": list(extra.categories)} if extra.categories else {}
    ends: dict[SpanKey, dict[str, Any]] = {}
    for span in spans:
        if at.fits(span) and (token := aligned(sdoc, doc, span, [])) is not None:
            ends[span.key()] = {"start": at(span.start), "end": at(span.end), "token_start": token.start,
                                "token_end": token.end - 1, "label": span.label,
                                **({"layer": NUMBERS} if span.layer == NUMBERS else {})}
    written = [s for s in spans if s.key() in ends]
    relations = [{"head": ends[link.head.key()]["token_end"], "child": ends[link.child.key()]["token_end"],
                  "head_span": ends[link.head.key()], "child_span": ends[link.child.key()], "label": link.label}
                 for link in kept_links(doc, extra, written, problems)]
    if relations:
        found["relations"] = relations
    return found


class Unwritten:
    """The document labels and relations an export's format cannot carry, said once with counts."""

    def __init__(self, fmt: str) -> None:
        self.fmt, self.counts = fmt, Counter[str]()

    def count(self, extra: Extra) -> Extra:
        """What of ``extra`` the format carries (the rest counted)."""
        categories, relations = CARRIES.get(self.fmt, (False, False))
        if not categories:
            self.counts["document label(s)"] += len(extra.categories)
        if not relations:
            self.counts["relation(s)"] += len(extra.links)
        return Extra(extra.categories if categories else (), extra.links if relations else ())

    def report(self, problems: list[str]) -> None:
        if any(self.counts.values()):
            problems.append(f"{' and '.join(f'{n} {what}' for what, n in self.counts.items() if n)} not written: "
                            f"the {self.fmt} format cannot carry them")
