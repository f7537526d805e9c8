"""Importing files into a project: all or nothing, duplicates reported."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

from annotator.formats import ReadOptions, read_paths
from annotator.storage import ImportResult, Store


def import_paths(
    store: Store,
    paths: Iterable[Path | str],
    fmt: str | None = None,
    progress: Callable[[int], None] | None = None,
    options: ReadOptions | None = None,
) -> ImportResult:
    """Read every file and store its documents: all or nothing (staged in chunks, published at once).

    Raises :class:`~annotator.formats.InputError` or :class:`~annotator.domain.SpanError`
    (naming file and line) before anything is committed. ``options`` carries what the user
    said about the input (status, CoNLL documents) and gathers the readers' warnings. A file's
    document that comes in done without a span is its gold saying it holds none (``judged``).
    """
    return store.add_documents(read_paths(paths, fmt, options), progress=progress, judged=True)
