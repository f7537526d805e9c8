"""``annotator check``: is a project file sound, and rebuild what can be rebuilt."""

from __future__ import annotations

from pathlib import Path

import click

from annotator.commands import DB_HELP, PROJECT
from annotator.paths import default_db_path


@click.command("check")
@click.option("--db", "db_path", type=PROJECT, metavar="PATH", help=DB_HELP)
@click.option("--repair", is_flag=True,
              help="Rebuild the counters and the full-text index, remove triggers and views annotator did not make "
                   "and what dead imports left; never a person's annotation.")
@click.pass_context
def check_command(ctx: click.Context, db_path: Path | None, repair: bool) -> None:
    """Check a project: SQLite's integrity check, its schema, every span against its text,
    overlapping entities, counters, the search index, the history and unfinished imports.

    One line per kind of problem, with how many; the exit status is 1 when something is wrong.
    On a server project everything but PostgreSQL's own storage and schema is checked (a note says so).

    \b
    Examples:
        annotator check --db news.db
        annotator check --db news.db --repair
    """
    from annotator.storage.check import check_project
    from annotator.storage.postgres.url import is_server

    path = db_path or ctx.find_root().params.get("db_path") or default_db_path()
    if not is_server(path) and not path.exists():
        raise click.ClickException(f"{path}: no such project")
    report = check_project(path, repair=repair)
    for line in report.repaired:
        click.echo(f"repaired: {line}")
    for line in report.problems + report.notes:
        click.echo(f"{path}: {line}")
    if report.problems:
        ctx.exit(1)
    click.echo(f"{path}: no problems found" + (" in what was checked" if report.notes else ""))
