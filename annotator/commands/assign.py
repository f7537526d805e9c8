"""``annotator assign``: give documents to people, each to ``--overlap`` of them, round-robin."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from annotator.commands import with_store
from annotator.domain import STATUSES

if TYPE_CHECKING:
    from annotator.storage import Store


def people(ctx: click.Context, param: click.Parameter, value: str) -> list[str]:
    """``alice,bob``: the names, in order, spaces around them dropped."""
    names = [name.strip() for name in value.split(",") if name.strip()]
    if not names:
        raise click.BadParameter("name at least one person (--to alice,bob)")
    return names


@click.command("assign")
@click.option("--to", "to", required=True, callback=people, metavar="NAMES",
              help="The people, comma-separated (their --annotator names).")
@click.option("--overlap", default=1, show_default=True, type=click.IntRange(min=1),
              help="How many of them get each document (at most the number of people).")
@click.option("--status", type=click.Choice(STATUSES), help="Only the documents of this status (default: all).")
@click.option("--only-unassigned", is_flag=True, help="Only the documents nobody was given yet (else a document's "
                                                        "earlier assignments are replaced).")
@with_store
def assign_command(store: Store, to: list[str], overlap: int, status: str | None, only_unassigned: bool) -> None:
    """Assign documents to people: each person's "next" (Ctrl+U, Ctrl+Enter) then follows their own
    queue, and ``stats`` shows each person's progress. The documents are dealt out in the list's
    order, round-robin, each to OVERLAP different people; all of them or none are assigned.

    \b
    Example:
        annotator assign --to alice,bob,carol --overlap 2 --status open --db news.db
    """
    from annotator.assignment import spread

    if overlap > len(to):
        raise click.ClickException(f"--overlap {overlap} is more than the {len(to)} people given (--to {','.join(to)})")
    chosen = store.document_ids(status)
    if only_unassigned:
        chosen = store.assignments.unassigned(chosen)
    pairs = spread(chosen, to, overlap)
    store.assignments.assign(pairs)
    given = {name: 0 for name in to}
    for _, name in pairs:
        given[name] += 1
    each = ", ".join(f"{name} {n:,}" for name, n in given.items())
    documents = f"{len(chosen):,} document" + ("" if len(chosen) == 1 else "s")
    click.echo(f"Assigned {documents}, each to {overlap} of {len(to)} {'person' if len(to) == 1 else 'people'}: {each}")
