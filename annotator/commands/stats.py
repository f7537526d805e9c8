"""``annotator stats``: what a project holds.

Plain aligned text rather than rich tables: this is the command people run to check a project
at a glance, and rich's import alone would be a fifth of its run time.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import TYPE_CHECKING

import click

from annotator.commands import with_store

if TYPE_CHECKING:
    from annotator.storage import Store


def table(title: str, header: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    """A titled table: text columns left-aligned, figures right-aligned (with thousands separators)."""
    cells = [list(header)] + [[f"{v:,}" if isinstance(v, int) else str(v) for v in row] for row in rows]
    widths = [max(len(row[i]) for row in cells) for i in range(len(header))]
    numeric = [bool(rows) and all(isinstance(row[i], int) for row in rows) for i in range(len(header))]
    lines = ["  ".join(c.rjust(w) if n else c.ljust(w) for c, w, n in zip(row, widths, numeric)).rstrip()
             for row in cells]
    return "\n".join([title, *lines[:1], "  ".join("-" * w for w in widths), *lines[1:]])


@click.command("stats")
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON.")
@with_store
def stats_command(store: Store, as_json: bool) -> None:
    """Documents by status; spans per layer, label and origin; document labels and relations per label;
    each person's assigned documents and how many are done (``annotator assign``).

    \b
    Example:
        annotator stats --db news.db
    """
    stats = {**store.stats(), "assignments": store.assignments.progress()}
    if as_json:
        click.echo(json.dumps(stats, indent=2))
        return
    status = ", ".join(f"{n:,} {s}" for s, n in stats["status"].items())
    click.echo(f"{stats['documents']:,} documents ({status}) in {store.path}\n")
    click.echo(table("Annotators' layers", ("layer", "label", "origin", "spans"),
                     [(r["layer"], r["label"], r["origin"], r["count"]) for r in stats["spans"]]))
    for key, title, whose in (("categories", "Document labels", "origin"), ("relations", "Relations", "origin"),
                              ("category_predictions", "Model document labels", "model"),
                              ("relation_predictions", "Model relations", "model")):
        if stats[key]:
            click.echo("\n" + table(title, ("label", whose, "count"), [(r["label"], r[whose], r["count"]) for r in stats[key]]))
    if stats["assignments"]:
        click.echo("\n" + table("Assignments", ("annotator", "assigned", "done", "open", "skipped"),
                                [(r["annotator"], r["assigned"], r["done"], r["open"], r["skipped"])
                                 for r in stats["assignments"]]))
    if stats["predictions"]:
        click.echo("\n" + table("Model predictions", ("model", "version", "layer", "predictions"),
                                [(r["model"], r["version"], r["layer"], r["count"]) for r in stats["predictions"]]))
