"""``annotator train`` and ``annotator train-curve``: spaCy training on the project's labels."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from annotator.commands import with_store
from annotator.storage import Store

if TYPE_CHECKING:  # the training modules load only when a command runs
    from annotator.train.run import Progress as Step


def training_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """The options train and train-curve share."""
    for option in reversed((
        click.option("--base", metavar="MODEL|blank",
                     help="Pipeline whose NER to start from, or 'blank' (default: the installed English one)."),
        click.option("--dev", default=0.2, show_default=True, type=click.FloatRange(0, 1, min_open=True, max_open=True),
                     help="Share of the done documents held out to score the model."),
        click.option("--max-steps", default=1000, show_default=True, type=click.IntRange(1), help="Training steps."),
        click.option("--seed", default=0, show_default=True, type=int, help="Seed of the split and of training."),
        click.option("--final", is_flag=True, help="Learn from the adjudicated layer instead of a person's."),
    )):
        command = option(command)
    return command


class ProgressBar:
    """rich's bar, shown from the first step on: a refusal before training prints only its line."""

    def __init__(self, total: int) -> None:
        self.total = total
        self.bar = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TextColumn("steps"),
                            TextColumn("loss {task.fields[loss]}"), TextColumn("dev F1 {task.fields[f1]}"),
                            TimeElapsedColumn())
        self.tasks: dict[str, Any] = {}

    def show(self, description: str, step: Step) -> None:
        if not self.tasks:
            self.bar.start()
        if description not in self.tasks:
            self.tasks[description] = self.bar.add_task(description, total=self.total, **shown(step))
        self.bar.update(self.tasks[description], completed=min(step.step, self.total), **shown(step))

    def __enter__(self) -> ProgressBar:
        return self

    def __exit__(self, *exc: object) -> None:
        if self.tasks:
            self.bar.stop()


def shown(step: Step) -> dict[str, Any]:
    """The bar's fields: the last loss, and dev F1 of entities (and numbers' labels when trained)."""
    scores = step.scores or {}
    f1 = "…" if "ents_f" not in scores else f"{scores['ents_f']:.3f}"
    if "spans_numbers_f" in scores:
        f1 += f" · numbers {scores['spans_numbers_f']:.3f}"
    return {"loss": "…" if step.loss is None else f"{step.loss:.1f}", "f1": f1}


def errors_as_one_line(work: Callable[[], Any]) -> Any:
    from annotator.detect.pipeline import ModelError
    from annotator.train.run import TrainingError

    try:
        return work()
    except (ModelError, TrainingError) as err:
        raise click.ClickException(str(err)) from None
    except KeyboardInterrupt:
        click.echo("Interrupted before training started; nothing was saved.", err=True)
        raise SystemExit(130) from None


@click.command("train")
@click.option("--output", required=True, type=click.Path(file_okay=False, path_type=Path), metavar="DIR",
              help="Folder of the model's versions (each run adds DIR/vN).")
@click.option("--name", help="Name to register the model under (default: the output folder's name).")
@training_options
@with_store
def train_command(store: Store, output: Path, name: str | None, base: str | None, dev: float, max_steps: int,
                  seed: int, final: bool) -> None:
    """Train a spaCy model on the done documents: NER for the entities, and a classifier giving
    the rule-found numbers their labels. Ctrl+C stops and keeps the best model so far.

    \b
    Example:
        annotator train --output models/news --max-steps 1500 --db news.db
        annotator detect --all --model news --db news.db
    """
    from annotator.train.trainer import Settings, train

    settings = Settings(output, base, dev, max_steps, seed, final, name)
    with ProgressBar(max_steps) as bar:
        result = errors_as_one_line(lambda: train(store, settings, lambda step: bar.show("training", step)))
    how = "Finished" if result.finished else "Stopped early; kept the best model so far"
    figures = ", ".join(f"{label} {result.scores[key]:.3f}" for label, key in
                        (("entities F1", "ents_f"), ("numbers F1", "spans_numbers_f")) if key in result.scores)
    click.echo(f"{how}: {result.name} {result.version} ({figures} on {result.record['documents']['dev']} dev "
               f"document(s)) in {result.path}")
    if result.left_out:
        click.echo(f"{result.left_out} span(s) did not sit on token boundaries and were left out.", err=True)
    click.echo(f"Registered as {result.name!r}: annotator detect --model {result.name}")


@click.command("train-curve")
@click.option("--output", type=click.Path(file_okay=False, path_type=Path), metavar="DIR",
              help="Keep the models here (default: a temporary folder).")
@training_options
@with_store
def train_curve_command(store: Store, output: Path | None, base: str | None, dev: float, max_steps: int, seed: int,
                        final: bool) -> None:
    """Train on 25, 50, 75 and 100% of the training documents and print the dev F1 of each:
    does more labelling still help?

    \b
    Example:
        annotator train-curve --max-steps 500 --db news.db
    """
    from annotator.train.curve import train_curve
    from annotator.train.trainer import Settings

    with ProgressBar(max_steps) as bar:
        points = errors_as_one_line(lambda: train_curve(
            store, Settings(output, base, dev, max_steps, seed, final),
            progress=lambda share, step: bar.show(f"{share:.0%} of the data", step)))
    table = Table("share", "documents", "entities F1", "numbers F1", "seconds", title="Dev F1 by training data")
    for point in points:
        numbers = point.scores.get("spans_numbers_f")
        table.add_row(f"{point.share:.0%}", str(point.documents), f"{point.scores.get('ents_f', 0):.3f}",
                      "—" if numbers is None else f"{numbers:.3f}", f"{point.seconds:.0f}")
    Console().print(table)
