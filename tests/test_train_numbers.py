"""The numbers classifier's two ends: its candidates are exactly the rule-found numbers, and its
labels land on those numbers in detection."""

from __future__ import annotations

import spacy
from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.detect.numbers import find_numbers
from annotator.detect.pipeline import make_doc
from annotator.detect.trainable import relabel_numbers, rule_numbers, tokens_of
from annotator.domain import ENTITIES, NUMBERS, Span

TEXT = "Russia launched 28 of 38 drones at Kyiv, and tens of thousands of soldiers died; aid was $300 million."


def test_the_suggested_candidates_are_the_rule_found_numbers() -> None:
    doc = make_doc(TEXT)
    rows = rule_numbers([doc]).data.tolist()
    found = {(doc[s:e].start_char, doc[s:e].end_char) for s, e in rows}
    assert found == {(n.start, n.end) for n in find_numbers(TEXT, tokens_of(doc))}
    assert {TEXT[s:e] for s, e in found} == {"28", "38", "tens of thousands", "$300 million"}


@settings(max_examples=40, deadline=None)
@given(st.lists(st.sampled_from(["12", "drones", "nine", "of", "$5", "million", "Kyiv", ",", "soldiers", "3.5%"]),
                max_size=30))
def test_candidates_sit_inside_their_doc_whatever_the_words(words: list[str]) -> None:
    docs = [make_doc(" ".join(words)), make_doc("no numbers here")]
    ragged = rule_numbers(docs)
    assert ragged.lengths.tolist()[1] == 0
    for start, end in ragged.data.tolist():
        assert 0 <= start < end <= len(docs[0])


def test_detection_takes_the_classifiers_label_for_each_rule_found_number() -> None:
    doc = make_doc(TEXT)
    doc.spans[NUMBERS] = [doc.char_span(TEXT.index("38"), TEXT.index("38") + 2, label="WEAPONS")]
    numbers = find_numbers(TEXT, tokens_of(doc))
    entity = Span.of(TEXT, TEXT.index("Kyiv"), TEXT.index("Kyiv") + 4, "GPE", layer=ENTITIES)
    relabelled = relabel_numbers(doc, [entity, *numbers])
    assert [(s.text, s.label) for s in relabelled] == [
        ("Kyiv", "GPE"), ("28", "NUMBER"), ("38", "WEAPONS"), ("tens of thousands", "NUMBER"), ("$300 million", "NUMBER")]
    assert relabelled[2].value == 38  # only the label changes


def test_without_a_classifier_numbers_keep_their_rule_label() -> None:
    doc = spacy.blank("en")(TEXT)
    numbers = find_numbers(TEXT, tokens_of(doc))
    assert relabel_numbers(doc, numbers) == numbers
