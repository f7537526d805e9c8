"""Does "next unreviewed where suggestions are least certain" find the model's mistakes sooner than the
list's order? Prints the edits a labeller makes in the first K documents under each order.

Each document's suggestions come from the model as ``annotator detect`` makes them, with the
uncertainty measured (annotator.detect.uncertainty); the edits each document needs (add, remove,
relabel, resize, to reach the gold) are counted by bench/learning_stream.py's labeller with learning
off, so that a document's edits do not depend on the order. Orders compared: the list's order, least
certain first, and two yardsticks: longest first (a long document holds more mistakes whatever the
model says) and the best possible order (most edits first, known only from the gold).

    python bench/uncertainty_order.py --generate 200 [--varied]
    python bench/uncertainty_order.py --gold PROJECT.db [--annotator NAME] [--docs N] [--map MODEL=GOLD ...]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from learning_stream import generated, gold_options, read_project, replay

from annotator.detect.pipeline import load_pipeline
from annotator.domain import ENTITIES
from annotator.review.evaluate import parse_mapping


def ranks(values: list[float]) -> list[float]:
    order = sorted(range(len(values)), key=lambda i: values[i])
    out = [0.0] * len(values)
    i = 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and values[order[j + 1]] == values[order[i]]:
            j += 1
        for k in range(i, j + 1):
            out[order[k]] = (i + j) / 2
        i = j + 1
    return out


def spearman(a: list[float], b: list[float]) -> float:
    ra, rb = ranks(a), ranks(b)
    ma, mb = sum(ra) / len(ra), sum(rb) / len(rb)
    cov = sum((x - ma) * (y - mb) for x, y in zip(ra, rb))
    var = (sum((x - ma) ** 2 for x in ra) * sum((y - mb) ** 2 for y in rb)) ** 0.5
    return cov / var if var else 0.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    gold_options(parser)
    args = parser.parse_args()
    golds = (read_project(args.gold, args.annotator, args.docs) if args.gold else generated(args.generate, args.varied))
    golds = golds[: args.docs]
    if len(golds) < 4:
        sys.exit("too few done documents to compare orders")
    pipeline = load_pipeline(args.model).measure_uncertainty()
    found = list(pipeline.predict_all([g.text for g in golds]))
    predictions = [[s for s in f.spans if s.layer == ENTITIES] for f in found]
    uncertainty = [f.uncertainty or 0.0 for f in found]
    with tempfile.TemporaryDirectory() as folder:
        edits, _ = replay(golds, predictions, parse_mapping(args.map), False, Path(folder))
    n = len(golds)
    words = [len(g.text.split()) for g in golds]
    orders = {
        "list's order": list(range(n)),
        "least certain first": sorted(range(n), key=lambda i: (-uncertainty[i], i)),
        "longest first": sorted(range(n), key=lambda i: (-words[i], i)),
        "best possible": sorted(range(n), key=lambda i: (-edits[i], i)),
    }
    print(f"{n} documents, {sum(edits)} edits needed in all (learning off); suggestions by {pipeline.describe()}")
    print(f"rank correlation of uncertainty with edits: {spearman(uncertainty, [float(e) for e in edits]):.2f}, "
          f"of length with edits: {spearman([float(w) for w in words], [float(e) for e in edits]):.2f}")
    cuts = sorted({k for k in (10, 25, 50, n // 10, n // 4, n // 2) if 0 < k < n})
    print("edits found in the first K documents:")
    print(f"{'order':<22}" + "".join(f"{'K=' + str(k):>9}" for k in cuts))
    for name, order in orders.items():
        print(f"{name:<22}" + "".join(f"{sum(edits[i] for i in order[:k]):>9}" for k in cuts))
    k = cuts[-1] if n < 100 else 50
    found_list, found_uncertain = (sum(edits[i] for i in orders[o][:k]) for o in ("list's order", "least certain first"))
    print(f"first {k} documents: list's order {found_list} edits, least certain first {found_uncertain} edits")


if __name__ == "__main__":
    main()
