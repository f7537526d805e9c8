"""The ``annotator`` command: with no subcommand it opens the window."""

from __future__ import annotations

from pathlib import Path

import click

from annotator import __version__
from annotator.commands.detect import detect_command
from annotator.commands.export import export_command
from annotator.commands.importing import import_command
from annotator.commands.models import models_command
from annotator.commands.review import adjudicate_command, agreement_command, evaluate_command, merge_command
from annotator.commands.stats import stats_command
from annotator.commands.train import train_command, train_curve_command
from annotator.selftest import self_test_option


@click.group(invoke_without_command=True, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--db", "db_path", type=click.Path(dir_okay=False, path_type=Path), metavar="PATH",
              help="Project database (default: project.db in your user data folder).")
@click.option("--annotator", "annotator_name", metavar="NAME", help="Your name on the annotations.")
@click.version_option(__version__, prog_name="annotator")
@self_test_option
@click.pass_context
def cli(ctx: click.Context, db_path: Path | None, annotator_name: str | None) -> None:
    """Hand-label news articles: entities and numbers, pre-annotated, saved as you go.

    \b
    Examples:
        annotator                      # open the window on your default project
        annotator --db news.db         # open (or create) another project
        annotator import articles/ --db news.db
        annotator --self-test          # check that everything works
    """
    if ctx.invoked_subcommand is None:
        from annotator.qt.app import run

        ctx.exit(run(db_path, annotator_name))


cli.add_command(detect_command)
cli.add_command(export_command)
cli.add_command(import_command)
cli.add_command(stats_command)
for command in (evaluate_command, agreement_command, merge_command, adjudicate_command,
                train_command, train_curve_command, models_command):
    cli.add_command(command)


def main() -> None:
    cli()
