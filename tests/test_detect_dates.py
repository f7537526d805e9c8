"""DATE spans resolved against their article's date, through the store: the model's and a person's."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from annotator.dates import resolve_span
from annotator.detect.date_finder import find_dates, load_patterns, merge_dates
from annotator.detect.detector import detect_documents
from annotator.detect.pipeline import load_pipeline, make_doc
from annotator.domain import NewDocument, Span
from annotator.importing import import_paths
from annotator.session import Session
from annotator.storage import Store


def test_dates_found_by_the_model_are_resolved_against_the_article(fresh_store: Store, seeds_dir: Path) -> None:
    import_paths(fresh_store, [seeds_dir])
    ids = fresh_store.document_ids()
    detect_documents(fresh_store, ids, load_pipeline())
    by_date = {fresh_store.document(i).date: i for i in ids}
    assert set(by_date) == {"2024-01-02", "2025-01-07"}
    tuesday_2024 = {s.text: s.resolved for s in fresh_store.spans(by_date["2024-01-02"]) if s.label == "DATE"}
    assert tuesday_2024["Tuesday"] == "2024-01-02"
    assert tuesday_2024["December 29"] == "2023-12-29"
    tuesday_2025 = {s.text: s.resolved for s in fresh_store.predictions(by_date["2025-01-07"]) if s.label == "DATE"}
    assert tuesday_2025["Tuesday"] == "2025-01-07"
    everything = [s for i in ids for s in fresh_store.spans(i) + fresh_store.predictions(i)]
    assert all(s.resolved is None for s in everything if s.label != "DATE")


def test_a_persons_date_gets_its_date_and_keeps_their_correction(fresh_store: Store) -> None:
    """Labelled by hand, a DATE is resolved against the article's date like the model's; a value
    the person typed survives relabelling, and a span that stops being a DATE has none."""
    text = "Talks resumed on Monday in Geneva."
    doc = fresh_store.add_documents([NewDocument(text, meta={"date": "2025-01-07"})]).added[0]
    session = Session(fresh_store)
    session.open(doc)
    assert session.label("DATE") is not None
    start = text.index("Monday")
    assert session.add(start, start + len("Monday"), "DATE")
    assert [(s.text, s.resolved) for s in fresh_store.spans(doc)] == [("Monday", "2025-01-06")]
    assert session.update(resolved="2025-01-13")  # the person knows it was the next Monday
    assert session.relabel("EVENT") and fresh_store.spans(doc)[0].resolved is None
    assert session.relabel("DATE") and fresh_store.spans(doc)[0].resolved == "2025-01-06"
    assert session.update(resolved="2025-01-13") and session.relabel("DATE")
    assert fresh_store.spans(doc)[0].resolved == "2025-01-13"
    assert fresh_store.predictions(doc) == []  # nothing of this touches the model's layer


# Sentence, article date, the DATE spans detection stores with their dates (the date finder's
# patterns beside the model: day parts the model tags TIME, named days it tags EVENT or not at all,
# fiscal years, seasons, spans it cuts wrong).
FOUND = [
    ("Police said the fire broke out last night near the port.", "2024-03-15", [("last night", "2024-03-14")]),
    ("Markets in Asia fell sharply this morning.", "2024-03-15", [("this morning", "2024-03-15")]),
    ("Heavy rain fell overnight across the north.", "2024-02-29", [("overnight", "2024-02-28/2024-02-29")]),
    ("Over the past 48 hours, rescuers pulled people from the rubble.", "2024-02-29",
     [("the past 48 hours", "2024-02-27/2024-02-29")]),
    ("The ceasefire was agreed a fortnight ago in Doha.", "2024-12-31", [("a fortnight ago", "2024-12-17")]),
    ("Crowds gathered in the square on New Year's Eve.", "2025-01-02", [("New Year's Eve", "2024-12-31")]),
    ("Flights will be cut around Thanksgiving.", "2024-11-04", [("Thanksgiving", "2024-11-28")]),
    ("The company expects revenue to grow in FY2025.", "2024-03-13", [("FY2025", "2025")]),
    ("Parliament will debate the bill in the autumn.", "2024-06-12", [("the autumn", "2024-09-01/2024-11-30")]),
    ("The shop closed on 24.12.2024, Christmas Eve, after a robbery.", "2024-12-27",
     [("24.12.2024", "2024-12-24"), ("Christmas Eve", "2024-12-24")]),
    ("A year from today, the new rules take effect.", "2024-03-13", [("A year from today", "2025")]),
]


@pytest.fixture(scope="module")
def detected(tmp_path_factory: pytest.TempPathFactory) -> list[list[tuple[str, str | None]]]:
    with Store(tmp_path_factory.mktemp("found") / "p.db", annotator="tester") as store:
        ids = store.add_documents([NewDocument(text, meta={"date": day}) for text, day, _ in FOUND]).added
        detect_documents(store, ids, load_pipeline())
        return [[(s.text, s.resolved) for s in store.predictions(i) if s.label == "DATE"] for i in ids]


@pytest.mark.parametrize("row", range(len(FOUND)), ids=[text[:40] for text, _, _ in FOUND])
def test_dates_the_model_misses_or_cuts_wrong_are_found_and_resolved(detected: list, row: int) -> None:
    assert detected[row] == FOUND[row][2]


@given(year=st.integers(1990, 2099), short=st.booleans(), before=st.sampled_from(["Sales in", "Revenue for", "Losses in"]))
def test_any_fiscal_year_is_found_and_means_its_year(year: int, short: bool, before: str) -> None:
    """The rules alone (a tokenizer, no model): "FY2031" or "FY31" (this century) is a date, the year named."""
    name = f"FY{year % 100:02d}" if short and year >= 2000 else f"FY{year}"
    text = f"{before} {name} rose by a tenth."
    found = find_dates(make_doc(text), text)
    assert [(s.text, s.label) for s in found] == [(name, "DATE")]
    assert resolve_span(found[0], dt.date(2024, 3, 13), text).resolved == str(year)


@given(hours=st.sampled_from(["24", "48", "72"]), part=st.sampled_from(["morning", "afternoon", "evening", "night"]),
       which=st.sampled_from(["last", "this", "yesterday", "tomorrow", "Tuesday", "friday"]))
def test_day_parts_and_hours_back_are_one_date_each(hours: str, part: str, which: str) -> None:
    text = f"In the past {hours} hours, and {which} {part}, prices rose."
    assert [s.text for s in find_dates(make_doc(text), text)] == [f"the past {hours} hours", f"{which} {part}"]


def test_where_the_rules_and_the_model_meet() -> None:
    """The model's DATE is kept at the same place or where the rule is not larger; a rule date
    the resolver cannot read never replaces anything; another label is replaced only at its very place."""
    text = "On Monday night and a year from today, Christmas Eve, and FY2025 Corp."
    at = lambda words, label: Span.of(text, text.index(words), text.index(words) + len(words), label)  # noqa: E731
    sources: Counter[str] = Counter()
    merged = merge_dates(text, [at("Monday", "DATE"), at("a year", "DATE"), at("today", "DATE"), at("Christmas", "EVENT"),
                                at("FY2025 Corp", "ORG")],
                         [at("Monday night", "DATE"), at("a year from today", "DATE"), at("Christmas Eve", "DATE"),
                          at("FY2025", "DATE")], sources)
    assert [(s.text, s.label) for s in merged] == [
        ("Monday night", "DATE"), ("a year from today", "DATE"), ("Christmas Eve", "DATE"), ("FY2025 Corp", "ORG")]
    assert sources == {"model": 0, "rules": 3}
    assert merge_dates(text, [at("Monday", "DATE")], [at("Monday", "DATE")]) == [at("Monday", "DATE")]


def test_a_bad_pattern_line_is_named_by_file_and_line(tmp_path: Path) -> None:
    patterns = tmp_path / "date_patterns.jsonl"
    patterns.write_text('{"id": "day part", "label": "DATE", "pattern": [{"LOWER": "tonight"}]}\n{"id": "broken"}\n')
    with pytest.raises(ValueError, match=r"date_patterns.jsonl:2: not a date pattern"):
        load_patterns(patterns)
