"""``annotator stats``: what a project holds."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import click
from rich.console import Console
from rich.table import Table

from annotator.commands import with_store

if TYPE_CHECKING:
    from annotator.storage import Store


@click.command("stats")
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON.")
@with_store
def stats_command(store: Store, as_json: bool) -> None:
    """Documents by status, and spans per layer, label and origin.

    \b
    Example:
        annotator stats --db news.db
    """
    stats = store.stats()
    if as_json:
        click.echo(json.dumps(stats, indent=2))
        return
    console = Console()
    status = ", ".join(f"{n} {s}" for s, n in stats["status"].items())
    console.print(f"[bold]{stats['documents']}[/] documents ({status}) in {store.path}")
    table = Table("layer", "label", "origin", "spans", title="Human layer")
    for row in stats["spans"]:
        table.add_row(row["layer"], row["label"], row["origin"], str(row["count"]))
    console.print(table)
    if stats["predictions"]:
        models = Table("model", "version", "layer", "predictions", title="Model predictions")
        for row in stats["predictions"]:
            models.add_row(row["model"], row["version"], row["layer"], str(row["count"]))
        console.print(models)
