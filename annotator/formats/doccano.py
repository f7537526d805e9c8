"""doccano's sequence-labelling JSONL, both ways.

Read (by the JSON Lines reader, :mod:`prodigy`, which tells a line's shape apart by content):
``label`` as ``[[start, end, "LABEL"], ...]`` (its classic export) or ``entities`` with
``start_offset``/``end_offset`` (its relation-project export); its relations and document labels
are read and written by :mod:`links`.
Write: the classic shape; our numbers, the entities' resolved dates (``[start, end, date]``)
and the document's meta ride along in ``meta``, which doccano keeps.
Offsets, both ways, are UTF-16 units, as doccano's editor counts them (JavaScript string
positions: its v-annotator's ``Text.codePointLength`` is ``text.length``); a project in
grapheme mode counts grapheme clusters (``--offsets graphemes``), and files that a Python
script wrote count code points (``--offsets codepoints``).
"""

from __future__ import annotations

import json
from typing import Any

from annotator.domain import ENTITIES, NUMBERS, Document, Span
from annotator.formats import InputError
from annotator.formats.links import NOTHING, Extra, doccano_relations
from annotator.formats.offsets import Places
from annotator.formats.spans import Found, meta_of, number_record
from annotator.formats.writing import FileWriter


def spans(found: Found, obj: dict[str, Any]) -> None:
    """The entities of a line in either of doccano's shapes, into ``found``."""
    labels = obj.get("label")
    meta = obj.get("meta")
    resolved = {(r[0], r[1]): {"resolved": r[2]} for r in meta.get("resolved", []) if isinstance(r, list) and len(r) == 3
                } if isinstance(meta, dict) and "resolved" in meta else {}
    if isinstance(labels, list):
        for item in labels:
            if type(item) is str:  # its text classification export: a document label (see links)
                continue
            if type(item) is not list or len(item) != 3:
                raise InputError(found.path, f'each doccano "label" must be [start, end, "LABEL"], found {item!r}',
                                 found.line)
            start, end, label = item
            found.add(start, end, label, resolved.get((start, end)) if resolved else None)
    entities = obj.get("entities") or []
    if not isinstance(entities, list):
        raise InputError(found.path, '"entities" must be a list', found.line)
    for item in entities:
        if type(item) is list and len(item) == 3:  # its "intent and slots" export: [start, end, label]
            found.add(*item)
            continue
        if not isinstance(item, dict):
            raise InputError(found.path, '"entities" must be a list of objects', found.line)
        found.add(item.get("start_offset"), item.get("end_offset"), item.get("label"))


class Writer(FileWriter):
    def write(self, doc: Document, spans: list[Span], problems: list[str], extra: Extra = NOTHING) -> int:
        at = Places(doc, self.options.unit("doccano"), problems)
        spans = [s for s in spans if at.fits(s)]
        entities = [s for s in spans if s.layer == ENTITIES]
        numbers = [s for s in spans if s.layer == NUMBERS]
        meta = {**meta_of(doc), "numbers": [number_record(s, at) for s in numbers]}
        resolved = [[at(s.start), at(s.end), s.resolved] for s in entities if s.resolved is not None]
        if resolved:
            meta["resolved"] = resolved
        record: dict[str, Any] = {"text": doc.text}
        if extra.links:
            record.update(doccano_relations(doc, entities, numbers, meta, extra, at, problems))
        else:
            record["label"] = [[at(s.start), at(s.end), s.label] for s in entities]
        if extra.categories:
            record["cats"] = list(extra.categories)
        record["meta"] = meta
        self.file.write(json.dumps(record, ensure_ascii=False) + "\n")
        return len(entities) + len(numbers)
