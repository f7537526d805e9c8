"""The Store is made of parts: each built with the connection and the parts it uses, used directly
or through the Store's flat methods; and the rows they store are made from one list of fields."""

from __future__ import annotations

import ast
import sqlite3
from contextlib import closing
from pathlib import Path

from annotator.domain import NUMBERS, Layer, NewDocument, NumberKind, Origin, Span, Status
from annotator.storage import Store
from annotator.storage.counts import miscounted

TEXT = "In Kyiv officials said 38,000 soldiers and Zelenskyy's aides met on 3 May."
STORAGE = Path(__file__).parent.parent / "annotator" / "storage"


def span(word: str, label: str, **fields: object) -> Span:
    start = TEXT.index(word)
    return Span.of(TEXT, start, start + len(word), label, **fields)


def test_the_parts_are_used_directly_and_the_store_forwards_to_them(fresh_store: Store) -> None:
    doc = fresh_store.imports.add_documents([NewDocument(TEXT)]).added[0]
    added = fresh_store.spans.add_span(doc, span("Zelenskyy", "PERSON"))
    fresh_store.documents.set_status(doc, "done")
    assert [e.action for e in fresh_store.history(doc)] == ["mark done", "add PERSON 'Zelenskyy'"]
    assert fresh_store.history.undo() is not None
    assert fresh_store.documents.document(doc).status == "open"
    assert fresh_store.undo() is not None  # the flat method is the same part's
    assert fresh_store.spans(doc) == [] and fresh_store.spans.span_rows([doc], "tester") is not None
    fresh_store.history.redo()
    assert fresh_store.spans(doc) == [added] == fresh_store.layer(doc)
    assert fresh_store.labels.label("PERSON") == fresh_store.label("PERSON")
    assert fresh_store.counts()["documents"] == 1 and fresh_store.counts.label_counts(doc) == {"PERSON": 1}


def test_changing_the_annotator_reaches_every_part(fresh_store: Store) -> None:
    doc = fresh_store.add_documents([NewDocument(TEXT)]).added[0]
    fresh_store.add_span(doc, span("Kyiv", "GPE"))
    fresh_store.annotator = "second"
    theirs = fresh_store.spans.add_span(doc, span("Zelenskyy", "PERSON"))
    assert theirs.annotator == "second" and fresh_store.spans(doc) == [theirs]
    assert fresh_store.categories.annotator == fresh_store.relations.annotator == "second"
    fresh_store.history.undo()  # the second person's edit, not the first's
    assert fresh_store.spans(doc) == [] and [s.text for s in fresh_store.spans(doc, annotator="tester")] == ["Kyiv"]


def test_no_part_reaches_another_through_the_store() -> None:
    """No class of the storage package is put together from several (the parts were mixins of the
    Store, calling each other through it), and nothing there silences mypy about an attribute it
    cannot see."""
    assert Store.__bases__ == (object,)
    for module in sorted(STORAGE.glob("*.py")):
        source = module.read_text(encoding="utf-8")
        assert "type: ignore[attr-defined]" not in source, module.name
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, ast.ClassDef):
                assert len(node.bases) <= 1, (module.name, node.name)


def test_every_way_a_span_is_stored_is_counted_under_its_own_label_and_origin(fresh_store: Store) -> None:
    """Single edits, undo bringing a span back, an import carrying numbers and plain entities, and
    the model's suggestions copied into a layer all go through rows made from one field list."""
    start = TEXT.index("38,000")
    imported = NewDocument(TEXT.replace("Kyiv", "Lviv"), spans=[
        Span(start, start + 6, "NUMBER", "38,000", NUMBERS, value=38000.0, kind="cardinal", origin="import")],
        entities=[(3, 7, "GPE")])
    doc, other = fresh_store.add_documents([NewDocument(TEXT), imported]).added
    number = fresh_store.add_span(doc, span("38,000", "NUMBER", layer=NUMBERS, value=38000, kind="cardinal"))
    fresh_store.update_span(number.id or 0, value=38500)
    person = fresh_store.add_span(doc, span("Zelenskyy", "PERSON"))
    fresh_store.delete_span(person.id or 0)
    fresh_store.undo()  # the person comes back, inserted again
    third = fresh_store.add_documents([NewDocument(TEXT + " Again.")]).added[0]
    fresh_store.save_predictions(third, [span("Kyiv", "GPE", origin="model", confirmed=False)], "m", "1")
    assert miscounted(fresh_store.db) == 0
    counted = {(s["layer"], s["label"], s["origin"]): s["count"] for s in fresh_store.stats()["spans"]}
    assert counted == {("entities", "GPE", "import"): 1, ("entities", "GPE", "model"): 1,
                       ("entities", "PERSON", "human"): 1, ("numbers", "NUMBER", "human"): 1,
                       ("numbers", "NUMBER", "import"): 1}
    assert [(s.value, s.kind, s.approx, s.confirmed) for s in fresh_store.spans(other, layer=NUMBERS)] == \
        [(38000.0, "cardinal", False, True)]


def test_the_kinds_of_a_span_are_stored_as_the_strings_they_always_were(fresh_store: Store) -> None:
    """Layer, origin, status and number kind are StrEnums: equal to their strings, and stored,
    recorded in the history and read back as those strings (projects and files unchanged)."""
    doc = fresh_store.add_documents([NewDocument(TEXT)]).added[0]
    fresh_store.add_span(doc, span("38,000", "NUMBER", layer=Layer.NUMBERS, value=38000, kind=NumberKind.CARDINAL))
    fresh_store.set_status(doc, Status.DONE)
    with closing(sqlite3.connect(fresh_store.path)) as raw:
        assert raw.execute("SELECT layer, kind, origin FROM annotations").fetchall() == [("numbers", "cardinal", "human")]
        assert raw.execute("SELECT status FROM documents").fetchall() == [("done",)]
        changes = raw.execute("SELECT changes FROM edits WHERE action LIKE 'add%'").fetchone()[0]
    assert '"layer": "numbers"' in changes and '"kind": "cardinal"' in changes and '"origin": "human"' in changes
    assert [(s.layer, s.kind, s.origin) for s in fresh_store.spans(doc)] == \
        [(Layer.NUMBERS, NumberKind.CARDINAL, Origin.HUMAN)] == [("numbers", "cardinal", "human")]
