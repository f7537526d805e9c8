"""``annotator evaluate``, ``agreement``, ``merge`` and ``adjudicate``: quality and teams."""

from __future__ import annotations

import json
from pathlib import Path

import click
from rich.console import Console
from rich.table import Table

from annotator.commands import with_store
from annotator.commands.detect import model_option
from annotator.review.agreement import agreement
from annotator.review.evaluate import evaluate
from annotator.review.merge import merge
from annotator.review.metrics import EXACT, OVERLAP
from annotator.storage import Store


@click.command("evaluate")
@model_option
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON.")
@click.option("--html", "html_out", type=click.Path(dir_okay=False, path_type=Path), help="Write an HTML report here.")
@click.option("--final", is_flag=True, help="Score against the adjudicated layer instead of a person's.")
@with_store
def evaluate_command(store: Store, model: str | None, as_json: bool, html_out: Path | None, final: bool) -> None:
    """Score the model against the human annotations of the documents marked done.

    Precision, recall and F1 per label, for exact and for overlapping matches; for numbers also
    the share with the right value; and what people did to the suggestions. With --model, a
    fresh run of that pipeline is scored instead of the stored predictions. The human side is
    --annotator's layer (by default yours), or the adjudicated one with --final.

    \b
    Example:
        annotator evaluate --db news.db --html report.html
    """
    pipeline = None
    if model:  # spaCy is loaded only for a fresh run
        from annotator.detect.pipeline import ModelError, load_pipeline

        try:
            pipeline = load_pipeline(model)
        except ModelError as err:
            raise click.ClickException(str(err)) from None
    report = evaluate(store, annotator="final" if final else None, pipeline=pipeline)
    if not report.documents and report.not_annotated:
        others = ", ".join(a for a in store.annotators()) or "nobody"
        raise click.ClickException(
            f"{report.annotator} has annotated none of the {report.not_annotated} document(s) marked done; "
            f"choose whose annotations to score with --annotator NAME or --final (annotators here: {others}).")
    if html_out:
        from annotator.review.report_html import render  # matplotlib only when asked for

        html_out.write_text(render(report), encoding="utf-8")
    if as_json:
        click.echo(json.dumps(report.as_dict(), indent=2))
        return
    console = Console()
    console.print(f"[bold]{report.documents}[/] document(s) marked done, annotated by {report.annotator}; "
                  f"model: {report.model}")
    if report.not_annotated:
        console.print(f"{report.not_annotated} other done document(s) have no annotations by {report.annotator}: left out")
    for layer in ("entities", "numbers"):
        table = Table("label", "P exact", "R exact", "F1 exact", "P overlap", "R overlap", "F1 overlap", title=layer)
        exact, overlap = report.scores[EXACT][layer], report.scores[OVERLAP][layer]
        for label in [*sorted(exact.labels), "overall"]:
            e = exact.overall if label == "overall" else exact.labels[label]
            o = overlap.overall if label == "overall" else overlap.labels[label]
            table.add_row(label, *(f"{v:.3f}" for v in (e.precision, e.recall, e.f1, o.precision, o.recall, o.f1)))
        console.print(table)
    console.print(f"Number values right: {report.values_right} of {report.values_found} ({report.value_accuracy:.1%})")
    edits = report.as_dict()["edits"]
    console.print("Suggestions: " + ", ".join(f"{v} {k}" for k, v in edits.items()))
    if html_out:
        console.print(f"Report written to {html_out}")


@click.command("agreement")
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON.")
@with_store
def agreement_command(store: Store, as_json: bool) -> None:
    """Agreement between every pair of annotators: span F1 and Cohen's kappa over tokens, per label.

    \b
    Example:
        annotator agreement --db team.db
    """
    pairs = [p.as_dict() for p in agreement(store)]
    if as_json:
        click.echo(json.dumps(pairs, indent=2))
        return
    if not pairs:
        click.echo("Fewer than two annotators in this project: nothing to compare.")
    console = Console()
    for pair in pairs:
        console.print(f"[bold]{' vs '.join(pair['annotators'])}[/]: {pair['documents']} document(s) both worked on, "
                      f"span F1 {pair['span_f1']:.3f}, token kappa {pair['kappa']:.3f} (entities) and "
                      f"{pair['numbers_kappa']:.3f} (numbers), {pair['differences']} difference(s)")
        table = Table("label", "span F1", "kappa")
        for label, figures in pair["labels"].items():
            table.add_row(label, f"{figures['span_f1']:.3f}", f"{figures['kappa']:.3f}")
        console.print(table)


@click.command("merge")
@click.argument("sources", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--into", "--db", "into", required=True, metavar="PATH", type=click.Path(dir_okay=False, path_type=Path),
              help="The team project to merge into (created if missing).")
@click.option("--update", is_flag=True, help="Replace a person's layer already merged when theirs has changed since.")
def merge_command(sources: tuple[Path, ...], into: Path, update: bool) -> None:
    """Merge several people's projects into one, keeping each person's annotations.

    Documents are matched by their text; merging the same project twice adds nothing. Model
    suggestions nobody worked on are not taken as anyone's annotations. A person's layer that
    changed since an earlier merge is reported and kept as merged, unless --update.

    \b
    Example:
        annotator merge alice.db bob.db --into team.db
    """
    with Store(into) as target:
        result = merge(sources, target, update=update)
    click.echo(f"Merged {len(sources)} project(s) into {into}: {result.documents_added} new document(s), "
               f"{result.layers_added} annotation layer(s) added, {result.layers_already_there} already there, "
               f"{result.layers_updated} updated; {result.untouched_left_out} untouched suggestion layer(s) left out.")
    for path, title, person in result.conflicts:
        click.echo(f"{path}: {person}'s annotations of “{title}” differ from those merged before; kept the "
                   "earlier ones (use --update to take these).")


@click.command("adjudicate")
@click.option("--prefer", required=True, metavar="NAME", help="Whose version becomes the final one.")
@click.option("--all", "overwrite", is_flag=True, help="Also replace documents that already have a final version.")
@with_store
def adjudicate_command(store: Store, prefer: str, overwrite: bool) -> None:
    """Start the final (adjudicated) layer from one person's annotations.

    Refine it in the window's Review panel; export it with `annotator export --final`.

    \b
    Example:
        annotator adjudicate --prefer alice --db team.db
    """
    final = Store(store.path, annotator="final")
    try:
        taken = [d for d in store.document_ids() if prefer in store.annotators(d)
                 and (overwrite or "final" not in store.annotators(d))]
        for doc_id in taken:
            final.copy_layer(doc_id, prefer)
    finally:
        final.close()
    click.echo(f"Final layer of {len(taken)} document(s) taken from {prefer}.")
