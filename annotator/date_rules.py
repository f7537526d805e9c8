"""The date grammar as data: word lists and a table of phrase patterns, each with what it means.

A linguist adds a construction as one row of :data:`RULES`: a regular expression over the
normalised phrase (lower case, single spaces, no leading "on"/"in"/"the"…; see
``dates._normalise``), written with the placeholders ``{MONTH}``, ``{WEEKDAY}``, ``{COUNT}``,
``{YEAR}``, ``{DAYPART}``, ``{SEASON}``, ``{PART}`` for the word lists below, and a handler that
computes the stretch of time from the match and the article's date (:mod:`annotator.days` has the
calendar arithmetic). Rows are tried in order and compiled once; the first whose pattern matches
the whole phrase decides. A row marked ``relative`` needs the article's date and is skipped
without one.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable
from typing import NamedTuple

from annotator import days
from annotator.days import DAY, PARTS, SEASONS, Date, Resolution

MONTHS = {
    name: number
    for number, names in enumerate(
        [("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"), ("may",),
         ("june", "jun"), ("july", "jul"), ("august", "aug"), ("september", "sep", "sept"),
         ("october", "oct"), ("november", "nov"), ("december", "dec")],
        start=1,
    )
    for name in names
}
WEEKDAYS = {name: number for number, names in enumerate(
    [("monday", "mon"), ("tuesday", "tue", "tues"), ("wednesday", "wed"), ("thursday", "thu", "thurs"),
     ("friday", "fri"), ("saturday", "sat"), ("sunday", "sun")]) for name in names}
COUNTS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
          "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "a couple of": 2, "a few": 3,
          "several": 3, "fifteen": 15, "twenty": 20, "thirty": 30, "forty-eight": 48, "seventy-two": 72}
HOLIDAYS = {"christmas": (12, 25), "christmas day": (12, 25), "christmas eve": (12, 24), "boxing day": (12, 26),
            "new year's day": (1, 1), "new year's eve": (12, 31), "valentine's day": (2, 14), "halloween": (10, 31)}
# Days named by a rule, not a date: (month, weekday 0-6 from Monday, which one of the month).
MOVABLE = {"thanksgiving": (11, 3, 4), "thanksgiving day": (11, 3, 4)}
UNIT_DAYS = {"day": 1, "week": 7, "fortnight": 14}  # units of "ago" / "from now" counted in days
SHIFTS = {"the": 0, "this": 0, "last": -1, "next": 1}
QUARTERS = ("first", "second", "third", "fourth")
WHICH = {"this coming": "coming"}  # words before a weekday read as others: "this coming Friday" is the next one
# Phrases that name one stretch of time relative to the article's date.
FIXED: dict[str, Callable[[Date], Resolution]] = {
    "today": lambda t: t, "tonight": lambda t: t, "this morning": lambda t: t, "this afternoon": lambda t: t,
    "this evening": lambda t: t, "earlier today": lambda t: t, "later today": lambda t: t, "now": lambda t: t,
    "yesterday": lambda t: t - DAY, "last night": lambda t: t - DAY,
    "day before yesterday": lambda t: t - 2 * DAY, "tomorrow": lambda t: t + DAY,
    "overnight": lambda t: (t - DAY, t), "past 24 hours": lambda t: (t - DAY, t),
    "last 24 hours": lambda t: (t - DAY, t), "past 48 hours": lambda t: (t - 2 * DAY, t),
    "this week": lambda t: days.week(t), "last week": lambda t: days.week(t - 7 * DAY),
    "past week": lambda t: (t - 7 * DAY, t), "next week": lambda t: days.week(t + 7 * DAY),
    "earlier this week": lambda t: (days.week(t)[0], t),
    "this month": lambda t: (t.year, t.month), "last month": lambda t: days.month_shift(t, -1),
    "next month": lambda t: days.month_shift(t, 1), "past month": lambda t: (t - 30 * DAY, t),
    "earlier this month": lambda t: (t.replace(day=1), t),
    "later this month": lambda t: (t, days.month_end(t.year, t.month)),
    "this year": lambda t: t.year, "last year": lambda t: t.year - 1, "next year": lambda t: t.year + 1,
    "past year": lambda t: (t - 365 * DAY, t), "earlier this year": lambda t: (dt.date(t.year, 1, 1), t),
    "later this year": lambda t: (t, dt.date(t.year, 12, 31)), "year before": lambda t: t.year - 1,
    "weekend": lambda t: days.weekend(t, "last"), "this weekend": lambda t: days.weekend(t, "this"),
    "last weekend": lambda t: days.weekend(t, "last"), "past weekend": lambda t: days.weekend(t, "last"),
    "next weekend": lambda t: days.weekend(t, "next"),
}


def _alternatives(words: Iterable[str]) -> str:
    """A regex alternation of the words, longest first so that "sept" wins over "sep"."""
    return "|".join(sorted((re.escape(w) for w in words), key=len, reverse=True))


PLACEHOLDERS = {
    "MONTH": _alternatives(MONTHS),
    "WEEKDAY": _alternatives(WEEKDAYS),
    "COUNT": _alternatives(COUNTS) + r"|\d+",
    "YEAR": r"(?:1[5-9]|20)\d\d",
    "DECADE": r"(?:1[5-9]|20)\d",
    # Times of day after a day ("Tuesday night", "yesterday morning") do not change the day.
    "DAYPART": r"(?:\s+(?:morning|afternoon|evening|night|overnight|midday|noon))?",
    "HOLIDAY": _alternatives(HOLIDAYS),
    "FIXED": _alternatives(FIXED),
    "SEASON": _alternatives(SEASONS),
    "PART": _alternatives(PARTS),
    "QUARTER": _alternatives(QUARTERS),
    "MOVABLE": _alternatives(MOVABLE),
    "UNIT": _alternatives([*UNIT_DAYS, "month", "year"]),
}


class Context(NamedTuple):
    """What a handler may use besides its match: the article's date and the sentence's tense."""

    today: Date | None
    future: bool

    @property
    def day(self) -> Date:
        """The article's date, for rows marked ``relative`` (only run when there is one)."""
        assert self.today is not None
        return self.today


Handler = Callable[[re.Match[str], Context], Resolution | None]


class Rule(NamedTuple):
    """A row of the grammar: a pattern over the whole phrase and what it means."""

    pattern: str
    handler: Handler
    relative: bool = False  # needs the article's date


def _count(word: str) -> int:
    return COUNTS.get(word) or int(word)


def _since(m: re.Match[str], c: Context) -> Resolution | None:
    """"since February 2022", "from March to date": from that stretch's first day to the article's."""
    start = read(m[1], c.today)
    if start is None or c.today is None:
        return None
    first = days.interval(start)[0]
    return (first, c.today) if first <= c.today else None


def _years(m: re.Match[str], c: Context) -> Resolution | None:
    first, last = int(m[1]), int(m[2]) if len(m[2]) == 4 else int(m[1][:2] + m[2])
    return (dt.date(first, 1, 1), dt.date(last, 12, 31)) if first < last else None


def _month_day(m: re.Match[str], c: Context) -> Resolution:
    """A day of a month without its year: the nearest one (announced events are often days
    ahead: "the election on March 31"; a day long past would be written with its year), in the
    future the next one."""
    return days.nearest(c.day, MONTHS[m["month"]], int(m["day"]), c.future)


def _month(m: re.Match[str], c: Context) -> Resolution:
    """A month alone: the most recent one begun ("this": of the article's year; "next": the
    first after it), in the future the first not over."""
    today, month, which = c.day, MONTHS[m[2]], m[1]
    if which == "next":
        return (today.year + (month <= today.month), month)
    if which == "this":
        return (today.year, month)
    if c.future and which is None:
        return (days.month_year(today, month, c.future), month)
    past = today.year if month < today.month or (month == today.month and which != "last") else today.year - 1
    return (past, month)


def _moved(today: Date, n: int, unit: str) -> Resolution:
    """``n`` units after the article's date (before it if negative): a day for days, weeks and
    fortnights, a month for months, a year for years."""
    if unit in UNIT_DAYS:
        return today + n * UNIT_DAYS[unit] * DAY
    if unit == "month":
        return days.month_shift(today, n)
    return today.year + n


def _ago(m: re.Match[str], c: Context) -> Resolution:
    return _moved(c.day, -_count(m[1]), m[2])


def _past(m: re.Match[str], c: Context) -> Resolution:
    """"The past three weeks": up to the article's date."""
    n, unit, today = _count(m[1]), m[2], c.day
    back = {"day": DAY, "week": 7 * DAY}.get(unit)
    if back is not None:
        return (today - n * back, today)
    first = days.month_shift(today, -n * (12 if unit == "year" else 1))
    return (dt.date(first[0], first[1], min(today.day, days.month_end(*first).day)), today)


def _later(m: re.Match[str], c: Context) -> Resolution:
    """"Two weeks from now", "in three days' time": a day (a month, a year) after the article's."""
    return _moved(c.day, _count(m[1]), m[2])


def _days_to_days(m: re.Match[str], c: Context) -> Resolution | None:
    """"14 June to 14 July": the first day the nearest such (or of the year given), the last the
    first such day on or after it."""
    first_month, last_month = MONTHS[m["m1"]], MONTHS[m["m2"]]
    if m["year"]:
        first = dt.date(int(m["year"]), first_month, int(m["d1"]))
    elif c.today is None:
        return None
    else:
        first = days.nearest(c.today, first_month, int(m["d1"]), c.future)
    last = dt.date(first.year + (last_month < first_month), last_month, int(m["d2"]))
    return (first, last) if first <= last else None


def _movable(name: str, year: int) -> Date:
    month, weekday, n = MOVABLE[name]
    return days.nth_weekday(year, month, weekday, n)


def _season_of_year(m: re.Match[str], c: Context) -> Resolution:
    """"Summer 2022", "the winter of 1991" (December to February), "late summer 2022" (August)."""
    stretch = days.season_of(m[2], int(m[3]))
    return days.part_of_season(m[1], stretch) if m[1] else stretch


def _quarter(m: re.Match[str], c: Context) -> Resolution:
    """A quarter without its year: of the year named, else the most recent begun (in the
    future, the first not over)."""
    number, today = QUARTERS.index(m[1]) + 1, c.day
    if m[2]:
        year = today.year + SHIFTS[m[2]]
    elif c.future:
        year = today.year if 3 * number >= today.month else today.year + 1
    else:
        year = today.year if 3 * number - 2 <= today.month else today.year - 1
    return days.quarter(number, year)


def _ahead(c: Context) -> str | None:
    """How a bare weekday or season is read: the first on or after the article's date in the
    future, else (None) the most recent."""
    return "ahead" if c.future else None


RULES: list[Rule] = [
    # Stretches up to the article's date.
    Rule(r"since (.+)", _since),
    Rule(r"from (.+?) (?:to|until) (?:now|today|date)", _since),
    # Dates that say their year.
    Rule(r"(\d{{4}})-(\d{{2}})-(\d{{2}})", lambda m, c: dt.date(int(m[1]), int(m[2]), int(m[3]))),
    Rule(r"{YEAR}", lambda m, c: int(m[0])),
    Rule(r"(?:(?:{WEEKDAY}),? )?({MONTH}) (\d{{1,2}}),? ({YEAR})", lambda m, c: dt.date(int(m[3]), MONTHS[m[1]], int(m[2]))),
    Rule(r"(?:(?:{WEEKDAY}),? )?(\d{{1,2}}) (?:of )?({MONTH}),? ({YEAR})",
         lambda m, c: dt.date(int(m[3]), MONTHS[m[2]], int(m[1]))),
    Rule(r"({MONTH}),? ({YEAR})", lambda m, c: (int(m[2]), MONTHS[m[1]])),
    Rule(r"({YEAR}) ?(?:-|to|and) ?({YEAR}|\d\d)", _years),
    Rule(r"(?:between|from) ({YEAR}) (?:and|to|until) ({YEAR})", _years),
    Rule(r"(?:year-end|year end|end)[ -]({YEAR})", lambda m, c: (int(m[1]), 12)),
    Rule(r"(?:({PART})[ -])?({SEASON}),? (?:of )?({YEAR})", _season_of_year),
    Rule(r"(?:(early|mid|middle|late|end of|beginning of|start of)[ -])({YEAR})",
         lambda m, c: days.part_of_year(m[1], int(m[2]))),
    Rule(r"(early|mid|middle|late)[ -]({MONTH}),? ({YEAR})", lambda m, c: days.part_of_month(m[1], int(m[3]), MONTHS[m[2]])),
    Rule(r"({DECADE})0'?s", lambda m, c: (dt.date(int(m[1]) * 10, 1, 1), dt.date(int(m[1]) * 10 + 9, 12, 31))),
    Rule(r"({HOLIDAY}),? ({YEAR})", lambda m, c: dt.date(int(m[2]), *HOLIDAYS[m[1]])),
    Rule(r"(first|second) half of ({YEAR})", lambda m, c: days.half(m[1], int(m[2]))),
    Rule(r"first ({COUNT}) months of ({YEAR})", lambda m, c: days.first_months(_count(m[1]), int(m[2]))),
    Rule(r"({COUNT}) months to ({MONTH}),? ({YEAR})", lambda m, c: days.months_to(_count(m[1]), int(m[3]), MONTHS[m[2]])),
    Rule(r"q([1-4]) ({YEAR})", lambda m, c: days.quarter(int(m[1]), int(m[2]))),
    Rule(r"({QUARTER}) quarter of ({YEAR})", lambda m, c: days.quarter(QUARTERS.index(m[1]) + 1, int(m[2]))),
    Rule(r"(?:last|final) quarter of ({YEAR})", lambda m, c: days.quarter(4, int(m[1]))),
    Rule(r"(?:fy|fiscal year|fiscal) ?({YEAR})", lambda m, c: int(m[1])),  # the year named; fiscal years differ
    Rule(r"fy ?(\d\d)", lambda m, c: 2000 + int(m[1])),
    Rule(r"({MOVABLE}),? ({YEAR})", lambda m, c: _movable(m[1], int(m[2]))),
    Rule(r"(?P<d1>\d{{1,2}}) (?P<m1>{MONTH}) (?:to|until|-) (?P<d2>\d{{1,2}}) (?P<m2>{MONTH})(?:,? (?P<year>{YEAR}))?",
         _days_to_days),
    Rule(r"(?P<m1>{MONTH}) (?P<d1>\d{{1,2}}) (?:to|until|-) (?P<m2>{MONTH}) (?P<d2>\d{{1,2}})(?:,? (?P<year>{YEAR}))?",
         _days_to_days),
    # Months and days whose year comes from the article.
    Rule(r"(\d{{1,2}})(?:st|nd|rd|th)", lambda m, c: days.nearest_in_month(c.day, int(m[1]), c.future), relative=True),
    Rule(r"(?:(?:{WEEKDAY}),? )?(?P<month>{MONTH}) (?P<day>\d{{1,2}})", _month_day, relative=True),
    Rule(r"(?:(?:{WEEKDAY}),? )?(?P<day>\d{{1,2}}) (?:of )?(?P<month>{MONTH})", _month_day, relative=True),
    Rule(r"{HOLIDAY}", lambda m, c: days.nearest(c.day, *HOLIDAYS[m[0]], c.future), relative=True),
    Rule(r"{MOVABLE}", lambda m, c: days.closest(c.day, [_movable(m[0], c.day.year + k) for k in (-1, 0, 1)], c.future),
         relative=True),
    Rule(r"end of (?:the |this )?month", lambda m, c: days.part_of_month("late", c.day.year, c.day.month), relative=True),
    Rule(r"end of ({MONTH})",
         lambda m, c: days.part_of_month("late", days.month_year(c.day, MONTHS[m[1]], c.future), MONTHS[m[1]]), relative=True),
    Rule(r"(?:(last|this|next) )?({MONTH})", _month, relative=True),
    Rule(r"(early|mid|middle|late)[ -]({MONTH})",
         lambda m, c: days.part_of_month(m[1], days.month_year(c.day, MONTHS[m[2]], c.future), MONTHS[m[2]]), relative=True),
    # Phrases that mean nothing without the article's date.
    Rule(r"weekend", lambda m, c: days.weekend(c.day, "this" if c.future else "last"), relative=True),
    Rule(r"{FIXED}", lambda m, c: FIXED[m[0]](c.day), relative=True),
    Rule(r"(yesterday|today|tomorrow){DAYPART}", lambda m, c: FIXED[m[1]](c.day), relative=True),
    Rule(r"(?:a )?(?:(?:early|late|earlier|later) )?(?:(last|this|next|past|previous|coming|this coming) )?({WEEKDAY}){DAYPART}",
         lambda m, c: days.weekday(c.day, WEEKDAYS[m[2]], WHICH.get(m[1], m[1]) or _ahead(c)), relative=True),
    Rule(r"({COUNT}) ({UNIT})s? (?:ago|earlier|before)", _ago, relative=True),
    Rule(r"(?:past|last|previous) ({COUNT}) (day|week|month|year)s", _past, relative=True),
    Rule(r"({COUNT}) ({UNIT})s?(?:'s|')? time", _later, relative=True),  # "in three days' time"
    Rule(r"({COUNT}) ({UNIT})s? (?:from (?:now|today)|hence)", _later, relative=True),
    Rule(r"(early|mid|middle|late|end of|beginning of|start of)[ -](the|this|last|next) year",
         lambda m, c: days.part_of_year(m[1], c.day.year + SHIFTS[m[2]]), relative=True),
    Rule(r"(first|second) half of (the|this|last|next) year", lambda m, c: days.half(m[1], c.day.year + SHIFTS[m[2]]),
         relative=True),
    Rule(r"first ({COUNT}) months of (the|this|last) year",
         lambda m, c: days.first_months(_count(m[1]), c.day.year + SHIFTS[m[2]]), relative=True),
    Rule(r"({COUNT}) months to ({MONTH})",
         lambda m, c: days.months_to(_count(m[1]), days.month_year(c.day, MONTHS[m[2]], c.future), MONTHS[m[2]]),
         relative=True),
    Rule(r"({QUARTER}) quarter(?: of (the|this|last|next) year)?", _quarter, relative=True),
    Rule(r"year-end|year end|year's end|end-year|end of year", lambda m, c: (c.day.year, 12), relative=True),
    Rule(r"({PART})[ -](?:(last|this|next) )?({SEASON})",
         lambda m, c: days.part_of_season(m[1], days.season(c.day, m[3], m[2] or _ahead(c))), relative=True),
    Rule(r"new year", lambda m, c: c.day.year + (c.day.month >= 10), relative=True),  # late in a year, the coming one
    Rule(r"(?:(last|this|next) )?({SEASON})", lambda m, c: days.season(c.day, m[2], m[1] or _ahead(c)), relative=True),
]


class _Compiled(NamedTuple):
    pattern: re.Pattern[str]
    handler: Handler
    relative: bool


def compile_rules(rules: list[Rule]) -> list[_Compiled]:
    """Each row's pattern with its placeholders filled in, compiled once."""
    return [_Compiled(re.compile(rule.pattern.format(**PLACEHOLDERS)), rule.handler, rule.relative) for rule in rules]


_COMPILED = compile_rules(RULES)


def read(phrase: str, today: Date | None, future: bool = False) -> Resolution | None:
    """What a normalised phrase means by the first row that matches it whole; None if no row
    does (or the one that does cannot say)."""
    context = Context(today, future)
    for rule in _COMPILED:
        if rule.relative and today is None:
            continue
        if m := rule.pattern.fullmatch(phrase):
            return rule.handler(m, context)
    return None
