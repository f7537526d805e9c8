"""``annotator import``: add articles (and any annotations they carry) to a project."""

from __future__ import annotations

from pathlib import Path

import click
from rich.console import Console

from annotator.commands import with_store
from annotator.commands.detect import model_option, run_detection, scheduler_option
from annotator.domain import STATUSES
from annotator.formats import ReadOptions, readable
from annotator.formats.offsets import UNITS
from annotator.importing import import_paths
from annotator.storage import Store


@click.command("import")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(readable()),
              help="Read every file as this format instead of going by extension and content.")
@click.option("--status", type=click.Choice(STATUSES),
              help="Documents come in with this status (e.g. done, for a gold set to score at once).")
@click.option("--conll-doc-sep", default=None, metavar="docstart|blank|N-blank-lines",
              help="What ends a document in a CoNLL file: a -DOCSTART- line, every blank line, or a run of N "
                   "(default: -DOCSTART- lines; blank lines in Label Studio's CoNLL export, which it recognises).")
@click.option("--brat-types", metavar="TYPE[,TYPE...]", default="",
              help="brat: import only text-bound annotations of these types (a file of INCEpTION or DKPro "
                   "may hold tokens, parts of speech and entities over the same words).")
@click.option("--offsets", type=click.Choice(UNITS), default=None,
              help="The unit of the files' offsets, instead of the one each format's editor counts "
                   "(Label Studio, Prodigy, brat: codepoints; doccano, INCEpTION: utf16).")
@click.option("--no-detect", is_flag=True, help="Do not pre-annotate the new documents.")
@model_option
@scheduler_option
@with_store
def import_command(store: Store, paths: tuple[Path, ...], fmt: str | None, status: str | None, conll_doc_sep: str | None,
                   brat_types: str, offsets: str | None, no_detect: bool, model: str | None, scheduler: str | None) -> None:
    """Import articles, with any annotations they carry: .txt (folders are walked), .jsonl
    (plain, Prodigy, doccano), Label Studio .json (tasks or JSON-MIN) and .csv, brat standoff
    (.txt with .ann), CoNLL/IOB (.conll, .iob), CoNLL-U (.conllu), spaCy .spacy files, and
    INCEpTION's WebAnno TSV (.tsv), UIMA CAS XMI (.xmi) and CAS JSON (.json). Offsets are read in the unit the
    format's own editor counts; --offsets says otherwise.

    All or nothing: a bad file stops the import with its name and line, and the project is
    left as it was. A text already in the project is not added again; several people's answers
    on one text (Prodigy's multi-user sessions, a Label Studio task's annotations) become each
    person's layer of one document. What a file holds that a project does not (events, a person's
    second version) is counted in a warning.

    \b
    Example:
        annotator import seeds/ more.jsonl --db news.db
        annotator import gold.conll --conll-doc-sep blank --status done --db news.db
        annotator import inception-export/ --brat-types NamedEntity --db news.db
    """
    options = ReadOptions(conll_doc_sep=conll_doc_sep, status=status, offsets=offsets,
                          brat_types=tuple(t.strip() for t in brat_types.split(",") if t.strip()))
    console = Console(stderr=True)
    with console.status("Importing…"):
        result = import_paths(store, paths, fmt, options=options)
    for warning in options.warnings:
        click.echo(f"warning: {warning}", err=True)
    for note in options.notes:
        click.echo(f"note: {note}", err=True)
    click.echo(f"Imported {len(result.added)} document(s) into {store.path}.")
    if result.joined:
        click.echo(f"{result.joined} answer(s) by another person on a text already read became that person's layer of it.")
    if result.duplicates:
        click.echo(f"Skipped {len(result.duplicates)} already in the project: {', '.join(result.duplicates)}")
    if result.labels_created:
        click.echo(f"Created labels: {', '.join(result.labels_created)}")
    if result.added and not no_detect:
        run_detection(store, result.added, model, scheduler=scheduler)
