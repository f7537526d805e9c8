"""A date read in its sentence: "the talks will resume on Monday" is the coming Monday.

The date's own words carry no tense, so the resolver reads the words around it. Each pair below
is the same date in a sentence about what is to come and in one about what happened, around week
and year boundaries. These are the sentences the cues were tuned on (bench/dates_eval.jsonl
measures them on sentences used in no test).
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.dates import FUTURE, is_valid, resolve_in, tense
from annotator.detect.detector import detect_documents
from annotator.detect.pipeline import load_pipeline
from annotator.domain import NewDocument
from annotator.session import Session
from annotator.storage import Store

WED = dt.date(2024, 3, 6)  # a Wednesday
FRI = dt.date(2024, 3, 8)
SUN_MARCH = dt.date(2024, 3, 3)
TUE_2024 = dt.date(2024, 1, 2)  # a Tuesday, the first week of a year
NEW_YEARS_EVE = dt.date(2023, 12, 31)  # a Sunday, the last day of a year
SAT_2022 = dt.date(2022, 12, 31)  # a Saturday, the last day of a year
TUE_2025 = dt.date(2025, 1, 7)

# [the date] in its sentence, the article's date, what it means.
PAIRS = [
    ("The talks will resume on [Monday].", WED, "2024-03-11"),
    ("The talks resumed on [Monday].", WED, "2024-03-04"),
    ("On [Monday], the president will sign the bill.", WED, "2024-03-11"),
    ("On [Monday], the president signed the bill.", WED, "2024-03-04"),
    ("The ceasefire will begin on [Tuesday].", NEW_YEARS_EVE, "2024-01-02"),
    ("The ceasefire began on [Tuesday].", NEW_YEARS_EVE, "2023-12-26"),
    ("Markets reopen on [Monday] after the holiday.", SAT_2022, "2023-01-02"),
    ("Markets closed early on [Friday] before the holiday.", SAT_2022, "2022-12-30"),
    ("The talks will resume on [Tuesday].", TUE_2024, "2024-01-02"),  # the day itself, as in the past
    ("The talks resumed on [Tuesday].", TUE_2024, "2024-01-02"),
    ("The results will be published in [March].", TUE_2024, "2024-03"),
    ("The results were published in [March].", TUE_2024, "2023-03"),
    ("Parliament is to vote in [December].", TUE_2024, "2024-12"),
    ("Parliament voted in [December].", TUE_2024, "2023-12"),
    ("The committee is due to report in [January].", NEW_YEARS_EVE, "2024-01"),
    ("The committee reported in [January].", NEW_YEARS_EVE, "2023-01"),
    ("The election is due on [December 29].", TUE_2024, "2024-12-29"),
    ("The election was held on [December 29].", TUE_2024, "2023-12-29"),
    ("Shops will close on [Christmas Day].", TUE_2024, "2024-12-25"),
    ("Shops closed on [Christmas Day].", TUE_2024, "2023-12-25"),
    ("The storm is expected to weaken by [the weekend].", FRI, "2024-03-09/2024-03-10"),
    ("The storm weakened over [the weekend].", FRI, "2024-03-02/2024-03-03"),
    ("Growth is expected to pick up in [the third quarter].", SUN_MARCH, "2024-07-01/2024-09-30"),
    ("Growth picked up in [the third quarter].", SUN_MARCH, "2023-07-01/2023-09-30"),
    ("The offensive could start in [the spring].", TUE_2025, "2025-03-01/2025-05-31"),
    ("The offensive stalled in [the spring].", TUE_2025, "2024-03-01/2024-05-31"),
    ("Prices rise again in [late March], the ministry expects.", TUE_2025, "2024-03-21/2024-03-31"),
    ("Prices are expected to rise again in [late March].", TUE_2025, "2025-03-21/2025-03-31"),
    ("Payments will resume on [the 29th].", WED, "2024-03-29"),
    ("Payments resumed on [the 29th].", WED, "2024-02-29"),  # the nearest: a leap day a week back
    ("Work will start in [early spring].", dt.date(2024, 7, 1), "2025-03"),
    ("Work started in [early spring].", dt.date(2024, 7, 1), "2024-03"),
    ("The ban stays in force until [Friday].", WED, "2024-03-08"),  # what lasts until a day looks ahead
    ("The ban stayed in force until [Friday].", WED, "2024-03-01"),
    # Each cue, one sentence.
    ("The mayor said schools would reopen on [Monday].", WED, "2024-03-11"),
    ("The summit, to be held on [Friday], will discuss aid.", WED, "2024-03-08"),
    ("The vote is scheduled for [Friday].", WED, "2024-03-08"),
    ("Talks are set to resume on [Monday].", WED, "2024-03-11"),
    ("The cabinet is meeting on [Friday].", WED, "2024-03-08"),
    ("The cabinet was meeting on [Friday] when the news came.", WED, "2024-03-01"),
    ("Figures will be released on [Friday].", WED, "2024-03-08"),
    ("The new tariff takes effect on [Monday].", WED, "2024-03-11"),
    ("The sanctions come into force in [June].", TUE_2025, "2025-06"),
    ("They'll meet again on [Friday].", WED, "2024-03-08"),
    ("The next round of talks, on [Friday], will be in Geneva.", WED, "2024-03-08"),
    ("The minister plans to visit Kyiv in [April].", TUE_2025, "2025-04"),
    ("The strike starts at midnight on [Monday].", WED, "2024-03-11"),
    # A verb in the past nearer the date than the future cue wins; so does "said".
    ("The talks that will resume next week were postponed on [Monday].", WED, "2024-03-04"),
    ("Officials said on [Monday] that talks would resume.", WED, "2024-03-04"),
    ("The talks may have begun on [Monday].", WED, "2024-03-04"),
    ("Talks broke down on [Friday]; they will resume on Monday.", WED, "2024-03-01"),
    ("Talks broke down on Friday; they will resume on [Monday].", WED, "2024-03-11"),
    ("The report was published on [Monday]. It will be debated in parliament.", WED, "2024-03-04"),
    ("U.S. officials will meet on [Friday].", WED, "2024-03-08"),  # "U.S." does not end the sentence
    ("Prices fell, due to rain on [Friday].", WED, "2024-03-01"),  # "due to" is "because of" here
    ("The next day, on [Tuesday], the troops withdrew.", WED, "2024-03-05"),
    ("Crowds gathered for the May Day rally on [Sunday].", WED, "2024-03-03"),  # May: the month
    ("Will Smith's film opens on [Friday].", WED, "2024-03-08"),  # "opens", not Will, says so
]


def _marked(sentence: str) -> tuple[str, int, int]:
    m = re.search(r"\[(.+?)\]", sentence)
    assert m is not None
    text = sentence[:m.start()] + m[1] + sentence[m.end():]
    return text, m.start(), m.start() + len(m[1])


@pytest.mark.parametrize("sentence, article_date, expected", PAIRS, ids=[f"{s}@{d}" for s, d, _ in PAIRS])
def test_a_date_is_read_in_its_sentence(sentence: str, article_date: dt.date, expected: str) -> None:
    text, start, end = _marked(sentence)
    assert resolve_in(text, start, end, article_date) == expected


def test_the_tense_is_said_by_the_nearest_cue() -> None:
    assert tense("The talks will resume on ") == FUTURE
    assert tense("The talks resumed on ") is None
    assert tense("", ", the talks will resume.") == FUTURE
    assert tense("Talks will go on. They ended on ") is None  # another sentence says nothing


@settings(max_examples=300, deadline=None)
@given(text=st.text(max_size=60), cut=st.tuples(st.integers(0, 60), st.integers(0, 60)),
       article_date=st.one_of(st.none(), st.dates(min_value=dt.date(1, 1, 1), max_value=dt.date(9999, 12, 31))))
def test_any_sentence_resolves_to_a_well_formed_value(text: str, cut: tuple[int, int],
                                                       article_date: dt.date | None) -> None:
    start, end = sorted(cut)
    assert is_valid(resolve_in(text, start, end, article_date))


def test_detection_reads_the_models_dates_in_their_sentences(fresh_store: Store) -> None:
    text = "The talks resumed on Monday. They will resume again on Friday."
    doc = fresh_store.add_documents([NewDocument(text, meta={"date": "2024-03-06"})]).added[0]
    detect_documents(fresh_store, [doc], load_pipeline())
    dates = {s.text: s.resolved for s in fresh_store.predictions(doc) if s.label == "DATE"}
    assert dates == {"Monday": "2024-03-04", "Friday": "2024-03-08"}


def test_a_persons_date_is_read_in_its_sentence(fresh_store: Store) -> None:
    text = "The talks will resume on Monday."
    doc = fresh_store.add_documents([NewDocument(text, meta={"date": "2024-03-06"})]).added[0]
    session = Session(fresh_store)
    session.open(doc)
    start = text.index("Monday")
    assert session.add(start, start + len("Monday"), "DATE")
    assert [(s.text, s.resolved) for s in fresh_store.spans(doc)] == [("Monday", "2024-03-11")]
