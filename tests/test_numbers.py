"""The number finder and parser, table-driven: what a reader of the sentence would write down."""

from __future__ import annotations

import itertools
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.detect.numbers import Token, find_numbers
from annotator.detect.pipeline import blank_english


def numbers_in(text: str) -> list[tuple]:
    tokens = [Token(t.text, t.idx) for t in blank_english().make_doc(text)]
    return [(s.text, s.value, s.kind, s.approx, s.unit) for s in find_numbers(text, tokens)]


C, O, P, M, Q, D = "cardinal", "ordinal", "percent", "money", "quantity", "duration"

TABLE = [
    ("It shot down 28 of 38 Russian drones.", [("28", 28, C, False, "drones"), ("38", 38, C, False, "drones")]),
    ("38,000 Russian military casualties", [("38,000", 38000, C, False, "casualties")]),
    ("tens of thousands of casualties", [("tens of thousands", 10000, C, True, "casualties")]),
    ("hundreds of thousands of refugees", [("hundreds of thousands", 100000, C, True, "refugees")]),
    ("Thousands fled.", [("Thousands", 1000, C, True, None)]),
    ("hundreds of people", [("hundreds", 100, C, True, "people")]),
    ("dozens of drones", [("dozens", 12, C, True, "drones")]),
    ("nine bombers", [("nine", 9, C, False, "bombers")]),
    ("2.4 million people", [("2.4 million", 2_400_000, C, False, "people")]),
    ("a 15% rise", [("15%", 15, P, False, None)]),
    ("15 percent of voters", [("15 percent", 15, P, False, None)]),
    ("up 3.5 per cent", [("3.5 per cent", 3.5, P, False, None)]),
    ("$300 million in aid", [("$300 million", 300_000_000, M, False, None)]),
    ("€2bn of loans", [("€2bn", 2e9, M, False, None)]),
    ("40 billion euros", [("40 billion euros", 40e9, M, False, None)]),
    ("half a dozen tanks", [("half a dozen", 6, C, False, "tanks")]),
    ("a dozen soldiers", [("a dozen", 12, C, False, "soldiers")]),
    ("thirty-two villages", [("thirty-two", 32, C, False, "villages")]),
    ("two hundred and fifty troops", [("two hundred and fifty", 250, C, False, "troops")]),
    ("one thousand two hundred shells", [("one thousand two hundred", 1200, C, False, "shells")]),
    ("the 93rd brigade", [("93rd", 93, O, False, "brigade")]),
    ("the first time", [("first", 1, O, False, "time")]),
    ("the twenty-first century", [("twenty-first", 21, O, False, "century")]),
    ("22 months into the war", [("22", 22, D, False, "months")]),
    ("five months ago", [("five", 5, D, False, "months")]),
    ("a 30 km advance", [("30", 30, Q, False, "km")]),
    ("about 300 soldiers", [("300", 300, C, True, "soldiers")]),
    ("more than 40 missiles", [("40", 40, C, True, "missiles")]),
    ("between 200 and 300 civilians", [("200", 200, C, False, "civilians"), ("300", 300, C, False, "civilians")]),
    ("injured one person", [("one", 1, C, False, "person")]),
    ("one of the drones", [("one", 1, C, False, "drones")]),
    ("39 people dead", [("39", 39, C, False, "people")]),
    ("a million people", [("a million", 1e6, C, False, "people")]),
    ("10 loud explosions", [("10", 10, C, False, "explosions")]),
    ("seven Ukrainian soldiers", [("seven", 7, C, False, "soldiers")]),
    ("Nearly 6 million Ukrainians have fled", [("6 million", 6e6, C, True, "ukrainians")]),
    ("the 47th Mechanized Brigade held", [("47th", 47, O, False, "brigade")]),
    ("3 people fled", [("3", 3, C, False, "people")]),
    ("He was 58 years old", [("58", 58, D, False, "years")]),
    ("twenty-one of the 100 jets", [("twenty-one", 21, C, False, "jets"), ("100", 100, C, False, "jets")]),
    # What is counted: the head of a compound, past possessors, participles and "one in N".
    ("two radar stations", [("two", 2, C, False, "stations")]),
    ("Three of the nine crew members", [("Three", 3, C, False, "members"), ("nine", 9, C, False, "members")]),
    ("half of the region's 900 schools", [("half", 0.5, C, False, "schools"), ("900", 900, C, False, "schools")]),
    ("a fifth of their savings", [("a fifth", 0.2, C, False, "savings")]),
    ("the 93rd brigade's positions", [("93rd", 93, O, False, "brigade")]),
    ("300 armoured vehicles", [("300", 300, C, False, "vehicles")]),
    ("one in four households", [("one", 1, C, False, "households"), ("four", 4, C, False, "households")]),
    ("the 40 remaining hostages", [("40", 40, C, False, "hostages")]),
    ("for a third straight month", [("third", 3, O, False, "month")]),
    ("3.7 million are displaced", [("3.7 million", 3.7e6, C, False, None)]),
    # Hyphenated modifiers and glued units: the unit is what the hyphen joins.
    ("a 72-hour ceasefire", [("72", 72, D, False, "hours")]),
    ("a six-month-old baby", [("six", 6, D, False, "months")]),
    ("a nine-storey building", [("nine", 9, Q, False, "storeys")]),
    ("a 1,500-page report", [("1,500", 1500, Q, False, "pages")]),
    ("120mm mortar rounds", [("120mm", 120, Q, False, "mm")]),
    ("a 40km stretch", [("40km", 40, Q, False, "km")]),
    ("a 3,000-strong contingent", [("3,000", 3000, C, False, "contingent")]),
    ("a one-off payment", []),
    ("two-way talks", []),
    # Abbreviated scales, glued or not.
    ("2.7m children", [("2.7m", 2_700_000, C, False, "children")]),
    ("a €90bn loan", [("€90bn", 90e9, M, False, None)]),
    ("$1.2bn in arms", [("$1.2bn", 1.2e9, M, False, None)]),
    ("It cost £450m.", [("£450m", 450e6, M, False, None)]),
    ("US$5m was pledged", [("US$5m", 5e6, M, False, None)]),
    ("25k subscribers", [("25k", 25_000, C, False, "subscribers")]),
    ("a 400 m race", [("400", 400, Q, False, "m")]),
    # Fractions and parts.
    ("a third of the city", [("a third", 1 / 3, C, False, "city")]),  # exact: the float nearest 1/3
    ("half of the 800 staff", [("half", 0.5, C, False, "staff"), ("800", 800, C, False, "staff")]),
    ("three-quarters of voters", [("three-quarters", 0.75, C, False, "voters")]),
    ("two thirds of the budget", [("two thirds", 2 / 3, C, False, "budget")]),
    ("a quarter of them", [("a quarter", 0.25, C, False, None)]),
    ("half a million people", [("half a million", 500_000, C, False, "people")]),
    ("three-quarters of a million", [("three-quarters of a million", 750_000, C, False, None)]),
    ("two and a half years", [("two and a half", 2.5, D, False, "years")]),
    ("half an hour later", [("half", 0.5, D, False, "hours")]),
    ("a third time", [("third", 3, O, False, "time")]),
    ("in the first half", [("first", 1, O, False, "half")]),
    ("profits fell by half", [("half", 0.5, C, False, None)]),
    ("a tenth were lost", [("a tenth", 0.1, C, False, None)]),
    ("it hit twice", [("twice", 2, C, False, None)]),
    # Signs.
    ("minus 20 degrees", [("minus 20", -20, Q, False, "degrees")]),
    ("lows of -8C", [("-8C", -8, Q, False, "degrees")]),
    ("a high of 31°C", [("31°C", 31, Q, False, "degrees")]),
    ("fell to -12 degrees", [("-12", -12, Q, False, "degrees")]),
    ("rose 0.4 percentage points", [("0.4 percentage points", 0.4, Q, False, "percentage points")]),
    ("cut by 25 basis points", [("25 basis points", 25, Q, False, "basis points")]),
    ("shares closed -2.3%", [("-2.3%", -2.3, P, False, None)]),
    # Names of models and things; clock times.
    ("a Boeing 777 landed", []),
    ("Airbus A350 jets", []),
    ("the Patriot PAC-2 system", []),
    ("Leopard 2 tanks", []),
    ("Boeing 737 Max 9 jets", []),
    ("Flight 370 vanished", []),
    ("at 4:15 a.m.", []),
    ("at 5 p.m. local time", []),
    ("at 0600 GMT", []),
    ("the FTSE 100 rose", []),
    ("the new iPhone 16 sold", []),
    ("winds of 90km/h", [("90km/h", 90, Q, False, "km/h")]),
    ("a loaf at 75 pence", [("75 pence", 75, M, False, None)]),
    ("the 2026 Winter Olympics", []),
    # Codes, names and dates are not numbers.
    ("Su-34 jets", []),
    ("MiG-29 fighters", []),
    ("S-400 systems", []),
    ("Tu-95MS bombers", []),
    ("COVID-19 cases", []),
    ("on December 29, when", []),
    ("in February 2022", []),
    ("launched in mid-2023", []),
    ("Tuesday, January 2:", []),
    ("no one was hurt", []),
    ("a second wave", []),
    # Round two. Ranges: both numbers count the same thing, with its kind and scale.
    ("30-40 people", [("30", 30, C, False, "people"), ("40", 40, C, False, "people")]),
    ("from 30 to 40 miners", [("30", 30, C, False, "miners"), ("40", 40, C, False, "miners")]),
    ("two or three days", [("two", 2, D, False, "days"), ("three", 3, D, False, "days")]),
    ("between 15 and 20 percent", [("15", 15, P, False, None), ("20 percent", 20, P, False, None)]),
    ("between 2 and 3 million visitors", [("2", 2e6, C, False, "visitors"), ("3 million", 3e6, C, False, "visitors")]),
    ("150–200 homes", [("150", 150, C, False, "homes"), ("200", 200, C, False, "homes")]),
    ("killed 30 and wounded 40 people", [("30", 30, C, False, None), ("40", 40, C, False, "people")]),  # no range
    ("from 2014–2022", []),
    # Thousands grouped by a space, a no-break, thin or narrow no-break space.
    ("38 000 displaced people", [("38 000", 38000, C, False, None)]),
    ("1\u00a0250\u00a0000 voters", [("1\u00a0250\u00a0000", 1_250_000, C, False, "voters")]),
    ("12\u202f500 arrests", [("12\u202f500", 12500, C, False, "arrests")]),
    ("4\u2009200.5 tonnes", [("4\u2009200.5", 4200.5, Q, False, "tonnes")]),
    ("in 2022 300 people", [("300", 300, C, False, "people")]),  # a year is not a group's head
    # South Asian scales.
    ("1.2 lakh people", [("1.2 lakh", 120_000, C, False, "people")]),
    ("Rs 500 crore", [("500 crore", 5e9, C, False, None)]),
    ("2.5 crore rupees", [("2.5 crore rupees", 2.5e7, M, False, None)]),
    ("lakhs of pilgrims", [("lakhs", 1e5, C, True, "pilgrims")]),
    ("a lakh people", [("a lakh", 1e5, C, False, "people")]),
    # Unicode vulgar fractions, exact.
    ("½ of the budget", [("½", 0.5, C, False, "budget")]),
    ("1½ hours", [("1½", 1.5, D, False, "hours")]),
    ("⅔ of voters", [("⅔", 2 / 3, C, False, "voters")]),
    ("2⅛ miles", [("2⅛", 2.125, Q, False, "miles")]),
    # Labels and addresses are not counts.
    ("No. 10 Downing Street", []),
    ("outside 10 Downing Street", []),
    ("221 Baker Street", []),
    ("go to platform 9", []),
    ("leave from gate 14", []),
    ("buses on route 73", []),
    ("3 street vendors", [("3", 3, C, False, "vendors")]),
    # Round three (issue 28). Multipliers: the factor, "times".
    ("exports tripled", [("tripled", 3, C, False, "times")]),
    ("prices rose threefold", [("threefold", 3, C, False, "times")]),
    ("a double murder", []),
    # Vague amounts with a quantifier: no value, the counted noun kept.
    ("several dozen protesters", [("several dozen", None, C, True, "protesters")]),
    ("A few thousand troops", [("A few thousand", None, C, True, "troops")]),
    # A number split by a line break; units glued to digits, decided by what follows.
    ("a loss of 2.4\nmillion euros", [("2.4\nmillion euros", 2.4e6, M, False, None)]),
    ("the 100m world record", [("100m", 100, Q, False, "m")]),
    ("100m people", [("100m", 1e8, C, False, "people")]),
    ("200g of cocaine", [("200g", 200, Q, False, "g")]),
    ("the 5G rollout", []),
    ("stands at 38pc", [("38pc", 38, P, False, None)]),
    # Scores count; a year naming an event does not.
    ("won 3-0 at home", [("3", 3, C, False, None), ("0", 0, C, False, None)]),
    ("the 2022 final", []),
    # "x2" is the factor; a comparison keeps its number as the lower bound, approximate (as "over 300").
    ("sales grew x2 in a year", [("x2", 2, C, False, "times")]),
    ("people over 65", [("65", 65, C, True, None)]),
    # Roman numerals: an ordinal before "century", a name elsewhere.
    ("the XIV century", [("XIV", 14, O, False, "century")]),
    ("the XIX and XX centuries", [("XX", 20, O, False, "centuries")]),
    ("Louis XIV and Super Bowl LVIII", []),
    # The counted noun: an ordinal counts nothing; an adjective is passed; a unit is whole.
    ("the eighth seed", [("eighth", 8, O, False, None)]),
    ("kept 3 clean sheets", [("3", 3, C, False, "sheets")]),
    ("burned 300 square kilometres", [("300", 300, Q, False, "square kilometres")]),
    ("gusts of 140 km/h", [("140", 140, Q, False, "km/h")]),
    ("used 12 terawatt-hours", [("12", 12, C, False, "terawatt-hours")]),
    ("signed 3 cease-fire agreements", [("3", 3, C, False, "agreements")]),
    ("38 000 residents fled", [("38 000", 38000, C, False, "residents")]),
    ("2.4\nmillion tonnes", [("2.4\nmillion", 2.4e6, Q, False, "tonnes")]),
    ("1.2 lakh farmers", [("1.2 lakh", 1.2e5, C, False, "farmers")]),
    ("Rs 500 crore was spent", [("500 crore", 5e9, C, False, None)]),
]


@pytest.mark.parametrize("text, expected", TABLE, ids=[t for t, _ in TABLE])
def test_numbers(text: str, expected: list[tuple]) -> None:
    assert numbers_in(text) == expected


WORDS = st.sampled_from(["½", "1¾", "lakh", "crore", "\u00a0", "000", "150–200", "between", "to", "No.", "Street",
                         "a", "half", "two", "-", "thirds", "of", "the", "1,200", "3.5", "m", "bn", "$",
                         "£", "minus", "-15C", "°", "C", "percentage", "points", "30", "day", "year",
                         "old", "strong", "Boeing", "737", "a.m.", "and", "quarter", "million", "."])


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(max_size=40), st.lists(st.tuples(WORDS, st.sampled_from(["", " "])), max_size=12).map(
    lambda parts: "".join(w + sep for w, sep in parts))))
def test_spans_sit_on_the_text_and_never_overlap(text: str) -> None:
    """Any text: spans match their offsets exactly, come in order without overlapping, no crash."""
    tokens = [Token(t.text, t.idx) for t in blank_english().make_doc(text)]
    spans = find_numbers(text, tokens)
    assert all(text[s.start : s.end] == s.text and s.start < s.end for s in spans)
    assert all(a.end <= b.start for a, b in itertools.pairwise(spans))


GROUPING = st.sampled_from([" ", "\u00a0", "\u2009", "\u202f"])


@settings(max_examples=200, deadline=None)
@given(head=st.integers(1, 999), groups=st.lists(st.integers(0, 999), min_size=1, max_size=3), separator=GROUPING,
       noun=st.sampled_from(["people", "voters", "homes", "troops"]))
def test_thousands_grouped_by_any_space_are_one_number(head: int, groups: list[int], separator: str, noun: str) -> None:
    digits = separator.join([str(head), *(f"{g:03d}" for g in groups)])
    assert numbers_in(f"Some {digits} {noun} fled.") == [(digits, float(digits.replace(separator, "")), C, True, noun)]


VULGAR = {"¼": 1 / 4, "½": 1 / 2, "¾": 3 / 4, "⅐": 1 / 7, "⅑": 1 / 9, "⅒": 1 / 10, "⅓": 1 / 3, "⅔": 2 / 3, "⅕": 1 / 5,
          "⅖": 2 / 5, "⅗": 3 / 5, "⅘": 4 / 5, "⅙": 1 / 6, "⅚": 5 / 6, "⅛": 1 / 8, "⅜": 3 / 8, "⅝": 5 / 8, "⅞": 7 / 8}


@settings(max_examples=200, deadline=None)
@given(whole=st.one_of(st.just(0), st.integers(1, 99)), fraction=st.sampled_from(sorted(VULGAR)))
def test_any_vulgar_fraction_is_its_exact_value(whole: int, fraction: str) -> None:
    """The float nearest the exact value: (whole * d + n) / d, not a rounded decimal."""
    written = f"{whole or ''}{fraction}"
    [(text, value, *_)] = numbers_in(f"It took {written} of the budget.")
    numerator, denominator = Fraction(VULGAR[fraction]).limit_denominator(10).as_integer_ratio()
    assert text == written and value == (whole * denominator + numerator) / denominator


@settings(max_examples=200, deadline=None)
@given(low=st.integers(2, 500), span=st.integers(1, 500), noun=st.sampled_from(["people", "civilians", "homes"]),
       form=st.sampled_from(["between {a} and {b}", "{a}-{b}", "{a}–{b}", "{a} to {b}", "from {a} to {b}", "{a} or {b}"]))
def test_any_range_connector_gives_two_numbers_counting_the_same_thing(low: int, span: int, noun: str, form: str) -> None:
    high = low + span
    found = numbers_in(f"Officials said {form.format(a=low, b=high)} {noun} were hurt.")
    assert [(text, value, unit) for text, value, _, _, unit in found] == [(str(low), low, noun), (str(high), high, noun)]


MULTIPLIERS = {"doubled": 2, "tripled": 3, "quadrupled": 4, "twofold": 2, "threefold": 3, "fourfold": 4,
               "fivefold": 5, "tenfold": 10}


@settings(max_examples=100, deadline=None)
@given(word=st.sampled_from(sorted(MULTIPLIERS)), capital=st.booleans(),
       quantifier=st.sampled_from(["several", "a few", "few"]), scale=st.sampled_from(["dozen", "hundred", "thousand"]))
def test_multipliers_are_their_factor_and_quantified_scales_have_no_value(
        word: str, capital: bool, quantifier: str, scale: str) -> None:
    written = word.capitalize() if capital else word
    assert numbers_in(f"Exports {written} as {quantifier} {scale} firms grew.") == [
        (written, MULTIPLIERS[word], C, False, "times"), (f"{quantifier} {scale}", None, C, True, "firms")]


ROMAN = {1: "I", 4: "IV", 9: "IX", 14: "XIV", 19: "XIX", 21: "XXI", 40: "XL", 90: "XC", 400: "CD", 1994: "MCMXCIV"}


@settings(max_examples=60, deadline=None)
@given(value=st.sampled_from(sorted(ROMAN)), word=st.sampled_from(["century", "centuries", "millennium"]),
       name=st.sampled_from(["Louis", "Pope Pius", "Super Bowl", "Henry"]))
def test_a_roman_numeral_is_an_ordinal_before_a_century_and_a_name_elsewhere(value: int, word: str, name: str) -> None:
    numeral = ROMAN[value]
    assert numbers_in(f"In the {numeral} {word}, {name} {numeral} ruled.") == [(numeral, value, O, False, word)]


@settings(max_examples=60, deadline=None)
@given(factor=st.integers(2, 99), sign=st.sampled_from(["x", "×"]))
def test_x_before_digits_is_a_factor(factor: int, sign: str) -> None:
    assert numbers_in(f"Output grew {sign}{factor} last year.") == [(f"{sign}{factor}", factor, C, False, "times")]


@settings(max_examples=60, deadline=None)
@given(number=st.integers(2, 900), prefix=st.sampled_from(["square", "cubic"]),
       unit=st.sampled_from(["kilometres", "metres", "miles"]),
       joined=st.sampled_from(["km/h", "kWh/m", "terawatt-hours", "gigawatt-hours", "person-days"]))
def test_units_of_two_words_or_glued_parts_are_one_counted_noun(number: int, prefix: str, unit: str, joined: str) -> None:
    assert numbers_in(f"It covers {number} {prefix} {unit}.")[0][4] == f"{prefix} {unit}"
    assert numbers_in(f"It used {number} {joined}.")[0][4] == joined.lower()


def test_counts_the_model_calls_dates_are_still_numbers() -> None:
    """Number words in a DATE ("in six seasons") and a lone number taken for one ("1 in 4") count;
    the digits of a date do not."""
    text = "1 in 4 fans left in six seasons since December 29."
    ents = ["", "", "DATE", "", "", "", "DATE", "DATE", "", "DATE", "DATE", ""]
    tokens = [Token(t.text, t.idx, ent) for t, ent in zip(blank_english().make_doc(text), ents, strict=True)]
    assert [(s.text, s.value) for s in find_numbers(text, tokens)] == [("1", 1), ("4", 4), ("six", 6)]


def test_a_range_the_model_calls_a_date_is_counts_unless_it_says_a_date() -> None:
    """"Between 30 and 40" tagged DATE says no month, year, weekday or unit: its numbers count;
    "between 5 and 7 May", tagged the same way, is a date."""
    text = "Between 30 and 40 civilians died between 5 and 7 May."
    ents = ["DATE"] * 4 + ["", "", "DATE", "DATE", "DATE", "DATE", "DATE", ""]
    tokens = [Token(t.text, t.idx, ent) for t, ent in zip(blank_english().make_doc(text), ents, strict=True)]
    assert [(s.text, s.value, s.unit) for s in find_numbers(text, tokens)] == [("30", 30, "civilians"), ("40", 40, "civilians")]


def test_numbers_inside_names_are_not_numbers() -> None:
    """With the model's entities: "Article 51" (LAW) is a name, "51 soldiers" is a count."""
    text = "Article 51 allows it; 51 soldiers died."
    ents = ["LAW", "LAW", "", "", "", "CARDINAL", "", "", ""]
    tokens = [Token(t.text, t.idx, ent) for t, ent in zip(blank_english().make_doc(text), ents, strict=True)]
    assert [(s.text, s.start, s.unit) for s in find_numbers(text, tokens)] == [("51", 22, "soldiers")]
