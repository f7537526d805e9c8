"""Calendar arithmetic for the date rules: weeks, weekends, months, parts of years and seasons.

Pure Python over :mod:`datetime`. The rules in :mod:`annotator.date_rules` say which stretch of
time a phrase means; these functions compute it from the article's date. A stretch is a
:data:`Resolution`: a day, a (year, month), a year, or an interval of days.
"""

from __future__ import annotations

import calendar
import datetime as dt

Date = dt.date
# What a phrase resolves to: a day, a (year, month), a year, or an interval of days.
Resolution = dt.date | tuple[int, int] | int | tuple[dt.date, dt.date]

DAY = dt.timedelta(days=1)
SEASONS = {"spring": (3, 5), "summer": (6, 8), "autumn": (9, 11), "fall": (9, 11), "winter": (12, 2)}
PARTS = {"early": 0, "mid": 1, "middle": 1, "late": 2}


def month_year(today: Date, month: int, future: bool) -> int:
    """The year of a month named alone: the most recent one begun, or in the future the first
    one not over."""
    if future:
        return today.year if month >= today.month else today.year + 1
    return today.year if month <= today.month else today.year - 1


def nearest(today: Date, month: int, day: int, future: bool = False) -> Date:
    """The day of that month nearest the article's date, the earlier one on a tie; in the
    future, the first one on or after the article's date."""
    years = range(today.year - 1, today.year + (5 if future else 2))  # February 29 comes every 4 years
    candidates = [dt.date(year, month, day) for year in years if (month, day) != (2, 29) or calendar.isleap(year)]
    return closest(today, candidates, future)


def nearest_in_month(today: Date, day: int, future: bool = False) -> Date:
    """A day of the month named alone ("the 29th"): the nearest such day in the article's month
    or the ones either side (a month without it is skipped), in the future the first one on or
    after the article's date."""
    months = (month_shift(today, shift) for shift in range(-1, 3 if future else 2))
    candidates = [dt.date(year, month, day) for year, month in months if day <= calendar.monthrange(year, month)[1]]
    return closest(today, candidates, future)


def closest(today: Date, candidates: list[Date], future: bool) -> Date:
    if future:
        candidates = [d for d in candidates if d >= today]
    if not candidates:
        raise ValueError("no such day")
    return min(candidates, key=lambda d: (abs((d - today).days), d))


def nth_weekday(year: int, month: int, weekday: int, n: int) -> Date:
    """The n-th such weekday of a month (Thanksgiving: the fourth Thursday of November)."""
    first = dt.date(year, month, 1)
    return first + dt.timedelta(days=(weekday - first.weekday()) % 7 + 7 * (n - 1))


def half(which: str, year: int) -> tuple[Date, Date]:
    return (dt.date(year, 1, 1), dt.date(year, 6, 30)) if which == "first" else (dt.date(year, 7, 1), dt.date(year, 12, 31))


def first_months(months: int, year: int) -> tuple[Date, Date]:
    if not 1 <= months <= 12:
        raise ValueError("not a number of months of a year")
    return (dt.date(year, 1, 1), month_end(year, months))


def months_to(months: int, year: int, month: int) -> tuple[Date, Date]:
    """"The three months to June": the months ending with that one."""
    first = month_shift(dt.date(year, month, 1), 1 - months)
    return (dt.date(first[0], first[1], 1), month_end(year, month))


def quarter(number: int, year: int) -> tuple[Date, Date]:
    return (dt.date(year, 3 * number - 2, 1), month_end(year, 3 * number))


def week(day: Date) -> tuple[Date, Date]:
    monday = day - dt.timedelta(days=day.weekday())
    return (monday, monday + dt.timedelta(days=6))


def weekend(today: Date, which: str) -> tuple[Date, Date]:
    """Saturday and Sunday: of the article's week ("this"), the one before it or the one after."""
    saturday = week(today)[0] + dt.timedelta(days=5)
    if which == "last" and today.weekday() < 5:
        saturday -= dt.timedelta(days=7)
    elif which == "next":
        saturday += dt.timedelta(days=7)
    return (saturday, saturday + dt.timedelta(days=1))


def weekday(today: Date, day: int, which: str | None) -> Date:
    back = (today.weekday() - day) % 7
    if which in ("last", "past", "previous"):
        return today - dt.timedelta(days=back or 7)
    if which in ("next", "coming"):
        return today + dt.timedelta(days=(day - today.weekday()) % 7 or 7)
    if which == "this":
        return week(today)[0] + dt.timedelta(days=day)
    if which == "ahead":  # in the future: on or after the article's date
        return today + dt.timedelta(days=(day - today.weekday()) % 7)
    return today - dt.timedelta(days=back)


def month_shift(day: Date, months: int) -> tuple[int, int]:
    index = day.year * 12 + day.month - 1 + months
    return (index // 12, index % 12 + 1)


def month_end(year: int, month: int) -> Date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def part_of_year(part: str, year: int) -> Resolution:
    if part == "end of":
        return (year, 12)
    if part in ("beginning of", "start of"):
        return (year, 1)
    third = PARTS[part]
    return (dt.date(year, 4 * third + 1, 1), month_end(year, 4 * third + 4))


def part_of_month(part: str, year: int, month: int) -> tuple[Date, Date]:
    third = PARTS[part]
    last = month_end(year, month) if third == 2 else dt.date(year, month, 10 * third + 10)
    return (dt.date(year, month, 10 * third + 1), last)


def season(today: Date, name: str, which: str | None) -> tuple[Date, Date]:
    """Northern seasons. Bare: the most recent one that has begun; "last": the most recent one
    that has ended; "this": the one of the article's year; "next": the first still to begin;
    "ahead" (bare, in the future): the first not yet over."""
    stretches = [season_of(name, year) for year in range(today.year - 2, today.year + 2)]
    if which == "last":
        return max((s for s in stretches if s[1] < today), key=lambda s: s[0])
    if which == "next":
        return min((s for s in stretches if s[0] > today), key=lambda s: s[0])
    if which == "ahead":
        return min((s for s in stretches if s[1] >= today), key=lambda s: s[0])
    first, last = SEASONS[name]
    if which == "this":
        return season_of(name, today.year - 1 if last < first and today.month <= last else today.year)
    return max((s for s in stretches if s[0] <= today), key=lambda s: s[0])


def season_of(name: str, year: int) -> tuple[Date, Date]:
    """The season that begins in ``year`` (winter 2023: December 2023 to February 2024)."""
    first, last = SEASONS[name]
    return (dt.date(year, first, 1), month_end(year + (last < first), last))


def part_of_season(part: str, stretch: tuple[Date, Date]) -> tuple[int, int]:
    """Early, mid or late in a season: its first, second or third month ("late summer": August)."""
    return month_shift(stretch[0], PARTS[part])


def interval(found: Resolution) -> tuple[Date, Date]:
    """Any resolution as its first and last day."""
    if isinstance(found, dt.date):
        return (found, found)
    if isinstance(found, int):
        return (dt.date(found, 1, 1), dt.date(found, 12, 31))
    first, second = found
    if isinstance(first, dt.date):
        assert isinstance(second, dt.date)
        return (first, second)
    assert isinstance(second, int)
    return (dt.date(first, second, 1), month_end(first, second))
