"""How much does storing detections cost over raw spaCy? Prints words/second of both, the ratio,
and each side's peak memory.

Generates a corpus of news-like articles (default 2,000), then times, alternating over slices of
the corpus so that other load on the machine hits all sides alike:
1. raw ``nlp.pipe`` over the texts with the components ``annotator detect`` runs (NER alone:
   the sm pipeline's NER has its own tok2vec),
2. raw ``nlp.pipe`` with the shared ``tok2vec`` too (what ran before; it feeds only tagger/parser),
3. ``annotator detect``'s work: the same pipe plus the number finder plus saving every
   document's predictions and the human layer's copy to a fresh project database.
Peak memory (the process's maximum resident set, Linux) is measured for each side in a process of
its own over the same corpus. With ``--uncertainty``, a fourth side: 3. measuring how sure the
model is of each document too (annotator.detect.uncertainty), and what that costs over 3.

    python bench/detect_speed.py [--docs 2000] [--processes 1] [--rounds 8] [--uncertainty]
"""

from __future__ import annotations

import argparse
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from annotator.detect.detector import detect_documents
from annotator.detect.pipeline import Pipeline, load_pipeline
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


def corpus(docs: int) -> list[str]:
    rng = random.Random(7)
    return [article(rng) + f" (Report {i}.)" for i in range(docs)]


def raw(pipeline: Pipeline, texts: list[str], processes: int) -> None:
    for _ in pipeline.nlp.pipe(texts, batch_size=64, n_process=processes):
        pass


def peak_of(side: str, docs: int) -> float:
    """MiB: the peak resident memory of a process running one side over the whole corpus."""
    out = subprocess.run([sys.executable, __file__, "--docs", str(docs), "--peak", side],
                         capture_output=True, text=True, check=True).stdout
    return float(out.split()[-1])


def run_side(side: str, texts: list[str]) -> None:
    pipeline = load_pipeline()
    if side == "shared":
        pipeline.nlp.enable_pipe("tok2vec")
    if side in ("raw", "shared"):
        raw(pipeline, texts, 1)
    else:
        with tempfile.TemporaryDirectory() as folder, Store(Path(folder) / "bench.db", annotator="bench") as store:
            ids = store.add_documents(NewDocument(t) for t in texts).added
            detect_documents(store, ids, pipeline)
    # VmHWM, not ru_maxrss: Linux carries ru_maxrss over from the parent across exec.
    hwm = next(line for line in Path("/proc/self/status").read_text().splitlines() if line.startswith("VmHWM"))
    print(int(hwm.split()[1]) / 1024)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--docs", type=int, default=2000)
    parser.add_argument("--processes", type=int, default=1)
    parser.add_argument("--rounds", type=int, default=8, help="alternating raw/full slices of the corpus")
    parser.add_argument("--uncertainty", action="store_true", help="also time detection measuring its uncertainty")
    parser.add_argument("--peak", choices=["raw", "shared", "full"], help=argparse.SUPPRESS)  # one side, in a child process
    args = parser.parse_args()
    texts = corpus(args.docs)
    if args.peak:
        return run_side(args.peak, texts)
    words = sum(len(t.split()) for t in texts)
    pipeline = load_pipeline()
    with_tok2vec = load_pipeline()
    with_tok2vec.nlp.enable_pipe("tok2vec")
    print(f"{args.docs} articles, {words:,} words, model {pipeline.describe()}, components {pipeline.nlp.pipe_names}")

    raw(pipeline, texts[:50], 1)  # warm up
    raw(with_tok2vec, texts[:50], 1)
    ner = shared = full = measured = 0.0
    cpu_ner = cpu_full = cpu_measured = 0.0  # CPU seconds too: other processes on the machine do not count in them
    with tempfile.TemporaryDirectory() as folder:
        store = Store(Path(folder) / "bench.db", annotator="bench")
        ids = store.add_documents(NewDocument(t) for t in texts).added
        size = -(-len(texts) // args.rounds)
        for first in range(0, len(texts), size):
            part = texts[first : first + size]
            started, cpu = time.perf_counter(), time.process_time()
            raw(pipeline, part, args.processes)
            ner += time.perf_counter() - started
            cpu_ner += time.process_time() - cpu
            started = time.perf_counter()
            raw(with_tok2vec, part, args.processes)
            shared += time.perf_counter() - started
            started, cpu = time.perf_counter(), time.process_time()
            detect_documents(store, ids[first : first + size], pipeline, n_process=args.processes, measure=False)
            full += time.perf_counter() - started
            cpu_full += time.process_time() - cpu
            if args.uncertainty:
                started, cpu = time.perf_counter(), time.process_time()
                detect_documents(store, ids[first : first + size], pipeline, n_process=args.processes, measure=True)
                measured += time.perf_counter() - started
                cpu_measured += time.process_time() - cpu
        stored = sum(len(store.predictions(i)) for i in ids)
        store.close()
    peak_raw, peak_shared, peak_full = (peak_of(side, args.docs) for side in ("raw", "shared", "full"))

    print(f"raw nlp.pipe, ner:             {words / ner:8,.0f} words/s  ({ner:.1f} s, peak {peak_raw:.0f} MiB)")
    print(f"raw nlp.pipe, tok2vec + ner:   {words / shared:8,.0f} words/s  ({shared:.1f} s, peak {peak_shared:.0f} MiB)")
    print(f"annotator detect + store:      {words / full:8,.0f} words/s  ({full:.1f} s, peak {peak_full:.0f} MiB, "
          f"{stored:,} predictions stored)")
    print(f"ratio detect / raw ner:        {ner / full:8.2f}  (target >= 0.9; in CPU time {cpu_ner / cpu_full:.2f})")
    print(f"ratio raw ner / tok2vec + ner: {shared / ner:8.2f}  (what dropping the unused tok2vec gained)")
    if args.uncertainty:
        print(f"detect + store, uncertainty:   {words / measured:8,.0f} words/s  ({measured:.1f} s)")
        print(f"ratio measured / detect:       {measured / full:8.2f}  (in CPU time {cpu_measured / cpu_full:.2f})")


if __name__ == "__main__":
    main()
