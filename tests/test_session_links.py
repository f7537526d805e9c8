"""The session's document labels and relations: each edit stored, undoable, and announced as
exactly what changed; a removed span's links announced gone; edits wait in line behind a lock."""

from __future__ import annotations

from locks import lock_held

from annotator.categories import CategoryLabel
from annotator.domain import NewDocument
from annotator.session import Session
from annotator.session_links import Links, RelationChange
from annotator.storage import Store

TEXT = "Russia lost 38,000 soldiers near Bakhmut."


def opened(store: Store) -> tuple[Session, Links, list[tuple[str, object]]]:
    doc = store.add_documents([NewDocument(TEXT)]).added[0]
    store.categories.add_label(CategoryLabel("relevant", "relevance", key="r"))
    store.categories.add_label(CategoryLabel("irrelevant", "relevance", key="i"))
    store.categories.set_group("relevance", exclusive=True)
    session = Session(store)
    links = Links(session)
    session.open(doc)
    heard: list[tuple[str, object]] = []
    for name in ("categories", "relations"):
        getattr(links.events, name).connect(lambda value, name=name: heard.append((name, value)))
    for name in ("done", "failed"):
        getattr(session.events, name).connect(lambda value, name=name: heard.append((name, value)))
    return session, links, heard


def span_at(session: Session, word: str):
    return next(s for s in session.spans.values() if s.text == word)


def test_toggling_document_labels_is_announced_and_undone(fresh_store: Store) -> None:
    session, links, heard = opened(fresh_store)
    assert links.toggle("relevant")
    assert [(name, [c.label for c in value] if name == "categories" else value) for name, value in heard] == [
        ("categories", ["relevant"]), ("done", "Labelled the document relevant")]
    heard.clear()
    assert links.toggle("irrelevant")
    assert heard[-1] == ("done", "Labelled the document irrelevant (instead of relevant)")
    assert [c.label for c in links.categories] == ["irrelevant"]
    heard.clear()
    assert session.undo()
    assert [c.label for c in links.categories] == ["relevant"]
    assert heard[0][0] == "categories" and heard[-1] == ("done", "Undid: tag document irrelevant")
    assert not links.toggle("sport") and heard[-1] == ("failed", "There is no document label sport.")


def test_linking_the_selected_span_and_removing_a_linked_span(fresh_store: Store) -> None:
    session, links, heard = opened(fresh_store)
    session.add(12, 18, "CASUALTIES")  # 38,000, selected once added
    session.add(19, 27, "NORP")  # soldiers
    session.select(span_at(session, "38,000"))
    heard.clear()
    assert links.link(span_at(session, "soldiers"), "COUNTS")
    [(name, change), (_, said)] = heard
    assert name == "relations" and isinstance(change, RelationChange) and len(change.added) == 1
    assert said == "Linked CASUALTIES '38,000' COUNTS NORP 'soldiers'"
    assert links.relations_of(span_at(session, "soldiers").id) == change.added
    heard.clear()
    assert not links.link(span_at(session, "38,000"), "COUNTS")  # to itself
    assert heard == [("failed", "cannot link CASUALTIES '38,000' with COUNTS to itself")]
    heard.clear()
    session.select(span_at(session, "soldiers"))
    assert session.delete()
    assert ("relations", RelationChange(removed=change.added)) in heard and links.relations == {}
    assert session.undo()  # the span and its link come back together
    assert [r.label for r in links.relations.values()] == ["COUNTS"]
    relation = next(iter(links.relations))
    assert links.relabel(relation, "SAID") and links.relations[relation].label == "SAID"
    assert links.unlink(relation) and links.relations == {}


def test_links_wait_for_the_lock_like_span_edits_and_follow_a_span_still_waiting(fresh_store: Store) -> None:
    session, links, _ = opened(fresh_store)
    session.add(19, 27, "NORP")  # soldiers, stored
    with lock_held(fresh_store.path):
        assert session.add(12, 18, "CASUALTIES")  # waits, and is what keys now act on
        assert links.link(span_at(session, "soldiers"), "COUNTS")  # from the waiting span: waits too
        assert links.toggle("relevant")
        assert len(session.waiting) == 3 and fresh_store.relations.of(session.doc_id) == []
    session.retry()
    assert not session.waiting
    assert [(r.label, session.spans[r.head].text, session.spans[r.child].text) for r in links.relations.values()] == [
        ("COUNTS", "38,000", "soldiers")]
    assert [c.label for c in links.categories] == ["relevant"]
