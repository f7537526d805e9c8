"""The ``annotator`` command: with no subcommand it opens the window.

Start-up is kept short (``annotator --version`` imports no storage, spaCy or rich): each
subcommand's module is imported only when that command runs or its help is shown.
"""

from __future__ import annotations

import importlib
from pathlib import Path

import click

from annotator import __version__
from annotator.commands import DB_HELP, PROJECT
from annotator.failures import failure_line, user_errors
from annotator.selftest import self_test_option

# command name -> "module:attribute" of its click command, imported when the command is used
COMMANDS = {
    "adjudicate": "annotator.commands.review:adjudicate_command",
    "agreement": "annotator.commands.review:agreement_command",
    "assign": "annotator.commands.assign:assign_command",
    "check": "annotator.commands.check:check_command",
    "detect": "annotator.commands.detect:detect_command",
    "evaluate": "annotator.commands.review:evaluate_command",
    "export": "annotator.commands.export:export_command",
    "gazetteer": "annotator.commands.gazetteer:gazetteer_command",
    "import": "annotator.commands.importing:import_command",
    "labels": "annotator.commands.labels:labels_command",
    "merge": "annotator.commands.review:merge_command",
    "models": "annotator.commands.models:models_command",
    "stats": "annotator.commands.stats:stats_command",
    "train": "annotator.commands.train:train_command",
    "train-curve": "annotator.commands.train:train_curve_command",
}


class Commands(click.Group):
    """Subcommands imported on first use; a user's error in any of them ends as one line."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(set(COMMANDS) | set(self.commands))

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name not in self.commands and name in COMMANDS:
            module, attribute = COMMANDS[name].split(":")
            self.add_command(getattr(importlib.import_module(module), attribute), name)
        return self.commands.get(name)

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except user_errors() as err:
            if ctx.params.get("debug"):
                raise
            raise click.ClickException(failure_line(err)) from None


@click.group(cls=Commands, invoke_without_command=True, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--db", "db_path", type=PROJECT, metavar="PATH", help=DB_HELP)
@click.option("--annotator", "annotator_name", metavar="NAME", help="Your name on the annotations.")
@click.option("--debug", is_flag=True, help="On a failure, show the full traceback instead of one line.")
@click.version_option(__version__, prog_name="annotator")
@self_test_option
@click.pass_context
def cli(ctx: click.Context, db_path: Path | None, annotator_name: str | None, debug: bool) -> None:
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


def main() -> None:
    cli()
