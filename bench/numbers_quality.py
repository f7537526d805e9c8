"""How well does the number finder read news it has never seen? Prints span F1 and value accuracy.

The sentences of bench/numbers_eval.jsonl were written for this measure and appear in no test;
each carries the numbers a careful reader would mark (span text, in order) and their values.
A predicted span counts only if it has exactly the gold span's offsets; value accuracy is the
share of those whose value is right. By default the full detection pipeline runs (the model's
entities help it skip dates, times and names); ``--rules`` runs the finder on bare tokens.

``--speed`` times the finder alone on bare tokens over bench/detect_speed.py's generated
articles (best of five rounds), to compare the rules' cost before and after a change.

    python bench/numbers_quality.py [--rules] [--show] [--speed]
"""

from __future__ import annotations

import argparse
import json
import re
import time
from pathlib import Path

from annotator.detect.numbers import Token, find_numbers
from annotator.detect.pipeline import blank_english, load_pipeline
from annotator.domain import NUMBERS

EVAL = Path(__file__).with_name("numbers_eval.jsonl")


def gold_spans(text: str, gold: list[list]) -> dict[tuple[int, int], float]:
    """Gold (start, end) -> value; a repeated span text takes its next occurrence."""
    spans: dict[tuple[int, int], float] = {}
    seen: dict[str, int] = {}
    for surface, value in gold:
        hits = [m.span() for m in re.finditer(rf"(?<!\w){re.escape(surface)}(?!\w)", text)]
        k = seen.get(surface, 0)
        if k >= len(hits):
            raise SystemExit(f"gold {surface!r} not found in: {text}")
        spans[hits[k]] = float(value)
        seen[surface] = k + 1
    return spans


def speed() -> None:
    """Words per second of the number finder alone, on bare tokens (no model)."""
    from detect_speed import corpus  # the generated news of the detection bench (bench/ is on the path)

    texts = corpus(400)
    make_doc = blank_english().make_doc
    tokenized = [(t, [Token(w.text, w.idx) for w in make_doc(t)]) for t in texts]
    words = sum(len(tokens) for _, tokens in tokenized)
    best = float("inf")
    for _ in range(5):
        started = time.perf_counter()
        for text, tokens in tokenized:
            find_numbers(text, tokens)
        best = min(best, time.perf_counter() - started)
    print(f"number finder alone: {words / best:,.0f} tokens/s ({len(texts)} articles, {words:,} tokens, "
          f"{1000 * best / len(texts):.3f} ms per article, best of 5)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rules", action="store_true", help="the finder on bare tokens, no model")
    parser.add_argument("--show", action="store_true", help="print every miss, false find and wrong value")
    parser.add_argument("--speed", action="store_true", help="time the finder alone, then stop")
    args = parser.parse_args()
    if args.speed:
        return speed()
    rows = [json.loads(line) for line in EVAL.read_text(encoding="utf-8").splitlines() if line.strip()]
    texts = [row["text"] for row in rows]
    if args.rules:
        predicted = [find_numbers(t, [Token(w.text, w.idx) for w in blank_english().make_doc(t)]) for t in texts]
    else:
        pipeline = load_pipeline()
        predicted = [[s for s in spans if s.layer == NUMBERS] for spans in pipeline.predict(texts)]
    gold_total = found_total = matched = right = 0
    for row, spans in zip(rows, predicted):
        text, gold = row["text"], gold_spans(row["text"], row["numbers"])
        found = {(s.start, s.end): s.value for s in spans}
        gold_total += len(gold)
        found_total += len(found)
        for where, value in found.items():
            if where in gold:
                matched += 1
                ok = value is not None and abs(value - gold[where]) <= 1e-3 * max(1.0, abs(gold[where]))
                right += ok
                if not ok and args.show:
                    print(f"value  {text[slice(*where)]!r}: {value} (gold {gold[where]})  | {text}")
            elif args.show:
                print(f"extra  {text[slice(*where)]!r}  | {text}")
        for where in gold.keys() - found.keys():
            if args.show:
                print(f"missed {text[slice(*where)]!r}  | {text}")
    precision = matched / found_total if found_total else 0.0
    recall = matched / gold_total if gold_total else 0.0
    f1 = 2 * precision * recall / (precision + recall) if matched else 0.0
    mode = "rules on bare tokens" if args.rules else "full pipeline"
    print(f"{len(rows)} unseen sentences, {gold_total} gold numbers ({mode}): "
          f"precision {precision:.3f}, recall {recall:.3f}, F1 {f1:.3f}; "
          f"value accuracy {right / matched if matched else 0:.3f} ({right}/{matched})")


if __name__ == "__main__":
    main()
