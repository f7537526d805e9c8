"""``annotator export``: training data for spaCy, Prodigy, doccano, CoNLL tools and spreadsheets."""

from __future__ import annotations

from pathlib import Path

import click
from rich.progress import Progress

from annotator.commands import with_store
from annotator.export import FORMATS, export_documents
from annotator.storage import Store


@click.command("export")
@click.argument("out", type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(FORMATS), required=True, help="What to write.")
@click.option("--status", type=click.Choice(["done", "all", "open", "skipped"]), default="done", show_default=True,
              help="Which documents.")
@click.option("--split", type=float, metavar="SHARE", help="Write OUT/train and OUT/dev, SHARE of documents in train.")
@click.option("--seed", type=int, default=0, show_default=True, help="Random seed of the split.")
@click.option("--final", is_flag=True, help="Export the adjudicated layer instead of a person's.")
@with_store
def export_command(store: Store, out: Path, fmt: str, status: str, split: float | None, seed: int, final: bool) -> None:
    """Export documents with the human's annotations (untouched ones: the model's suggestions).

    Formats: spacy (DocBin; with --split a folder of train.spacy and dev.spacy), jsonl
    (Prodigy), doccano, conll (CoNLL-2003 IOB), csv (one row a span). Spans that do not sit on
    token boundaries are reported and left out of the formats that need tokens.

    \b
    Example:
        annotator export --format spacy corpus/ --split 0.8 --seed 1 --db news.db
    """
    with Progress(transient=True) as bar:
        task = bar.add_task("Exporting", total=None)
        report = export_documents(store, fmt, out, status=status, split=split, seed=seed,
                                  annotator="final" if final else None,
                                  progress=lambda n, total: bar.update(task, completed=n, total=total))
    for problem in report.problems:
        click.echo(f"warning: {problem}", err=True)
    click.echo(f"Exported {report.documents} document(s), {report.spans} span(s) to "
               f"{', '.join(str(p) for p in report.files)}.")
