"""A large pre-annotated project for the benches, built without running spaCy.

Articles are news-like sentences whose entities and numbers are known as they are written, so
each document gets ~113 predictions and the same ~113 spans copied into the annotator's layer
(as detection leaves it): 100,000 articles make ~22.6 million span rows. Everything goes in
through the Store API (the staged bulk import and ``insert_predictions``), so the schema, the
indexes and the counters are the project's own. A built project is kept in the temporary folder
and reused while the schema and this generator stay the same.

    from bigdata import project_with_predictions   # (bench/ on sys.path)
    path = project_with_predictions(100_000)        # built once, then reused
"""

from __future__ import annotations

import fcntl
import random
import tempfile
import time
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path

from annotator.domain import NUMBERS, ORIGIN_MODEL, NewDocument, Span
from annotator.storage import SCHEMA_VERSION, Store

GENERATOR = 1  # bump when the articles or spans change, so cached projects are rebuilt
MODEL, VERSION, ANNOTATOR = "en_core_web_sm", "3.8.0", "bench"
TEMPLATES = 64  # distinct article bodies; each document adds its own closing line (a unique hash)

ORGS = ["the Ukrainian air force", "Russia's Defense Ministry", "the General Staff", "NATO", "the United Nations"]
PEOPLE = ["Volodymyr Zelenskyy", "Antony Blinken", "Oleksandr Prokudin", "Vitali Klitschko", "Serhiy Popko"]
PLACES = ["Kyiv", "Kharkiv", "Odesa", "Kherson", "Donetsk", "Belgorod", "Kursk", "Zaporizhzhia", "Sumy", "Lviv"]
DAYS = ["Tuesday", "Sunday", "March 3", "last week", "Friday night"]
NOUNS = ["drones", "missiles", "casualties", "people", "soldiers", "shells"]
# A sentence is pieces of text and slots; a slot becomes a span (entity, and number if it is one).
SENTENCES = [
    "{ORG} said on {DATE} it shot down {COUNT} over the {GPE} region.",
    "{PERSON} said in {GPE} that {COUNT} were hit and damage reached {MONEY}.",
    "Prices rose {PERCENT} in {GPE} after {COUNT} struck, {PERSON} told {ORG}.",
    "On {DATE}, {PERSON} met officials from {ORG} in {GPE} to discuss {COUNT}.",
]


def _article(rng: random.Random, sentences: int = 19) -> tuple[str, list[Span]]:
    text, spans = "", []

    def put(piece: str, entity: str | None = None, number: str | None = None, **parsed: object) -> None:
        nonlocal text
        start, text = len(text), text + piece
        if entity:
            spans.append(Span(start, len(text), entity, piece, origin=ORIGIN_MODEL, confirmed=False))
        if number:
            spans.append(Span(start, len(text), number, piece, layer=NUMBERS, origin=ORIGIN_MODEL,
                              confirmed=False, **parsed))  # type: ignore[arg-type]

    for i in range(sentences):
        template = rng.choice(SENTENCES)
        for j, part in enumerate(template.replace("}", "{").split("{")):
            if j % 2 == 0:
                put(part)
            elif part == "COUNT":
                n, noun = rng.randint(2, 40_000), rng.choice(NOUNS)
                put(f"{n:,}", "CARDINAL", "CASUALTIES" if noun == "casualties" else "NUMBER",
                    value=float(n), kind="cardinal", unit=noun)
                put(f" {noun}")
            elif part == "MONEY":
                n = rng.randint(2, 900)
                put(f"${n} million", "MONEY", "AMOUNT", value=n * 1e6, kind="money")
            elif part == "PERCENT":
                n = rng.randint(2, 60)
                put(f"{n}%", "PERCENT", "NUMBER", value=float(n), kind="percent")
            else:
                put(rng.choice({"ORG": ORGS, "PERSON": PEOPLE, "GPE": PLACES, "DATE": DAYS}[part]), part)
        put("\n\n" if i % 3 == 2 else " ")
    return text, sorted(spans, key=lambda s: (s.start, s.layer))


@lru_cache(maxsize=1)
def _bodies() -> list[tuple[str, list[Span]]]:
    rng = random.Random(7)
    return [_article(rng) for _ in range(TEMPLATES)]


def article(i: int) -> tuple[str, list[Span]]:
    """The ``i``-th article (from 0) and its spans (those of the body; its closing line has none)."""
    text, spans = _bodies()[i % TEMPLATES]
    return f"{text}(Report {i + 1}, filed from the newsroom.)", spans


def articles(count: int, first: int = 0) -> Iterator[tuple[str, list[Span]]]:
    """``count`` distinct articles from the ``first``-th on, with their spans."""
    return (article(i) for i in range(first, first + count))


def build(path: Path, count: int, progress: bool = True) -> None:
    """Write a project of ``count`` detected articles at ``path`` through the Store API."""
    started = time.perf_counter()
    with Store(path, annotator=ANNOTATOR) as store:
        added = store.add_documents(
            NewDocument(text, {"date": "2025-01-07"}, spans=spans) for text, spans in articles(count)).added
        if progress:
            print(f"  built {count:,} articles and their layer in {time.perf_counter() - started:.0f} s", flush=True)
        batch = 2_000
        for first in range(0, count, batch):
            with store.transaction():
                for i, doc_id in enumerate(added[first : first + batch], first):
                    store.insert_predictions(doc_id, article(i)[1], MODEL, VERSION)
        if progress:
            print(f"  and their predictions in {time.perf_counter() - started:.0f} s", flush=True)


def project_with_predictions(count: int, folder: Path | None = None) -> Path:
    """The path of a built project of ``count`` detected articles (built now if not cached)."""
    folder = folder or Path(tempfile.gettempdir()) / "annotator-bench"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"big-{count}-s{SCHEMA_VERSION}-g{GENERATOR}.db"
    with open(path.with_suffix(".lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # two benches started at once build it once
        if not path.exists():
            print(f"building a project of {count:,} detected articles in {path} (kept for later runs)", flush=True)
            partial = path.with_suffix(".partial")
            for leftover in folder.glob(partial.name + "*"):
                leftover.unlink()
            build(partial, count)
            partial.rename(path)
    return path


def spans_per_document() -> float:
    """Span rows a document holds on average: its predictions plus the layer's copy."""
    return 2 * sum(len(spans) for _, spans in _bodies()) / TEMPLATES
