"""``annotator gazetteer``: the strings you labelled, as spaCy entity patterns, and their conflicts."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from annotator.commands import with_store

if TYPE_CHECKING:
    from annotator.storage import Store


@click.group("gazetteer")
def gazetteer_command() -> None:
    """Your decisions on strings (a label given, or a suggestion removed), which suggestions follow.

    \b
    Examples:
        annotator gazetteer export names.jsonl --db news.db
        annotator gazetteer import names.jsonl --db other.db
        annotator gazetteer conflicts --db news.db
    """


@gazetteer_command.command("export")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@with_store
def export_command(store: Store, path: Path) -> None:
    """Write the strings you labelled one way as spaCy EntityRuler patterns (JSONL)."""
    from annotator.detect.gazetteer import export_patterns

    n = export_patterns(store.decisions.decided(), path)
    click.echo(f"Wrote {n} pattern(s) to {path}.")


@gazetteer_command.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@with_store
def import_command(store: Store, path: Path) -> None:
    """Take spaCy entity patterns (JSONL) as your decisions: detection and opened documents follow them."""
    from annotator.detect.gazetteer import read_patterns

    n = store.decisions.import_decisions(read_patterns(path))
    click.echo(f"Took {n} pattern(s) from {path} as decisions.")


@gazetteer_command.command("conflicts")
@with_store
def conflicts_command(store: Store) -> None:
    """Strings you labelled more than one way: they keep the model's suggestions until you agree with yourself."""
    conflicts = store.decisions.conflicts()
    for written, counts in conflicts:
        said = ", ".join(f"{label or 'removed'} in {n} document(s)" for label, n in sorted(counts.items()))
        click.echo(f"{written}\t{said}")
    click.echo(f"{len(conflicts)} string(s) labelled more than one way.", err=True)
