"""How fast is ``annotator detect --scheduler local:N`` beside ``detect --processes N`` and raw
``nlp.pipe(n_process=N)``, what does a batch cost the driver, and so how far does one driver go?

Generates news-like articles (those of bench/detect_speed.py), then times, alternating over
slices of the corpus so that other load on the machine hits all sides alike:
1. raw ``nlp.pipe(n_process=N)`` with the components detect runs (NER alone),
2. ``detect_documents(n_process=N)``: detect with N processes, storing into a fresh project,
3. ``detect_on_cluster`` on a ``LocalCluster`` of N one-thread worker processes, storing likewise
   (the cluster is started, and each worker's model loaded, once before: that is printed apart;
   raw and local detect start their N processes and load the model in each slice).
Then the driver's side of one batch: reading its documents, pickling them and the result (what
Dask sends), a round trip of an empty task through the scheduler, and storing the predictions;
from these, the documents per second one driver can take in, and the workers that fill it.

    python bench/cluster_detect.py [--docs 800] [--workers 2] [--rounds 2]
"""

from __future__ import annotations

import argparse
import pickle
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

from detect_speed import corpus  # a sibling script: python bench/cluster_detect.py puts bench/ on the path
from distributed import Client

from annotator.detect import cluster
from annotator.detect.cluster import Detected, connect, detect_on_cluster
from annotator.detect.detector import detect_documents
from annotator.detect.pipeline import Pipeline, load_pipeline
from annotator.domain import NewDocument
from annotator.storage import Store

ARTICLES = 10_000_000  # the corpus, of ~330 words each (as the generated ones)


def fresh(folder: Path, name: str, texts: list[str]) -> tuple[Store, list[int]]:
    store = Store(folder / f"{name}.db", annotator="bench")
    return store, store.add_documents(NewDocument(t) for t in texts).added


def timed(run: Callable[..., object], *args: object, **kwargs: object) -> float:
    return cpu_timed(run, *args, **kwargs)[0]


def cpu_timed(run: Callable[..., object], *args: object, **kwargs: object) -> tuple[float, float]:
    """Wall and CPU seconds of this process (all its threads: Dask's client thread too)."""
    started, cpu = time.perf_counter(), time.process_time()
    run(*args, **kwargs)
    return time.perf_counter() - started, time.process_time() - cpu


def raw(pipeline: Pipeline, texts: list[str], processes: int) -> None:
    for _ in pipeline.nlp.pipe(texts, batch_size=64, n_process=processes):
        pass


def no_op(x: int) -> int:
    return x


def best(run: Callable[..., object], *args: object, rounds: int = 7) -> tuple[float, float]:
    """The least wall and CPU seconds of several runs: other load on the machine only adds."""
    times = [cpu_timed(run, *args) for _ in range(rounds)]
    return min(wall for wall, _ in times), min(cpu for _, cpu in times)


def per_batch(store: Store, ids: list[int], pipeline: Pipeline, client: Client) -> dict[str, tuple[float, float]]:
    """Wall and CPU seconds the driver spends on one batch of the default size, by step."""
    documents = next(cluster.document_batches(store, ids, cluster.BATCH_CHARACTERS))
    no_categories: dict[str, float] = {}
    rows = [(doc_id, store.predictions(doc_id), no_categories) for doc_id, _, _ in documents]
    result = Detected(rows, [], (pipeline.name, pipeline.version))
    back = pickle.dumps(result, protocol=5)

    def serialise() -> None:
        pickle.loads(back)
        pickle.dumps(documents, protocol=5)

    with tempfile.TemporaryDirectory() as folder:
        target, target_ids = fresh(Path(folder), "store", [text for _, text, _ in documents])
        stored = best(target.save_many_predictions, list(zip(target_ids, [s for _, s, _ in rows])), *result.model)
        target.close()
    return {
        "read": best(lambda: list(cluster.document_batches(store, [d for d, _, _ in documents], 10**12))),
        "(un)pickle": best(serialise),
        "empty task": best(lambda: client.submit(no_op, 1, pure=False).result()),
        "store": stored,
    } | {"documents": (len(documents), 0), "KiB out": (len(pickle.dumps(documents, protocol=5)) / 1024, 0),
         "KiB back": (len(back) / 1024, 0)}


def worker_cpu(pipeline: Pipeline, texts: list[str]) -> float:
    """CPU seconds a worker spends on a document: the batch task's work, here in one process."""
    documents = [(i, text, None) for i, text in enumerate(texts)]
    plugin = cluster.ModelPlugin(pipeline.source)
    plugin._lock, plugin._pipeline = threading.Lock(), pipeline
    return best(plugin.detect, documents, rounds=3)[1] / len(texts)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--docs", type=int, default=800)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--rounds", type=int, default=2, help="alternating slices of the corpus")
    args = parser.parse_args()
    texts = corpus(args.docs)
    words = sum(len(t.split()) for t in texts)
    pipeline = load_pipeline()
    n = args.workers
    print(f"{args.docs} articles, {words:,} words, model {pipeline.describe()}, {n} processes/workers")

    pipe = local = dask = 0.0
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        started = time.perf_counter()
        with connect(f"local:{n}") as client:
            warm, warm_ids = fresh(folder, "warm", texts[: 4 * n])
            cluster.BATCH_CHARACTERS, size = 1, cluster.BATCH_CHARACTERS  # a document a batch: every worker loads its model
            detect_on_cluster(warm, warm_ids, pipeline, client)
            cluster.BATCH_CHARACTERS = size
            startup = time.perf_counter() - started
            local_store, local_ids = fresh(folder, "local", texts)
            dask_store, dask_ids = fresh(folder, "dask", texts)
            slice_size = -(-len(texts) // args.rounds)
            for first in range(0, len(texts), slice_size):
                part = slice(first, first + slice_size)
                pipe += timed(raw, pipeline, texts[part], n)
                local += timed(detect_documents, local_store, local_ids[part], pipeline, n_process=n)
                dask += timed(detect_on_cluster, dask_store, dask_ids[part], pipeline, client)
            costs = per_batch(dask_store, dask_ids, pipeline, client)
            local_store.close()
            dask_store.close()

    print(f"raw nlp.pipe(n_process={n}):        {words / pipe:8,.0f} words/s  ({pipe:.1f} s)")
    print(f"detect --processes {n}:             {words / local:8,.0f} words/s  ({local:.1f} s)")
    print(f"detect --scheduler local:{n}:       {words / dask:8,.0f} words/s  ({dask:.1f} s; "
          f"cluster start and model loads apart: {startup:.1f} s)")
    print(f"ratio local:{n} / raw:              {pipe / dask:8.2f}  (raw and --processes load the model in each slice)")
    docs = costs.pop("documents")[0]
    out, back = costs.pop("KiB out")[0], costs.pop("KiB back")[0]
    print(f"the driver's part of one batch ({docs} documents, {out:.0f} KiB out, {back:.0f} KiB back), wall/CPU ms: "
          + ", ".join(f"{step} {wall * 1000:.1f}/{cpu * 1000:.1f}" for step, (wall, cpu) in costs.items()))
    driver = sum(cpu for _, cpu in costs.values()) / docs
    worker = worker_cpu(pipeline, texts[:40])
    most = worker / driver
    print(f"CPU a document: a worker {worker * 1000:.1f} ms, the driver {driver * 1000:.2f} ms: one driver (a core "
          f"of its own) keeps up with about {most:.0f} workers (a core each), {1 / driver:,.0f} documents/s")
    for w in sorted({1, 8, 32, int(most), 4 * int(most)}):
        seconds = ARTICLES * max(worker / w, driver)
        print(f"  10 million articles of 330 words on {w:4d} workers: {seconds / 3600:7.1f} h (CPU-bound, no other load)")


if __name__ == "__main__":
    main()
