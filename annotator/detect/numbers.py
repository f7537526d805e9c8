"""Finding numbers in news text and parsing them to values. Pure Python over a token list.

News turns on numbers: "shot down 28 of 38 Russian drones", "tens of thousands of casualties",
"$300 million", "the 93rd brigade". Each numeric expression becomes a span of the ``numbers``
layer with its value, its kind (cardinal, ordinal, percent, money, quantity, duration), whether it
is approximate (vague amounts keep their lower bound) and the noun it counts. Codes and names
("Su-34", "Tu-95MS", "COVID-19") and calendar dates are not numbers.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import NamedTuple, TypeVar

from annotator.detect.number_rules import (
    A_SCALE,
    ADJECTIVE_ENDINGS,
    CALENDAR_WORDS,
    COUNTABLE_NAMES,
    CURRENCY_SYMBOLS,
    DURATION_UNITS,
    FOLLOWERS,
    FRACTIONS,
    GLUED_LOWER_ONLY,
    GLUED_UNITS,
    GROUP_SEPARATORS,
    HEDGES,
    HYPHEN_UNITS,
    MAKERS,
    METRE_CONTEXT,
    MODIFIERS,
    MONTHS,
    MULTIPLIERS,
    NAME_ENTITIES,
    NOT_AFTER,
    NOT_COUNTED,
    NUMBER_LABELS,
    ORDINALS,
    PERCENT_WORDS,
    POSSESSIVES,
    QUANTIFIERS,
    QUANTITY_UNITS,
    RANGES,
    ROMAN_ORDINAL_BEFORE,
    SCALES,
    SHORT_SCALES,
    SIGN_WORDS,
    STREET_WORDS,
    TENS,
    TIME_WORDS,
    TIMES,
    TOKEN_FORMS,
    UNIT_JOINERS,
    UNIT_PREFIXES,
    UNITS,
    VAGUE,
    VULGAR_FRACTIONS,
    WORD_FORMS,
    YEAR_CUES,
    Follower,
    TokenForm,
    WordForm,
)
from annotator.domain import NUMBERS, NumberKind, Span

_DIGITS = re.compile(r"^\d{1,3}(,\d{3})+(\.\d+)?$|^\d+(\.\d+)?$")
_YEAR = re.compile(r"1[89]\d\d|20\d\d")
_ROMAN = re.compile(r"(?=[MDCLXVI])(M{0,3})(CM|CD|D?C{0,3})(XC|XL|L?X{0,3})(IX|IV|V?I{0,3})")
_ROMAN_DIGITS = {"M": 1000, "D": 500, "C": 100, "L": 50, "X": 10, "V": 5, "I": 1}


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


class Number(NamedTuple):
    """A number found: a named tuple, as several are made and dropped per number parsed."""

    start: int  # token index, inclusive
    end: int  # token index, exclusive
    value: float | None  # None: a vague amount with no value ("several dozen")
    kind: str
    approx: bool = False
    unit: str | None = None
    trim: int = 0  # characters of the last token left out of the span: the stop of "£300m."
    lead: int = 0  # characters of the first token left out: "150–" of "150–200", one token


def find_numbers(text: str, tokens: Sequence[Token], label: str = "NUMBER") -> list[Span]:
    """Every numeric expression of the text as a ``numbers`` span."""
    return [
        Span.of(text, tokens[n.start].start + n.lead, tokens[n.end - 1].end - n.trim, label, layer=NUMBERS,
                value=n.value, kind=n.kind, approx=n.approx, unit=n.unit)
        for n in scan(text, tokens)
    ]


def scan(text: str, tokens: Sequence[Token]) -> list[Number]:
    found: list[Number] = []
    may_start = _MAY_START
    if len(may_start) > 100_000:  # a cache of words seen, bounded
        may_start.clear()
    i, n = 0, len(tokens)
    while i < n:
        word = tokens[i].text
        if not may_start[word] or (word == "a" and (i + 1 == n or tokens[i + 1].lower not in _AFTER_A)):
            i += 1
            continue
        number = _parse_at(text, tokens, i)
        if number is None:
            i += 1
            continue
        if number.lead:  # "150–200 homes": the first number of the token counts what the second does
            first = tokens[i].text[: number.lead - 1]
            value = float(first.replace(",", ""))
            head = number._replace(end=i + 1, value=value, trim=len(tokens[i].text) - len(first), lead=0)
            found.append(head._replace(value=value * _scale(tokens, head, number)))
        found.append(number)
        i = number.end
    return _ranges(tokens, found) if len(found) > 1 else found


def _ranges(tokens: Sequence[Token], found: list[Number]) -> list[Number]:
    """Numbers joined as a range (a row of :data:`RANGES`): the first counts what the second
    counts, and takes its kind and its scale ("between 2 and 3 million": 2,000,000)."""
    for k in range(len(found) - 1):
        first, second = found[k], found[k + 1]
        if second.start != first.end + 1 or first.unit is not None or first.trim or first.value is None:
            continue
        between, before = tokens[first.end].lower, tokens[first.start - 1].lower if first.start else ""
        if not any(between in row.between and (row.before is None or before in row.before) for row in RANGES):
            continue
        kind = second.kind if first.kind == NumberKind.CARDINAL else first.kind
        found[k] = first._replace(value=first.value * _scale(tokens, first, second), kind=kind, unit=second.unit)
    return found


def _scale(tokens: Sequence[Token], first: Number, second: Number) -> float:
    """The scale word the second number of a range has and the first lacks, as a factor: 1 if none."""
    scales = [SCALES[t.lower] for t in tokens[second.start : second.end] if t.lower in SCALES]
    if not scales or any(t.lower in SCALES for t in tokens[first.start : first.end]):
        return 1.0
    return scales[-1]


_STARTERS = (set(UNITS) | set(TENS) | set(VULGAR_FRACTIONS) | set(ORDINALS) | set(VAGUE) | set(TIMES)
             | set(MULTIPLIERS) | QUANTIFIERS | CURRENCY_SYMBOLS | SIGN_WORDS | {"tens", "half", "a"})


def _may_start(word: str) -> bool:
    """A cheap test before the full parse: most tokens cannot begin a number."""
    first = word[:1]
    if first.isdigit():
        return True
    if first in _SIGN_CHARS:
        return word[1:2].isdigit()
    return word.lower() in _STARTERS or word in CURRENCY_SYMBOLS or _TOKEN_FORM.fullmatch(word) is not None \
        or _ROMAN.fullmatch(word) is not None


class _Memo(dict[str, bool]):
    """``_may_start`` of each word seen: news repeats its words, and a dict lookup per token is
    several times cheaper than the test."""

    def __missing__(self, word: str) -> bool:
        self[word] = found = _may_start(word)
        return found


_MAY_START = _Memo()
_SIGN_CHARS = {"-", "−", "+"}
# A lowercase "a" begins a number only before these: "a dozen", "a quarter of" (see ``_core``,
# ``_fraction``); the test saves parsing the commonest word of English.
_AFTER_A = set(A_SCALE) | {"few"} | {f for f in FRACTIONS if not f.endswith("s")}


def _attached(text: str, tokens: Sequence[Token], i: int, j: int) -> bool:
    """Whether tokens i and j (j = i + 1) touch with no space between them."""
    return i >= 0 and j < len(tokens) and tokens[i].end == tokens[j].start


def _is_code(text: str, tokens: Sequence[Token], i: int, j: int, value: float) -> bool:
    """Tokens i..j-1 are glued to letters by a hyphen or directly: "Su-34", "S-400", "95MS"."""
    before = i - 1
    if before >= 0 and _attached(text, tokens, before, i):
        prev = tokens[before].text
        if prev in "-–/" and before - 1 >= 0 and _attached(text, tokens, before - 1, before) \
                and _LETTER.search(tokens[before - 1].text) and tokens[before - 1].lower not in ("mid", "early", "late"):
            return True
        if _LAST_LETTER.search(prev):
            return True
    after = j
    if after < len(tokens) and _attached(text, tokens, j - 1, after):
        nxt = tokens[after].lower
        if nxt[:1] in _LOWER_ASCII and nxt not in SHORT_SCALES and not _glued_unit(tokens, after) and nxt not in PERCENT_WORDS \
                and nxt not in ("th", "st", "nd", "rd"):
            return True
        if nxt in "-–" and after + 1 < len(tokens) and _attached(text, tokens, after, after + 1) \
                and tokens[after + 1].text[:1] in _UPPER_ASCII:
            return True
    return False


_LETTER = re.compile(r"[A-Za-z]")
_LAST_LETTER = re.compile(r"[A-Za-z]$")
_LOWER_ASCII = frozenset("abcdefghijklmnopqrstuvwxyz")
_UPPER_ASCII = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZ")


def _duration_follows(tokens: Sequence[Token], j: int) -> bool:
    """A duration unit comes next, spaced or hyphenated: "22 months", "a 30-day truce"."""
    if j < len(tokens) and tokens[j].text in "-–" and j + 1 < len(tokens):
        j += 1
    return j < len(tokens) and tokens[j].lower in DURATION_UNITS


def _is_date(text: str, tokens: Sequence[Token], i: int, j: int, value: float) -> bool:
    """Calendar dates and years belong to DATE entities, not to the numbers layer."""
    ent = tokens[i].ent
    prev = tokens[i - 1].lower if i > 0 else ""
    nxt = tokens[j].lower if j < len(tokens) else ""
    is_year = j - i == 1 and _YEAR.fullmatch(tokens[i].text) is not None
    if ent in ("DATE", "TIME") and not _duration_follows(tokens, j) and _calendar_entity(tokens, i):
        # Inside a DATE, number words count ("in six seasons") and so does a lone number the
        # model took for a date ("1 in 4"); digits among a date's words are its day or year.
        lone = (i == 0 or tokens[i - 1].ent != ent) and (j >= len(tokens) or tokens[j].ent != ent)
        if ent == "TIME" or is_year or not (lone or not tokens[i].text[:1].isdigit()):
            return True
    if j - i == 1 and value == int(value) and 1 <= value <= 31 and (prev in MONTHS or nxt in MONTHS):
        return True
    return is_year and (prev in YEAR_CUES or prev in MONTHS or prev in ("-", ",") or not nxt.isalpha()
                        or (j < len(tokens) and tokens[j].text[:1].isupper()))  # "the 2024 Paris Olympics"


def _calendar_entity(tokens: Sequence[Token], i: int, reach: int = 8) -> bool:
    """Whether the entity token i is in says a date or time: a calendar word or a year among its
    words ("Between 30 and 40", tagged DATE, says neither)."""
    ent, n = tokens[i].ent, len(tokens)
    first, last = i, i
    while first > max(0, i - reach) and tokens[first - 1].ent == ent:
        first -= 1
    while last < min(n - 1, i + reach) and tokens[last + 1].ent == ent:
        last += 1
    return any(t.lower in CALENDAR_WORDS or _YEAR.fullmatch(t.text) or (not t.text.isalnum() and t.text not in (",", "-"))
               for t in tokens[first : last + 1])


def _is_day_of_month(tokens: Sequence[Token], i: int) -> bool:
    """An ordinal that is a day: "the 29th" (in a DATE), "May 1st", "the fifth of May".
    Not "a fifth night" or "the second day", which count even inside a DATE entity."""
    prev = tokens[i - 1].lower if i > 0 else ""
    after = [t.lower for t in tokens[i + 1 : i + 3]]
    if prev in MONTHS or (after[:1] and after[0] in MONTHS) or (after[:1] == ["of"] and after[1:] and after[1] in MONTHS):
        return True
    return tokens[i].text[:1].isdigit() and tokens[i].ent in ("DATE", "TIME")


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
_NOT_ALONE = {"hundred", "thousand", "million", "billion", "trillion", "dozen"}  # "a hundred", not "hundred"
_SCALE_NAMES = {"k": "thousand", "m": "million", "mn": "million", "bn": "billion", "b": "billion", "tn": "trillion"}


def _short_scale(tokens: Sequence[Token], k: int) -> tuple[str, int] | None:
    """An abbreviated scale at token k after digits, and the characters to trim: "1.3m", "2.5 bn",
    "£300m." (the tokenizer keeps a sentence's stop on "m."). A spaced "m" is metres."""
    if k >= len(tokens):
        return None
    word, glued = tokens[k].lower, tokens[k - 1].end == tokens[k].start
    if word in _SCALE_NAMES and (glued or word in ("mn", "bn", "tn")):
        return None if word == "m" and _metres(tokens, k) else (_SCALE_NAMES[word], 0)
    if glued and word.endswith(".") and word[:-1] in _SCALE_NAMES:
        return _SCALE_NAMES[word[:-1]], 1
    return None


def _glued_unit(tokens: Sequence[Token], k: int) -> bool:
    """Token k is a unit that may be glued to digits ("155mm", "200g"; not the "G" of "5G")."""
    word = tokens[k].text.lower()
    return word in GLUED_UNITS and (word not in GLUED_LOWER_ONLY or tokens[k].text == word)


def _metres(tokens: Sequence[Token], k: int) -> bool:
    """A glued "m" at token k is metres: a race or a record follows ("the 100m world record")."""
    return k + 1 < len(tokens) and tokens[k + 1].text.lower() in METRE_CONTEXT


Row = TypeVar("Row", WordForm, Follower)


def _grouped(text: str, tokens: Sequence[Token], i: int) -> tuple[int, str]:
    """Where digits grouped in thousands by a space or a thin or no-break one end, and their
    digits ("1 250 000" -> "1250000"); just token i if no group follows. A plain space lies
    between tokens; any other separator is a token of its own."""
    digits, k, n = tokens[i].text, i + 1, len(tokens)
    while k < n:
        gap = text[tokens[k - 1].end : tokens[k].start]
        if not gap and tokens[k].text in GROUP_SEPARATORS and k + 1 < n and tokens[k + 1].start == tokens[k].end:
            group = k + 1
        elif len(gap) == 1 and gap in GROUP_SEPARATORS:
            group = k
        else:
            break
        if not _GROUP.fullmatch(tokens[group].text):
            break
        digits, k = digits + tokens[group].text, group + 1
        if "." in digits:  # "4 200.5": a decimal ends the number
            break
    return k, digits


_GROUP = re.compile(r"\d{3}(?:\.\d+)?")
# Two numbers in one token, joined by an en or em dash ("150–200"; a hyphen is a token of its own).
_DASHED = re.compile(r"(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)[–—](\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)")


def _run(tokens: Sequence[Token], i: int, words: tuple[frozenset[str], ...]) -> int | None:
    """Where a run of words allowed at each place (a row's ``words``) ends if it starts at token i
    (whose word the caller found the row by: only the ones after it are checked)."""
    end = i + len(words)
    if end > len(tokens):
        return None
    for k in range(1, len(words)):
        if tokens[i + k].text.lower() not in words[k]:
            return None
    return end


def _word_forms(forms: Sequence[Row]) -> dict[str, list[Row]]:
    """The rows by the words they may start with, in table order."""
    by_first: dict[str, list[Row]] = {}
    for form in forms:
        for word in form.words[0]:
            by_first.setdefault(word, []).append(form)
    return by_first


def _token_forms(forms: Sequence[TokenForm]) -> tuple[re.Pattern[str], dict[int, tuple[TokenForm, re.Pattern[str]]]]:
    """One alternation of every row's pattern, tried once per token, and the row (with its own
    compiled pattern, for its groups) of each alternative's outer group."""
    rows: dict[int, tuple[TokenForm, re.Pattern[str]]] = {}
    group = 1
    for form in forms:
        own = re.compile(form.pattern)
        rows[group] = (form, own)
        group += own.groups + 1
    return re.compile("|".join(f"({form.pattern})" for form in forms)), rows


_WORD_FORMS = _word_forms(WORD_FORMS)
_FOLLOWERS = _word_forms(FOLLOWERS)
_TOKEN_FORM, _TOKEN_FORM_OF_GROUP = _token_forms(TOKEN_FORMS)


def _core(text: str, tokens: Sequence[Token], i: int) -> Number | None:
    """The number expression starting at token i, before its unit, percent sign or currency:
    a row of the word or token forms, else number words and digits ("two hundred and fifty")."""
    word = tokens[i].lower
    for form in _WORD_FORMS.get(word, ()):
        end = _run(tokens, i, form.words)
        if end is not None:
            return Number(i, end, form.value([t.lower for t in tokens[i:end]]), form.kind, form.approx, form.unit)
    token_text = tokens[i].text
    if i + 1 < len(tokens) and tokens[i + 1].lower in ROMAN_ORDINAL_BEFORE and _ROMAN.fullmatch(token_text):
        return Number(i, i + 1, float(_roman(token_text)), NumberKind.ORDINAL)  # "the XIV century"
    if shape := _TOKEN_FORM.fullmatch(token_text):
        token_form, own = _TOKEN_FORM_OF_GROUP[shape.lastindex or 0]
        found = own.fullmatch(token_text)
        assert found is not None  # the same pattern matched inside the alternation
        return Number(i, i + 1, token_form.value(found), token_form.kind, unit=token_form.unit)
    lead = 0
    if ("–" in word or "—" in word) and (dashed := _DASHED.fullmatch(word)) \
            and not (_YEAR.fullmatch(dashed[1]) or _YEAR.fullmatch(dashed[2])):
        word, lead = dashed[2], dashed.start(2)  # "150–200": the second here, the first in ``scan``
    if not (_DIGITS.match(word) or word in _NUMBER_WORDS) or word in _NOT_ALONE:
        return None
    end, trim = i + 1, 0
    if len(word) <= 3 and not lead and end < len(tokens) and word.isdigit() \
            and (tokens[end].text[:1].isdigit() or tokens[end].text in GROUP_SEPARATORS):
        end, word = _grouped(text, tokens, i)  # "38 000": the groups of digits after it
    words = [word]
    while end < len(tokens):
        w = tokens[end].lower
        if (w in _NUMBER_WORDS and not _DIGITS.match(words[-1])) or w in SCALES or w in ("hundred", "dozen"):
            words.append(w)
            end += 1
        elif w == "-" and end + 1 < len(tokens) and tokens[end + 1].lower in UNITS and words[-1] in TENS:
            words += ["-", tokens[end + 1].lower]
            end += 2
        elif w in ORDINALS and words[-1] == "-" :
            break
        elif w == "and" and end + 1 < len(tokens) and tokens[end + 1].lower in _NUMBER_WORDS \
                and words[-1] in ("hundred", "thousand", "million"):
            words.append(w)
            end += 1
        elif w == "\n" and end + 1 < len(tokens) and tokens[end + 1].lower in SCALES:
            end += 1  # "2.4⏎million": a line break inside the number
        elif _DIGITS.match(words[-1]) and (scale := _short_scale(tokens, end)):
            words.append(scale[0])
            trim = scale[1]
            end += 1
            break
        else:
            break
    # "twenty-first": a tens word, a hyphen and an ordinal.
    if end + 1 < len(tokens) and words[-1] in TENS and tokens[end].text == "-" and tokens[end + 1].lower in ORDINALS:
        return Number(i, end + 2, float(TENS[words[-1]] + ORDINALS[tokens[end + 1].lower]), NumberKind.ORDINAL)
    value = _words_value(words)
    if value is None:
        return None
    # "two and a half years", "two-and-a-half", "one and a half million"
    half = _follows(tokens, end, ("and", "a", "half"))
    if half is not None:
        value, end = value + 0.5, half
        if end < len(tokens) and tokens[end].lower in SCALES:
            value, end = value * SCALES[tokens[end].lower], end + 1
    return Number(i, end, value, NumberKind.CARDINAL, trim=trim, lead=lead)


def _follows(tokens: Sequence[Token], j: int, words: Sequence[str]) -> int | None:
    """Where ``words`` end if they come at token j, spaced or joined by hyphens; None if not."""
    for word in words:
        if j < len(tokens) and tokens[j].text == "-" and tokens[j - 1].end == tokens[j].start:
            j += 1
        if j >= len(tokens) or tokens[j].lower != word:
            return None
        j += 1
    return j


_FRACTION_STARTS = {"half", "a", "one"} | set(UNITS)


def _fraction(tokens: Sequence[Token], i: int) -> Number | None:
    """Parts: "a quarter of them", "half of the residents", "two-thirds", "three quarters",
    "a quarter of a million" (250,000), "half a million", "half an hour" (0.5 hours).

    A singular part needs "of" after it ("a third of", not "a third time"); "half" needs "of",
    "the" or "a" ("half the staff", not "the second half").
    """
    word = tokens[i].lower
    if word not in _FRACTION_STARTS:
        return None
    n = len(tokens)

    def low(k: int) -> str:
        return tokens[k].lower if k < n else ""

    if word == "half":
        if low(i - 1) in ORDINALS or low(i - 1) in ("the", "a", "an", "-", "and", "other", "latter", "one"):
            return None
        if low(i - 1) == "by" and low(i + 1) not in ("a", "an"):  # "cut by half"
            return Number(i, i + 1, 0.5, NumberKind.CARDINAL)
        numerator, denominator, j, loose = 1, 2, i + 1, True
    elif word in ("a", "one") and low(i + 1) in FRACTIONS and not low(i + 1).endswith("s"):
        numerator, denominator, j, loose = 1, FRACTIONS[low(i + 1)], i + 2, False
    elif word in UNITS and word != "zero":
        j = i + 2 if low(i + 1) == "-" else i + 1
        part = low(j)
        if part not in FRACTIONS or not (part.endswith("s") or (low(i + 1) == "-" and word == "one")):
            return None
        numerator, denominator, j, loose = UNITS[word], FRACTIONS[part], j + 1, True
    else:
        return None
    value = numerator / denominator
    if low(j) == "of" and low(j + 1) in ("a", "an") and low(j + 2) in SCALES:
        return Number(i, j + 3, round(value * SCALES[low(j + 2)]), NumberKind.CARDINAL)
    if low(j) in ("a", "an") and low(j + 1) in SCALES:
        return Number(i, j + 2, round(value * SCALES[low(j + 1)]), NumberKind.CARDINAL)
    if word == "half" and low(j) in ("a", "an") and low(j + 1) in DURATION_UNITS:
        return Number(i, j, value, NumberKind.DURATION, unit=_plural(low(j + 1)))
    said = low(i - 1) == "by" or low(j) in _AFTER_PART  # "rose by a quarter", "a fifth are"
    if low(j) == "of" or (word == "half" and low(j) == "the") or (loose and word != "half") or said:
        return Number(i, j, value, NumberKind.CARDINAL)  # exact: the float nearest n/d
    return None


# What may follow a part standing for a whole: "a fifth are beyond repair", "a third said".
_AFTER_PART = {"are", "were", "is", "was", "have", "has", "had", "said", "say", "says", "will", "would",
               "could", "can", "remain", "remained", ",", ".", ";"}


def _plural(unit: str) -> str:
    """The unit's name as a count takes it: "day" -> "days", "century" -> "centuries"."""
    if unit in GLUED_UNITS or (unit in QUANTITY_UNITS and len(unit) <= 3) or unit.endswith("s"):
        return unit
    if unit.endswith("y") and unit[-2:-1] not in ("a", "e", "o", "u"):
        return unit[:-1] + "ies"
    if unit in ("man", "foot"):
        return {"man": "men", "foot": "feet"}[unit]
    if unit == "person":
        return "people"
    return unit + ("es" if unit.endswith(("ch", "sh", "x")) else "s")


def _in_name(text: str, tokens: Sequence[Token], i: int, j: int, value: float) -> bool:
    """The number continues a named entity: "Article 51", "Section 5" (LAW), "World War 2"
    (EVENT), "Boeing 737" (PRODUCT after a capitalised maker)."""
    ent = tokens[i].ent
    return ent in NAME_ENTITIES and i > 0 and (tokens[i - 1].ent == ent or tokens[i - 1].text[:1].isupper())


def _is_named(text: str, tokens: Sequence[Token], i: int, j: int, value: float) -> bool:
    """A model's or a thing's name, with or without the model's entities ("Boeing 737", "Boeing
    737 Max 8", "Leopard 2 tanks", "Flight 370", "No. 10": capitalised words back to a maker), a
    label ("platform 9", "gate 14", "route 73") or an address ("10 Downing Street")."""
    if j < len(tokens) and tokens[j].text[:1].isupper():  # capitalised words up to a street's
        for k in range(j + 1, min(j + 3, len(tokens))):
            if tokens[k].text.lower() in STREET_WORDS:
                return True
            if not tokens[k].text[:1].isupper():
                break
    for k in range(i - 1, max(i - 4, -1), -1):
        word = tokens[k].text
        lower = word.lower()
        if lower.rstrip(".") in MAKERS and word != lower:  # "Boeing", "iPhone"
            return True
        if k == i - 1 and (lower in NUMBER_LABELS or (word == "." and _attached(text, tokens, k - 1, k))):
            if word != ".":
                return True
            continue  # "No. 10": the stop of an abbreviation
        if not (word[:1].isupper() or word[:1].isdigit()):
            return False
    return False


# Plain cardinals that are not amounts: codes, dates, numbers in names, models' names, labels and addresses.
_NOT_AMOUNTS = (_is_code, _is_date, _in_name, _is_named)


def _hedged(tokens: Sequence[Token], i: int) -> bool:
    one = tokens[i - 1].lower if i >= 1 else ""
    two = f"{tokens[i - 2].lower} {one}" if i >= 2 else ""
    return one in HEDGES or two in HEDGES


def _unit_joined(text: str, tokens: Sequence[Token], end: int, digits: bool) -> tuple[int, str, str | None] | None:
    """A unit glued or hyphenated to the number: (span end, kind, unit).

    Glued units stay in the span ("155mm", "15°C"); a hyphenated modifier does not, as a spaced
    unit does not ("a 30-day truce": "30", days; "a 12-storey block": "12", storeys;
    "a 7,000-strong force": "7,000", force).
    """
    if not _attached(text, tokens, end - 1, end):
        return None
    word = tokens[end].lower
    if word == "°":
        degrees = _attached(text, tokens, end, end + 1) and tokens[end + 1].text in ("C", "F")
        return end + (2 if degrees else 1), NumberKind.QUANTITY, "degrees"
    if digits and (_glued_unit(tokens, end) or (word == "m" and _metres(tokens, end))):
        return end + 1, NumberKind.QUANTITY, word
    if word not in ("-", "–") or not _attached(text, tokens, end, end + 1):
        return None
    unit = tokens[end + 1].lower
    if not tokens[end + 1].text.isalpha() or not tokens[end + 1].text.islower():
        return None
    if not digits and unit not in HYPHEN_UNITS:
        return None
    if unit == "strong":
        return end, NumberKind.CARDINAL, _counted(tokens, end + 2)
    if unit in DURATION_UNITS:
        return end, NumberKind.DURATION, _plural(unit)
    return end, NumberKind.QUANTITY, _plural(unit)


def _follower(tokens: Sequence[Token], end: int, nxt: str, kind: str) -> tuple[Follower, int] | None:
    """The first row of :data:`FOLLOWERS` that the words at token ``end`` (``nxt``) match, and where they end."""
    for row in _FOLLOWERS[nxt]:
        if row.any_kind or kind == NumberKind.CARDINAL:
            after = _run(tokens, end, row.words)
            if after is not None:
                return row, after
    return None


def _parse_at(text: str, tokens: Sequence[Token], i: int) -> Number | None:
    start = i
    sign = 1.0
    if tokens[i].lower in SIGN_WORDS:  # "minus 15 degrees"
        if i + 1 >= len(tokens):
            return None
        sign, i = -1.0, i + 1
    money = tokens[i].text in CURRENCY_SYMBOLS
    if money:
        if i + 1 >= len(tokens) or not _attached(text, tokens, i, i + 1):
            return None
        i += 1
    fraction = _fraction(tokens, i)
    core = fraction or _core(text, tokens, i)
    if core is None:
        return None
    end, kind, approx, unit = core.end, core.kind, core.approx, core.unit
    value = None if core.value is None else sign * core.value
    if core.lead and start != i:  # "$20–30": the sign or symbol belongs to the first number
        return None
    word = tokens[i].lower
    if i > 0 and word in NOT_AFTER and tokens[i - 1].lower in NOT_AFTER[word]:
        return None
    if kind == NumberKind.CARDINAL and not approx and not money and fraction is None and value is not None:
        for not_an_amount in _NOT_AMOUNTS:
            if not_an_amount(text, tokens, i, end, value):
                return None
    elif kind == NumberKind.ORDINAL and _is_day_of_month(tokens, i):
        return None
    nxt = tokens[end].lower if end < len(tokens) else ""
    if nxt in TIME_WORDS:  # "3 a.m.", "0300 GMT"
        return None
    digits = word[:1].isdigit() or word[:1] in _SIGN_CHARS
    joined = _unit_joined(text, tokens, end, digits) if kind == NumberKind.CARDINAL and end == core.end else None
    if joined is None and kind == NumberKind.CARDINAL and not digits and nxt == "-" and end == core.end \
            and _attached(text, tokens, end - 1, end) and end + 1 < len(tokens) and tokens[end + 1].text.islower():
        return None  # "one-off", "two-way", "three-sided": an adjective, not an amount
    if money:
        kind = NumberKind.MONEY
    elif joined is not None:
        end, kind, unit = joined
    elif nxt in _FOLLOWERS and (follower := _follower(tokens, end, nxt, kind)):
        row, after = follower
        kind = row.kind
        if row.unit is not None:
            unit = row.unit([t.lower for t in tokens[end:after]])
        if row.taken:
            end = after
    approx = approx or _hedged(tokens, start)
    if kind in (NumberKind.PERCENT, NumberKind.MONEY):
        unit = None
    elif unit is None and joined is None:
        unit = _counted(tokens, end)
    return Number(start, end, value, kind, approx, unit, core.trim if end == core.end else 0, core.lead)


def _counted(tokens: Sequence[Token], end: int, reach: int = 5) -> str | None:
    """The noun a number counts: the first plain word after it, past modifiers, possessors and
    names; of a compound, its head ("nine crew **members**", "40 fire **engines**").

    With no plain noun, the last capitalised word passed is taken if it can be counted
    ("6 million Ukrainians have fled", "the 47th Mechanized Brigade held").
    """
    j = end
    if j < len(tokens) and tokens[j].lower == "of":  # "28 of 38 drones", "one of the drones"
        j += 2 if j + 1 < len(tokens) and tokens[j + 1].lower == "the" else 1
    elif j + 1 < len(tokens) and tokens[j].lower == "in" and (_DIGITS.match(tokens[j + 1].text) or tokens[j + 1].lower in UNITS):
        j += 2  # "one in five households"
    name: str | None = None
    k, stop = j, min(len(tokens), j + reach)
    while k < stop:
        tok, word = tokens[k], tokens[k].lower
        after = tokens[k + 1].lower if k + 1 < len(tokens) else ""
        k += 1
        # After "of", a possessor is not what is counted: "a fifth of its value", "a quarter of
        # the town's 8,000 residents" (but "the 93rd brigade's positions" counts brigades).
        if j > end and (word in POSSESSIVES or after in ("'s", "’s")):
            k += word not in POSSESSIVES
            stop, name = min(len(tokens), stop + 2), None
            continue
        if not tok.text.isalpha() and not _WORDLIKE.fullmatch(tok.text) and not _DIGITS.match(word):
            break  # punctuation ends the phrase
        if tok.text[0].isupper():
            name = word if tok.ent in COUNTABLE_NAMES else None
            continue
        if word in UNIT_PREFIXES:  # "cubic" ends like an adjective but begins a unit
            return _whole_unit(tokens, k - 1)
        if _DIGITS.match(word) or word in _NUMBER_WORDS or word in MODIFIERS \
                or word.endswith(ADJECTIVE_ENDINGS) or "-" in word:
            continue
        if (word.endswith(("ed", "ing")) and _plural_noun(after)) or (word.endswith("ing") and _plain(after)):
            continue  # "200 armoured vehicles", "the 7,000-strong peacekeeping mission"
        if word in NOT_COUNTED or word.endswith("ed") or not tok.text.isalpha():  # a verb: no noun given
            break
        if not word.endswith("s") and word not in QUANTITY_UNITS and word not in DURATION_UNITS and _plural_noun(after):
            return after
        return _whole_unit(tokens, k - 1)
    return name


def _whole_unit(tokens: Sequence[Token], k: int) -> str:
    """The counted noun at token k with what makes one unit with it: "square kilometres", "km/h",
    "terawatt-hours"; a glued run that modifies a plural noun gives the noun ("3 cease-fire agreements")."""
    word = tokens[k].lower
    if word in UNIT_PREFIXES and k + 1 < len(tokens) and tokens[k + 1].text.isalpha():
        return f"{word} {tokens[k + 1].lower}"
    end = k
    while end + 2 < len(tokens) and tokens[end + 1].text in UNIT_JOINERS and tokens[end].end == tokens[end + 1].start \
            and tokens[end + 1].end == tokens[end + 2].start and tokens[end + 2].text.rstrip(".").isalpha():
        end += 2  # the tokenizer keeps a sentence's stop on a last letter: "km/h." is "km", "/", "h."
    if end == k:
        return word
    if end + 1 < len(tokens) and _plural_noun(tokens[end + 1].lower):
        return tokens[end + 1].lower
    return "".join(t.lower for t in tokens[k : end + 1]).rstrip(".")


def _roman(numeral: str) -> int:
    """The value of a valid Roman numeral ("XIV" 14): a digit before a larger one is taken away."""
    values = [_ROMAN_DIGITS[c] for c in numeral]
    return sum(-v if v < after else v for v, after in zip(values, [*values[1:], 0]))


_WORDLIKE = re.compile(r"[\w-]+")


def _plain(word: str) -> bool:
    """A lower-case word that may be a noun: not a function word, verb form or adverb."""
    return word.isalpha() and word.islower() and word not in NOT_COUNTED and not word.endswith(("ed", "ing", "ly"))


def _plural_noun(word: str) -> bool:
    """A lower-case word that looks like a plural noun ("members", "engines"), not "less", "is"."""
    return word.isalpha() and word.islower() and word.endswith("s") and word not in NOT_COUNTED \
        and not word.endswith(("ss", "us", "is", "ous", "ly"))
