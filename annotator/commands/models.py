"""``annotator models``: the project's trained models with their dev scores."""

from __future__ import annotations

import json

import click
from rich.console import Console
from rich.table import Table

from annotator.commands import with_store
from annotator.storage import Store
from annotator.train.models import SCORE_COLUMNS, model_rows


@click.command("models")
@click.option("--json", "as_json", is_flag=True, help="Print the models as JSON.")
@with_store
def models_command(store: Store, as_json: bool) -> None:
    """The models trained in this project, newest first, with their dev scores.

    \b
    Example:
        annotator models --db news.db
    """
    rows = model_rows(store)
    if as_json:
        click.echo(json.dumps(rows, indent=2))
        return
    if not rows:
        click.echo("No trained models yet: annotator train --output DIR")
        return
    table = Table("name", "version", "trained", "by", "base", "docs", "steps",
                  *(heading for heading, _ in SCORE_COLUMNS), title="Models (dev scores)")
    for row in rows:
        table.add_row(row["name"], row["version"], row["created"][:10], row["annotator"], row["base"],
                      f"{row['train']}+{row['dev']}", str(row["steps"]),
                      *("—" if row[key] is None else f"{row[key]:.3f}" for _, key in SCORE_COLUMNS))
    console = Console()
    console.print(table)
    for row in rows:
        console.print(f"{row['name']}: {row['path']}", soft_wrap=True, highlight=False)
