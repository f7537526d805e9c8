"""How much does storing detections cost over raw spaCy? Prints words/second of both, and the ratio.

Generates a corpus of news-like articles (default 2,000), then times
1. raw ``nlp.pipe`` over the texts with the same components (tok2vec + ner), and
2. ``annotator detect``'s work: the same pipe plus the number finder plus saving every
   document's predictions and the human layer's copy to a fresh project database.

    python bench/detect_speed.py [--docs 2000] [--processes 1] [--rounds 8]
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
from pathlib import Path

from annotator.detect.detector import detect_documents
from annotator.detect.pipeline import load_pipeline
from annotator.domain import NewDocument
from annotator.storage import Store

PLACES = ["Kyiv", "Kharkiv", "Odesa", "Kherson", "Donetsk", "Belgorod", "Kursk", "Zaporizhzhia", "Sumy", "Lviv"]
PEOPLE = ["Volodymyr Zelenskyy", "Antony Blinken", "Oleksandr Prokudin", "Vitali Klitschko", "Serhiy Popko"]
ORGS = ["the Ukrainian air force", "Russia's Defense Ministry", "the General Staff", "NATO", "the United Nations"]
COUNTS = ["28 of 38", "nine", "tens of thousands of", "2.4 million", "about 300", "half a dozen", "thirty-two", "38,000"]
NOUNS = ["drones", "missiles", "casualties", "people", "soldiers", "bombers", "shells", "civilians"]
SENTENCES = [
    "{org} said on Tuesday it shot down {count} {noun} over the {place} region.",
    "{person} said in his nightly address that the offensive, which began five months ago, had caused {count} {noun}.",
    "Officials in {place} reported that {count} {noun} were hit, and damage was estimated at $300 million.",
    "Prices rose 15% in {place} after {count} {noun} struck the 93rd brigade's positions, {person} said.",
    "{person} met officials from {org} in {place} to discuss {count} {noun} and a 30 km buffer zone.",
]


def article(rng: random.Random, sentences: int = 18) -> str:
    lines = [
        rng.choice(SENTENCES).format(org=rng.choice(ORGS), person=rng.choice(PEOPLE), place=rng.choice(PLACES),
                                     count=rng.choice(COUNTS), noun=rng.choice(NOUNS))
        for _ in range(sentences)
    ]
    return "\n\n".join(" ".join(lines[i : i + 3]) for i in range(0, sentences, 3))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--docs", type=int, default=2000)
    parser.add_argument("--processes", type=int, default=1)
    parser.add_argument("--rounds", type=int, default=8, help="alternating raw/full slices of the corpus")
    args = parser.parse_args()
    rng = random.Random(7)
    texts = [article(rng) + f" (Report {i}.)" for i in range(args.docs)]
    words = sum(len(t.split()) for t in texts)
    pipeline = load_pipeline()
    print(f"{args.docs} articles, {words:,} words, model {pipeline.describe()}, components {pipeline.nlp.pipe_names}")

    list(pipeline.nlp.pipe(texts[:50]))  # warm up
    # Raw and full runs alternate over slices of the corpus, so a change in the machine's load
    # (other programs on a shared CI box) hits both sides alike instead of skewing the ratio.
    raw = full = 0.0
    with tempfile.TemporaryDirectory() as folder:
        store = Store(Path(folder) / "bench.db", annotator="bench")
        ids = store.add_documents(NewDocument(t) for t in texts).added
        size = -(-len(texts) // args.rounds)
        for first in range(0, len(texts), size):
            started = time.perf_counter()
            for _ in pipeline.nlp.pipe(texts[first : first + size], batch_size=64, n_process=args.processes):
                pass
            raw += time.perf_counter() - started
            started = time.perf_counter()
            detect_documents(store, ids[first : first + size], pipeline, n_process=args.processes)
            full += time.perf_counter() - started
        spans = store.stats()
        store.close()

    stored = sum(row["count"] for row in spans["predictions"])
    print(f"raw nlp.pipe:             {words / raw:10,.0f} words/s  ({raw:.1f} s)")
    print(f"annotator detect + store: {words / full:10,.0f} words/s  ({full:.1f} s, {stored:,} predictions stored)")
    print(f"ratio detect/raw:         {raw / full:10.2f}  (target >= 0.9)")


if __name__ == "__main__":
    main()
