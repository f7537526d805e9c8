"""Pre-annotation on a Dask cluster: the documents go to the workers in batches, each worker runs
the same detection as ``annotator detect`` (:meth:`Pipeline.predict_all` and :func:`dated`), and the
predictions come back to this process, which stores them as a local run does (:class:`StoredBatches`).

Dask distributed rather than Ray: it needs no cluster of its own kind (a ``dask scheduler`` and
``dask worker`` processes, or any Dask deployment: Kubernetes, SLURM), re-runs the tasks of a worker
that died on another one, and is a plain pip package with no service to install.

The model is loaded once per worker, by a worker plugin, on the first batch it runs. A model given
as a folder (a trained, registered one) is packed and shipped to every worker, which unpacks it in
its own scratch folder; one given by name must be installed on the workers. The project's gazetteer
(its EntityRuler patterns) goes with the model and is added after it on each worker, so that the
cluster finds what a local run finds. Only so many batches
are in flight at once (two per worker thread), so the driver's memory stays flat in the corpus size.
"""

from __future__ import annotations

import hashlib
import io
import json
import logging
import os
import shutil
import tarfile
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, cast

from distributed import Client, Future, LocalCluster, WorkerPlugin, as_completed, get_worker
from distributed.client import FutureCancelledError
from distributed.scheduler import KilledWorker

from annotator.dates import article_day
from annotator.detect.detector import DetectionInterrupted, StoredBatches, annotated
from annotator.detect.gazetteer import with_patterns
from annotator.detect.pipeline import ModelError, Pipeline, load_pipeline
from annotator.domain import Span
from annotator.relations import Link
from annotator.storage import Store

BATCH_CHARACTERS = 100_000  # of text in one task: ~50 articles, ~2 s of one worker's NER
IN_FLIGHT_PER_THREAD = 2  # batches submitted per worker thread: one running, one waiting its turn
CONNECT_S = 20  # to reach the scheduler
WORKERS_S = 60  # for a first worker to join it

Documents = list[tuple[int, str, date | None]]  # (id, text, the article's date) of one batch


class ClusterError(Exception):
    """The cluster cannot be used, or was lost mid-run; ``kept`` documents were stored before."""

    def __init__(self, message: str, kept: int | None = None) -> None:
        super().__init__(message)
        self.kept = kept


@dataclass
class Detected:
    """A batch's result: each document's spans, COUNTS links and document labels, the lengths of those detected
    in pieces, and the model the worker ran (checked against the driver's)."""

    rows: list[tuple[int, tuple[list[Span], list[Link]], dict[str, float]]]  # spans and COUNTS links, labels
    pieced: list[int]
    model: tuple[str, str]


class ModelPlugin(WorkerPlugin):
    """Gives each worker the model: unpacked on arrival when shipped, loaded on its first batch
    (in the task's thread: loading in ``setup`` would stall the worker's event loop)."""

    def __init__(self, source: str | None, packed: bytes | None = None, digest: str = "",
                 patterns: list[dict[str, Any]] | None = None) -> None:
        self.source, self.packed, self.digest = source, packed, digest
        self.patterns = patterns or []
        rules = hashlib.sha256(json.dumps(self.patterns, sort_keys=True).encode()).hexdigest()[:16] if self.patterns else ""
        self.name = f"annotator-model-{digest[:16] or source}" + (f"-gazetteer-{rules}" if rules else "")
        self._folder: str | None = None
        self._pipeline: Pipeline | None = None

    def setup(self, worker: Any) -> None:
        self._lock = threading.Lock()
        if self.packed is not None:
            self._folder = unpack(self.packed, Path(worker.local_directory) / f"annotator-model-{self.digest[:16]}")
            self.packed = None  # the worker's copy of it is on disk now

    def detect(self, documents: Documents) -> Detected:
        with self._lock:  # one batch at a time: a Pipeline is not shared across threads
            if self._pipeline is None:
                try:
                    self._pipeline = with_patterns(load_pipeline(self._folder or self.source), self.patterns)
                except ModelError as err:
                    raise ModelError(f"{err} (install it on every worker, or give --model the model's folder "
                                     "to have it shipped)") from None
            pipeline = self._pipeline
            first = len(pipeline.pieced)
            predicted = pipeline.predict_all(text for _, text, _ in documents)
            rows = [(doc_id, annotated(found.spans, day, text), found.categories)
                    for (doc_id, text, day), found in zip(documents, predicted)]
            pieced = pipeline.pieced[first:]
            del pipeline.pieced[first:]
            return Detected(rows, pieced, (pipeline.name, pipeline.version))


def ship(pipeline: Pipeline) -> ModelPlugin:
    """The plugin for the driver's pipeline: its folder packed if it was loaded from one, with its gazetteer."""
    if pipeline.source is None or not Path(pipeline.source).is_dir():
        return ModelPlugin(pipeline.source, patterns=pipeline.patterns)
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w") as tar:
        tar.add(pipeline.source, arcname=".")
    packed = buffer.getvalue()
    return ModelPlugin(pipeline.source, packed, hashlib.sha256(packed).hexdigest(), pipeline.patterns)


def unpack(packed: bytes, folder: Path) -> str:
    """The shipped model in ``folder``, unpacked beside it and renamed into place when whole."""
    if not folder.exists():
        part = folder.with_name(f"{folder.name}.part-{os.getpid()}-{threading.get_ident()}")
        with tarfile.open(fileobj=io.BytesIO(packed)) as tar:
            tar.extractall(part, filter="data")
        try:
            part.rename(folder)
        except OSError:  # another worker on this machine sharing the folder was first
            shutil.rmtree(part, ignore_errors=True)
    return str(folder)


def detect_batch(plugin: str, documents: Documents) -> Detected:
    """A task: detect one batch on this worker with its plugin's model."""
    model = cast(ModelPlugin, get_worker().plugins[plugin])  # registered under this name by detect_on_cluster
    return model.detect(documents)


@contextmanager
def connect(scheduler: str) -> Iterator[Client]:
    """A client of the scheduler at ``tcp://HOST:PORT``, or of a cluster of N worker processes on
    this machine (``local:N``), with at least one worker; closed (the local cluster stopped) after."""
    with _quiet_dask(), ExitStack() as stack:
        if scheduler.startswith("local:"):
            workers = scheduler.removeprefix("local:")
            if not workers.isdigit() or int(workers) < 1:
                raise ClusterError(f"--scheduler {scheduler}: local:N takes a number of worker processes")
            # On 127.0.0.1 only, without a dashboard; its health page on a free port, not 8787
            cluster = stack.enter_context(LocalCluster(
                n_workers=int(workers), threads_per_worker=1, processes=True, host="127.0.0.1",
                dashboard_address=None, scheduler_kwargs={"dashboard_address": "127.0.0.1:0"},
                silence_logs=logging.CRITICAL))
            client = stack.enter_context(Client(cluster))
        else:
            try:
                client = stack.enter_context(Client(scheduler, timeout=CONNECT_S))
            except (OSError, ValueError) as err:  # TimeoutError is an OSError
                raise ClusterError(f"cannot reach the Dask scheduler at {scheduler}: {err}") from None
        try:
            client.wait_for_workers(1, timeout=WORKERS_S)
        except TimeoutError:
            raise ClusterError(f"no Dask worker joined the scheduler at {scheduler} within {WORKERS_S} s "
                               f"(start some: dask worker {scheduler})") from None
        yield client


@contextmanager
def _quiet_dask() -> Iterator[None]:
    """Dask's loggers silenced: they log each lost connection with its retries; the user gets one line."""
    names = ["distributed", *(name for name in logging.root.manager.loggerDict if name.startswith("distributed."))]
    loggers = {logger: logger.level for logger in map(logging.getLogger, names)}
    for logger in loggers:
        logger.setLevel(logging.CRITICAL)
    try:
        yield
    finally:
        for logger, level in loggers.items():
            logger.setLevel(level)


def detect_on_cluster(
    store: Store,
    doc_ids: Sequence[int],
    pipeline: Pipeline,
    client: Client,
    progress: Callable[[int], None] | None = None,
) -> int:
    """:func:`detect_documents` on the cluster's workers: the same spans, stored the same way;
    returns how many documents were done. Ctrl+C stores what came back and raises
    :class:`DetectionInterrupted`; a lost scheduler, a model a worker cannot load or a batch that
    killed its workers raises :class:`ClusterError` with how many were kept. A batch whose worker
    died is run again on another by Dask; each batch's result arrives once, so nothing is stored twice."""
    plugin = ship(pipeline)
    client.register_plugin(plugin, name=plugin.name)
    batches = StoredBatches(store, pipeline.name, pipeline.version)
    to_send = document_batches(store, doc_ids, BATCH_CHARACTERS)
    running = as_completed(loop=client.loop)
    address = str(client.scheduler_info()["address"])
    done = 0

    def submit() -> None:
        if client.status != "running":  # asking the scheduler would wait for it to come back
            raise ClusterError(f"lost the connection to the Dask scheduler at {address}")
        try:
            threads = sum(client.nthreads().values())  # asked each time: workers come and go
        except OSError:
            raise ClusterError(f"lost the connection to the Dask scheduler at {address}") from None
        room = IN_FLIGHT_PER_THREAD * max(1, threads) - running.count()
        if room <= 0:  # workers have left: the next result makes room
            return
        for documents in to_send:
            running.add(client.submit(detect_batch, plugin.name, documents, pure=False))
            room -= 1
            if room <= 0:
                break

    try:
        submit()
        for future in running:
            detected = _result(future, address)
            if detected.model != batches.model:
                raise ClusterError(f"a worker has {' '.join(detected.model)} where this machine has "
                                   f"{' '.join(batches.model)}: install the same version everywhere")
            for doc_id, (spans, links), categories in detected.rows:
                batches.add(doc_id, spans, categories, links)
                done += 1
                if progress:
                    progress(done)
            pipeline.pieced += detected.pieced
            submit()
        batches.store()
    except KeyboardInterrupt:
        batches.store()  # an interrupted transaction was rolled back; the batch is still in hand
        raise DetectionInterrupted(batches.stored) from None
    except ClusterError as err:
        batches.store()
        raise ClusterError(str(err), kept=batches.stored) from None
    finally:
        if client.status == "running":
            client.cancel(list(running.futures))
    return done


def document_batches(store: Store, doc_ids: Sequence[int], characters: int) -> Iterator[Documents]:
    """The documents to send, read as they are needed, in batches of about ``characters`` of text."""
    batch: Documents = []
    size = 0
    for doc_id in doc_ids:
        document = store.document(doc_id)
        batch.append((doc_id, document.text, article_day(document.date)))
        size += len(document.text)
        if size >= characters:
            yield batch
            batch, size = [], 0
    if batch:
        yield batch


def _result(future: Future[Detected], scheduler: str) -> Detected:
    """A batch's result, or the one line saying why the cluster could not give it."""
    try:
        return future.result()
    except FutureCancelledError:
        raise ClusterError(f"lost the connection to the Dask scheduler at {scheduler}") from None
    except KilledWorker as err:
        raise ClusterError(f"a batch killed every worker that ran it (out of memory?): {err}") from None
    except ModelError as err:
        raise ClusterError(f"on a worker: {err}") from None
