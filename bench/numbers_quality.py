"""How well does the number finder read news it has never seen? Prints span F1 and value accuracy.

The sentences of bench/numbers_eval.jsonl were written for this measure and appear in no test;
each carries the numbers a careful reader would mark (span text, in order) and their values.
A predicted span counts only if it has exactly the gold span's offsets; value accuracy is the
share of those whose value is right (a gold value may be written as a fraction, "1/3"; the sentences
added in round two are held to the float nearest the exact value, the older ones to 1e-3); where
the gold names the counted noun (a third item), the counted-noun accuracy is the share of those
found whose ``unit`` is that noun. Figures are given apart for the first sentences, for the ones
added in round two that the rules were tuned on, and for round two's held-out part (``"held_out"``),
which no rule was tuned on. By default the full detection pipeline runs (the model's
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
from fractions import Fraction
from pathlib import Path

from annotator.detect.numbers import Token, find_numbers
from annotator.detect.pipeline import blank_english, load_pipeline
from annotator.domain import NUMBERS

EVAL = Path(__file__).with_name("numbers_eval.jsonl")


class Score:
    """Counts for one part of the set."""

    def __init__(self) -> None:
        self.rows = self.gold = self.found = self.matched = self.right = self.nouns = self.nouns_right = 0

    def line(self, name: str) -> str:
        precision = self.matched / self.found if self.found else 0.0
        recall = self.matched / self.gold if self.gold else 0.0
        f1 = 2 * precision * recall / (precision + recall) if self.matched else 0.0
        nouns = f"; counted noun {self.nouns_right}/{self.nouns}" if self.nouns else ""
        return (f"{name}: {self.rows} sentences, {self.gold} gold numbers: precision {precision:.3f}, "
                f"recall {recall:.3f}, F1 {f1:.3f}; value accuracy "
                f"{self.right / self.matched if self.matched else 0:.3f} ({self.right}/{self.matched}){nouns}")


def part_of(row: dict) -> str:
    if not row.get("added"):
        return "first set"
    return f"{row['added']} held out" if row.get("held_out") else f"{row['added']} tuned"


def gold_spans(text: str, gold: list[list]) -> dict[tuple[int, int], tuple[float | None, str | None]]:
    """Gold (start, end) -> (value, counted noun or None); a repeated span text takes its next
    occurrence. A value of null is a vague amount with no value ("several dozen")."""
    spans: dict[tuple[int, int], tuple[float | None, str | None]] = {}
    seen: dict[str, int] = {}
    for surface, value, *noun in gold:
        hits = [m.span() for m in re.finditer(rf"(?<!\w){re.escape(surface)}(?!\w)", text)]
        k = seen.get(surface, 0)
        if k >= len(hits):
            raise SystemExit(f"gold {surface!r} not found in: {text}")
        spans[hits[k]] = (None if value is None else float(Fraction(value)), noun[0] if noun else None)
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
        started = time.process_time()
        for text, tokens in tokenized:
            find_numbers(text, tokens)
        best = min(best, time.process_time() - started)
    print(f"number finder alone: {words / best:,.0f} tokens/s ({len(texts)} articles, {words:,} tokens, "
          f"{1000 * best / len(texts):.3f} ms per article, best of 5, CPU time)")


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
    scores: dict[str, Score] = {}
    for row, spans in zip(rows, predicted):
        text, gold = row["text"], gold_spans(row["text"], row["numbers"])
        score = scores.setdefault(part_of(row), Score())
        tolerance = 1e-9 if row.get("added") else 1e-3
        found = {(s.start, s.end): s for s in spans}
        score.rows += 1
        score.gold += len(gold)
        score.found += len(found)
        for where, span in found.items():
            if where not in gold:
                if args.show:
                    print(f"extra  {text[slice(*where)]!r}  | {text}")
                continue
            value, noun = gold[where]
            score.matched += 1
            ok = span.value is None if value is None else \
                span.value is not None and abs(span.value - value) <= tolerance * max(1.0, abs(value))
            score.right += ok
            if not ok and args.show:
                print(f"value  {text[slice(*where)]!r}: {span.value} (gold {value})  | {text}")
            if noun is not None:
                score.nouns += 1
                score.nouns_right += span.unit == noun
                if span.unit != noun and args.show:
                    print(f"noun   {text[slice(*where)]!r}: {span.unit} (gold {noun})  | {text}")
        for where in gold.keys() - found.keys():
            if args.show:
                print(f"missed {text[slice(*where)]!r}  | {text}")
    print("rules on bare tokens" if args.rules else "full pipeline")
    for name, score in scores.items():
        print(score.line(name))


if __name__ == "__main__":
    main()
