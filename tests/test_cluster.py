"""Pre-annotating on a Dask cluster (``detect --scheduler``): a real ``dask scheduler`` and two
``dask worker`` processes on 127.0.0.1, started and stopped (by PID) here; the same predictions as
a local ``detect``, whatever happens to a worker or to the scheduler mid-run."""

from __future__ import annotations

import os
import random
import shutil
import signal
import socket
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from annotator.cli import cli
from annotator.detect import cluster
from annotator.detect.cluster import ClusterError, connect, detect_on_cluster
from annotator.detect.detector import DetectionInterrupted, detect_documents
from annotator.detect.pipeline import Pipeline, load_pipeline
from annotator.domain import NewDocument
from annotator.storage import Store

ROOT = Path(__file__).resolve().parent.parent
DASK = Path(sys.executable).with_name("dask")
READY_S = 120  # for a scheduler and its workers to be up on a busy machine
ARTICLES = 200

PLACES = ["Kyiv", "Kharkiv", "Odesa", "Belgorod", "Lviv", "Warsaw"]
PEOPLE = ["Volodymyr Zelenskyy", "Antony Blinken", "Vitali Klitschko"]
SENTENCES = [
    "{person} said on Tuesday that {count} drones were shot down over {place}.",
    "Officials in {place} reported {count} casualties, and damage was estimated at $3 million.",
    "Prices rose 15% in {place} last month, {person} said.",
    "{person} will visit {place} next Friday to discuss a 30 km buffer zone.",
]
COUNTS = ["38", "nine", "tens of thousands of", "about 300", "half a dozen"]


def articles(n: int) -> list[NewDocument]:
    """Short news-like articles with entities, numbers and dates; some dated, for the dates' resolution."""
    rng = random.Random(24)
    made = []
    for i in range(n):
        text = " ".join(rng.choice(SENTENCES).format(person=rng.choice(PEOPLE), place=rng.choice(PLACES),
                                                     count=rng.choice(COUNTS)) for _ in range(3))
        meta = {"date": f"2024-03-{1 + i % 28:02d}"} if i % 2 else {}
        made.append(NewDocument(f"{text} (Report {i}.)", meta=meta))
    return made


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class DaskProcesses:
    """A scheduler and workers (one thread each, no nanny: a killed worker stays dead), run as a
    user would start them; every process stopped by its PID."""

    def __init__(self, folder: Path, workers: int = 2) -> None:
        self.address = f"tcp://127.0.0.1:{free_port()}"
        env = {**os.environ, "PYTHONPATH": str(ROOT)}  # the workers unpickle annotator's tasks
        quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL, "env": env, "cwd": folder}
        self.scheduler = subprocess.Popen([str(DASK), "scheduler", "--host", "127.0.0.1", "--port",
                                           self.address.rsplit(":", 1)[1], "--no-dashboard"], **quiet)  # type: ignore[call-overload]
        self.workers = [
            subprocess.Popen([str(DASK), "worker", self.address, "--host", "127.0.0.1", "--no-nanny", "--nthreads", "1",
                              "--no-dashboard", "--local-directory", str(folder / f"worker{i}")], **quiet)  # type: ignore[call-overload]
            for i in range(workers)
        ]
        try:
            with connect(self.address) as client:
                client.wait_for_workers(workers, timeout=READY_S)
        except BaseException:
            self.stop()
            raise

    def stop(self) -> None:
        """The workers first (a worker whose scheduler is gone takes long to leave), then the scheduler."""
        for group in (self.workers, [self.scheduler]):
            for process in group:
                if process.poll() is None:
                    process.terminate()
            for process in group:
                try:
                    process.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()


@pytest.fixture(scope="module")
def dask_cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DaskProcesses]:
    """A cluster that stays whole for the module's tests."""
    processes = DaskProcesses(tmp_path_factory.mktemp("dask"))
    yield processes
    processes.stop()


@pytest.fixture
def doomed_cluster(tmp_path: Path) -> Iterator[DaskProcesses]:
    """A cluster of the test's own, for one that kills part of it."""
    (tmp_path / "dask").mkdir()
    processes = DaskProcesses(tmp_path / "dask")
    yield processes
    processes.stop()


@pytest.fixture(scope="module")
def pipeline() -> Pipeline:
    return load_pipeline()


Predicted = dict[str, list[tuple[Any, ...]]]


def predicted(path: Path) -> Predicted:
    """Each document's predictions and the human layer's spans (what a person sees), by text."""
    with Store(path, annotator="tester") as store:
        return {
            store.document(i).text: sorted(
                (s.layer, s.start, s.end, s.label, s.value, s.kind, s.approx, s.unit, s.resolved, s.origin, where)
                for where, spans in (("predicted", store.predictions(i)), ("layer", store.spans(i)))
                for s in spans
            )
            for i in store.document_ids()
        }


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A project of generated articles, none detected yet (each test works on a copy)."""
    path = tmp_path_factory.mktemp("project") / "news.db"
    with Store(path, annotator="tester") as store:
        store.add_documents(articles(ARTICLES))
    return path


@pytest.fixture(scope="module")
def expected(project: Path, pipeline: Pipeline, tmp_path_factory: pytest.TempPathFactory) -> Predicted:
    """What a local ``annotator detect`` stores for the project."""
    local = tmp_path_factory.mktemp("local") / "news.db"
    shutil.copy(project, local)
    with Store(local, annotator="tester") as store:
        assert detect_documents(store, store.document_ids(), pipeline) == ARTICLES
    return predicted(local)


@pytest.fixture
def copy(project: Path, tmp_path: Path) -> Path:
    path = tmp_path / "news.db"
    shutil.copy(project, path)
    return path


@pytest.fixture
def small_batches(monkeypatch: pytest.MonkeyPatch) -> None:
    """About eight articles a batch, so that a run is many batches."""
    monkeypatch.setattr(cluster, "BATCH_CHARACTERS", 2_000)


def detect(path: Path, scheduler: str, *more: str) -> Any:
    return CliRunner().invoke(cli, ["detect", "--db", str(path), "--annotator", "tester", "--scheduler", scheduler, *more])


def stored_once(monkeypatch: pytest.MonkeyPatch) -> Counter[int]:
    """How many times each document's predictions are stored (watched on every Store)."""
    counts: Counter[int] = Counter()
    save = Store.save_many_predictions

    def counted(self: Store, batch: Sequence[tuple[int, Any]], model: str, version: str) -> list[bool]:
        counts.update(doc_id for doc_id, _ in batch)
        return save(self, batch, model, version)

    monkeypatch.setattr(Store, "save_many_predictions", counted)
    return counts


def test_the_cluster_stores_the_same_predictions_as_a_local_run(
        dask_cluster: DaskProcesses, copy: Path, expected: Predicted, small_batches: None,
        monkeypatch: pytest.MonkeyPatch) -> None:
    stores = stored_once(monkeypatch)
    result = detect(copy, dask_cluster.address)
    assert result.exit_code == 0, result.output
    assert f"Detected entities and numbers in {ARTICLES} document(s)." in result.output
    assert predicted(copy) == expected
    assert set(stores.values()) == {1}
    again = detect(copy, dask_cluster.address)  # --new: nothing left to do
    assert again.exit_code == 0 and "Detected entities and numbers in 0 document(s)." in again.output


def test_a_worker_killed_mid_run_loses_nothing_and_stores_nothing_twice(
        doomed_cluster: DaskProcesses, copy: Path, expected: Predicted, pipeline: Pipeline, small_batches: None,
        monkeypatch: pytest.MonkeyPatch) -> None:
    stores = stored_once(monkeypatch)
    killed: list[int] = []
    with connect(doomed_cluster.address) as client, Store(copy, annotator="tester") as store:

        def kill_a_busy_worker(done: int) -> None:
            if killed:
                return
            busy = [address for address, keys in client.processing().items() if keys]
            pid = client.run(os.getpid, workers=busy[:1])[busy[0]]
            os.kill(pid, signal.SIGKILL)
            killed.append(pid)

        assert detect_on_cluster(store, store.document_ids(), pipeline, client, progress=kill_a_busy_worker) == ARTICLES
    assert killed[0] in {w.pid for w in doomed_cluster.workers}
    assert sum(w.poll() is not None for w in doomed_cluster.workers) == 1
    assert predicted(copy) == expected
    assert set(stores.values()) == {1} and len(stores) == ARTICLES


def test_the_scheduler_gone_mid_run_says_so_keeps_what_is_stored_and_a_rerun_does_the_rest(
        doomed_cluster: DaskProcesses, dask_cluster: DaskProcesses, copy: Path, expected: Predicted,
        small_batches: None, monkeypatch: pytest.MonkeyPatch) -> None:
    save = Store.save_many_predictions

    def scheduler_dies_after_the_first_transaction(self: Store, batch: Any, model: str, version: str) -> list[bool]:
        copied = save(self, batch, model, version)
        if doomed_cluster.scheduler.poll() is None:
            doomed_cluster.scheduler.kill()
            doomed_cluster.scheduler.wait()
        return copied

    monkeypatch.setattr(Store, "save_many_predictions", scheduler_dies_after_the_first_transaction)
    result = detect(copy, doomed_cluster.address)
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    with Store(copy) as store:
        kept = ARTICLES - len(store.documents_without_predictions())
    assert lines[-1] == (f"Error: lost the connection to the Dask scheduler at {doomed_cluster.address}; {kept} of "
                         f"{ARTICLES} document(s) were detected and kept (annotator detect --new does the rest)")
    assert 0 < kept < ARTICLES
    assert "Traceback" not in result.output
    monkeypatch.setattr(Store, "save_many_predictions", save)

    again = detect(copy, dask_cluster.address)
    assert again.exit_code == 0, again.output
    assert f"Detected entities and numbers in {ARTICLES - kept} document(s)." in again.output
    assert predicted(copy) == expected


def test_ctrl_c_keeps_what_came_back_and_the_next_run_does_the_rest(
        dask_cluster: DaskProcesses, copy: Path, expected: Predicted, pipeline: Pipeline, small_batches: None) -> None:
    def interrupt_after_seven(done: int) -> None:
        if done == 7:
            raise KeyboardInterrupt

    with connect(dask_cluster.address) as client, Store(copy, annotator="tester") as store:
        with pytest.raises(DetectionInterrupted) as caught:
            detect_on_cluster(store, store.document_ids(), pipeline, client, progress=interrupt_after_seven)
        assert caught.value.kept == 7
        assert len(store.documents_without_predictions()) == ARTICLES - 7
        assert detect_on_cluster(store, store.documents_without_predictions(), pipeline, client) == ARTICLES - 7
    assert predicted(copy) == expected


def test_batches_are_streamed_two_a_worker_thread_at_most(
        dask_cluster: DaskProcesses, copy: Path, pipeline: Pipeline, small_batches: None,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """The driver's memory stays flat in the corpus size: batches are sent as results come back."""
    sent, received, most = 0, 0, 0
    result = cluster._result

    def counted_result(future: Any, scheduler: str) -> Any:
        nonlocal received
        received += 1
        return result(future, scheduler)

    monkeypatch.setattr(cluster, "_result", counted_result)
    with connect(dask_cluster.address) as client, Store(copy, annotator="tester") as store:
        submit = client.submit

        def counted_submit(*args: Any, **kwargs: Any) -> Any:
            nonlocal sent, most
            sent += 1
            most = max(most, sent - received)
            return submit(*args, **kwargs)

        monkeypatch.setattr(client, "submit", counted_submit)
        assert detect_on_cluster(store, store.document_ids()[:80], pipeline, client) == 80
    assert sent == received >= 8
    assert most == 2 * 2  # two workers of one thread


def test_a_model_folder_is_shipped_to_workers_that_lack_it(
        dask_cluster: DaskProcesses, copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import spacy

    nlp = spacy.blank("en")
    nlp.add_pipe("entity_ruler").add_patterns([{"label": "CITY", "pattern": "Kyiv"}])  # type: ignore[attr-defined]  # add_pipe is typed as any component
    (tmp_path / "models").mkdir()
    nlp.to_disk(tmp_path / "models" / "cities")
    monkeypatch.chdir(tmp_path)  # a path the workers, started elsewhere, cannot see
    result = detect(copy, dask_cluster.address, "--model", "models/cities")
    assert result.exit_code == 0, result.output
    with Store(copy, annotator="tester") as store:
        for doc_id in store.document_ids():
            text = store.document(doc_id).text
            cities = [s.text for s in store.predictions(doc_id) if s.label == "CITY"]
            assert cities == ["Kyiv"] * text.count("Kyiv")


def test_import_on_a_local_cluster_detects_the_new_articles(tmp_path: Path, expected: Predicted) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    for i, document in enumerate(articles(ARTICLES)[:12:2]):  # undated ones: a .txt carries no date
        (folder / f"{i}.txt").write_text(document.text, encoding="utf-8")
    db = tmp_path / "news.db"
    result = CliRunner().invoke(cli, ["import", str(folder), "--db", str(db), "--annotator", "tester", "--scheduler", "local:1"])
    assert result.exit_code == 0, result.output
    assert "Detected entities and numbers in 6 document(s)." in result.output
    assert predicted(db) == {text: expected[text] for text in predicted(db)}


@pytest.mark.parametrize(("options", "line"), [
    (["local:none"], "Error: --scheduler local:none: local:N takes a number of worker processes"),
    (["local:0"], "Error: --scheduler local:0: local:N takes a number of worker processes"),
    (["local:2", "--processes", "2"], "Error: --processes is for detecting here, --scheduler on a cluster: give one of them"),
])
def test_a_bad_scheduler_is_one_line(copy: Path, options: list[str], line: str) -> None:
    result = detect(copy, *options)
    assert result.exit_code in (1, 2) and result.output.strip().splitlines()[-1] == line
    with Store(copy) as store:
        assert len(store.documents_without_predictions()) == ARTICLES


def test_a_scheduler_nobody_runs_is_one_line_and_nothing_changes(copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cluster, "CONNECT_S", 2)
    address = f"tcp://127.0.0.1:{free_port()}"
    result = detect(copy, address)
    assert result.exit_code == 1
    assert result.output.strip().splitlines()[-1].startswith(f"Error: cannot reach the Dask scheduler at {address}: ")
    with Store(copy) as store:
        assert len(store.documents_without_predictions()) == ARTICLES


def test_without_dask_the_option_says_what_to_install(copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delitem(sys.modules, "annotator.detect.cluster")
    monkeypatch.setitem(sys.modules, "distributed", None)  # as if not installed
    result = detect(copy, "local:1")
    assert result.exit_code == 1
    assert result.output.strip().splitlines()[-1] == "Error: --scheduler needs Dask distributed: pip install 'annotator[cluster]'"


def test_a_model_a_worker_cannot_load_is_one_line(dask_cluster: DaskProcesses, pipeline: Pipeline, copy: Path) -> None:
    elsewhere = Pipeline(pipeline.nlp, pipeline.name, pipeline.version, source="en_core_web_nowhere")
    with connect(dask_cluster.address) as client, Store(copy, annotator="tester") as store, \
            pytest.raises(ClusterError) as caught:
        detect_on_cluster(store, store.document_ids(), elsewhere, client)
    assert str(caught.value).startswith("on a worker: cannot load the spaCy pipeline 'en_core_web_nowhere'")
    assert str(caught.value).endswith("(install it on every worker, or give --model the model's folder to have it shipped)")
    assert caught.value.kept == 0


def test_the_cluster_detects_with_the_project_gazetteer_as_a_local_run_does(
        dask_cluster: DaskProcesses, copy: Path, tmp_path: Path, small_batches: None) -> None:
    with Store(copy, annotator="tester") as store:  # what the person decided: Odesa a person, Lviv an organisation
        store.decisions.import_decisions([("Odesa", "PERSON"), ("Lviv", "ORG")])
    local = tmp_path / "local.db"
    shutil.copy(copy, local)
    here = CliRunner().invoke(cli, ["detect", "--db", str(local), "--annotator", "tester"])
    assert here.exit_code == 0, here.output
    result = detect(copy, dask_cluster.address)
    assert result.exit_code == 0, result.output
    assert predicted(copy) == predicted(local)
    with Store(copy, annotator="tester") as store:
        found = {(s.text, s.label) for i in store.document_ids() for s in store.predictions(i) if s.text in ("Odesa", "Lviv")}
    assert found == {("Odesa", "PERSON"), ("Lviv", "ORG")}
