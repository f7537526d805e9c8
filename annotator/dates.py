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

import datetime as dt
import re
from functools import lru_cache
from typing import Any

from annotator import date_rules, days
from annotator.date_rules import PLACEHOLDERS
from annotator.days import Date, Resolution
from annotator.domain import DATE, ENTITIES, Span

UNRESOLVED = "unresolved"
FUTURE = "future"  # the tense of the words around a date that points ahead (see :func:`tense`)
DAY, MONTH, YEAR, INTERVAL = "day", "month", "year", "interval"

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
    if span.layer != ENTITIES or span.label != DATE:
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
    if span.layer != ENTITIES or span.label != DATE:
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
_FUTURE_WORDS = frozenset([
    "won't", "wouldn't", "scheduled", "expected", "expects", "expect", "expecting", "forecast", "planned",
    "plans", "plan", "planning", "intends", "aims", "upcoming", "forthcoming", "next", "coming", "starts",
    "begins", "opens", "reopens", "resumes", "returns", "ends", "closes", "expires", "meets", "start", "begin",
    "reopen", "resume", "expire", "meet"
])
# "The law takes effect on Monday", "comes into force in March": said of what is to come.
_FUTURE_PHRASES = (("takes", "effect"), ("take", "effect"), ("comes", "into", "force"), ("come", "into", "force"),
                   ("goes", "into", "effect"), ("go", "into", "effect"))
_BASE_FORMS = frozenset(["start", "begin", "reopen", "resume", "expire", "meet"])  # "to start" is not a cue
_MODALS = frozenset(["will", "shall", "would", "could", "may", "might", "should"])
_BE = frozenset(["is", "are", "am", "was", "were"])
_PAST = "past"  # a cue that the sentence is not about the future: the scan stops there
# Words that anchor what follows them in the past (or in no tense): the scan stops at them.
_PAST_WORDS = frozenset([
    "was", "were", "had", "did", "been", "said", "says", "told", "tells", "reported", "reports", "announced",
    "announces", "met", "went", "came", "took", "gave", "made", "held", "began", "saw", "left", "fell", "rose",
    "hit", "struck", "won", "lost", "sent", "led", "brought", "kept", "spoke", "wrote", "broke", "chose", "drove",
    "flew", "fought", "found", "got", "grew", "heard", "knew", "paid", "ran", "sat", "sold", "shot", "stood",
    "thought", "threw", "understood", "ago", "since", "earlier", "last"
])
_NOT_VERBS = frozenset([
    "need", "indeed", "hundred", "united", "speed", "feed", "seed", "breed", "proceed", "exceed", "succeed",
    "armed", "based", "red", "bed", "shed"
])
_OPENERS = frozenset([
    "on", "in", "at", "by", "during", "from", "and", "but", "then", "as", "of", "for", "the", "early", "late",
    "until", "till"
])
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
    # "stays in force until Friday": what lasts until a day looks ahead to it, unless said in the past.
    until = bool(head) and head[-1] in ("until", "till")
    return FUTURE if nearest == FUTURE or (nearest is None and until) else None


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
    """Lower case, plain quotes and dashes, single spaces, no leading "on"/"the", no end stop;
    "5th" read as "5" beside a month, but a day of the month alone keeps its ending ("the 29th")."""
    s = text.lower().replace("’", "'").replace("–", "-").replace("—", "-")
    s = _SPACES.sub(" ", s).strip().rstrip(".,;:!?)").lstrip("(")
    s = s.removesuffix("'s")  # "Monday's attack"
    s = _ABBREVIATION_STOP.sub(r"\1", s)
    s = _LEADING.sub("", s, count=1)
    return s if _DAY_SUFFIX.fullmatch(s) else _DAY_SUFFIX.sub(r"\1", s)


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
    """The phrases news writes every day (the rows of :data:`annotator.date_rules.RULES`); None
    if none fits. ``future``: see :func:`resolve`."""
    return date_rules.read(s, today, future)


_NUMERIC_DATE = re.compile(r"\d{1,4}[/.]\d{1,2}[/.]\d{2,4}")


def _worth_dateparser(s: str, today: Date | None) -> bool:
    """Only text that names a month, writes a date in digits or says "ago" goes to dateparser;
    without the article's date, only text that also says its year."""
    dated = re.search(rf"\b(?:{PLACEHOLDERS['MONTH']})\b", s) or _NUMERIC_DATE.search(s)
    if today is None:
        return bool(dated and re.search(PLACEHOLDERS["YEAR"], s))
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
    day: Date = found.date()  # dateparser is untyped: a datetime
    if period == "year":
        return day.year
    if period == "month":
        return (day.year, day.month)
    if period == "week":
        return days.week(day)
    return day
