"""Does ``annotator train`` cost more than plain ``spacy train``? And how good is the model?

Generates labelled news (default 300 done documents to train and score on, and 100 more that
name people, places and organisations the others never do, as a test set), then
1. ``annotator train`` over the project: reading the store, writing the corpora, preparing the
   base pipeline, spaCy's training, recording and registering the model;
2. plain ``python -m spacy train`` with the same config, corpora and step budget;
and prints the wall time of each, their ratio, and dev and test F1 of both models (entities, and
the numbers' labels), and the peak memory. With ``--rounds 2`` the runs go ours, plain, plain, ours and the times are
summed, so that a change in the machine's load hits both alike.

    python bench/train_speed.py [--docs 300] [--test 100] [--steps 500] [--base blank] [--rounds 1]
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from thinc.api import Config

from annotator.detect import training
from annotator.detect.pipeline import DEFAULT_MODELS
from annotator.storage import Store
from annotator.train.run import child_environment
from annotator.train.synthetic import labelled_news
from annotator.train.trainer import Settings, Trained, installed, train


def scores_line(name: str, seconds: float, dev: dict[str, float], test: dict[str, float]) -> str:
    def pair(s: dict[str, float]) -> str:
        return f"{s.get('ents_f', 0):.3f} / {s.get('spans_numbers_f', 0):.3f}"

    return f"{name:18} {seconds:7.1f} s   dev F1 (entities / numbers) {pair(dev)}   test {pair(test)}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--docs", type=int, default=300)
    parser.add_argument("--test", type=int, default=100)
    parser.add_argument("--steps", type=int, default=500)
    parser.add_argument("--base", default=None, help="as annotator train --base (default: the installed pipeline)")
    parser.add_argument("--rounds", type=int, default=1)
    args = parser.parse_args()
    test = [(d.text, d.spans) for d in labelled_news(args.test, seed=1001, unseen=True)]
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        store = Store(root / "bench.db", annotator="bench")
        store.add_documents(labelled_news(args.docs, seed=1000))
        ours_seconds = plain_seconds = 0.0

        def ours_once() -> Trained:
            nonlocal ours_seconds
            started = time.perf_counter()
            result = train(store, Settings(root / "ours", base=args.base, max_steps=args.steps))
            ours_seconds += time.perf_counter() - started
            return result

        def plain_once(run: Path) -> None:
            # Plain spaCy: the same config (its own console logger), the corpora and base our run wrote.
            nonlocal plain_seconds
            config = Config().from_disk(run / "config.cfg", interpolate=False)
            config["training"]["logger"] = {"@loggers": "spacy.ConsoleLogger.v1", "progress_bar": False}
            config.to_disk(root / "plain.cfg")
            command = [sys.executable, "-m", "spacy", *training.train_arguments(
                root / "plain.cfg", root / "plain", run / "corpus" / "train.spacy", run / "corpus" / "dev.spacy")]
            started = time.perf_counter()
            subprocess.run(command, check=True, stdout=subprocess.DEVNULL, env=child_environment())
            plain_seconds += time.perf_counter() - started

        ours = ours_once()
        run = ours.path.parent
        print(f"{args.docs} documents ({ours.record['documents']['train']} train, {ours.record['documents']['dev']} dev), "
              f"{args.test} test, {args.steps} steps, base {ours.record['base']['name']}, {args.rounds} round(s)")
        plain_once(run)
        for _ in range(args.rounds - 1):
            plain_once(run)
            ours_once()
        store.close()
        plain_dev = json.loads((root / "plain" / "model-best" / "meta.json").read_text())["performance"]
        print(scores_line("annotator train", ours_seconds, ours.scores, training.evaluate(ours.path, test)))
        print(scores_line("plain spacy train", plain_seconds, plain_dev,
                          training.evaluate(root / "plain" / "model-best", test)))
        untrained = training.evaluate(args.base or installed(DEFAULT_MODELS), test) if args.base != "blank" else None
        if untrained:
            print(f"{'base, untrained':18} test F1 entities {untrained['ents_f']:.3f} (it also tags labels this gold "
                  "does not use)")
        print(f"ratio (annotator / plain): {ours_seconds / plain_seconds:.2f}")
        children, own = (resource.getrusage(who).ru_maxrss / 1024 for who in (resource.RUSAGE_CHILDREN, resource.RUSAGE_SELF))
        print(f"peak memory: spaCy's training process {children:.0f} MiB, "
              f"this bench's process (reading, preparing, scoring) {own:.0f} MiB")


if __name__ == "__main__":
    main()
