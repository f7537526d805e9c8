"""Dates resolved against the article's own date: what an analyst would write on a timeline."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.dates import FUTURE, UNRESOLVED, granularity, is_valid, resolve

TUE_2024 = dt.date(2024, 1, 2)  # a Tuesday, the first week of a year
TUE_2025 = dt.date(2025, 1, 7)  # a Tuesday
SUN_MARCH = dt.date(2024, 3, 3)  # a Sunday
NEW_YEARS_EVE = dt.date(2023, 12, 31)  # a Sunday, the last day of a year
LEAP_DAY = dt.date(2024, 2, 29)  # a Thursday

TABLE = [
    # Weekdays: the most recent one on or before the article's date; last/next strictly around it.
    ("Tuesday", TUE_2024, "2024-01-02"),
    ("on Tuesday", TUE_2024, "2024-01-02"),
    ("Monday", TUE_2025, "2025-01-06"),
    ("Monday's", TUE_2025, "2025-01-06"),
    ("Wednesday", TUE_2024, "2023-12-27"),
    ("last Tuesday", TUE_2024, "2023-12-26"),
    ("next Monday", TUE_2025, "2025-01-13"),
    ("next Tuesday", TUE_2024, "2024-01-09"),
    ("Sunday", NEW_YEARS_EVE, "2023-12-31"),
    ("Saturday night", TUE_2024, "2023-12-30"),
    ("earlier Monday", TUE_2025, "2025-01-06"),
    ("a late Monday", TUE_2025, "2025-01-06"),
    ("yesterday", TUE_2024, "2024-01-01"),
    ("yesterday morning", NEW_YEARS_EVE, "2023-12-30"),
    ("tomorrow", NEW_YEARS_EVE, "2024-01-01"),
    ("overnight", TUE_2024, "2024-01-01/2024-01-02"),
    ("the past 24 hours", TUE_2024, "2024-01-01/2024-01-02"),
    ("two days ago", TUE_2024, "2023-12-31"),
    ("three weeks ago", TUE_2025, "2024-12-17"),
    # Weeks run Monday to Sunday.
    ("last week", TUE_2024, "2023-12-25/2023-12-31"),
    ("this week", NEW_YEARS_EVE, "2023-12-25/2023-12-31"),
    ("next week", NEW_YEARS_EVE, "2024-01-01/2024-01-07"),
    ("the past week", TUE_2024, "2023-12-26/2024-01-02"),
    ("the weekend", TUE_2024, "2023-12-30/2023-12-31"),
    ("the weekend", SUN_MARCH, "2024-03-02/2024-03-03"),
    ("next weekend", SUN_MARCH, "2024-03-09/2024-03-10"),
    # Months: the most recent past one unless said otherwise.
    ("last month", TUE_2024, "2023-12"),
    ("next month", NEW_YEARS_EVE, "2024-01"),
    ("this month", LEAP_DAY, "2024-02"),
    ("six months ago", TUE_2024, "2023-07"),
    ("in March", TUE_2024, "2023-03"),
    ("March", SUN_MARCH, "2024-03"),
    ("December", TUE_2024, "2023-12"),
    ("next March", TUE_2024, "2024-03"),
    ("early March", SUN_MARCH, "2024-03-01/2024-03-10"),
    ("January 5", TUE_2025, "2025-01-05"),
    ("January 5", TUE_2024, "2024-01-05"),  # a day of a month: the nearest (events are announced)
    ("October 3", TUE_2025, "2024-10-03"),
    ("Christmas Day", TUE_2024, "2023-12-25"),
    ("Christmas Eve", dt.date(2024, 12, 10), "2024-12-24"),
    ("December 29", TUE_2024, "2023-12-29"),
    ("Tuesday, January 2", TUE_2024, "2024-01-02"),
    ("February 29", LEAP_DAY, "2024-02-29"),
    ("5th of January", TUE_2025, "2025-01-05"),
    # Years, parts of years, intervals.
    ("this year", TUE_2024, "2024"),
    ("last year", TUE_2024, "2023"),
    ("a year ago", TUE_2025, "2024"),
    ("2023", TUE_2024, "2023"),
    ("earlier this year", SUN_MARCH, "2024-01-01/2024-03-03"),
    ("since February 2022", TUE_2024, "2022-02-01/2024-01-02"),
    ("since 2014", TUE_2024, "2014-01-01/2024-01-02"),
    ("mid-2023", TUE_2024, "2023-05-01/2023-08-31"),
    ("late 2022", TUE_2024, "2022-09-01/2022-12-31"),
    ("late last year", TUE_2024, "2023-09-01/2023-12-31"),
    ("the end of the year", SUN_MARCH, "2024-12"),
    ("the first half of the year", TUE_2025, "2025-01-01/2025-06-30"),
    ("the second half of last year", TUE_2025, "2024-07-01/2024-12-31"),
    ("the third quarter", SUN_MARCH, "2023-07-01/2023-09-30"),
    ("the first quarter", SUN_MARCH, "2024-01-01/2024-03-31"),
    ("the first three months of the year", LEAP_DAY, "2024-01-01/2024-03-31"),
    ("the three months to June", TUE_2025, "2024-04-01/2024-06-30"),
    ("the 12 months to March 2024", None, "2023-04-01/2024-03-31"),
    ("the new year", dt.date(2024, 12, 20), "2025"),
    ("last summer", TUE_2025, "2024-06-01/2024-08-31"),
    ("this winter", TUE_2024, "2023-12-01/2024-02-29"),
    # Dates that say their year need no article date.
    ("Feb. 24, 2022", TUE_2025, "2022-02-24"),
    ("24 February 2022", None, "2022-02-24"),
    ("January 2022", None, "2022-01"),
    ("the 1990s", None, "1990-01-01/1999-12-31"),
    ("2014-2022", None, "2014-01-01/2022-12-31"),
    ("Q3 2023", None, "2023-07-01/2023-09-30"),
    ("24/02/2022", TUE_2024, "2022-02-24"),
    # Round two: relative forms, a day of the month alone, year-end, parts of seasons.
    ("this coming Friday", TUE_2024, "2024-01-05"),
    ("this coming Tuesday", TUE_2024, "2024-01-09"),  # said on a Tuesday: the next one
    ("two weeks from now", TUE_2024, "2024-01-16"),
    ("in three days' time", NEW_YEARS_EVE, "2024-01-03"),
    ("a month's time", TUE_2024, "2024-02"),
    ("a year from today", TUE_2025, "2026"),
    ("the 29th", TUE_2024, "2023-12-29"),  # the nearest: 4 days back, not 27 ahead
    ("on the 5th", TUE_2024, "2024-01-05"),
    ("the 30th", LEAP_DAY, "2024-01-30"),  # February has none; a tie goes to the earlier
    ("the 31st", dt.date(2024, 4, 15), "2024-03-31"),  # April has none
    ("the 45th", TUE_2024, UNRESOLVED),
    ("year-end", SUN_MARCH, "2024-12"),
    ("by year-end", SUN_MARCH, "2024-12"),
    ("the year's end", SUN_MARCH, "2024-12"),
    ("by the end of the year", SUN_MARCH, "2024-12"),
    ("year-end 2025", None, "2025-12"),
    ("early spring", SUN_MARCH, "2024-03"),
    ("mid-winter", SUN_MARCH, "2024-01"),  # the winter of 2023-24
    ("early winter", TUE_2024, "2023-12"),
    ("late summer 2022", None, "2022-08"),
    ("late winter 2023", None, "2024-02"),  # winter 2023 runs from December 2023
    ("the summer of 1991", None, "1991-06-01/1991-08-31"),
    # Round three (issue 28): periods, fortnights, fiscal years, a movable feast.
    ("by the end of the month", SUN_MARCH, "2024-03-21/2024-03-31"),
    ("the end of June", TUE_2024, "2023-06-21/2023-06-30"),
    ("the last quarter of 2024", None, "2024-10-01/2024-12-31"),
    ("a fortnight ago", TUE_2024, "2023-12-19"),
    ("in a fortnight's time", TUE_2024, "2024-01-16"),
    ("14 June to 14 July", dt.date(2024, 7, 20), "2024-06-14/2024-07-14"),
    ("December 20 to January 5", TUE_2024, "2023-12-20/2024-01-05"),
    ("14 June to 14 July 2022", None, "2022-06-14/2022-07-14"),
    ("FY2025", None, "2025"),
    ("FY25", None, "2025"),
    ("Thanksgiving", dt.date(2024, 11, 20), "2024-11-28"),
    ("Thanksgiving 2023", None, "2023-11-23"),
    # Honest where it cannot say.
    ("recent weeks", TUE_2024, UNRESOLVED),
    ("the previous day", TUE_2024, UNRESOLVED),
    ("22 months", TUE_2024, UNRESOLVED),
    ("two years", TUE_2024, UNRESOLVED),
    ("annual", TUE_2024, UNRESOLVED),
    ("February 30", TUE_2024, UNRESOLVED),
    ("Tuesday", None, UNRESOLVED),
    ("last month", None, UNRESOLVED),
    ("  ", TUE_2024, None),
]


@pytest.mark.parametrize("text, article_date, expected", TABLE, ids=[f"{t!r}@{d}" for t, d, _ in TABLE])
def test_resolve(text: str, article_date: dt.date | None, expected: str | None) -> None:
    assert resolve(text, article_date) == expected


ARTICLE_DAYS = st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 12, 31))


@settings(max_examples=200, deadline=None)
@given(article_date=ARTICLE_DAYS, n=st.integers(1, 60), unit=st.sampled_from(["day", "week"]),
       form=st.sampled_from(["{n} {unit}s from now", "in {n} {unit}s' time", "{n} {unit}s from today", "{n} {unit}s hence"]))
def test_a_count_of_days_or_weeks_ahead_is_that_many_days_after_the_article(
        article_date: dt.date, n: int, unit: str, form: str) -> None:
    expected = article_date + dt.timedelta(days=n * (7 if unit == "week" else 1))
    assert resolve(form.format(n=n, unit=unit), article_date) == expected.isoformat()


@settings(max_examples=200, deadline=None)
@given(article_date=ARTICLE_DAYS, day=st.integers(1, 31), future=st.booleans())
def test_a_day_of_the_month_alone_is_the_nearest_such_day(article_date: dt.date, day: int, future: bool) -> None:
    """"The 29th": that day of the article's month or a month either side, never more than a
    month away; in a sentence about the future, on or after the article's date."""
    suffix = {1: "st", 2: "nd", 3: "rd", 21: "st", 22: "nd", 23: "rd", 31: "st"}.get(day, "th")
    found = dt.date.fromisoformat(resolve(f"the {day}{suffix}", article_date, FUTURE if future else None) or "")
    assert found.day == day and abs((found - article_date).days) <= 62
    if future:
        assert found >= article_date
    else:
        assert abs((found - article_date).days) <= 31


@settings(max_examples=200, deadline=None)
@given(part=st.sampled_from(["early", "mid", "late"]), season=st.sampled_from(["spring", "summer", "autumn", "winter"]),
       year=st.integers(1900, 2099), joiner=st.sampled_from([" ", "-"]))
def test_early_mid_and_late_in_a_season_are_its_three_months_in_order(part: str, season: str, year: int, joiner: str) -> None:
    whole = resolve(f"{season} {year}", None) or ""
    first, last = (dt.date.fromisoformat(d) for d in whole.split("/"))
    month = resolve(f"{part}{joiner}{season} {year}", None) or ""
    expected = dt.date(first.year + (first.month + ["early", "mid", "late"].index(part) - 1) // 12,
                       (first.month + ["early", "mid", "late"].index(part) - 1) % 12 + 1, 1)
    assert month == f"{expected:%Y-%m}" and first <= expected <= last


@settings(max_examples=100, deadline=None)
@given(year=st.integers(1900, 2099))
def test_thanksgiving_is_the_fourth_thursday_of_november(year: int) -> None:
    day = dt.date.fromisoformat(resolve(f"Thanksgiving {year}", None) or "")
    assert day.weekday() == 3 and day.month == 11 and 22 <= day.day <= 28


@pytest.mark.parametrize("value, kind", [
    ("2024-01-02", "day"), ("2024-01", "month"), ("2024", "year"),
    ("2024-01-01/2024-01-31", "interval"), (UNRESOLVED, None), (None, None),
])
def test_granularity(value: str | None, kind: str | None) -> None:
    assert granularity(value) == kind and is_valid(value)


@pytest.mark.parametrize("value", ["2024-13", "2024-02-30", "2024-01-31/2024-01-01", "24", "Tuesday", "2024-01/2024-02"])
def test_malformed_values_are_refused(value: str) -> None:
    """What a person types in the editor is checked by the same rule."""
    assert not is_valid(value)


WORDS = ["last", "next", "this", "the", "on", "in", "since", "mid-", "early", "late", "Tuesday", "Monday",
         "March", "January", "5", "29", "2023", "2022", "ago", "two", "days", "weeks", "months", "year",
         "week", "weekend", "overnight", "yesterday", "summer", "winter", "of", "Feb.", ",", "24/02/2022", "1990s",
         "coming", "from", "now", "time", "days'", "the 29th", "31st", "year-end", "spring"]


@settings(max_examples=300, deadline=None)
@given(
    text=st.one_of(st.text(max_size=30), st.lists(st.sampled_from(WORDS), max_size=5).map(" ".join)),
    article_date=st.one_of(st.none(), st.dates(min_value=dt.date(1, 1, 1), max_value=dt.date(9999, 12, 31))),
)
def test_never_crashes_and_always_well_formed(text: str, article_date: dt.date | None) -> None:
    value = resolve(text, article_date)
    assert is_valid(value)
    if value not in (None, UNRESOLVED):
        assert granularity(value) in ("day", "month", "year", "interval")
