"""The number grammar as data: word lists, and tables of forms with what each is worth.

A linguist extends it here, beside the word lists: a one-token form is a row of
:data:`TOKEN_FORMS` (a regular expression the whole token matches, and its value), a fixed run of
words a row of :data:`WORD_FORMS` (the words allowed at each place, and the value), the words
after a number that give its kind a row of :data:`FOLLOWERS`, and the words that make a number a
name or a code rows of the ``*_BEFORE`` / ``*_AFTER`` lists. Each table is compiled once by
:mod:`annotator.detect.numbers`; within a table the first row that matches decides. Number words
built from parts ("two hundred and fifty", "2.4 million") are read by the word lists themselves.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import NamedTuple

from annotator.domain import NumberKind

UNITS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
}
TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90}
# South Asian scales: a lakh is 100,000 and a crore 10,000,000 ("1.2 lakh people", "Rs 500 crore").
SCALES = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12,
          "lakh": 1e5, "lakhs": 1e5, "crore": 1e7, "crores": 1e7}
SHORT_SCALES = {"k": 1e3, "m": 1e6, "mn": 1e6, "bn": 1e9, "b": 1e9, "tn": 1e12}
ORDINALS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8,
    "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13, "fourteenth": 14,
    "fifteenth": 15, "sixteenth": 16, "seventeenth": 17, "eighteenth": 18, "nineteenth": 19,
    "twentieth": 20, "thirtieth": 30, "fortieth": 40, "fiftieth": 50, "sixtieth": 60,
    "seventieth": 70, "eightieth": 80, "ninetieth": 90, "hundredth": 100, "thousandth": 1000,
    "millionth": 1e6,
}
# "thousands", "tens of thousands": kept, approximate, with the lower bound as value.
TIMES = {"twice": 2.0, "thrice": 3.0}  # "scored twice"; not "once", mostly "once the war ends"
VAGUE = {"dozens": 12, "scores": 20, "hundreds": 100, "thousands": 1e3, "millions": 1e6, "billions": 1e9,
         "lakhs": 1e5, "crores": 1e7}
# Thousands grouped by a space, a no-break space, a thin space or a narrow no-break space:
# "38 000", "1 250 000" (French, Ukrainian, Russian and many European outlets).
GROUP_SEPARATORS = {" ", "\u00a0", "\u2009", "\u202f"}
# Unicode vulgar fractions, alone or after a whole number: "½ of the budget", "1½ hours".
VULGAR_FRACTIONS = {"¼": (1, 4), "½": (1, 2), "¾": (3, 4), "⅐": (1, 7), "⅑": (1, 9), "⅒": (1, 10), "⅓": (1, 3),
                    "⅔": (2, 3), "⅕": (1, 5), "⅖": (2, 5), "⅗": (3, 5), "⅘": (4, 5), "⅙": (1, 6), "⅚": (5, 6),
                    "⅛": (1, 8), "⅜": (3, 8), "⅝": (5, 8), "⅞": (7, 8)}
# A number right after one of these is a label, not a count: "No. 10", "platform 9", "gate 14",
# "route 73" (capitalised, "Route 66" and "Number 10" are names: see MAKERS).
NUMBER_LABELS = {"number", "platform", "gate", "route", "tram", "apartment", "apt", "room", "suite",
                 "junction", "pier", "terminal", "highway"}
# A number before capitalised words ending in one of these is an address: "10 Downing Street",
# "221 Baker Street", "1600 Pennsylvania Avenue".
STREET_WORDS = {"street", "st", "st.", "road", "rd", "rd.", "avenue", "ave", "ave.", "lane", "boulevard", "blvd",
                "square", "drive", "place", "terrace", "crescent", "embankment", "prospekt", "highway", "way"}
CURRENCY_SYMBOLS = {"$", "€", "£", "¥", "₴", "₽", "US$"}
CURRENCY_WORDS = {"dollar", "dollars", "euro", "euros", "pound", "pounds", "hryvnia", "hryvnias", "pence",
                  "cents", "rupees", "rupee", "lira", "francs", "shekels", "pesos", "dinars", "riyals", "zlotys",
                  "rouble", "roubles", "ruble", "rubles", "yuan", "yen", "usd", "eur", "gbp", "uah", "rub"}
PERCENT_WORDS = {"%", "percent", "per cent", "pct", "pc"}
DURATION_UNITS = {"second", "seconds", "minute", "minutes", "hour", "hours", "day", "days", "week",
                  "weeks", "month", "months", "year", "years", "decade", "decades", "century", "centuries"}
QUANTITY_UNITS = {"km", "kilometres", "kilometers", "kilometre", "kilometer", "mile", "miles", "m",
                  "metres", "meters", "metre", "meter", "kg", "kilograms", "kilogram", "tonnes", "tons",
                  "tonne", "ton", "litres", "liters", "barrels", "hectares", "acres", "mw", "gw", "kw",
                  "square", "sq", "cm", "mm", "feet", "foot", "lb", "lbs", "pounds-weight", "degrees",
                  "degree", "celsius", "fahrenheit", "°c", "°f", "kmh", "mph", "knots", "calibre", "caliber"}
# Units written glued to the number: "155mm shells", "a 40km front", "30C". A glued "m" is a
# million ("1.3m people", "£300m"), as in news it almost always is.
GLUED_UNITS = {"mm", "cm", "km", "km/h", "kg", "g", "mw", "gw", "kw", "kwh", "mph", "kmh", "ft", "lb", "lbs", "c", "f"}
GLUED_LOWER_ONLY = {"g"}  # glued only in lower case: "200g" is grams, "5G" a network
# A glued "m" before these is metres, not million: "the 100m world record", "the 400m final".
METRE_CONTEXT = {"world", "record", "race", "sprint", "final", "finals", "freestyle", "butterfly", "backstroke",
                 "breaststroke", "medley", "hurdles", "relay", "dash", "title", "heat", "heats", "semi-final",
                 "semifinal", "champion", "gold", "silver", "bronze", "event"}
# Hyphenated modifiers a number word may take ("a five-year-old", "a three-storey house"); a
# number word before any other ("one-off", "two-way", "one-sided") is an adjective, not an amount.
HYPHEN_UNITS = {"second", "minute", "hour", "day", "week", "month", "year", "decade", "century",
                "storey", "story", "floor", "member", "page", "point", "seat", "bed", "mile", "metre",
                "meter", "kilometre", "kilometer", "nation", "country", "vehicle", "lane", "inch",
                "foot", "ton", "tonne", "game", "match", "man", "person", "strong"}
# Parts: "a quarter of them", "two-thirds", "half of the residents".
FRACTIONS = {"half": 2, "halves": 2, "third": 3, "thirds": 3, "quarter": 4, "quarters": 4, "fifth": 5,
             "fifths": 5, "sixth": 6, "sixths": 6, "eighth": 8, "eighths": 8, "tenth": 10, "tenths": 10}
SIGN_WORDS = {"minus", "negative"}
# A number right before these is a clock time ("3 a.m.", "0300 GMT"): a TIME, not an amount.
TIME_WORDS = {"a.m.", "p.m.", "a.m", "p.m", "am", "pm", "gmt", "utc", "cet", "bst", "o'clock", "hrs"}
# A number right after one of these (or after a capitalised word that follows one) is part of a
# model's or a thing's name: "Boeing 737", "Leopard 2 tanks", "Flight 370", "Nord Stream 2",
# "S&P 500".
MAKERS = {"boeing", "airbus", "embraer", "bombardier", "cessna", "antonov", "ilyushin", "tupolev",
          "sukhoi", "lockheed", "leopard", "challenger", "abrams", "patriot", "iskander", "kalibr",
          "kinzhal", "shahed", "geran", "lancet", "bayraktar", "tochka", "tornado", "mirage", "rafale",
          "gripen", "falcon", "soyuz", "apollo", "artemis", "voyager", "iphone", "galaxy", "pixel",
          "windows", "flight", "route", "highway", "interstate", "gate", "terminal", "platform",
          "reactor", "unit", "stream", "minsk", "covid", "mk", "mark", "model", "type", "version",
          "episode", "volume", "vol", "no", "nos", "number", "room", "block", "chapter", "article",
          "section", "resolution", "paragraph", "clause", "protocol", "level", "phase", "stage",
          "season", "category", "s&p", "ftse", "nikkei", "dax", "cac", "stoxx", "fortune", "russell"}
HEDGES = {"about", "around", "approximately", "roughly", "nearly", "almost", "some", "over",
          "more than", "less than", "at least", "up to", "fewer than", "estimated", "an estimated"}
MONTHS = {"january", "february", "march", "april", "may", "june", "july", "august", "september",
          "october", "november", "december", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep",
          "sept", "oct", "nov", "dec"}
# Words that make the model's DATE or TIME entity a date: without one ("Between 30 and 40",
# tagged DATE), its numbers are counts.
CALENDAR_WORDS = MONTHS | DURATION_UNITS | TIME_WORDS | {
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "today", "yesterday", "tomorrow",
    "tonight", "night", "morning", "afternoon", "evening", "noon", "midday", "midnight", "dawn", "dusk", "ago",
    "weekend", "season", "seasons", "quarter", "spring", "summer", "autumn", "winter", "fall", "year-old", "old",
    "next", "last", "past", "since", "early", "mid", "late", "end", "fiscal", "fy"}
# A year after these is a date ("in 2022"), and so is one after "the" that names an event ("the 2022 final").
YEAR_CUES = {"in", "since", "of", "from", "until", "by", "during", "mid", "early", "late", "before", "after", "the"}
# Words between a number and the noun it counts that are not that noun.
MODIFIERS = {"loud", "heavy", "large", "small", "new", "old", "other", "more", "big", "major", "minor",
             "key", "main", "total", "killed", "wounded", "injured", "dead", "armed", "unmanned",
             "civilian", "enemy", "additional", "further", "separate", "different", "young",
             "ballistic", "cruise", "guided", "attack", "combat", "front", "frontline", "local", "foreign",
             "straight", "successive", "prime", "full", "whole", "last", "next", "same"}
ADJECTIVE_ENDINGS = ("al", "ic", "ive", "ary", "ern", "ous", "ful", "less", "ian", "ish")
NOT_COUNTED = {"them", "those", "these", "it", "us", "they", "we", "you", "all", "whom",
               "of", "the", "a", "an", "and", "or", "than", "to", "in", "on", "at", "for", "by",
               "with", "from", "into", "over", "per", "each", "who", "which", "that", "were", "was",
               "is", "are", "had", "have", "has", "be", "been", "will", "would", "could", "said",
               # common irregular verbs: "the 47th Brigade held", "3 people fled" ends the phrase
               "held", "left", "hit", "shot", "struck", "fell", "fled", "came", "went", "took", "made",
               "lost", "won", "fought", "met", "sent", "kept", "stood", "told", "became", "began", "gave"}
POSSESSIVES = {"its", "their", "his", "her", "our", "my", "your"}
# Entities whose numbers are part of a name: "Article 51", "World War 2", "Route 66", "Boeing 737".
NAME_ENTITIES = {"LAW", "PRODUCT", "WORK_OF_ART", "FAC", "EVENT"}
# Capitalised words that may be what a number counts when no plain noun follows:
# "6 million Ukrainians", "the 47th Mechanized Brigade" (not "3 Monday", "2 Zelenskyy").
COUNTABLE_NAMES = {"", "NORP", "ORG", "PRODUCT"}


class TokenForm(NamedTuple):
    """One token that is a number by its shape: "-15C", "+2.1", "93rd", "1.3m"."""

    pattern: str  # a regular expression the whole token matches (inline flags only, e.g. "(?i:k|m)")
    value: Callable[[re.Match[str]], float]  # from the pattern's own groups
    kind: str = NumberKind.CARDINAL
    unit: str | None = None


def _signed(m: re.Match[str]) -> float:
    return (-1.0 if m[1] in "-−" else 1.0) * float(m[2].replace(",", ""))


def _vulgar(m: re.Match[str]) -> float:
    """A whole number and a fraction character, as the float nearest the exact value."""
    numerator, denominator = VULGAR_FRACTIONS[m[2]]
    return (int(m[1] or 0) * denominator + numerator) / denominator


TOKEN_FORMS = [
    TokenForm(r"([-−+]?\d+(?:\.\d+)?)°?[CF]", lambda m: float(m[1].replace("−", "-")), NumberKind.QUANTITY, "degrees"),  # "-15C"
    TokenForm(r"([-−+])(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)", _signed),  # "-15", "+2.1"
    TokenForm(r"(\d+)(?i:st|nd|rd|th)", lambda m: float(m[1]), NumberKind.ORDINAL),  # "93rd"
    TokenForm(r"(\d+(?:\.\d+)?)((?i:k|m|mn|bn|b|tn))", lambda m: float(m[1]) * SHORT_SCALES[m[2].lower()]),  # "1.3m"
    TokenForm(rf"(\d*)([{''.join(VULGAR_FRACTIONS)}])", _vulgar),  # "½", "1½"
    TokenForm(r"(\d+(?:\.\d+)?)(?i:pc|pct)", lambda m: float(m[1]), NumberKind.PERCENT),  # "38pc", one token
    TokenForm(r"[x×](\d+(?:\.\d+)?)", lambda m: float(m[1]), unit="times"),  # "grew x2": a multiplier
]
# A Roman numeral before these is an ordinal ("the XIV century"); anywhere else it is part of a
# name ("Louis XIV", "Super Bowl LVIII", "World War II") and not a number.
ROMAN_ORDINAL_BEFORE = {"century", "centuries", "millennium", "dynasty"}
# Units of two words or glued parts are one counted noun: "300 square kilometres", "140 km/h",
# "12 terawatt-hours" (a word of UNIT_PREFIXES takes the next; a "/" or "-" touching both sides joins).
UNIT_PREFIXES = {"square", "cubic", "sq"}
UNIT_JOINERS = {"/", "-"}


class WordForm(NamedTuple):
    """A fixed run of words that is a number: "tens of thousands", "half a dozen", "twice"."""

    words: tuple[frozenset[str], ...]  # the lower-case words allowed at each place
    value: Callable[[Sequence[str]], float | None]  # from the words matched; None: a vague amount with no value
    kind: str = NumberKind.CARDINAL
    approx: bool = False  # vague amounts keep their lower bound
    unit: str | None = None  # else the counted noun that follows


def one_of(*words: str) -> frozenset[str]:
    return frozenset(words)


# "a dozen", "a million", "a lakh"
A_SCALE = {"dozen": 12.0, "hundred": 100.0, "thousand": 1e3, "million": 1e6, "billion": 1e9, "lakh": 1e5, "crore": 1e7}

# Multipliers: "tripled", "threefold" are the factor ("times"; "twice" is in TIMES).
MULTIPLIERS = {"doubled": 2, "doubles": 2, "doubling": 2, "tripled": 3, "triples": 3, "tripling": 3,
               "quadrupled": 4, "quadruples": 4, "quadrupling": 4, "twofold": 2, "threefold": 3, "fourfold": 4,
               "fivefold": 5, "sixfold": 6, "sevenfold": 7, "eightfold": 8, "ninefold": 9, "tenfold": 10,
               "twentyfold": 20, "hundredfold": 100}
# Vague amounts with a quantifier: "several dozen", "a few hundred" (no value, the counted noun kept).
QUANTIFIERS = {"several", "few"}
VAGUE_SCALES = {"dozen", "hundred", "thousand", "million", "billion"}

WORD_FORMS = [
    WordForm((one_of("tens", "hundreds"), one_of("of"), one_of("thousands", "millions", "billions")),
             lambda w: (10 if w[0] == "tens" else 100) * VAGUE[w[2]], approx=True),
    WordForm((frozenset(VAGUE),), lambda w: float(VAGUE[w[0]]), approx=True),
    WordForm((frozenset(TIMES),), lambda w: TIMES[w[0]]),
    WordForm((one_of("half"), one_of("a"), one_of("dozen")), lambda w: 6.0),
    WordForm((one_of("a"), frozenset(A_SCALE)), lambda w: A_SCALE[w[1]]),
    WordForm((frozenset(ORDINALS),), lambda w: float(ORDINALS[w[0]]), NumberKind.ORDINAL),
    WordForm((frozenset(MULTIPLIERS),), lambda w: float(MULTIPLIERS[w[0]]), unit="times"),
    WordForm((frozenset(QUANTIFIERS), frozenset(VAGUE_SCALES)), lambda w: None, approx=True),
    WordForm((one_of("a"), one_of("few"), frozenset(VAGUE_SCALES)), lambda w: None, approx=True),
]


class Follower(NamedTuple):
    """Words right after a number that say what kind of amount it is: "%", "per cent", "euros",
    "basis points" (taken into the span), "months", "km" (left out: they are what it counts)."""

    words: tuple[frozenset[str], ...]
    kind: str
    taken: bool  # the words belong to the span
    unit: Callable[[Sequence[str]], str] | None = None  # else the counted noun (none for percent and money)
    any_kind: bool = True  # False: only a plain cardinal takes this kind ("the 22nd month" stays ordinal)


FOLLOWERS = [
    Follower((frozenset(PERCENT_WORDS),), NumberKind.PERCENT, True),
    Follower((one_of("per"), one_of("cent")), NumberKind.PERCENT, True),
    Follower((one_of("percentage", "basis"), one_of("point", "points")), NumberKind.QUANTITY, True, lambda w: f"{w[0]} points"),
    Follower((frozenset(CURRENCY_WORDS),), NumberKind.MONEY, True),
    Follower((frozenset(DURATION_UNITS),), NumberKind.DURATION, False, any_kind=False),
    Follower((frozenset(QUANTITY_UNITS),), NumberKind.QUANTITY, False, any_kind=False),
]

class Range(NamedTuple):
    """Two numbers joined as a range count the same thing: "between 30 and 40 civilians",
    "30-40 people", "20 to 25 miners", "two or three days". The first takes the second's kind,
    counted noun and scale ("between 2 and 3 million visitors": 2,000,000)."""

    between: frozenset[str]  # the one word between the numbers
    before: frozenset[str] | None = None  # a word the first number must follow, if any


RANGES = [
    Range(one_of("-", "–", "—", "to", "or")),
    Range(one_of("and"), before=one_of("between")),
]

# A number word after one of these is not an amount: "no one was hurt", "a second wave".
NOT_AFTER = {"one": {"no", "the", "this", "that", "which", "every", "any"}, "second": {"a", "per"}}
