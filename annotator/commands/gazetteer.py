"""``annotator gazetteer``: the strings you labelled, as spaCy entity patterns, and their conflicts."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from annotator.commands import with_store

if TYPE_CHECKING:
    from annotator.storage import Store


@click.command("gazetteer")
@click.argument("action", type=click.Choice(["export", "import", "conflicts"]))
@click.argument("path", required=False, type=click.Path(dir_okay=False, path_type=Path))
@with_store
def gazetteer_command(store: Store, action: str, path: Path | None) -> None:
    """Your decisions on strings (a label given, or a suggestion removed), which suggestions follow.

    export PATH writes the strings you labelled one way as spaCy EntityRuler patterns (JSONL);
    import PATH takes such patterns as your decisions (detection and opened documents follow
    them); conflicts lists the strings you labelled more than one way, which keep the model's
    suggestions.

    \b
    Examples:
        annotator gazetteer export names.jsonl --db news.db
        annotator gazetteer import names.jsonl --db other.db
        annotator gazetteer conflicts --db news.db
    """
    if action == "conflicts":
        conflicts = store.decisions.conflicts()
        for written, counts in conflicts:
            said = ", ".join(f"{label or 'removed'} in {n} document(s)" for label, n in sorted(counts.items()))
            click.echo(f"{written}\t{said}")
        click.echo(f"{len(conflicts)} string(s) labelled more than one way.", err=True)
        return
    if path is None:
        raise click.UsageError(f"gazetteer {action} needs the path of a JSONL file")
    from annotator.detect.gazetteer import export_patterns, read_patterns

    if action == "export":
        click.echo(f"Wrote {export_patterns(store.decisions.decided(), path)} pattern(s) to {path}.")
    else:
        n = store.decisions.import_decisions(read_patterns(path))
        click.echo(f"Took {n} pattern(s) from {path} as decisions.")
