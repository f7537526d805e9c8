"""Resolving news dates against the article's own date. Pure Python: no Qt, no SQL, no spaCy.

News dates are relative ("on Tuesday", "last month", "two days ago", "earlier this year"); an
analyst building a timeline needs the calendar date they point at. :func:`resolve` turns the text
of a DATE entity into an ISO string: a day ``2024-01-02``, a month ``2024-01``, a year ``2024``, an
interval of days ``2024-01-01/2024-01-31``, or ``unresolved`` where it honestly cannot say
("recent weeks", "the previous day", a bare duration such as "22 months").

Rules for what news means (each one is a row in tests/test_dates.py):
- a weekday or month without "last"/"next" is the most recent one on or before the article's
  date ("Tuesday" in an article of Tuesday 2024-01-02 is that day); a day of a month
  ("March 31", "Christmas Day") is the nearest one, since events are announced days ahead;
- unless the words around it speak of the future ("talks will resume on Monday", "is due to
  report in March", "scheduled for", "would"): then each of these is the first one on or after
  the article's date. The date's own words do not carry tense, so :func:`tense` reads the
  sentence around it (plain word lists, no parser) and :func:`resolve_in` passes it on;
- "last Monday" is strictly before the article's date, "next Monday" strictly after it;
- weeks run Monday to Sunday; "overnight" is the night into the article's date;
- early / mid / late split a year into thirds and a month into thirds.
Forms the rules do not know ("5th of January", "24/02/2022", "a fortnight ago") go to
``dateparser`` with the article's date as its relative base, but only when the text names a
month, has a numeric date or says "ago": elsewhere it reads durations as dates ("two years").
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Callable
from functools import lru_cache
from typing import Any, Union

from annotator.domain import ENTITIES, Span

UNRESOLVED = "unresolved"
FUTURE = "future"  # the tense of the words around a date that points ahead (see :func:`tense`)
DAY, MONTH, YEAR, INTERVAL = "day", "month", "year", "interval"

Date = dt.date
# What a phrase resolves to: a day, a (year, month), a year, or an interval of days.
Resolution = Union[dt.date, tuple[int, int], int, tuple[dt.date, dt.date]]

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
SHIFTS = {"the": 0, "this": 0, "last": -1, "next": 1}
SEASONS = {"spring": (3, 5), "summer": (6, 8), "autumn": (9, 11), "fall": (9, 11), "winter": (12, 2)}
PARTS = {"early": 0, "mid": 1, "middle": 1, "late": 2}
_MONTH = "|".join(sorted(MONTHS, key=len, reverse=True))
_WEEKDAY = "|".join(sorted(WEEKDAYS, key=len, reverse=True))
_COUNT = "|".join(sorted((re.escape(c) for c in COUNTS), key=len, reverse=True)) + r"|\d+"
_YEAR = r"(?:1[5-9]|20)\d\d"
# Times of day after a day ("Tuesday night", "yesterday morning") do not change the day.
_DAYPART = r"(?:\s+(?:morning|afternoon|evening|night|overnight|midday|noon))?"


@lru_cache(maxsize=4096)
def resolve(text: str, article_date: dt.date | None, tense: str | None = None) -> str | None:
    """The date or interval ``text`` refers to, as an ISO string; None for blank text.

    Relative phrases need ``article_date``; without it they are ``unresolved``. ``tense`` is
    :data:`FUTURE` when the sentence speaks of what is to come (:func:`tense` reads it): a bare
    weekday, month, day of a month, weekend, quarter or season is then the first one on or after
    the article's date instead of the most recent (or nearest) one. Cached: news repeats its
    dates ("Tuesday", "last week"), and detection resolves every DATE it finds.
    """
    phrase = _normalise(text)
    if not phrase:
        return None
    future = tense == FUTURE
    try:
        found = _rules(phrase, article_date, future)
        if found is None and _worth_dateparser(phrase, article_date):
            found = _dateparser(phrase, article_date, future)
    except (ValueError, OverflowError):  # a day that does not exist: "February 30"
        return UNRESOLVED
    return _format(found) if found is not None else UNRESOLVED


def article_day(meta_date: object) -> dt.date | None:
    """The article's date from a document's ``date`` meta ("2024-01-02", "2024-01-02T09:30:00Z");
    None if it has none or it is not a day."""
    if not isinstance(meta_date, str):
        return None
    try:
        return dt.date.fromisoformat(meta_date.strip()[:10])
    except ValueError:
        return None


def resolve_in(text: str, start: int, end: int, article_date: dt.date | None) -> str | None:
    """What ``text[start:end]``, a date in an article's ``text``, refers to, read in its sentence
    (so that "the talks will resume on Monday" points ahead)."""
    said = tense(text[max(0, start - _AROUND):start], text[end:end + _AROUND])
    return resolve(text[start:end], article_date, said)


def resolve_span(span: Span, article_date: dt.date | None, text: str = "") -> Span:
    """A DATE entity with its ``resolved`` value computed; any other span as it is.

    Given the article's ``text``, the date is read in its sentence (:func:`resolve_in`);
    without it, from its own words only.
    """
    if span.layer != ENTITIES or span.label != "DATE":
        return span
    if text[span.start:span.end] == span.text:
        return span.with_(resolved=resolve_in(text, span.start, span.end, article_date))
    return span.with_(resolved=resolve(span.text, article_date))


def resolve_resized(span: Span, start: int, end: int, text: str, article_date: dt.date | None) -> str | None:
    """The ``resolved`` value of a span of the article ``text`` once moved to ``text[start:end]``.

    A DATE's date follows its new words ("March" widened to "March 2023"), unless a person typed
    it: a value the resolver does not give for the old words — read in their sentence, or alone
    as before dates were read in sentences — is theirs, and kept. Any other span keeps its value.
    """
    if span.layer != ENTITIES or span.label != "DATE":
        return span.resolved
    automatic = (resolve_in(text, span.start, span.end, article_date), resolve(span.text, article_date))
    return resolve_in(text, start, end, article_date) if span.resolved in automatic else span.resolved


def granularity(value: str | None) -> str | None:
    """``day``, ``month``, ``year`` or ``interval`` for a resolved value; None if unresolved."""
    if value is None or value == UNRESOLVED:
        return None
    if "/" in value:
        return INTERVAL
    return {10: DAY, 7: MONTH, 4: YEAR}.get(len(value))


_VALUE = re.compile(r"\d{4}(-\d{2}(-\d{2})?)?")


def is_valid(value: str | None) -> bool:
    """Whether ``value`` is a well-formed resolution (for the editor and for imported files)."""
    if value is None or value == UNRESOLVED:
        return True
    try:
        parts = value.split("/")
        if len(parts) == 2:
            first, last = (dt.date.fromisoformat(p) for p in parts if len(p) == 10)
            return first <= last
        if len(parts) == 1 and _VALUE.fullmatch(value):
            if len(value) == 10:
                dt.date.fromisoformat(value)
            elif len(value) == 7:
                return 1 <= int(value[5:]) <= 12
            return True
    except ValueError:
        pass
    return False


# -- tense: does the sentence around a date speak of the future? ---------------------------

_AROUND = 200  # characters either side of a date that its sentence is looked for in
# Words that put what follows them in the future: "talks will resume on Monday", "the vote is
# scheduled for March", "the next round, on Friday", "the strike starts on Monday".
_FUTURE_WORDS = frozenset(["won't", "wouldn't", "scheduled", "expected", "expects", "expect", "expecting", "forecast", "planned", "plans", "plan", "planning", "intends", "aims", "upcoming", "forthcoming", "next", "coming", "starts", "begins", "opens", "reopens", "resumes", "returns", "ends", "closes", "expires", "meets", "start", "begin", "reopen", "resume", "expire", "meet"])
# "The law takes effect on Monday", "comes into force in March": said of what is to come.
_FUTURE_PHRASES = (("takes", "effect"), ("take", "effect"), ("comes", "into", "force"), ("come", "into", "force"),
                   ("goes", "into", "effect"), ("go", "into", "effect"))
_BASE_FORMS = frozenset(["start", "begin", "reopen", "resume", "expire", "meet"])  # "to start" is not a cue
_MODALS = frozenset(["will", "shall", "would", "could", "may", "might", "should"])
_BE = frozenset(["is", "are", "am", "was", "were"])
_PAST = "past"  # a cue that the sentence is not about the future: the scan stops there
# Words that anchor what follows them in the past (or in no tense): the scan stops at them.
_PAST_WORDS = frozenset(["was", "were", "had", "did", "been", "said", "says", "told", "tells", "reported", "reports", "announced", "announces", "met", "went", "came", "took", "gave", "made", "held", "began", "saw", "left", "fell", "rose", "hit", "struck", "won", "lost", "sent", "led", "brought", "kept", "spoke", "wrote", "broke", "chose", "drove", "flew", "fought", "found", "got", "grew", "heard", "knew", "paid", "ran", "sat", "sold", "shot", "stood", "thought", "threw", "understood", "ago", "since", "earlier", "last"])
_NOT_VERBS = frozenset(["need", "indeed", "hundred", "united", "speed", "feed", "seed", "breed", "proceed", "exceed", "succeed", "armed", "based", "red", "bed", "shed"])
_OPENERS = frozenset(["on", "in", "at", "by", "during", "from", "and", "but", "then", "as", "of", "for", "the", "early", "late", "until", "till"])
_WORD = re.compile(r"[A-Za-z]+(?:'[A-Za-z]+)?")
_SENTENCE_END = re.compile(r"(?:[.!?][\"”’)]*\s+(?=[\"“‘(]?[A-Z0-9])|[;\n])")


def tense(before: str, after: str = "") -> str | None:
    """:data:`FUTURE` if the sentence around a date speaks of what is to come, else None.

    ``before`` and ``after`` are the article's text just before and after the date. The nearest
    cue before the date in its sentence decides: a word of the future ("will", "would", "is to",
    "is due", "to be held", "scheduled", "expected", "next", "starts"…) makes it future; a verb
    in the past ("was", "said", any "-ed" word but "is expected"-like cues, "met", "took"…)
    or "ago"/"since" makes it not. A date that opens its sentence ("On Monday, the talks will
    resume") is read by the first cue of the words after it. Plain word lists, no parser: a
    sentence without a cue keeps the rules' default.
    """
    head = _words(_SENTENCE_END.split(before)[-1])
    cues = (_cue(head, i) for i in range(len(head) - 1, -1, -1))
    if all(word in _OPENERS for word in head):  # the date opens its sentence: the words after it
        tail = _words(_SENTENCE_END.split(after, maxsplit=1)[0])[:8]
        cues = (_cue(tail, i) for i in range(len(tail)))
    nearest = next((cue for cue in cues if cue is not None), None)
    return FUTURE if nearest == FUTURE else None


def _words(text: str) -> list[str]:
    """The words of a sentence in lower case; but "May" and "Will" written with a capital are a
    month and a name ("the May elections"), not a modal verb: they are kept as written."""
    return [w if w in ("May", "Will") else w.lower() for w in _WORD.findall(text.replace("’", "'"))]


def _cue(words: list[str], i: int) -> str | None:
    """What ``words[i]`` says of the tense: FUTURE, _PAST (stop looking) or None (nothing)."""
    word, previous = words[i], words[i - 1] if i else ""
    following = words[i + 1] if i + 1 < len(words) else ""
    if word in ("to", "due", "set") and previous in _BE:  # "is to", "was to", "is due", "is set for"
        return FUTURE
    if any(tuple(words[i + 1 - len(p):i + 1]) == p for p in _FUTURE_PHRASES if i + 1 >= len(p)):
        return FUTURE
    if word in _MODALS:  # "could resume on Monday"; "may have begun on Monday" is past
        return _PAST if following == "have" else FUTURE
    if previous == "be" and (word.endswith("ed") or word in _PAST_WORDS):  # "to be held", "will be published"
        return FUTURE if i >= 2 and words[i - 2] == "to" else None
    if word in _BE and following in ("to", "due", "set", "scheduled", "expected", "planned", "supposed"):
        return None  # forwards: "was to", "is due" are read at their second word
    if word == "next" and following in ("day", "morning", "afternoon", "evening", "night", "to"):
        return None  # "the next day, on Tuesday, troops withdrew": a story told in order
    if word in _FUTURE_WORDS:
        return None if word in _BASE_FORMS and previous in ("to", "the", "a") else FUTURE
    if word.endswith("ing") and len(word) > 5 and previous in _BE:  # "is meeting", "was meeting"
        return FUTURE if previous in ("is", "are", "am") else _PAST
    if word.endswith("'ll"):
        return FUTURE
    if word in _PAST_WORDS or (word.endswith("ed") and len(word) > 4 and word not in _NOT_VERBS):
        return _PAST
    return None


_SPACES = re.compile(r"\s+")
_ABBREVIATION_STOP = re.compile(r"\b(jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec)\.")
_DAY_SUFFIX = re.compile(r"\b(\d{1,2})(st|nd|rd|th)\b")
_LEADING = re.compile(r"^(?:(?:on|in|at|by|during|as of|until|till|through|throughout|of) )?(?:the )?")


def _normalise(text: str) -> str:
    """Lower case, plain quotes and dashes, single spaces, no leading "on"/"the", no end stop."""
    s = text.lower().replace("’", "'").replace("–", "-").replace("—", "-")
    s = _SPACES.sub(" ", s).strip().rstrip(".,;:!?)").lstrip("(")
    s = s.removesuffix("'s")  # "Monday's attack"
    s = _ABBREVIATION_STOP.sub(r"\1", s)
    s = _DAY_SUFFIX.sub(r"\1", s)
    return _LEADING.sub("", s, count=1)


def _format(found: Resolution) -> str:
    if isinstance(found, dt.date):
        return found.isoformat()
    if isinstance(found, int):
        return f"{found:04d}"
    first, second = found
    if isinstance(first, dt.date):
        assert isinstance(second, dt.date)
        return f"{first.isoformat()}/{second.isoformat()}"
    return f"{first:04d}-{second:02d}"


def _rules(s: str, today: Date | None, future: bool = False) -> Resolution | None:
    """The phrases news writes every day; None if none fits. ``future``: see :func:`resolve`."""
    if (m := re.fullmatch(r"since (.+)", s)) or (m := re.fullmatch(r"from (.+?) (?:to|until) (?:now|today|date)", s)):
        start = _rules(m.group(1), today)
        if start is None or today is None:
            return None
        first = _interval(start)[0]
        return (first, today) if first <= today else None
    absolute = _absolute(s, today, future)
    if absolute is not None:
        return absolute
    if today is None:
        return None
    return _relative(s, today, future)


def _absolute(s: str, today: Date | None, future: bool = False) -> Resolution | None:
    """Dates that say their year, and months or days whose year comes from the article."""
    if m := re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", s):
        return dt.date(int(m[1]), int(m[2]), int(m[3]))
    if m := re.fullmatch(_YEAR, s):
        return int(s)
    if m := re.fullmatch(rf"(?:(?:{_WEEKDAY}),? )?({_MONTH}) (\d{{1,2}}),? ({_YEAR})", s):
        return dt.date(int(m[3]), MONTHS[m[1]], int(m[2]))
    if m := re.fullmatch(rf"(?:(?:{_WEEKDAY}),? )?(\d{{1,2}}) (?:of )?({_MONTH}),? ({_YEAR})", s):
        return dt.date(int(m[3]), MONTHS[m[2]], int(m[1]))
    if m := re.fullmatch(rf"({_MONTH}),? ({_YEAR})", s):
        return (int(m[2]), MONTHS[m[1]])
    if m := re.fullmatch(rf"({_YEAR}) ?(?:-|to|and) ?({_YEAR}|\d\d)", s) or \
            re.fullmatch(rf"(?:between|from) ({_YEAR}) (?:and|to|until) ({_YEAR})", s):
        first, last = int(m[1]), int(m[2]) if len(m[2]) == 4 else int(m[1][:2] + m[2])
        return (dt.date(first, 1, 1), dt.date(last, 12, 31)) if first < last else None
    if m := re.fullmatch(rf"(?:(early|mid|middle|late|end of|beginning of|start of)[ -])({_YEAR})", s):
        return _part_of_year(m[1], int(m[2]))
    if m := re.fullmatch(rf"(early|mid|middle|late)[ -]({_MONTH}),? ({_YEAR})", s):
        return _part_of_month(m[1], int(m[3]), MONTHS[m[2]])
    if m := re.fullmatch(rf"({_YEAR[:-4]}\d)0'?s", s):
        decade = int(m[1]) * 10
        return (dt.date(decade, 1, 1), dt.date(decade + 9, 12, 31))
    if m := re.fullmatch(rf"({'|'.join(HOLIDAYS)}),? ({_YEAR})", s):
        return dt.date(int(m[2]), *HOLIDAYS[m[1]])
    if m := re.fullmatch(rf"(first|second) half of ({_YEAR})", s):
        return _half(m[1], int(m[2]))
    if m := re.fullmatch(rf"first ({_COUNT}) months of ({_YEAR})", s):
        return _first_months(m[1], int(m[2]))
    if m := re.fullmatch(rf"({_COUNT}) months to ({_MONTH}),? ({_YEAR})", s):
        return _months_to(m[1], int(m[3]), MONTHS[m[2]])
    if m := re.fullmatch(rf"(?:q([1-4])|(first|second|third|fourth) quarter of) ({_YEAR})", s):
        quarter = int(m[1]) if m[1] else ("first", "second", "third", "fourth").index(m[2]) + 1
        return (dt.date(int(m[3]), 3 * quarter - 2, 1), _month_end(int(m[3]), 3 * quarter))
    if today is None:
        return None
    # A day of a month: the nearest one (announced events are often days ahead: "the election
    # on March 31"; a day long past would be written with its year), in the future the next one.
    # A month alone: below.
    if m := re.fullmatch(rf"(?:(?:{_WEEKDAY}),? )?({_MONTH}) (\d{{1,2}})", s) or \
            re.fullmatch(rf"(?:(?:{_WEEKDAY}),? )?(\d{{1,2}}) (?:of )?({_MONTH})", s):
        month, day = (MONTHS[m[1]], int(m[2])) if m[1] in MONTHS else (MONTHS[m[2]], int(m[1]))
        return _nearest(today, month, day, future)
    if s in HOLIDAYS:
        return _nearest(today, *HOLIDAYS[s], future)
    if m := re.fullmatch(rf"(?:(last|this|next) )?({_MONTH})", s):
        month = MONTHS[m[2]]
        if m[1] == "next":
            return (today.year + (month <= today.month), month)
        if m[1] == "this":
            return (today.year, month)
        if future and m[1] is None:
            return (_month_year(today, month, future), month)
        past = today.year if month < today.month or (month == today.month and m[1] != "last") else today.year - 1
        return (past, month)
    if m := re.fullmatch(rf"(early|mid|middle|late)[ -]({_MONTH})", s):
        month = MONTHS[m[2]]
        return _part_of_month(m[1], _month_year(today, month, future), month)
    return None


_DAY = dt.timedelta(days=1)
# Phrases that name one stretch of time relative to the article's date.
FIXED: dict[str, Callable[[Date], Resolution]] = {
    "today": lambda t: t, "tonight": lambda t: t, "this morning": lambda t: t, "this afternoon": lambda t: t,
    "this evening": lambda t: t, "earlier today": lambda t: t, "later today": lambda t: t, "now": lambda t: t,
    "yesterday": lambda t: t - _DAY, "last night": lambda t: t - _DAY,
    "day before yesterday": lambda t: t - 2 * _DAY, "tomorrow": lambda t: t + _DAY,
    "overnight": lambda t: (t - _DAY, t), "past 24 hours": lambda t: (t - _DAY, t),
    "last 24 hours": lambda t: (t - _DAY, t), "past 48 hours": lambda t: (t - 2 * _DAY, t),
    "this week": lambda t: _week(t), "last week": lambda t: _week(t - 7 * _DAY),
    "past week": lambda t: (t - 7 * _DAY, t), "next week": lambda t: _week(t + 7 * _DAY),
    "earlier this week": lambda t: (_week(t)[0], t),
    "this month": lambda t: (t.year, t.month), "last month": lambda t: _month_shift(t, -1),
    "next month": lambda t: _month_shift(t, 1), "past month": lambda t: (t - 30 * _DAY, t),
    "earlier this month": lambda t: (t.replace(day=1), t),
    "later this month": lambda t: (t, _month_end(t.year, t.month)),
    "this year": lambda t: t.year, "last year": lambda t: t.year - 1, "next year": lambda t: t.year + 1,
    "past year": lambda t: (t - 365 * _DAY, t), "earlier this year": lambda t: (dt.date(t.year, 1, 1), t),
    "later this year": lambda t: (t, dt.date(t.year, 12, 31)), "year before": lambda t: t.year - 1,
    "weekend": lambda t: _weekend(t, "last"), "this weekend": lambda t: _weekend(t, "this"),
    "last weekend": lambda t: _weekend(t, "last"), "past weekend": lambda t: _weekend(t, "last"),
    "next weekend": lambda t: _weekend(t, "next"),
}
_DAY_WORD = re.compile(rf"(yesterday|today|tomorrow){_DAYPART}")


def _relative(s: str, today: Date, future: bool = False) -> Resolution | None:
    """Phrases that mean nothing without the article's date."""
    day = _DAY
    if s == "weekend" and future:  # "weaken by the weekend": the one of the article's week
        return _weekend(today, "this")
    if s in FIXED:
        return FIXED[s](today)
    if m := _DAY_WORD.fullmatch(s):
        return FIXED[m[1]](today)
    if m := re.fullmatch(rf"(?:a )?(?:(?:early|late|earlier|later) )?(?:(last|this|next|past|previous|coming) )?({_WEEKDAY}){_DAYPART}", s):
        return _weekday(today, WEEKDAYS[m[2]], m[1] or ("ahead" if future else None))
    if m := re.fullmatch(rf"({_COUNT}) (day|week|month|year)s? (?:ago|earlier|before)", s):
        n = _count(m[1])
        if m[2] == "day":
            return today - n * day
        if m[2] == "week":
            return today - 7 * n * day
        if m[2] == "month":
            return _month_shift(today, -n)
        return today.year - n
    if m := re.fullmatch(rf"(?:past|last|previous) ({_COUNT}) (day|week|month|year)s", s):
        n = _count(m[1])
        back = {"day": day, "week": 7 * day}.get(m[2])
        if back is not None:
            return (today - n * back, today)
        first = _month_shift(today, -n * (12 if m[2] == "year" else 1))
        return (dt.date(first[0], first[1], min(today.day, calendar.monthrange(*first)[1])), today)
    if m := re.fullmatch(r"(early|mid|middle|late|end of|beginning of|start of)[ -](?:the|this|last|next) year", s):
        shift = {"the": 0, "this": 0, "last": -1, "next": 1}[s.split()[-2]]
        return _part_of_year(m[1], today.year + shift)
    if m := re.fullmatch(r"(first|second) half of (the|this|last|next) year", s):
        return _half(m[1], today.year + SHIFTS[m[2]])
    if m := re.fullmatch(rf"first ({_COUNT}) months of (the|this|last) year", s):
        return _first_months(m[1], today.year + SHIFTS[m[2]])
    if m := re.fullmatch(rf"({_COUNT}) months to ({_MONTH})", s):
        month = MONTHS[m[2]]
        return _months_to(m[1], _month_year(today, month, future), month)
    if m := re.fullmatch(r"(first|second|third|fourth) quarter(?: of (the|this|last|next) year)?", s):
        quarter = ("first", "second", "third", "fourth").index(m[1]) + 1
        if m[2]:
            year = today.year + SHIFTS[m[2]]
        elif future:  # the first such quarter that has not ended
            year = today.year if 3 * quarter >= today.month else today.year + 1
        else:  # the most recent such quarter that has begun
            year = today.year if 3 * quarter - 2 <= today.month else today.year - 1
        return (dt.date(year, 3 * quarter - 2, 1), _month_end(year, 3 * quarter))
    if s == "new year":  # late in a year, the coming one
        return today.year + (today.month >= 10)
    if m := re.fullmatch(r"(?:(last|this|next) )?(spring|summer|autumn|fall|winter)", s):
        return _season(today, m[2], m[1] or ("ahead" if future else None))
    return None


def _month_year(today: Date, month: int, future: bool) -> int:
    """The year of a month named alone: the most recent one begun, or in the future the first
    one not over."""
    if future:
        return today.year if month >= today.month else today.year + 1
    return today.year if month <= today.month else today.year - 1


def _nearest(today: Date, month: int, day: int, future: bool = False) -> Date:
    """The day of that month nearest the article's date, the earlier one on a tie; in the
    future, the first one on or after the article's date."""
    years = range(today.year - 1, today.year + (5 if future else 2))  # February 29 comes every 4 years
    candidates = [dt.date(year, month, day) for year in years if (month, day) != (2, 29) or calendar.isleap(year)]
    if future:
        candidates = [d for d in candidates if d >= today]
    if not candidates:
        raise ValueError("no such day")
    return min(candidates, key=lambda d: (abs((d - today).days), d))


def _count(word: str) -> int:
    return COUNTS.get(word) or int(word)


def _half(which: str, year: int) -> tuple[Date, Date]:
    return (dt.date(year, 1, 1), dt.date(year, 6, 30)) if which == "first" else (dt.date(year, 7, 1), dt.date(year, 12, 31))


def _first_months(count: str, year: int) -> tuple[Date, Date]:
    months = _count(count)
    if not 1 <= months <= 12:
        raise ValueError("not a number of months of a year")
    return (dt.date(year, 1, 1), _month_end(year, months))


def _months_to(count: str, year: int, month: int) -> tuple[Date, Date]:
    """"The three months to June": the months ending with that one."""
    first = _month_shift(dt.date(year, month, 1), 1 - _count(count))
    return (dt.date(first[0], first[1], 1), _month_end(year, month))


def _week(day: Date) -> tuple[Date, Date]:
    monday = day - dt.timedelta(days=day.weekday())
    return (monday, monday + dt.timedelta(days=6))


def _weekend(today: Date, which: str) -> tuple[Date, Date]:
    """Saturday and Sunday: of the article's week ("this"), the one before it or the one after."""
    saturday = _week(today)[0] + dt.timedelta(days=5)
    if which == "last" and today.weekday() < 5:
        saturday -= dt.timedelta(days=7)
    elif which == "next":
        saturday += dt.timedelta(days=7)
    return (saturday, saturday + dt.timedelta(days=1))


def _weekday(today: Date, weekday: int, which: str | None) -> Date:
    back = (today.weekday() - weekday) % 7
    if which in ("last", "past", "previous"):
        return today - dt.timedelta(days=back or 7)
    if which in ("next", "coming"):
        return today + dt.timedelta(days=(weekday - today.weekday()) % 7 or 7)
    if which == "this":
        return _week(today)[0] + dt.timedelta(days=weekday)
    if which == "ahead":  # in the future: on or after the article's date
        return today + dt.timedelta(days=(weekday - today.weekday()) % 7)
    return today - dt.timedelta(days=back)


def _month_shift(day: Date, months: int) -> tuple[int, int]:
    index = day.year * 12 + day.month - 1 + months
    return (index // 12, index % 12 + 1)


def _month_end(year: int, month: int) -> Date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def _part_of_year(part: str, year: int) -> Resolution:
    if part in ("end of",):
        return (year, 12)
    if part in ("beginning of", "start of"):
        return (year, 1)
    third = PARTS[part]
    return (dt.date(year, 4 * third + 1, 1), _month_end(year, 4 * third + 4))


def _part_of_month(part: str, year: int, month: int) -> tuple[Date, Date]:
    third = PARTS[part]
    last = _month_end(year, month) if third == 2 else dt.date(year, month, 10 * third + 10)
    return (dt.date(year, month, 10 * third + 1), last)


def _season(today: Date, season: str, which: str | None) -> tuple[Date, Date]:
    """Northern seasons. Bare: the most recent one that has begun; "last": the most recent one
    that has ended; "this": the one of the article's year; "next": the first still to begin;
    "ahead" (bare, in the future): the first not yet over."""
    first, last = SEASONS[season]

    def of(year: int) -> tuple[Date, Date]:
        return (dt.date(year, first, 1), _month_end(year + (last < first), last))

    years = range(today.year - 2, today.year + 2)
    if which == "last":
        return max((of(y) for y in years if of(y)[1] < today), key=lambda s: s[0])
    if which == "next":
        return min((of(y) for y in years if of(y)[0] > today), key=lambda s: s[0])
    if which == "ahead":
        return min((of(y) for y in years if of(y)[1] >= today), key=lambda s: s[0])
    if which == "this":
        return of(today.year - 1 if last < first and today.month <= last else today.year)
    return max((of(y) for y in years if of(y)[0] <= today), key=lambda s: s[0])


def _interval(found: Resolution) -> tuple[Date, Date]:
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
    return (dt.date(first, second, 1), _month_end(first, second))


_NUMERIC_DATE = re.compile(r"\d{1,4}[/.]\d{1,2}[/.]\d{2,4}")


def _worth_dateparser(s: str, today: Date | None) -> bool:
    """Only text that names a month, writes a date in digits or says "ago" goes to dateparser;
    without the article's date, only text that also says its year."""
    dated = re.search(rf"\b(?:{_MONTH})\b", s) or _NUMERIC_DATE.search(s)
    if today is None:
        return bool(dated and re.search(_YEAR, s))
    return bool(dated or s.endswith(" ago"))


@lru_cache(maxsize=32)
def _parser(today: Date | None, future: bool = False) -> Any:
    """A dateparser reader with the article's date as its relative base (built once per date)."""
    from dateparser.date import DateDataParser  # loads its language data: only when needed

    settings: dict[str, Any] = {"PREFER_DATES_FROM": "future" if future else "past", "RETURN_TIME_AS_PERIOD": True}
    if today is None:
        settings["REQUIRE_PARTS"] = ["year"]
    else:
        settings["RELATIVE_BASE"] = dt.datetime.combine(today, dt.time())
    return DateDataParser(languages=["en"], settings=settings)


def _dateparser(s: str, today: Date | None, future: bool = False) -> Resolution | None:
    data = _parser(today, future).get_date_data(s)
    found, period = data.date_obj, data.period
    if found is None:
        return None
    day = found.date()
    if period == "year":
        return day.year
    if period == "month":
        return (day.year, day.month)
    if period == "week":
        return _week(day)
    return day
