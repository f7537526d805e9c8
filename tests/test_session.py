"""The Qt-free session: each edit is stored, then announced as exactly what changed."""

from __future__ import annotations

import pytest
from locks import lock_held

from annotator.domain import NewDocument, Span
from annotator.session import Session, SpanChange
from annotator.storage import Store

TEXT = "Alice met Bob in Paris."


def recorder(session: Session) -> list[tuple[str, object]]:
    heard: list[tuple[str, object]] = []
    for name in ("opened", "spans", "current", "labels", "status", "done", "failed"):
        getattr(session.events, name).connect(lambda value, name=name: heard.append((name, value)))
    return heard


def test_each_edit_announces_only_what_changed(fresh_store: Store) -> None:
    doc = fresh_store.add_documents([NewDocument(TEXT)]).added[0]
    fresh_store.save_predictions(doc, [Span.of(TEXT, 10, 13, "ORG")], "m", "1")
    session = Session(fresh_store)
    heard = recorder(session)
    session.open(doc)
    assert [name for name, _ in heard] == ["opened"] and [s.text for s in session.spans.values()] == ["Bob"]
    heard.clear()

    assert session.add(17, 22, "GPE")
    [(name, change), (_, selected), (_, said)] = heard
    assert name == "spans" and isinstance(change, SpanChange)
    assert ([s.text for s in change.added], change.changed, change.removed) == (["Paris"], [], [])
    assert selected.text == "Paris" and said == "Labelled GPE 'Paris'"
    heard.clear()

    bob = next(s for s in session.spans.values() if s.text == "Bob")
    session.select(bob)
    assert session.relabel("PERSON")
    change = next(value for name, value in heard if name == "spans")
    assert ([(s.text, s.label) for s in change.changed], change.added, change.removed) == ([("Bob", "PERSON")], [], [])
    assert heard[-1] == ("done", "Relabelled ORG → PERSON 'Bob'")
    heard.clear()

    assert session.undo()
    change = next(value for name, value in heard if name == "spans")
    assert [(s.text, s.label) for s in change.changed] == [("Bob", "ORG")] and not change.added and not change.removed
    assert session.current is not None and session.current.label == "ORG"  # still selected, as it now is


def test_a_refused_edit_changes_nothing_and_says_why(fresh_store: Store) -> None:
    doc = fresh_store.add_documents([NewDocument(TEXT)]).added[0]
    session = Session(fresh_store)
    session.open(doc)
    session.add(10, 13, "PERSON")
    heard = recorder(session)
    assert not session.add(6, 12, "ORG")  # "met Bo" overlaps Bob
    assert [name for name, _ in heard] == ["failed"] and "overlaps the entity 'Bob'" in heard[0][1]
    assert [s.text for s in fresh_store.spans(doc)] == ["Bob"]


def test_status_changes_are_announced_with_the_document(fresh_store: Store) -> None:
    doc = fresh_store.add_documents([NewDocument(TEXT)]).added[0]
    session = Session(fresh_store)
    session.open(doc)
    heard = recorder(session)
    assert session.set_status("done")
    assert [(name, getattr(value, "status", value)) for name, value in heard] == [("done", "Marked done"), ("status", "done")]
    heard.clear()
    assert session.undo()
    assert ("status", session.document) in heard and session.document.status == "open"


def test_edits_made_while_another_process_holds_the_lock_wait_in_order_and_are_announced_when_stored(
        fresh_store: Store) -> None:
    doc = fresh_store.add_documents([NewDocument(TEXT)]).added[0]
    session = Session(fresh_store)
    session.open(doc)
    heard = recorder(session)
    session.events.waiting.connect(lambda n: heard.append(("waiting", n)))
    with lock_held(fresh_store.path):
        assert session.add(10, 13, "PERSON")  # Bob: waits
        assert session.relabel("ORG")  # the waiting Bob
        assert session.add(6, 12, "GPE")  # "met Bo": will overlap Bob once Bob is stored
        session.retry()  # still locked: nothing happens
        assert heard == [("waiting", 1), ("waiting", 2), ("waiting", 3)] and fresh_store.spans(doc) == []
    heard.clear()
    session.retry()
    said = [value for name, value in heard if name in ("done", "failed", "waiting")]
    assert said[:2] == ["Labelled PERSON 'Bob'", "Relabelled PERSON → ORG 'Bob'"]
    assert "overlaps the entity 'Bob'" in said[2] and said[3:] == [0]
    assert [(s.text, s.label) for s in fresh_store.spans(doc)] == [("Bob", "ORG")]


def test_edits_the_lock_keeps_out_past_the_limit_are_given_up_and_said_unsaved(fresh_store: Store) -> None:
    doc = fresh_store.add_documents([NewDocument(TEXT)]).added[0]
    session = Session(fresh_store)
    session.open(doc)
    unsaved: list[str] = []
    session.events.unsaved.connect(unsaved.append)
    with lock_held(fresh_store.path):
        assert session.add(10, 13, "PERSON") and session.add(17, 22, "GPE")
        session.lock_limit_s = 0
        session.retry()
        assert not session.waiting and unsaved and "2 changes not stored" in unsaved[-1]
    session.retry()
    assert fresh_store.spans(doc) == []  # given up stays given up


def test_a_programming_error_is_not_passed_off_as_a_refusal(fresh_store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    """A KeyError from a bug (here, in the store) reaches the developer; it is not said politely and forgotten."""
    doc = fresh_store.add_documents([NewDocument(TEXT)]).added[0]
    session = Session(fresh_store)
    session.open(doc)
    session.add(10, 13, "PERSON")
    heard = recorder(session)

    def broken(*args: object, **kwargs: object) -> Span:
        return {}["label"]  # a lookup bug

    monkeypatch.setattr(fresh_store, "update_span", broken)
    with pytest.raises(KeyError, match="label"):
        session.confirm()
    assert not [value for name, value in heard if name == "failed"]


def test_a_span_another_program_removed_is_refused_in_one_line(fresh_store: Store, db_path) -> None:
    doc = fresh_store.add_documents([NewDocument(TEXT)]).added[0]
    session = Session(fresh_store)
    session.open(doc)
    session.add(10, 13, "PERSON")
    with Store(db_path, annotator=fresh_store.annotator) as other:
        [bob] = other.spans(doc)
        other.delete_span(bob.id)
    heard = recorder(session)
    assert not session.relabel("ORG")
    [(name, said)] = heard
    assert name == "failed" and "\n" not in said and str(bob.id) in said  # one line, not a traceback
