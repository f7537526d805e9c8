"""Generated, fully labelled war-news documents: for the training tests and bench, and to try
``annotator train`` before labelling anything.

Entities (PERSON, GPE, ORG) are placed by the templates. Numbers are the ones our rules find,
labelled the way a person would from what they count: CASUALTIES for people and soldiers,
WEAPONS for drones and missiles, AMOUNT for money, NUMBER for the rest.
"""

from __future__ import annotations

import random
import re

from annotator.domain import DONE, ENTITIES, NUMBERS, NewDocument, Span

PEOPLE = ["Volodymyr Zelenskyy", "Antony Blinken", "Oleksandr Prokudin", "Vitali Klitschko", "Serhiy Popko",
          "Olena Kovalenko", "Dmytro Kuleba", "Mark Rutte", "Ihor Terekhov", "Andriy Yermak", "Kaja Kallas",
          "Roman Mrochko", "Yulia Svyrydenko", "Oleh Syniehubov", "Natalia Humeniuk"]
PLACES = ["Kyiv", "Kharkiv", "Odesa", "Kherson", "Donetsk", "Belgorod", "Kursk", "Zaporizhzhia", "Sumy", "Lviv",
          "Dnipro", "Mykolaiv", "Poltava", "Chernihiv", "Pokrovsk", "Bakhmut", "Avdiivka", "Izium"]
ORGS = ["NATO", "the United Nations", "the General Staff", "the Red Cross", "Ukrenergo", "Naftogaz",
        "the European Commission", "the World Bank", "the Pentagon", "Amnesty International"]
COUNTS = ["12", "nine", "28", "tens of thousands of", "2.4 million", "about 300", "half a dozen", "thirty-two",
          "38,000", "seven", "150", "dozens of", "four"]
CASUALTY_NOUNS = ["casualties", "soldiers", "civilians", "people", "children", "troops"]
WEAPON_NOUNS = ["drones", "missiles", "shells", "bombers", "rockets", "tanks"]
OTHER_NOUNS = ["villages", "trains", "schools", "homes", "bridges", "kilometres"]
SENTENCES = [
    "{org} said on Tuesday that {n1} {weapon} were shot down over the {place} region.",
    "{person} said in a nightly address that the offensive near {place} had caused {n2} {casualty}.",
    "Officials in {place} reported that {n1} {other} were damaged, with losses put at ${money} million.",
    "{person} met representatives of {org} in {place} to discuss {n3} {other} and aid worth ${money} million.",
    "According to {org}, Russia launched {n1} {weapon} at {place} overnight, and {n2} {casualty} were wounded.",
    "{person}, speaking in {place}, said {n2} {casualty} had been evacuated.",
    "In {place}, {person} thanked {org} for {n1} {weapon} delivered this month.",
    "{org} estimated the damage in {place} at ${money} million after {n3} {other} were hit.",
]
FIELDS = {"person": ("PERSON", PEOPLE), "place": ("GPE", PLACES), "org": ("ORG", ORGS)}
SEEN = 2 / 3  # training documents name the first two thirds of each list; ``unseen`` ones the rest
NUMBER_LABELS = ("NUMBER", "CASUALTIES", "WEAPONS", "AMOUNT")


def _names(choices: list[str], unseen: bool) -> list[str]:
    cut = round(len(choices) * SEEN)
    return choices[cut:] if unseen else choices[:cut]


def _sentence(rng: random.Random, template: str, unseen: bool) -> tuple[str, list[tuple[int, int, str]]]:
    """One filled-in sentence and its entities (start, end, label)."""
    text, entities, at = "", [], 0
    for match in re.finditer(r"\{(\w+)\}", template):
        text += template[at : match.start()]
        key = match.group(1)
        if key in FIELDS:
            label, choices = FIELDS[key]
            value = rng.choice(_names(choices, unseen))
            start = len(text) + (4 if value.startswith("the ") else 0)
            entities.append((start, len(text) + len(value), label))
        else:
            value = {"n1": rng.choice(COUNTS), "n2": rng.choice(COUNTS), "n3": rng.choice(COUNTS),
                     "weapon": rng.choice(WEAPON_NOUNS), "casualty": rng.choice(CASUALTY_NOUNS),
                     "other": rng.choice(OTHER_NOUNS), "money": str(rng.choice([5, 40, 120, 300, 950]))}[key]
        text += value
        at = match.end()
    return text + template[at:], entities


def number_label(span: Span) -> str:
    """What a person would call this number, from what it counts."""
    unit = (span.unit or "").lower()
    if span.kind == "money":
        return "AMOUNT"
    if unit in CASUALTY_NOUNS:
        return "CASUALTIES"
    if unit in WEAPON_NOUNS:
        return "WEAPONS"
    return "NUMBER"


def labelled_news(count: int, seed: int = 0, sentences: int = 6, unseen: bool = False) -> list[NewDocument]:
    """``count`` done documents with entities and labelled numbers in their spans; ``unseen``
    ones name people, places and organisations that the others never do (a fair test set)."""
    from annotator.detect.numbers import find_numbers
    from annotator.detect.pipeline import make_doc
    from annotator.detect.trainable import tokens_of

    rng = random.Random(seed)
    docs = []
    for number in range(count):
        text, entities = "", []
        for _ in range(sentences):
            sentence, found = _sentence(rng, rng.choice(SENTENCES), unseen)
            entities += [(len(text) + s, len(text) + e, label) for s, e, label in found]
            text += sentence + " "
        text += f"(Report {number + 1}.)"
        spans = [Span.of(text, s, e, label, layer=ENTITIES) for s, e, label in entities]
        numbers = find_numbers(text, tokens_of(make_doc(text)))
        spans += [n.with_(label=number_label(n)) for n in numbers if n.layer == NUMBERS]
        docs.append(NewDocument(text, {"source": f"generated-{seed}-{number + 1}"}, spans, status=DONE))
    return docs
