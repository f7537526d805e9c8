"""How often is a news date resolved to the right calendar date? Prints the share right.

bench/dates_eval.jsonl holds sentences written for this measure (used in no test), each with its
article's date and the dates a careful reader would mark, resolved by hand. The last 23 (marked
``"added": "tense"``) were written after the future-tense rules, to measure them on first sight;
the resolver's figure is also given for them apart, as for those added in round two
(``"added": "round2"``: relative forms, days of the month alone, year-end, parts of seasons),
written before their rules: the ones the rules were tuned on, and a held-out part
(``"held_out"``) no rule was tuned on. Those of ``"added": "finder"`` (day parts, named days,
fiscal years, seasons, spans cut wrong) were written before the rule-based date finder
(annotator/detect/date_patterns.jsonl): their detection figures are given apart. Two figures:
1. the resolver alone on the gold date spans, each read in its sentence;
2. the detection pipeline: of the gold dates the model finds at the same place, how many it
   resolves right (what ``annotator evaluate`` reports), and how many it finds.

``--speed`` times the resolver alone (its cache emptied each round) over every gold date of the
set and of tests/test_dates.py, best of five rounds.

    python bench/dates_quality.py [--show] [--speed]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import time
from pathlib import Path

from annotator.dates import resolve, resolve_in, resolve_span
from annotator.detect.pipeline import load_pipeline

EVAL = Path(__file__).with_name("dates_eval.jsonl")


def speed(rows: list[dict]) -> None:
    """Phrases per second of the resolver alone, uncached."""
    phrases = [(surface, dt.date.fromisoformat(row["date"])) for row in rows for surface, _ in row["dates"]]
    table = Path(__file__).parent.parent / "tests" / "test_dates.py"
    phrases += [(m, dt.date(2024, 1, 2)) for m in re.findall(r'^    \("([^"]+)", ', table.read_text(), re.M)]
    best = float("inf")
    for _ in range(5):
        resolve.cache_clear()
        started = time.process_time()
        for _ in range(20):
            resolve.cache_clear()
            for text, day in phrases:
                resolve(text, day)
        best = min(best, time.process_time() - started)
    print(f"resolver alone, uncached: {20 * len(phrases) / best:,.0f} phrases/s ({len(phrases)} phrases, best of 5, CPU time)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--show", action="store_true", help="print every wrong resolution")
    parser.add_argument("--speed", action="store_true", help="time the resolver alone, then stop")
    args = parser.parse_args()
    rows = [json.loads(line) for line in EVAL.read_text(encoding="utf-8").splitlines() if line.strip()]
    if args.speed:
        return speed(rows)
    gold = [(row, surface, value) for row in rows for surface, value in row["dates"]]
    right = 0
    parts: dict[str, list[int]] = {}
    for row, surface, value in gold:
        start = row["text"].index(surface)  # read in its sentence, as detection and the window do
        got = resolve_in(row["text"], start, start + len(surface), dt.date.fromisoformat(row["date"]))
        right += got == value
        if row.get("added"):
            part = parts.setdefault(f"{row['added']}{' held out' if row.get('held_out') else ''}", [0, 0])
            part[0], part[1] = part[0] + (got == value), part[1] + 1
        if got != value and args.show:
            print(f"resolver {surface!r} @ {row['date']}: {got} (gold {value})")
    apart = "; ".join(f"{name} {ok}/{total}" for name, (ok, total) in parts.items())
    print(f"{len(rows)} unseen sentences, {len(gold)} gold dates: resolver alone right on "
          f"{right}/{len(gold)} ({right / len(gold):.1%}); of those added: {apart}")
    pipeline = load_pipeline()
    found = model_right = 0
    finder: dict[str, list[int]] = {}  # the date finder's sentences: [found, found and right, gold]
    for row, spans in zip(rows, pipeline.predict(row["text"] for row in rows)):
        article = dt.date.fromisoformat(row["date"])
        dates = {(s.start, s.end): resolve_span(s, article, row["text"]).resolved for s in spans if s.label == "DATE"}
        for surface, value in row["dates"]:
            start = row["text"].index(surface)
            got = dates.get((start, start + len(surface)), "not found")
            if row.get("added") == "finder":
                part = finder.setdefault("held out" if row.get("held_out") else "tuned", [0, 0, 0])
                part[0], part[1], part[2] = part[0] + (got != "not found"), part[1] + (got == value), part[2] + 1
            if got == "not found":
                if args.show:
                    print(f"model    {surface!r}: not found as a DATE entity")
                continue
            found += 1
            model_right += got == value
            if got != value and args.show:
                print(f"model    {surface!r} @ {row['date']}: {got} (gold {value})")
    print(f"detection: {found}/{len(gold)} gold dates found at the same place; of those, resolved right "
          f"{model_right}/{found} ({model_right / found if found else 0:.1%})")
    print("date finder's sentences, found / found and resolved right: "
          + "; ".join(f"{name} {f}/{n}, {r}/{n}" for name, (f, r, n) in finder.items()))


if __name__ == "__main__":
    main()
