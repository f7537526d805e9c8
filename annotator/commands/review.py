"""``annotator evaluate``, ``agreement``, ``merge`` and ``adjudicate``: quality and teams."""

from __future__ import annotations

import json
from pathlib import Path

import click
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from annotator.commands import PROJECT, with_store
from annotator.domain import NUMBERS
from annotator.review.adjudicate import FINAL, take_categories
from annotator.review.agreement import agreement
from annotator.review.evaluate import (
    EDITS,
    Evaluation,
    Source,
    compare,
    confusion_rows,
    evaluate,
    nothing_last,
    parse_mapping,
    read_mapping,
)
from annotator.review.merge import merge
from annotator.review.metrics import EXACT, OVERLAP, Counts, Scores
from annotator.storage import Store


@click.command("evaluate")
@click.option("--model", "models", multiple=True, metavar="NAME_OR_PATH",
              help="A model to score; repeat to compare several side by side. A name of stored predictions "
                   "(see `annotator stats`), or a spaCy pipeline, model folder or registered model, run afresh.")
@click.option("--fresh", is_flag=True, help="Run every --model anew, even one whose predictions are stored.")
@click.option("--map", "maps", multiple=True, metavar="MODEL=GOLD",
              help="Map a model's label to the gold's, e.g. --map PERSON=PER --map GPE=LOC (repeatable).")
@click.option("--map-file", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Label mapping from a file: one MODEL=GOLD (or tab-separated) pair a line, or a JSON object.")
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON.")
@click.option("--html", "html_out", type=click.Path(dir_okay=False, path_type=Path), help="Write an HTML report here.")
@click.option("--final", is_flag=True, help="Score against the adjudicated layer instead of a person's.")
@with_store
def evaluate_command(store: Store, models: tuple[str, ...], fresh: bool, maps: tuple[str, ...],
                     map_file: Path | None, as_json: bool, html_out: Path | None, final: bool) -> None:
    """Score models against the human annotations of the documents marked done.

    Precision, recall and F1 per label, for exact and for overlapping matches; a confusion
    matrix of labels (which label the model gave where the gold has which); for numbers also
    the share with the right value; and what people did to the suggestions. Without --model,
    the stored predictions are scored. The human side (the gold) is --annotator's layer (by
    default yours), or the adjudicated one with --final.

    A model's labels can be mapped to the gold's. Layers and labels the gold never uses are
    left out and listed, not scored as zero. A mapping file holds one pair a line (a JSON
    object {"PERSON": "PER"} works too):

    \b
        # OntoNotes model against CoNLL gold
        PERSON=PER
        GPE=LOC
        NORP=MISC

    \b
    Examples:
        annotator evaluate --db news.db --html report.html
        annotator evaluate --db gold.db --model en_core_web_sm --model ./models/news-v2 \\
            --map PERSON=PER --map GPE=LOC --map-file more.map
    """
    mapping = {**(read_mapping(map_file) if map_file else {}), **parse_mapping(maps)}
    sources = [resolve_source(store, name, fresh) for name in models]
    if not sources:
        reports = [evaluate(store, annotator="final" if final else None, mapping=mapping)]
    else:
        reports = compare(store, sources, annotator="final" if final else None, mapping=mapping)
    first = reports[0]
    if not first.documents and first.not_annotated:
        others = ", ".join(a for a in store.annotators()) or "nobody"
        raise click.ClickException(
            f"{first.annotator} has annotated none of the {first.not_annotated} document(s) marked done; "
            f"choose whose annotations to score with --annotator NAME or --final (annotators here: {others}).")
    if html_out:
        from annotator.files import write_text
        from annotator.review.report_html import render  # matplotlib only when asked for

        write_text(html_out, render(reports))
    if as_json:
        figures = [r.as_dict() for r in reports]
        click.echo(json.dumps(figures[0] if len(figures) == 1 else {"models": figures}, indent=2))
        return
    print_reports(Console(), reports)
    if html_out:
        click.echo(f"Report written to {html_out}")


def resolve_source(store: Store, name: str, fresh: bool) -> Source:
    """Stored predictions of that name, unless --fresh; else a registered model of that name, an
    installed pipeline or a model folder, loaded now (spaCy only then)."""
    stored = dict(store.prediction_models())
    if name in stored and not fresh:
        return Source(f"{name} {stored[name]} (stored)", stored=name)
    registered = {m["name"]: m["path"] for m in store.models()}
    from annotator.detect.pipeline import ModelError, load_pipeline

    try:
        pipeline = load_pipeline(registered.get(name, name))
    except ModelError as err:
        raise click.ClickException(str(err)) from None
    return Source(f"{pipeline.name} {pipeline.version} (fresh run)", pipeline=pipeline)


def print_reports(console: Console, reports: list[Evaluation]) -> None:
    first = reports[0]
    console.print(f"[bold]{first.documents}[/] document(s) marked done, annotated by {escape(first.annotator)}; "
                  f"model{'s' if len(reports) > 1 else ''}: " + ", ".join(escape(r.model) for r in reports))
    if first.not_annotated:
        console.print(f"{first.not_annotated} other done document(s) have no annotations by "
                      f"{escape(first.annotator)}: left out")
    if first.mapping:
        console.print("Labels mapped: " + escape(", ".join(f"{k} → {v}" for k, v in sorted(first.mapping.items()))))
    for layer in first.left_out_layers:
        console.print(f"{layer} left out: the gold has no spans in this layer")
    for report in reports:
        print_left_out(console, report, len(reports) > 1)
    for layer in first.layers:
        if len(reports) == 1:
            console.print(score_table(first, layer))
        else:
            console.print(side_by_side(reports, layer))
    for report in reports:
        print_links(console, report, len(reports) > 1)
    for report in reports:
        for layer in report.layers:
            console.print(confusion_table(report, layer, len(reports) > 1))
    if NUMBERS in first.layers:
        for report in reports:
            console.print(("" if len(reports) == 1 else f"{escape(report.model)}: ") +
                          f"Number values right: {report.values_right} of {report.values_found} "
                          f"({report.value_accuracy:.1%})")
    for report in reports:
        if report.dates_found:
            console.print(("" if len(reports) == 1 else f"{escape(report.model)}: ") +
                          f"Dates resolved right: {report.dates_right} of {report.dates_found} found at the right "
                          f"place ({report.date_accuracy:.1%})" + _by_source(report))
    if first.edits:  # none when the gold was imported rather than corrected from the suggestions
        console.print("Suggestions: " + ", ".join(f"{first.edits.get(k, 0)} {k}" for k in EDITS))


def print_left_out(console: Console, report: Evaluation, named: bool) -> None:
    who = f"{escape(report.model)}: " if named else ""
    given = [f"{layer} " + ", ".join(f"{k} ({n})" for k, n in sorted(c.items()))
             for layer, c in report.not_scored.items() if c]
    if given:
        console.print(f"{who}not scored, labels the gold does not annotate: " + escape("; ".join(given)))
    if report.unused_mapping:
        console.print(f"{who}mapped to labels the gold never uses: " + escape(", ".join(report.unused_mapping)))
    if report.without_predictions:
        console.print(f"{who}{report.without_predictions} document(s) without stored predictions of this model "
                      "(scored as predicting nothing)")


def score_table(report: Evaluation, layer: str) -> Table:
    return modes_table(layer, {EXACT: report.scores[EXACT][layer], OVERLAP: report.scores[OVERLAP][layer]})


def modes_table(title: str, modes: dict[str, Scores]) -> Table:
    """P, R and F1 per label and overall, a triple of columns per matching mode."""
    table = Table("label", *(f"{figure} {mode}".strip() for mode in modes for figure in ("P", "R", "F1")), title=title)
    for label in [*sorted(next(iter(modes.values())).labels), "overall"]:
        cells = []
        for scores in modes.values():
            c = scores.overall if label == "overall" else scores.labels.get(label, Counts())
            cells += [f"{c.precision:.3f}", f"{c.recall:.3f}", f"{c.f1:.3f}"]
        table.add_row(escape(label), *cells)
    return table


def print_links(console: Console, report: Evaluation, named: bool) -> None:
    """Document labels and relations, when the gold gives them."""
    who = f"{escape(report.model)}: " if named else ""
    links = report.links
    if links.categories.labels:
        console.print(modes_table(f"{who}document labels ({links.category_documents} document(s) labelled)",
                                  {"": links.categories}))
    if links.relations[EXACT].labels:
        console.print(modes_table(f"{who}relations ({links.relation_documents} document(s) with relations; "
                                  "ends exact / overlapping)", links.relations))


def side_by_side(reports: list[Evaluation], layer: str) -> Table:
    """F1 (exact and overlap) per label, a pair of columns per model."""
    table = Table("label", title=f"{layer}: F1 exact / overlap")
    for report in reports:
        table.add_column(escape(report.model), justify="right")
    labels = sorted({label for r in reports for label in r.scores[EXACT][layer].labels})
    for label in [*labels, "overall"]:
        cells = []
        for report in reports:
            e, o = (s.overall if label == "overall" else s.labels.get(label, Counts())
                    for s in (report.scores[EXACT][layer], report.scores[OVERLAP][layer]))
            cells.append(f"{e.f1:.3f} / {o.f1:.3f}")
        table.add_row(escape(label), *cells)
    return table


def _cell_label(label: str | None) -> str:
    return "—" if label is None else escape(label)


def confusion_table(report: Evaluation, layer: str, named: bool) -> Table:
    """Rows: the gold's label; columns: the label the model gave there (— for nothing)."""
    cells = dict(confusion_rows(report.confusion[layer]))
    models = nothing_last({m for _, m in cells})
    title = f"{escape(report.model) + ': ' if named else ''}{layer} labels confused"
    table = Table("gold ↓ model →", *(_cell_label(m) for m in models), title=title)
    for gold in nothing_last({g for g, _ in cells}):
        table.add_row(_cell_label(gold), *(str(cells.get((gold, m), "")) for m in models))
    return table


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
        if "categories" in pair:
            categories = pair["categories"]
            table = Table("document label", "F1", "kappa", title=f"document labels: F1 {categories['overall']['f1']:.3f}")
            for label, figures in categories["labels"].items():
                table.add_row(escape(label), f"{figures['f1']:.3f}", f"{categories['kappa'].get(label, 0.0):.3f}")
            console.print(table)
        if "relations" in pair:
            exact, overlap = pair["relations"][EXACT]["overall"], pair["relations"][OVERLAP]["overall"]
            console.print(f"relations: F1 {exact['f1']:.3f} (ends exact), {overlap['f1']:.3f} (ends overlapping)")


@click.command("merge")
@click.argument("sources", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--into", "--db", "into", required=True, metavar="PATH", type=PROJECT,
              help="The team project to merge into (created if missing): a file or a postgresql:// URL.")
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
    """Start the final (adjudicated) layer from one person's annotations (spans, relations, document labels).

    Refine it in the window's Review panel; export it with `annotator export --final`.

    \b
    Example:
        annotator adjudicate --prefer alice --db team.db
    """
    final = Store(store.path, annotator=FINAL)
    try:
        with final.transaction():  # all or nothing: a kill -9 halfway leaves no partial final layer
            taken = []
            for doc_id in final.document_ids():
                people = {*final.annotators(doc_id), *final.categories.annotators(doc_id)}
                if prefer in people and (overwrite or FINAL not in people):
                    taken.append(doc_id)
                    final.copy_layer(doc_id, prefer)
                    final.relations.take(doc_id, prefer)
                    take_categories(final, doc_id, prefer)
    finally:
        final.close()
    click.echo(f"Final layer of {len(taken)} document(s) taken from {prefer}.")


def _by_source(report: Evaluation) -> str:
    """Where a fresh run's DATE suggestions came from: the model's NER, the date finder's rules."""
    found = report.dates_by_source
    return f"; DATE suggestions: {found.get('model', 0)} by the model, {found.get('rules', 0)} by the rules" if found else ""
