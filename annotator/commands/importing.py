"""``annotator import``: add articles (and any annotations they carry) to a project."""

from __future__ import annotations

from pathlib import Path

import click
from rich.console import Console

from annotator.commands import with_store
from annotator.commands.detect import model_option, run_detection
from annotator.formats import FORMATS
from annotator.importing import import_paths
from annotator.storage import Store


@click.command("import")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(FORMATS),
              help="Read every file as this format instead of going by extension.")
@click.option("--no-detect", is_flag=True, help="Do not pre-annotate the new documents.")
@model_option
@with_store
def import_command(store: Store, paths: tuple[Path, ...], fmt: str | None, no_detect: bool, model: str | None) -> None:
    """Import articles, with any annotations they carry, from .txt files (folders are walked),
    .jsonl (plain, Prodigy or doccano), .csv, CoNLL/IOB (.conll, .iob) or spaCy .spacy files.

    All or nothing: a bad file stops the import with its name and line, and the project is
    left as it was. A text already in the project is not added again.

    \b
    Example:
        annotator import seeds/ more.jsonl --db news.db
    """
    console = Console(stderr=True)
    with console.status("Importing…"):
        result = import_paths(store, paths, fmt)
    click.echo(f"Imported {len(result.added)} document(s) into {store.path}.")
    if result.duplicates:
        click.echo(f"Skipped {len(result.duplicates)} already in the project: {', '.join(result.duplicates)}")
    if result.labels_created:
        click.echo(f"Created labels: {', '.join(result.labels_created)}")
    if result.added and not no_detect:
        run_detection(store, result.added, model)
