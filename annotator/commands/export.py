"""``annotator export``: training data and exchange files in any format that writes."""

from __future__ import annotations

from pathlib import Path

import click
from rich.progress import Progress

from annotator.commands import with_store
from annotator.export import export_documents
from annotator.formats import WriteOptions, writable
from annotator.formats.offsets import UNITS
from annotator.storage import Store


@click.command("export")
@click.argument("out", type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(writable()), required=True, help="What to write.")
@click.option("--status", type=click.Choice(["done", "all", "open", "skipped"]), default="done", show_default=True,
              help="Which documents.")
@click.option("--split", type=float, metavar="SHARE", help="Write OUT/train and OUT/dev, SHARE of documents in train.")
@click.option("--seed", type=int, default=0, show_default=True, help="Random seed of the split.")
@click.option("--final", is_flag=True, help="Export the adjudicated layer instead of a person's.")
@click.option("--predictions", "as_predictions", is_flag=True,
              help="labelstudio: write the spans as predictions to review, not as annotations.")
@click.option("--shard-size", type=click.IntRange(min=1), default=1000, show_default=True,
              help="spacy: documents per .spacy file; more make OUT a folder of shards.")
@click.option("--offsets", type=click.Choice(UNITS), default=None,
              help="Write offsets in this unit instead of the one the format's editor counts (e.g. utf16 for "
                   "brat files INCEpTION reads, graphemes for a doccano project in grapheme mode).")
@click.option("--all-layers", is_flag=True,
              help="jsonl, labelstudio: every person's layer of a document, a Prodigy task or a Label Studio annotation "
                   "each, naming its person (_annotator_id, completed_by), so agreement works after an import.")
@with_store
def export_command(store: Store, out: Path, fmt: str, status: str, split: float | None, seed: int, final: bool,
                   as_predictions: bool, shard_size: int, offsets: str | None, all_layers: bool) -> None:
    """Export documents with the human's annotations (untouched ones: the model's suggestions).

    Formats: spacy (DocBin; a folder of shards when large), jsonl (Prodigy), doccano,
    labelstudio (JSON tasks), brat (a folder of .txt and .ann), conll (CoNLL-2003),
    conll-doccano (what doccano imports), conllu (CoNLL-U for INCEpTION and spaCy), webanno
    (WebAnno TSV 3.3), uima-xmi and uima-json (UIMA CAS for INCEpTION), hf (a Hugging Face
    DatasetDict), csv (one row a span). Spans that do not sit on token boundaries are reported
    and left out of the formats that need tokens.

    \b
    Example:
        annotator export --format spacy corpus/ --split 0.8 --seed 1 --db news.db
        annotator export --format labelstudio tasks.json --predictions --status all --db news.db
    """
    options = WriteOptions(as_predictions=as_predictions, shard_size=shard_size, offsets=offsets, all_layers=all_layers)
    with Progress(transient=True) as bar:
        task = bar.add_task("Exporting", total=None)
        report = export_documents(store, fmt, out, status=status, split=split, seed=seed,
                                  annotator="final" if final else None, options=options,
                                  progress=lambda n, total: bar.update(task, completed=n, total=total))
    for problem in report.problems:
        click.echo(f"warning: {problem}", err=True)
    files = report.files
    where = ", ".join(str(p) for p in files) if len(files) <= 4 else f"{out} ({len(files)} files)"
    click.echo(f"Exported {report.documents} document(s), {report.spans} span(s) to {where}.")
