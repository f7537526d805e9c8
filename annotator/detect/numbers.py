"""Finding numbers in news text and parsing them to values. Pure Python over a token list.

News turns on numbers: "shot down 28 of 38 Russian drones", "tens of thousands of casualties",
"$300 million", "the 93rd brigade". Each numeric expression becomes a span of the ``numbers``
layer with its value, its kind (cardinal, ordinal, percent, money, quantity, duration), whether it
is approximate (vague amounts keep their lower bound) and the noun it counts. Codes and names
("Su-34", "Tu-95MS", "COVID-19") and calendar dates are not numbers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import NamedTuple, Sequence

from annotator.domain import NUMBERS, Span

UNITS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
}
TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90}
SCALES = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12}
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
VAGUE = {"dozens": 12, "scores": 20, "hundreds": 100, "thousands": 1e3, "millions": 1e6, "billions": 1e9}
CURRENCY_SYMBOLS = {"$", "€", "£", "¥", "₴", "₽", "US$"}
CURRENCY_WORDS = {"dollar", "dollars", "euro", "euros", "pound", "pounds", "hryvnia", "hryvnias",
                  "rouble", "roubles", "ruble", "rubles", "yuan", "yen", "usd", "eur", "gbp", "uah", "rub"}
PERCENT_WORDS = {"%", "percent", "per cent", "pct"}
DURATION_UNITS = {"second", "seconds", "minute", "minutes", "hour", "hours", "day", "days", "week",
                  "weeks", "month", "months", "year", "years", "decade", "decades", "century", "centuries"}
QUANTITY_UNITS = {"km", "kilometres", "kilometers", "kilometre", "kilometer", "mile", "miles", "m",
                  "metres", "meters", "metre", "meter", "kg", "kilograms", "kilogram", "tonnes", "tons",
                  "tonne", "ton", "litres", "liters", "barrels", "hectares", "acres", "mw", "gw", "kw",
                  "square", "sq", "cm", "mm", "feet", "foot", "lb", "lbs", "pounds-weight"}
HEDGES = {"about", "around", "approximately", "roughly", "nearly", "almost", "some", "over",
          "more than", "less than", "at least", "up to", "fewer than", "estimated", "an estimated"}
MONTHS = {"january", "february", "march", "april", "may", "june", "july", "august", "september",
          "october", "november", "december", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep",
          "sept", "oct", "nov", "dec"}
YEAR_CUES = {"in", "since", "of", "from", "until", "by", "during", "mid", "early", "late", "before", "after"}
# Words between a number and the noun it counts that are not that noun.
MODIFIERS = {"loud", "heavy", "large", "small", "new", "old", "other", "more", "big", "major", "minor",
             "key", "main", "total", "killed", "wounded", "injured", "dead", "armed", "unmanned",
             "civilian", "enemy", "additional", "further", "separate", "different", "young",
             "ballistic", "cruise", "guided", "attack", "combat", "front", "frontline", "local", "foreign"}
_ADJECTIVE_ENDINGS = ("al", "ic", "ive", "ary", "ern", "ous", "ful", "less", "ian", "ish")
NOT_COUNTED = {"of", "the", "a", "an", "and", "or", "than", "to", "in", "on", "at", "for", "by",
               "with", "from", "into", "over", "per", "each", "who", "which", "that", "were", "was",
               "is", "are", "had", "have", "has", "be", "been", "will", "would", "could", "said",
               # common irregular verbs: "the 47th Brigade held", "3 people fled" ends the phrase
               "held", "left", "hit", "shot", "struck", "fell", "fled", "came", "went", "took", "made",
               "lost", "won", "fought", "met", "sent", "kept", "stood", "told", "became", "began", "gave"}
# Entities whose numbers are part of a name: "Article 51", "World War 2", "Route 66", "Boeing 737".
NAME_ENTITIES = {"LAW", "PRODUCT", "WORK_OF_ART", "FAC", "EVENT"}
# Capitalised words that may be what a number counts when no plain noun follows:
# "6 million Ukrainians", "the 47th Mechanized Brigade" (not "3 Monday", "2 Zelenskyy").
COUNTABLE_NAMES = {"", "NORP", "ORG", "PRODUCT"}

_DIGITS = re.compile(r"^\d{1,3}(,\d{3})+(\.\d+)?$|^\d+(\.\d+)?$")
_DIGIT_ORDINAL = re.compile(r"^(\d+)(st|nd|rd|th)$", re.I)
_DIGIT_SCALE = re.compile(r"^(\d+(?:\.\d+)?)(k|m|mn|bn|b|tn)$", re.I)


class Token(NamedTuple):
    """What the finder needs of a token: its text, where it starts, and its entity type.

    A named tuple because one is made per word of every article: it builds twice as fast as a
    frozen dataclass, which matters for detection's speed next to raw spaCy.
    """

    text: str
    start: int
    ent: str = ""  # the NER label of the entity the token is in, "" if none

    @property
    def end(self) -> int:
        return self.start + len(self.text)

    @property
    def lower(self) -> str:
        return self.text.lower()


@dataclass(frozen=True)
class Number:
    start: int  # token index, inclusive
    end: int  # token index, exclusive
    value: float
    kind: str
    approx: bool = False
    unit: str | None = None


def find_numbers(text: str, tokens: Sequence[Token], label: str = "NUMBER") -> list[Span]:
    """Every numeric expression of the text as a ``numbers`` span."""
    return [
        Span.of(text, tokens[n.start].start, tokens[n.end - 1].end, label, layer=NUMBERS,
                value=n.value, kind=n.kind, approx=n.approx, unit=n.unit)
        for n in scan(text, tokens)
    ]


def scan(text: str, tokens: Sequence[Token]) -> list[Number]:
    found: list[Number] = []
    i = 0
    while i < len(tokens):
        if not _may_start(tokens[i].text):
            i += 1
            continue
        number = _parse_at(text, tokens, i)
        if number is None:
            i += 1
            continue
        found.append(number)
        i = number.end
    return found


_STARTERS = (set(UNITS) | set(TENS) | set(ORDINALS) | set(VAGUE) | CURRENCY_SYMBOLS
             | {"tens", "half", "a"})


def _may_start(word: str) -> bool:
    """A cheap test before the full parse: most tokens cannot begin a number."""
    return word[:1].isdigit() or word.lower() in _STARTERS


def _attached(text: str, tokens: Sequence[Token], i: int, j: int) -> bool:
    """Whether tokens i and j (j = i + 1) touch with no space between them."""
    return 0 <= i and j < len(tokens) and tokens[i].end == tokens[j].start


def _is_code(text: str, tokens: Sequence[Token], i: int, j: int) -> bool:
    """Tokens i..j-1 are glued to letters by a hyphen or directly: "Su-34", "S-400", "95MS"."""
    before = i - 1
    if before >= 0 and _attached(text, tokens, before, i):
        prev = tokens[before].text
        if prev in "-–/" and before - 1 >= 0 and _attached(text, tokens, before - 1, before):
            if re.search(r"[A-Za-z]", tokens[before - 1].text) and tokens[before - 1].lower not in ("mid", "early", "late"):
                return True
        if re.search(r"[A-Za-z]$", prev):
            return True
    after = j
    if after < len(tokens) and _attached(text, tokens, j - 1, after):
        nxt = tokens[after].text
        if re.match(r"^[A-Za-z]", nxt) and nxt.lower() not in SHORT_SCALES and not nxt.lower() in ("th", "st", "nd", "rd"):
            return True
        if nxt in "-–" and after + 1 < len(tokens) and _attached(text, tokens, after, after + 1) \
                and re.match(r"^[A-Z]", tokens[after + 1].text):
            return True
    return False


def _is_date(tokens: Sequence[Token], i: int, j: int, value: float) -> bool:
    """Calendar dates and years belong to DATE entities, not to the numbers layer."""
    if tokens[i].ent in ("DATE", "TIME") and not (j < len(tokens) and tokens[j].lower in DURATION_UNITS):
        return True
    prev = tokens[i - 1].lower if i > 0 else ""
    nxt = tokens[j].lower if j < len(tokens) else ""
    if j - i == 1 and value == int(value) and 1 <= value <= 31 and (prev in MONTHS or nxt in MONTHS):
        return True
    is_year = j - i == 1 and re.fullmatch(r"1[89]\d\d|20\d\d", tokens[i].text) is not None
    return is_year and (prev in YEAR_CUES or prev in MONTHS or prev in ("-", ",") or not nxt.isalpha())


def _words_value(words: Sequence[str]) -> float | None:
    """Value of number words and digits: "two hundred and fifty", "2.4 million", "thirty-two"."""
    total, current, seen = 0.0, 0.0, False
    for word in words:
        if word in ("and", "-"):
            continue
        if _DIGITS.match(word):
            current += float(word.replace(",", ""))
        elif word in UNITS:
            current += UNITS[word]
        elif word in TENS:
            current += TENS[word]
        elif word == "hundred":
            current = (current or 1) * 100
        elif word in SCALES:
            total += (current or 1) * SCALES[word]
            current = 0
        elif word == "dozen":
            current = (current or 1) * 12
        else:
            return None
        seen = True
    return total + current if seen else None


_NUMBER_WORDS = set(UNITS) | set(TENS) | set(SCALES) | {"hundred", "dozen"}


def _core(tokens: Sequence[Token], i: int) -> tuple[int, float, str, bool] | None:
    """The number expression starting at token i: (end, value, kind, approx)."""
    word = tokens[i].lower
    nxt = tokens[i + 1].lower if i + 1 < len(tokens) else ""
    # Vague amounts: "tens of thousands", "hundreds of thousands", "thousands", "dozens".
    if word in ("tens", "hundreds") and nxt == "of" and i + 2 < len(tokens) and tokens[i + 2].lower in ("thousands", "millions", "billions"):
        return i + 3, (10 if word == "tens" else 100) * VAGUE[tokens[i + 2].lower], "cardinal", True
    if word in VAGUE:
        return i + 1, float(VAGUE[word]), "cardinal", True
    if word == "half" and nxt == "a" and i + 2 < len(tokens) and tokens[i + 2].lower == "dozen":
        return i + 3, 6.0, "cardinal", False
    if word == "a" and nxt in ("dozen", "hundred", "thousand", "million", "billion"):
        end = i + 2
        value = _words_value([nxt])
        return (end, value, "cardinal", False) if value is not None else None
    match = _DIGIT_ORDINAL.match(tokens[i].text)
    if match:
        return i + 1, float(match.group(1)), "ordinal", False
    if word in ORDINALS:
        return i + 1, float(ORDINALS[word]), "ordinal", False
    match = _DIGIT_SCALE.match(tokens[i].text)
    if match:
        return i + 1, float(match.group(1)) * SHORT_SCALES[match.group(2).lower()], "cardinal", False
    if not (_DIGITS.match(word) or word in _NUMBER_WORDS) or word in ("hundred", "thousand", "million", "billion", "trillion", "dozen"):
        return None
    end = i + 1
    words = [word]
    while end < len(tokens):
        w = tokens[end].lower
        if w in _NUMBER_WORDS and not _DIGITS.match(words[-1]) or w in SCALES or w in ("hundred", "dozen"):
            words.append(w)
            end += 1
        elif w == "-" and end + 1 < len(tokens) and tokens[end + 1].lower in UNITS and words[-1] in TENS:
            words += ["-", tokens[end + 1].lower]
            end += 2
        elif w in ORDINALS and words[-1] == "-" :
            break
        elif w == "and" and end + 1 < len(tokens) and tokens[end + 1].lower in _NUMBER_WORDS and words[-1] in ("hundred", "thousand", "million"):
            words.append(w)
            end += 1
        elif w in SHORT_SCALES and w not in ("m",) and _DIGITS.match(words[-1]):
            words.append({"k": "thousand", "mn": "million", "bn": "billion", "b": "billion", "tn": "trillion"}[w])
            end += 1
        else:
            break
    # "twenty-first": a tens word, a hyphen and an ordinal.
    if end + 1 < len(tokens) and words[-1] in TENS and tokens[end].text == "-" and tokens[end + 1].lower in ORDINALS:
        value = TENS[words[-1]] + ORDINALS[tokens[end + 1].lower]
        return end + 2, float(value), "ordinal", False
    value = _words_value(words)
    return (end, value, "cardinal", False) if value is not None else None


def _in_name(tokens: Sequence[Token], i: int) -> bool:
    """The number continues a named entity: "Article 51", "Section 5" (LAW), "World War 2" (EVENT)."""
    ent = tokens[i].ent
    return ent in NAME_ENTITIES and i > 0 and tokens[i - 1].ent == ent


def _hedged(tokens: Sequence[Token], i: int) -> bool:
    one = tokens[i - 1].lower if i >= 1 else ""
    two = f"{tokens[i - 2].lower} {one}" if i >= 2 else ""
    return one in HEDGES or two in HEDGES


def _parse_at(text: str, tokens: Sequence[Token], i: int) -> Number | None:
    start = i
    money = tokens[i].text in CURRENCY_SYMBOLS
    if money:
        if i + 1 >= len(tokens) or not _attached(text, tokens, i, i + 1):
            return None
        i += 1
    core = _core(tokens, i)
    if core is None:
        return None
    end, value, kind, approx = core
    word = tokens[i].lower
    if word == "one" and i > 0 and tokens[i - 1].lower in ("no", "the", "this", "that", "which", "every", "any"):
        return None
    if word == "second" and i > 0 and tokens[i - 1].lower in ("a", "per"):
        return None
    if kind == "cardinal" and not approx and not money:
        if _is_code(text, tokens, i, end) or _is_date(tokens, i, end, value) or _in_name(tokens, i):
            return None
    elif kind == "ordinal" and (_is_date(tokens, i, end, value) and tokens[i].ent in ("DATE", "TIME")):
        return None
    nxt = tokens[end].lower if end < len(tokens) else ""
    if money:
        kind = "money"
    elif nxt in PERCENT_WORDS or (nxt == "per" and end + 1 < len(tokens) and tokens[end + 1].lower == "cent"):
        kind = "percent"
        end += 2 if nxt == "per" else 1
    elif nxt in CURRENCY_WORDS:
        kind = "money"
        end += 1
    elif kind == "cardinal" and nxt in DURATION_UNITS:
        kind = "duration"
    elif kind == "cardinal" and nxt in QUANTITY_UNITS:
        kind = "quantity"
    approx = approx or _hedged(tokens, start)
    unit = None if kind in ("percent", "money") else _counted(tokens, end)
    return Number(start, end, value, kind, approx, unit)


def _counted(tokens: Sequence[Token], end: int, reach: int = 5) -> str | None:
    """The noun a number counts: the first plain word after it, past modifiers and names.

    With no plain noun, the last capitalised word passed is taken if it can be counted
    ("6 million Ukrainians have fled", "the 47th Mechanized Brigade held").
    """
    j = end
    if j < len(tokens) and tokens[j].lower == "of":  # "28 of 38 drones", "one of the drones"
        j += 2 if j + 1 < len(tokens) and tokens[j + 1].lower == "the" else 1
    name: str | None = None
    for tok in tokens[j : j + reach]:
        word = tok.lower
        if not tok.text.isalpha() and not re.fullmatch(r"[\w-]+", tok.text):
            break  # punctuation ends the phrase
        if tok.text[0].isupper():
            name = word if tok.ent in COUNTABLE_NAMES else None
            continue
        if _DIGITS.match(word) or word in _NUMBER_WORDS or word in MODIFIERS \
                or word.endswith(_ADJECTIVE_ENDINGS) or "-" in word:
            continue
        if word in NOT_COUNTED or word.endswith("ed") or not tok.text.isalpha():  # a verb: no noun given
            break
        return word
    return name
