"""File → Import: choosing articles, with a filter listing every kind of file that imports.

Qt's own file dialog (not the platform's), large enough and with its columns sized to what
they show, so that names, sizes and dates are not cut off.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QHeaderView, QTreeView, QWidget

from annotator.formats import FORMATS
from annotator.importing import import_paths
from annotator.qt.workers import Task
from annotator.storage import ImportResult, Store


def name_filter() -> str:
    """Every file that imports first, then each format on its own, then anything."""
    formats = [f for f in FORMATS.values() if f.reads and f.extensions]
    every = dict.fromkeys(e for f in formats for e in f.extensions)
    each = [f"{f.name} ({' '.join('*' + e for e in f.extensions)})" for f in formats]
    return ";;".join([f"Everything that imports ({' '.join('*' + e for e in every)})", *each, "All files (*)"])


def import_dialog(parent: QWidget | None, folder: str = "") -> QFileDialog:
    dialog = QFileDialog(parent, "Import articles", folder, name_filter())
    dialog.setFileMode(QFileDialog.FileMode.ExistingFiles)
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog)
    dialog.setViewMode(QFileDialog.ViewMode.Detail)
    dialog.resize(960, 600)
    for tree in dialog.findChildren(QTreeView):
        header = tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)  # the name takes what is left
        for column in range(1, header.count()):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
    return dialog


def choose_files(parent: QWidget) -> list[Path]:
    dialog = import_dialog(parent)
    if not dialog.exec():
        return []
    return [Path(p) for p in dialog.selectedFiles()]


def import_work(db: Path, annotator: str, paths: list[Path]) -> Task:
    """The import, for a worker: through its own connection, all or nothing."""
    def work(progress: Callable[[int, int], None], cancelled: Callable[[], bool]) -> ImportResult:
        with Store(db, annotator) as store:
            return import_paths(store, paths, progress=lambda n: progress(n, 0))

    return work
