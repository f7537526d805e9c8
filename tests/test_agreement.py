"""Agreement counts only what people judged: a layer of suggestions someone merely opened is left out."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.domain import NUMBERS, NewDocument, Span
from annotator.review.agreement import agreement
from annotator.storage import Store
from annotator.tokens import token_bounds, tokens

TEXT = "Alice met Bob in Paris."


def at(word: str, label: str) -> Span:
    start = TEXT.index(word)
    return Span.of(TEXT, start, start + len(word), label)


def test_a_layer_only_opened_does_not_count_as_agreeing_with_the_model(db_path: Path) -> None:
    with Store(db_path, annotator="alice") as alice, Store(db_path, annotator="bob") as bob:
        first, second = alice.add_documents([NewDocument(TEXT), NewDocument("Kyiv was hit.")]).added
        for doc, spans in ((first, [at("Alice", "PERSON"), at("Bob", "ORG")]), (second, [Span.of("Kyiv was hit.", 0, 4, "GPE")])):
            alice.save_predictions(doc, spans, "en_test", "1")
            assert bob.start_layer(doc)  # bob opens both documents: he gets the suggestions, untouched
        alice.update_span(next(s for s in alice.spans(first) if s.text == "Bob").id, label="PERSON")
        alice.accept_suggestions(second)
        bob.accept_suggestions(first)  # bob judged the first document: he keeps Bob as ORG
        [pair] = agreement(alice)
    # Only the first document counts (bob never looked at the second).
    # Spans: Alice PERSON agreed; Bob PERSON vs Bob ORG not: P = R = F1 = 1/2.
    assert pair.documents == 1
    assert pair.spans.overall.f1 == pytest.approx(0.5)
    # Tokens  Alice met Bob in Paris .   alice: PERSON O PERSON O O O   bob: PERSON O ORG O O O
    # observed 5/6; chance (2*1 + 4*4)/36 = 18/36; kappa = (30-18)/(36-18) = 2/3.
    assert pair.kappa == pytest.approx(2 / 3)


def test_numbers_have_their_own_span_f1_and_kappa(db_path: Path) -> None:
    text = "Shelling killed 12 civilians and wounded 30 more."

    def number(person: Store, doc: int, digits: str, label: str) -> None:
        start = text.index(digits)
        person.add_span(doc, Span.of(text, start, start + len(digits), label, layer=NUMBERS,
                                     value=float(digits), kind="cardinal"))

    with Store(db_path, annotator="alice") as alice, Store(db_path, annotator="bob") as bob:
        doc = alice.add_documents([NewDocument(text)]).added[0]
        number(alice, doc, "12", "CASUALTIES")
        number(alice, doc, "30", "CASUALTIES")
        number(bob, doc, "12", "CASUALTIES")
        number(bob, doc, "30", "NUMBER")
        [pair] = agreement(alice)
    # Spans: 12 agreed, 30 labelled differently: tp 1, fp 1, fn 1, F1 = 1/2.
    # CASUALTIES (alice as reference): tp 1, fn 1, fp 0: P = 1, R = 1/2, F1 = 2/3.
    assert pair.spans.overall.f1 == pytest.approx(0.5)
    assert pair.spans.labels["CASUALTIES"].f1 == pytest.approx(2 / 3)
    assert [d.kind for _, d in pair.differences] == ["wrong label"]
    # Number tokens  Shelling killed 12 civilians and wounded 30 more .
    #   alice: O O CAS O O O CAS O O     bob: O O CAS O O O NUM O O
    # observed 8/9; chance (7*7 + 2*1)/81 = 51/81; kappa = (72-51)/(81-51) = 7/10.
    assert pair.numbers_kappa == pytest.approx(0.7)
    # CASUALTIES against the rest: observed 8/9; chance (7*8 + 2*1)/81 = 58/81; kappa = 14/23.
    assert pair.label_kappa["CASUALTIES"] == pytest.approx(14 / 23)
    # No entities from either: the entity tokens agree entirely.
    assert pair.kappa == 1.0


@settings(max_examples=300, deadline=None)
@given(st.text(st.characters(blacklist_categories=("Cs",)), max_size=80) | st.text("ab .,\n\u0301é", max_size=40))
def test_token_bounds_are_the_tokens(text: str) -> None:
    """Agreement's token starts and ends (from split pieces, for speed) are those of tokens()."""
    starts, ends = token_bounds(text)
    assert list(zip(starts, ends)) == tokens(text)
