"""Pieces every subcommand shares: ``--db``/``--annotator`` and clean error messages."""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any, Callable

import click

from annotator.domain import SpanError
from annotator.formats import InputError
from annotator.project import open_project

# Errors that are the user's input, not our bug: shown as one line, no traceback.
USER_ERRORS = (InputError, SpanError, KeyError, ValueError)


def with_store(command: Callable[..., Any]) -> Callable[..., Any]:
    """Add ``--db PATH`` and ``--annotator NAME`` to a command and hand it an open Store.

    Either may also be given before the subcommand (``annotator --db x.db stats``).
    """

    @click.option("--annotator", "annotator_name", metavar="NAME",
                  help="Whose annotations to read and write (default: your login name).")
    @click.option("--db", "db_path", type=click.Path(dir_okay=False, path_type=Path), metavar="PATH",
                  help="Project database (default: project.db in your user data folder).")
    @click.pass_context
    @functools.wraps(command)
    def wrapper(ctx: click.Context, db_path: Path | None, annotator_name: str | None, **kwargs: Any) -> Any:
        root = ctx.find_root().params
        store = open_project(db_path or root.get("db_path"), annotator_name or root.get("annotator_name"))
        try:
            return command(store, **kwargs)
        except USER_ERRORS as err:
            message = err.args[0] if isinstance(err, KeyError) and err.args else str(err)
            raise click.ClickException(str(message)) from None
        finally:
            store.close()

    return wrapper

