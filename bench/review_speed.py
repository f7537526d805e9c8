"""How long do the quality figures take on a real-sized team project? Prints seconds.

Builds a project of N articles of W words, each with the model's predictions (one span every
~16 words) and two people's corrected layers, all marked done; then times ``evaluate``,
``agreement`` and the HTML report.

    python bench/review_speed.py [--docs 200] [--words 2000]
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
from pathlib import Path

from annotator.domain import NewDocument, Span
from annotator.review.agreement import agreement
from annotator.review.evaluate import evaluate
from annotator.review.report_html import render
from annotator.storage import Store
from annotator.tokens import tokens

WORDS = ["the", "Ukrainian", "air", "force", "said", "drones", "struck", "Kyiv", "overnight", "and", "38", "people",
         "were", "hurt", "in", "Kharkiv"]
LABELS = ["GPE", "ORG", "PERSON", "NORP"]


def layer(text: str, rng: random.Random, keep: float) -> list[Span]:
    """One span every ~16 tokens; each one kept with probability ``keep``, else relabelled."""
    found = tokens(text)
    spans = []
    for i in range(0, len(found), 16):
        start, end = found[i]
        label = LABELS[i % 4] if rng.random() < keep else LABELS[(i + 1) % 4]
        spans.append(Span.of(text, start, end, label))
    return spans


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--docs", type=int, default=200)
    parser.add_argument("--words", type=int, default=2000)
    args = parser.parse_args()
    rng = random.Random(0)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "team.db"
        texts = [" ".join(rng.choice(WORDS) for _ in range(args.words)) for _ in range(args.docs)]
        with Store(path, annotator="alice") as alice:
            ids = alice.add_documents(NewDocument(t) for t in texts).added
            with alice.transaction():
                for doc, text in zip(ids, texts):
                    alice.insert_predictions(doc, layer(text, rng, 1.0), "bench_model", "1")
                    for person, keep in (("alice", 0.9), ("bob", 0.8)):
                        alice.insert_layer(doc, person, [s.with_(confirmed=True) for s in layer(text, rng, keep)])
                    alice.set_status(doc, "done")
            spans = sum(len(alice.spans(d)) for d in ids[:1])
            print(f"{args.docs} articles of {args.words} words, {spans} spans per layer")
            started = time.perf_counter()
            report = evaluate(alice)
            f1 = report.scores["exact"]["entities"].overall.f1
            print(f"evaluate: {time.perf_counter() - started:.2f} s (entity F1 {f1:.3f})")
            started = time.perf_counter()
            page = render([report])
            print(f"HTML report: {time.perf_counter() - started:.2f} s ({len(page) / 1024:.0f} KiB)")
            started = time.perf_counter()
            [pair] = agreement(alice)
            print(f"agreement: {time.perf_counter() - started:.2f} s "
                  f"(span F1 {pair.spans.overall.f1:.3f}, kappa {pair.kappa:.3f})")


if __name__ == "__main__":
    main()
