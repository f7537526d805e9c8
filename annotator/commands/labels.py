"""``annotator labels``: the project's document labels (categories) and relation labels.

Span labels are managed in the window (Labels…); these two kinds are set up here once per
project (or in the window by the window's parts that draw them).
"""

from __future__ import annotations

import json

import click

from annotator.commands import store_options, with_store
from annotator.commands.stats import table
from annotator.storage import Store

KINDS = ("category", "relation")


@click.group("labels")
@store_options
def labels_command(db_path: object, annotator_name: object) -> None:
    """List, add, rename and remove document labels (categories) and relation labels.

    \b
    Examples:
        annotator labels list --db news.db
        annotator labels add-category relevant --group relevance --single-choice --key r --db news.db
        annotator labels add-relation KILLED --head PERSON --head ORG --child PERSON --db news.db
        annotator labels rename relation SAID QUOTED --db news.db
        annotator labels remove category relevant --db news.db
    """


@labels_command.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print the labels as JSON.")
@with_store
def list_command(store: Store, as_json: bool) -> None:
    """The span labels, document labels and relation labels of the project."""
    scheme = store.categories.scheme()
    relation_labels = store.relations.labels()
    if as_json:
        click.echo(json.dumps({
            "spans": [{"name": label.name, "layer": label.layer, "key": label.key, "colour": label.colour}
                      for label in store.labels()],
            "categories": [{"name": label.name, "group": label.group, "single_choice": scheme.exclusive(label.group),
                            "key": label.key, "colour": label.colour} for label in scheme.labels],
            "relations": [{"name": label.name, "directed": label.directed, "heads": list(label.heads),
                           "children": list(label.children), "key": label.key, "colour": label.colour}
                          for label in relation_labels],
        }, indent=2))
        return
    click.echo(table("Span labels", ("label", "layer", "key"), [(x.name, x.layer, x.key or "") for x in store.labels()]))
    if scheme.labels:
        click.echo("\n" + table("Document labels", ("label", "group", "choice", "key"),
                                [(x.name, x.group or "(none)", "single" if scheme.exclusive(x.group) else "multi",
                                  x.key or "") for x in scheme.labels]))
    else:
        click.echo("\nNo document labels yet: annotator labels add-category NAME")
    click.echo("\n" + table("Relation labels", ("label", "direction", "heads", "children", "key"),
                            [(x.name, "directed" if x.directed else "undirected", " ".join(x.heads) or "any",
                              " ".join(x.children) or "any", x.key or "") for x in relation_labels]))


@labels_command.command("add-category")
@click.argument("name")
@click.option("--group", default="", help="The group it belongs to (e.g. topic, relevance); none by default.")
@click.option("--single-choice", is_flag=True, help="Make its group single-choice: a document gets one of its labels.")
@click.option("--key", help="The key that toggles it in the window (with Shift).")
@click.option("--colour", help="Its colour, #rrggbb.")
@with_store
def add_category(store: Store, name: str, group: str, single_choice: bool, key: str | None, colour: str | None) -> None:
    """Add a document label."""
    from annotator.categories import CategoryLabel
    from annotator.labels import colour_for

    with store.transaction():
        store.categories.add_label(CategoryLabel(name, group, colour or colour_for(name), key))
        if single_choice:
            store.categories.set_group(group, exclusive=True)
    click.echo(f"Added the document label {name}" + (f" to the group {group}" if group else "")
               + (" (single-choice)" if store.categories.scheme().exclusive(group) else "") + ".")


@labels_command.command("group")
@click.argument("name")
@click.option("--single-choice/--multi-label", required=True, help="One label of the group per document, or any of them.")
@with_store
def group_command(store: Store, name: str, single_choice: bool) -> None:
    """Make a group of document labels single-choice or multi-label."""
    store.categories.set_group(name, exclusive=single_choice)
    click.echo(f"The group {name or '(none)'} is now {'single-choice' if single_choice else 'multi-label'}.")


@labels_command.command("add-relation")
@click.argument("name")
@click.option("--undirected", is_flag=True, help="Its two ends are interchangeable (e.g. ALLIED_WITH).")
@click.option("--head", "heads", multiple=True, metavar="SPAN_LABEL",
              help="A span label allowed at its head (repeatable; any by default).")
@click.option("--child", "children", multiple=True, metavar="SPAN_LABEL", help="A span label allowed at its child (repeatable).")
@click.option("--key", help="The key that picks it while linking in the window.")
@click.option("--colour", help="Its colour, #rrggbb.")
@with_store
def add_relation(store: Store, name: str, undirected: bool, heads: tuple[str, ...], children: tuple[str, ...],
                 key: str | None, colour: str | None) -> None:
    """Add a relation label."""
    from annotator.labels import colour_for
    from annotator.relations import RelationLabel

    store.relations.add_label(RelationLabel(name, colour or colour_for(name), key, not undirected, heads, children))
    click.echo(f"Added the relation label {name}.")


@labels_command.command("rename")
@click.argument("kind", type=click.Choice(KINDS))
@click.argument("old")
@click.argument("new")
@with_store
def rename(store: Store, kind: str, old: str, new: str) -> None:
    """Rename a document label or relation label; every use of it follows."""
    part = store.categories if kind == "category" else store.relations
    part.update_label(old, new_name=new)
    click.echo(f"Renamed the {kind} label {old} to {new}.")


@labels_command.command("remove")
@click.argument("kind", type=click.Choice(KINDS))
@click.argument("name")
@with_store
def remove(store: Store, kind: str, name: str) -> None:
    """Remove a document label or relation label, and every use of it (not undoable)."""
    part = store.categories if kind == "category" else store.relations
    used = part.remove_label(name)
    noun = "document" if kind == "category" else "relation"
    click.echo(f"Removed the {kind} label {name} ({used} {noun}{'' if used == 1 else 's'} lost it).")
