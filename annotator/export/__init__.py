"""Exporting a project in any format of :data:`annotator.formats.FORMATS` that writes.

Whole or not at all: the export is written beside OUT (a file, or a folder for brat, shards and
splits) and renamed onto it only when complete (:mod:`annotator.files`); a failure, a Cancel or
a kill leaves the previous OUT as it was.

Documents are read and written one at a time. Every span is checked against the text on the
way out; one that does not sit on token boundaries (where the format needs tokens) is reported
and left out, never moved.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import cast

from annotator.answers import answered_by, meta_for
from annotator.domain import Document, Span, check_span
from annotator.files import Replacement, failed
from annotator.formats import ALL_LAYERS, FORMATS, WriteOptions, Writer, writable
from annotator.formats.links import CARRIES, Extra, LinkWriter, Unwritten
from annotator.storage import Store


@dataclass
class ExportReport:
    documents: int = 0
    spans: int = 0
    files: list[Path] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # spans left out, with where and why
    cancelled: bool = False  # then nothing was written: OUT is as it was


def who(store: Store, annotator: str | None = None) -> str:
    """Whose layer to export: the one asked for, else this store's person if they annotated,
    else the only annotator in the project."""
    if annotator:
        return annotator
    present = [a for a in store.annotators() if a != "final"]
    return store.annotator if store.annotator in present or len(present) != 1 else present[0]


def export_documents(
    store: Store,
    fmt: str,
    out: Path | str,
    status: str = "done",
    split: float | None = None,
    seed: int = 0,
    annotator: str | None = None,
    progress: Callable[[int, int], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
    options: WriteOptions | None = None,
) -> ExportReport:
    """Write the documents of a status (or "all") to OUT; with ``split``, OUT is a folder of
    ``train`` and ``dev`` files (``split`` is the share of documents that goes to train)."""
    if fmt not in FORMATS or not FORMATS[fmt].writes:
        raise ValueError(f"unknown export format {fmt!r} (expected one of {', '.join(writable())})")
    form = FORMATS[fmt]
    out = Path(out)
    person = who(store, annotator)
    every = options is not None and options.all_layers
    if every and fmt not in ALL_LAYERS:
        raise ValueError(f"every person's layer (--all-layers) is written by {' and '.join(ALL_LAYERS)} only, not {fmt}")
    ids = store.document_ids(None if status == "all" else status)
    report = ExportReport()
    unwritten = Unwritten(fmt)
    if split is not None and not 0 < split < 1:
        raise ValueError("--split takes the share of documents for training, between 0 and 1 (e.g. 0.8)")
    folder = split is not None or form.suffix == "/" or out.is_dir()
    if folder:
        _check_replaceable(out)
    replacement = Replacement(out, folder=folder)
    staged = replacement.path
    writers: dict[str, Writer] = {}
    try:
        if split is not None:
            suffix = "" if form.suffix == "/" else form.suffix
            writers = {part: form.writer(staged / f"{part}{suffix}", options) for part in ("train", "dev")}
            rng = random.Random(seed)
            shuffled = ids[:]
            rng.shuffle(shuffled)
            cut = max(1, round(len(ids) * split)) if len(ids) > 1 else len(ids)
            train = set(shuffled[:cut])

            def route(doc_id: int) -> Writer:
                return writers["train" if doc_id in train else "dev"]
        else:
            writers = {"all": form.writer(staged, options)}

            def route(doc_id: int) -> Writer:
                return writers["all"]
        for count, doc_id in enumerate(ids, 1):
            if cancelled and cancelled():
                report.cancelled = True
                break
            doc = store.document(doc_id)
            writer = route(doc_id)
            for part, spans, owner in _layers(store, doc, person, annotator, every):
                extra = unwritten.count(extra_of(store, doc_id, owner))
                checked = _checked(part, spans, report)
                if fmt in CARRIES:
                    report.spans += cast(LinkWriter, writer).write(part, checked, report.problems, extra)
                else:
                    report.spans += writer.write(part, checked, report.problems)
            report.documents += 1
            if progress:
                progress(count, len(ids))
        written = [path for writer in writers.values() for path in writer.close()]
    except OSError as err:
        replacement.discard()
        raise failed(err, out) from None
    except BaseException:
        replacement.discard()
        raise
    if report.cancelled:
        replacement.discard()
        return report
    replacement.commit()
    report.files = [replacement.final(path) for path in written]
    unwritten.report(report.problems)
    return report


def _layers(store: Store, doc: Document, person: str, annotator: str | None,
            every: bool) -> list[tuple[Document, Sequence[Span], str]]:
    """What to write of a document, each with its spans and whose they are: one person's layer, or
    with ``every`` each person's (as their answer: meta and status, :mod:`annotator.answers`)."""
    people = everyone(store, doc) if every else []
    if not people:
        owner = person if annotator else whose(store, doc, person)
        return [(doc, store.layer(doc.id, owner), owner)]
    parts: list[tuple[Document, Sequence[Span], str]] = []
    for owner in people:
        meta, status = meta_for(doc.meta, doc.status, owner)
        parts.append((replace(doc, meta=meta, status=status), store.spans(doc.id, annotator=owner), owner))
    return parts


def everyone(store: Store, doc: Document) -> list[str]:
    """Who answered the document in the file it came from (a rejecting answer holds no layer), then
    who else worked on it here; an untouched copy of the model's suggestions is nobody's answer."""
    named = answered_by(doc.meta)
    return named + [p for p in store.spans.people([doc.id]).get(doc.id, []) if p not in named and (
        store.worked_on(doc.id, p) or store.categories.of(doc.id, p))]


def whose(store: Store, doc: Document, person: str) -> str:
    """Whose layer of a document to export when nobody was named: the person's, else the layer of
    the annotator the imported file named (a Prodigy task's ``_annotator_id``), if they have one."""
    named = doc.meta.get("annotator")
    if isinstance(named, str) and named != person and not store.has_layer(doc.id, person) and store.has_layer(doc.id, named):
        return named
    return person


def extra_of(store: Store, doc_id: int, person: str) -> Extra:
    """A person's document labels and relations of a document, for the formats that carry them."""
    links = store.relations.links(doc_id, person) if store.relations.of(doc_id, person) else []
    return Extra(tuple(c.label for c in store.categories.of(doc_id, person)), tuple(links))


# What a folder OUT may already hold: an earlier export (brat pairs, DocBin shards, WebAnno TSV, CoNLL-U and
# CAS files, a Hugging Face dataset, a split's train and dev); it is replaced whole, so a folder
# holding anything else is refused.
_EXPORTED = re.compile(r"(\d{3}\.spacy|\d{6}\.(txt|ann|tsv|xmi|json|conllu)|TypeSystem\.xml|(train|dev)(\.\w+)?"
                       r"|dataset_dict\.json|dataset_info\.json|state\.json|data-\d{5}-of-\d{5}\.arrow)")


def _check_replaceable(out: Path) -> None:
    if out.exists() and not out.is_dir():
        raise ValueError(f"{out} is a file, and this export writes a folder: give a folder's name")
    if not out.is_dir():
        return
    for path in out.rglob("*"):
        if not _EXPORTED.fullmatch(path.name):
            raise ValueError(f"{out} holds {path.relative_to(out)}, which no export writes: an export replaces "
                             "its folder whole, so give a new or empty folder (or one an earlier export made)")


def _checked(doc: Document, spans: Sequence[Span], report: ExportReport) -> list[Span]:
    good = []
    for span in spans:
        try:
            check_span(doc.text, span)
        except ValueError as err:
            report.problems.append(f"document {doc.id}: {err}")
        else:
            good.append(span)
    return good
