"""File → Import: choosing articles, with a filter listing every kind of file that imports."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QWidget

from annotator.formats import format_of

# Every suffix the readers take (annotator.formats decides; this only offers them in the dialog).
SUFFIXES = ("txt", "text", "jsonl", "ndjson", "csv", "conll", "iob", "bio", "bilou", "spacy")


def name_filter() -> str:
    known = [s for s in SUFFIXES if format_of(Path(f"article.{s}"))]
    return f"Articles ({' '.join('*.' + s for s in known)});;All files (*)"


def choose_files(parent: QWidget) -> list[Path]:
    dialog = QFileDialog(parent, "Import articles", "", name_filter())
    dialog.setFileMode(QFileDialog.FileMode.ExistingFiles)
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog)  # Qt's own: its columns can be sized
    dialog.resize(900, 560)
    dialog.setViewMode(QFileDialog.ViewMode.Detail)
    if not dialog.exec():
        return []
    return [Path(p) for p in dialog.selectedFiles()]
