"""Pieces every subcommand shares: ``--db``/``--annotator`` and clean error messages.

Nothing heavy is imported here: the storage is imported when a command opens its project.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

if TYPE_CHECKING:
    from annotator.storage import Store


class ProjectParam(click.ParamType):  # type: ignore[type-arg]  # generic only in click's newest stubs
    """``--db``: a project file, or a project on a PostgreSQL server (``postgresql://user@host:port/dbname``)."""

    name = "project"
    file = click.Path(dir_okay=False, path_type=Path)

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Path:
        from annotator.storage.postgres.url import is_server, location

        return location(value) if is_server(value) else self.file.convert(value, param, ctx)


PROJECT = ProjectParam()
DB_HELP = "Project database: a file, or postgresql://user@host:port/dbname (default: project.db in your user data folder)."


def store_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """``--db PATH`` and ``--annotator NAME``: on a command, or on a group of them (``annotator labels``)."""
    command = click.option("--annotator", "annotator_name", metavar="NAME",
                           help="Whose annotations to read and write (default: your login name).")(command)
    return click.option("--db", "db_path", type=PROJECT, metavar="PATH", help=DB_HELP)(command)


def _given(ctx: click.Context | None, name: str) -> Any:
    """An option given before the subcommand: to its group, or to ``annotator`` itself."""
    while ctx is not None:
        if ctx.params.get(name):
            return ctx.params[name]
        ctx = ctx.parent
    return None


def with_store(command: Callable[..., Any]) -> Callable[..., Any]:
    """Add ``--db PATH`` and ``--annotator NAME`` to a command and hand it an open Store.

    Either may also be given before the subcommand (``annotator --db x.db stats``), or to its group. A failure
    opening or using the project is turned into one line by the root command (:mod:`annotator.cli`).
    """

    def wrapper(ctx: click.Context, db_path: Path | None, annotator_name: str | None, **kwargs: Any) -> Any:
        from annotator.project import open_project

        store: Store = open_project(db_path or _given(ctx, "db_path"), annotator_name or _given(ctx, "annotator_name"))
        try:
            return command(store, **kwargs)
        finally:
            store.close()

    # as @store_options @click.pass_context @functools.wraps(command) would, but keeping the wrapper's
    # own signature for click.pass_context (functools.wraps's typed result hides it)
    functools.update_wrapper(wrapper, command)
    return store_options(click.pass_context(wrapper))
