"""The number finder and parser, table-driven: what a reader of the sentence would write down."""

from __future__ import annotations

import pytest

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
    ("between 200 and 300 civilians", [("200", 200, C, False, None), ("300", 300, C, False, "civilians")]),
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
]


@pytest.mark.parametrize("text, expected", TABLE, ids=[t for t, _ in TABLE])
def test_numbers(text: str, expected: list[tuple]) -> None:
    assert numbers_in(text) == expected



def test_numbers_inside_names_are_not_numbers() -> None:
    """With the model's entities: "Article 51" (LAW) is a name, "51 soldiers" is a count."""
    text = "Article 51 allows it; 51 soldiers died."
    ents = ["LAW", "LAW", "", "", "", "CARDINAL", "", "", ""]
    tokens = [Token(t.text, t.idx, ent) for t, ent in zip(blank_english().make_doc(text), ents, strict=True)]
    assert [(s.text, s.start, s.unit) for s in find_numbers(text, tokens)] == [("51", 22, "soldiers")]
