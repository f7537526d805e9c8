"""How often the suggested COUNTS links are right, on sentences written for the measure and used
in no test (bench/counts_links_eval.jsonl: each number and the noun it counts). A link is right
when it joins the gold number to a span that holds the gold noun (the first one after the
number); P/R/F1 over links, for the dev part and the held-out part apart.

    python bench/counts_links_quality.py [--model NAME]
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from annotator.counts import suggest
from annotator.detect.pipeline import load_pipeline

HERE = Path(__file__).parent


def score(rows: list[dict], found: list[list[tuple[str, str, int, int]]]) -> tuple[float, float, float, list[str]]:
    right = wrong = missed = 0
    misses = []
    for row, links in zip(rows, found, strict=True):
        gold = {(number, noun) for number, noun in row["links"]}
        got = set()
        for number, target, start, end in links:
            noun = next((n for g_number, n in gold if g_number == number and n in row["text"][start:end].split()), None)
            got.add((number, noun or f"?{target}"))
        right += len(got & gold)
        wrong += len(got - gold)
        missed += len(gold - got)
        if got != gold:
            misses.append(f"  {row['text']}\n    gold {sorted(gold)} got {sorted(got)}")
    p = right / (right + wrong) if right + wrong else 1.0
    r = right / (right + missed) if right + missed else 1.0
    return p, r, 2 * p * r / (p + r) if p + r else 0.0, misses


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--model", default=None)
    args = parser.parse_args()
    rows = [json.loads(line) for line in (HERE / "counts_links_eval.jsonl").read_text(encoding="utf-8").splitlines()]
    pipeline = load_pipeline(args.model)
    found = []
    for row, spans in zip(rows, pipeline.predict(r["text"] for r in rows), strict=True):
        _, links = suggest(row["text"], spans)
        found.append([(link.head.text, link.child.text, link.child.start, link.child.end) for link in links])
    for part in ("dev", "held-out", "all"):
        chosen = [i for i, row in enumerate(rows) if part in (row["part"], "all")]
        p, r, f1, misses = score([rows[i] for i in chosen], [found[i] for i in chosen])
        print(f"{part:9} {len(chosen):3} sentences  P {p:.3f}  R {r:.3f}  F1 {f1:.3f}")
        if part != "all":
            print("\n".join(misses))


if __name__ == "__main__":
    main()
