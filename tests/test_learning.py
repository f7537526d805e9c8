"""Suggestions that learn from the person's decisions: the open document at once, the rest of
the project when detected or opened; conflicts fall back to the model; one undo undoes both."""

from __future__ import annotations

import itertools

from hypothesis import given
from hypothesis import strategies as st

from annotator.domain import NewDocument, Span
from annotator.learning.strings import Target, key, occurrences, shape
from annotator.learning.suggest import ORIGIN_LEARNED
from annotator.session import Session
from annotator.storage import Store

ONE = "Strikes hit Kyiv at dawn. Kyiv's mayor said Kyiv held; KYIV and kyiv are words here."
TWO = "Later, Kyiv again: the mayor of Kyiv spoke to Alice."


def labels(store: Store, doc: int) -> list[tuple[str, str, str, bool]]:
    return [(s.text, s.label, s.origin, s.confirmed) for s in store.spans(doc)]


def project(store: Store) -> tuple[int, int]:
    one, two = store.add_documents([NewDocument(ONE), NewDocument(TWO)]).added
    for doc, text in ((one, ONE), (two, TWO)):
        found = [Span.of(text, m, m + 4, "PERSON") for m in _all(text, "Kyiv")]
        store.save_predictions(doc, found, "m", "1")
    return one, two


def _all(text: str, word: str) -> list[int]:
    return [i for i in range(len(text)) if text.startswith(word, i)]


def test_relabelling_a_string_suggests_its_other_occurrences_at_once(fresh_store: Store) -> None:
    one, _ = project(fresh_store)
    session = Session(fresh_store)
    said: list[str] = []
    session.events.done.connect(said.append)
    session.open(one)
    first = min(session.spans.values(), key=lambda s: s.start)
    session.select(first)
    assert session.relabel("GPE")
    assert labels(fresh_store, one) == [("Kyiv", "GPE", "human", True), ("Kyiv", "GPE", ORIGIN_LEARNED, False),
                                        ("Kyiv", "GPE", ORIGIN_LEARNED, False), ("KYIV", "GPE", ORIGIN_LEARNED, False)]
    assert said[-1] == "Relabelled PERSON → GPE 'Kyiv' (+3 suggestions from it)"
    assert [s.label for s in session.spans.values()] == ["GPE"] * 4  # the view heard of them

    assert session.undo()  # one undo: the label and what it suggested
    assert labels(fresh_store, one) == [("Kyiv", "PERSON", "model", False)] * 3


def test_a_document_nobody_edited_gets_the_decision_when_opened(fresh_store: Store) -> None:
    one, two = project(fresh_store)
    session = Session(fresh_store)
    session.open(one)
    session.select(min(session.spans.values(), key=lambda s: s.start))
    session.relabel("GPE")
    session.open(two)
    assert labels(fresh_store, two) == [("Kyiv", "GPE", ORIGIN_LEARNED, False)] * 2
    assert fresh_store.history(two) == []  # still untouched: suggestions, not edits


def test_detection_after_a_decision_copies_it(fresh_store: Store) -> None:
    one, two = project(fresh_store)
    session = Session(fresh_store)
    session.open(one)
    session.add(ONE.index("dawn"), ONE.index("dawn") + 4, "TIME")
    fresh_store.save_predictions(two, [], "m", "2")  # detected again: nothing found by the model
    assert labels(fresh_store, two) == []
    three = fresh_store.add_documents([NewDocument("At dawn, nothing.")]).added[0]
    fresh_store.save_predictions(three, [], "m", "1")
    assert labels(fresh_store, three) == [("dawn", "TIME", ORIGIN_LEARNED, False)]


def test_rejecting_a_suggestion_removes_the_same_suggestion_elsewhere(fresh_store: Store) -> None:
    one, two = project(fresh_store)
    session = Session(fresh_store)
    session.open(one)
    session.select(min(session.spans.values(), key=lambda s: s.start))
    assert session.delete()
    assert labels(fresh_store, one) == []
    session.open(two)
    assert labels(fresh_store, two) == []


def test_a_string_labelled_two_ways_falls_back_to_the_model_and_is_listed(fresh_store: Store) -> None:
    one, two = project(fresh_store)
    session = Session(fresh_store)
    session.open(one)
    session.select(min(session.spans.values(), key=lambda s: s.start))
    session.relabel("GPE")
    session.open(two)
    session.select(min(session.spans.values(), key=lambda s: s.start))
    session.relabel("LOC")
    assert labels(fresh_store, two) == [("Kyiv", "LOC", "human", True), ("Kyiv", "PERSON", "model", False)]
    assert fresh_store.decisions.conflicts() == [("Kyiv", {"GPE": 1, "LOC": 1})]
    three = fresh_store.add_documents([NewDocument("Kyiv.")]).added[0]
    fresh_store.save_predictions(three, [Span.of("Kyiv.", 0, 4, "PERSON")], "m", "1")
    assert labels(fresh_store, three) == [("Kyiv", "PERSON", "model", False)]


def test_learning_turned_off_for_the_project_leaves_the_model_alone(fresh_store: Store) -> None:
    one, two = project(fresh_store)
    fresh_store.set_setting("learning", "off")
    session = Session(fresh_store)
    session.open(one)
    session.select(min(session.spans.values(), key=lambda s: s.start))
    session.relabel("GPE")
    assert [label for _, label, _, _ in labels(fresh_store, one)] == ["GPE", "PERSON", "PERSON"]
    session.open(two)
    assert [label for _, label, _, _ in labels(fresh_store, two)] == ["PERSON", "PERSON"]


def test_the_rule_for_the_same_string() -> None:
    text = "Kyiv, kyiv, KYIV, Kyiv's and Kyivan; US troops, us, Us."
    found = [text[s:e] for s, e, _ in occurrences(text, [Target(key("Kyiv"), shape("Kyiv")), Target(key("US"), shape("US"))])]
    assert found == ["Kyiv", "KYIV", "Kyiv", "US"]
    assert key("Kyiv’s") == key("kyiv") and key("New   York") == "new york"


@given(st.text(alphabet="Ab s'’\n", max_size=40), st.sampled_from(["Ab", "ab", "AB", "Ab b", "Ab's"]))
def test_occurrences_sit_on_the_text_and_do_not_overlap(text: str, decided: str) -> None:
    found = list(occurrences(text, [Target(key(decided), shape(decided))]))
    for (_, e, _), (s2, _, _) in itertools.pairwise(found):
        assert e <= s2
    for s, e, target in found:
        assert key(text[s:e]) == target.key


def test_resizing_a_suggestion_teaches_both_strings(fresh_store: Store) -> None:
    text = "The talks at the United Nations ended; the United Nations said so. Later the United Nations met."
    one, two = fresh_store.add_documents([NewDocument(text), NewDocument("Then the United Nations voted.")]).added
    for doc in (one, two):
        body = fresh_store.document(doc).text
        at = [i for i in range(len(body)) if body.startswith("the United Nations", i)]
        fresh_store.save_predictions(doc, [Span.of(body, i, i + 18, "ORG") for i in at], "m", "1")
    session = Session(fresh_store)
    session.open(one)
    session.select(min(session.spans.values(), key=lambda s: s.start))
    start = text.index("United")
    assert session.update(start=start, end=start + 14)  # "the United Nations" → "United Nations"
    assert {s.text for s in fresh_store.spans(one)} == {"United Nations"}
    session.open(two)
    assert labels(fresh_store, two) == [("United Nations", "ORG", ORIGIN_LEARNED, False)]


@given(st.text(alphabet="Ab s'’\n", max_size=60))
def test_few_and_many_strings_are_found_alike(text: str) -> None:
    decided = ["Ab", "ab b", "AB", "Ab's", "b", "Bb", "s", "A", "bA", "Ab Ab"]
    targets = [Target(key(d), shape(d)) for d in decided]
    many = list(occurrences(text, targets))  # one pass over the words
    few = [found for chunk in (targets[:5], targets[5:]) for found in occurrences(text, chunk)]  # a regex each
    assert {(s, e) for s, e, _ in many} <= {(s, e) for s, e, _ in few}
    for s, e, target in many:
        assert key(text[s:e]) == target.key


def test_an_undone_label_is_no_longer_a_decision_and_a_redone_one_is_again(fresh_store: Store) -> None:
    one, two = project(fresh_store)
    session = Session(fresh_store)
    session.open(one)
    session.select(min(session.spans.values(), key=lambda s: s.start))
    session.relabel("GPE")
    assert session.undo()
    assert fresh_store.decisions.decided() == {}
    session.open(two)
    assert labels(fresh_store, two) == [("Kyiv", "PERSON", "model", False)] * 2
    assert session.redo()  # back in the first document, the label and its suggestions with it
    assert [label for _, label, _, _ in labels(fresh_store, one)] == ["GPE"] * 4
    assert list(fresh_store.decisions.decided()) == ["kyiv"]


def test_a_project_of_schema_9_gets_the_decisions_table(db_path) -> None:
    with Store(db_path, annotator="tester") as store:
        doc = store.add_documents([NewDocument(ONE)]).added[0]
        store.db.execute("DROP TABLE decisions")  # what schema 10 adds
        store.db.execute("DROP TABLE assignments")  # what schema 12 adds
        store.db.execute("CREATE TRIGGER count_relation_in AFTER INSERT ON relations BEGIN INSERT INTO link_counts "
                         "VALUES ('relation', NEW.annotator, NEW.label, NEW.origin, 1) ON CONFLICT DO UPDATE SET n = n + 1; "
                         "END")  # what schema 11 drops
        store.db.execute("PRAGMA user_version = 9")
    with Store(db_path, annotator="tester") as store:
        store.decisions.record(doc, "Kyiv", "GPE")
        assert list(store.decisions.decided()) == ["kyiv"]


@given(st.text(alphabet=" .'’\n-", min_size=1, max_size=8))
def test_a_string_of_no_words_is_never_learned(decided: str) -> None:
    assert list(occurrences("a . b ' c", [Target(key(decided), shape(decided))])) == []


def test_labelling_punctuation_teaches_nothing(fresh_store: Store) -> None:
    doc = fresh_store.add_documents([NewDocument("Yes - no - maybe.")]).added[0]
    session = Session(fresh_store)
    session.open(doc)
    assert session.add(4, 5, "ORG")
    assert fresh_store.decisions.decided() == {} and len(fresh_store.spans(doc)) == 1
