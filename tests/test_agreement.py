"""Agreement counts only what people judged: a layer of suggestions someone merely opened is left out."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotator.domain import NewDocument, Span
from annotator.review.agreement import agreement
from annotator.storage import Store

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
