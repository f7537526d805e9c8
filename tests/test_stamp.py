"""A document's stamp (what the window compares to see others' changes) differs after every kind of
change anyone makes to the document, in their own store, and is equal when nothing changed; on a
project file and on a server project."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from annotator.categories import CategoryLabel
from annotator.domain import NewDocument, Span
from annotator.storage import Store

TEXT = "Drones struck Kyiv overnight; officials in Lviv said 38 were shot down."


def word(text: str, name: str, label: str) -> Span:
    start = text.index(name)
    return Span.of(text, start, start + len(name), label)


# Each change as another person (alice) makes it in her own store; the document already holds her
# span on Kyiv and her link Kyiv → Lviv.
CHANGES: dict[str, Callable[[Store, int, dict[str, int]], object]] = {
    "a span added": lambda s, d, ids: s.add_span(d, word(TEXT, "officials", "ORG")),
    "a span relabelled": lambda s, d, ids: s.update_span(ids["Kyiv"], label="LOC"),
    "a span removed": lambda s, d, ids: s.delete_span(ids["Kyiv"]),
    "an edit undone": lambda s, d, ids: s.undo(),
    "the status set": lambda s, d, ids: s.set_status(d, "done"),
    "a document label given": lambda s, d, ids: s.categories.toggle(d, "relevant"),
    "a link relabelled": lambda s, d, ids: s.relations.update(ids["link"], label="ATTACKED"),
    "a link removed": lambda s, d, ids: s.relations.remove(ids["link"]),
}


@pytest.mark.parametrize("change", CHANGES)
def test_every_change_by_anyone_changes_the_stamp_and_nothing_else_does(any_project, change: str) -> None:
    with Store(any_project, annotator="alice") as alice:
        doc = alice.add_documents([NewDocument(TEXT)]).added[0]
        alice.categories.add_label(CategoryLabel("relevant", "relevance", "#15803d", "r"))
        ids = {name: alice.add_span(doc, word(TEXT, name, "GPE")).id for name in ("Kyiv", "Lviv")}
        ids["link"] = alice.relations.add(ids["Kyiv"], ids["Lviv"], "LOCATED_IN").id
        with Store(any_project, annotator="tester") as window:
            before = window.stamp(doc)
            assert window.stamp(doc) == before  # nothing changed, nothing differs
            CHANGES[change](alice, doc, ids)
            after = window.stamp(doc)
            assert after != before
            assert window.stamp(doc) == after
            assert after.last_editor == "alice" and after.status == window.document(doc).status
