"""File → Export: choose format, documents and destination; the export runs in a worker."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

from PySide6.QtWidgets import (QComboBox, QDialog, QDialogButtonBox, QDoubleSpinBox, QFileDialog, QFormLayout,
                               QHBoxLayout, QLineEdit, QPushButton, QSpinBox, QWidget)

from annotator.export import FORMATS, export_documents
from annotator.storage import Store

if TYPE_CHECKING:
    from annotator.qt.main_window import MainWindow

SUFFIX = {"spacy": ".spacy", "jsonl": ".jsonl", "doccano": ".jsonl", "conll": ".conll", "csv": ".csv"}


class ExportDialog(QDialog):
    def __init__(self, window: "MainWindow") -> None:
        super().__init__(window)
        self.window_ = window
        self.setWindowTitle("Export dataset")
        self.format = QComboBox()
        self.format.addItems(FORMATS)
        self.status = QComboBox()
        self.status.addItems(["done", "all", "open", "skipped"])
        self.split = QDoubleSpinBox()
        self.split.setRange(0, 0.99)
        self.split.setSingleStep(0.05)
        self.split.setSpecialValueText("no split")
        self.seed = QSpinBox()
        self.seed.setRange(0, 1_000_000)
        self.path = QLineEdit(str(window.store.path.parent / "export.spacy"))
        browse = QPushButton("Browse…")
        browse.clicked.connect(self._browse)
        where = QHBoxLayout()
        where.addWidget(self.path)
        where.addWidget(browse)
        holder = QWidget()
        holder.setLayout(where)
        form = QFormLayout(self)
        form.addRow("Format", self.format)
        form.addRow("Documents", self.status)
        form.addRow("Train share", self.split)
        form.addRow("Split seed", self.seed)
        form.addRow("Write to", holder)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.start)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
        self.format.currentTextChanged.connect(self._suffix)

    def _suffix(self, fmt: str) -> None:
        path = Path(self.path.text())
        if self.split.value() == 0:
            self.path.setText(str(path.with_suffix(SUFFIX[fmt])))

    def _browse(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "Export to", self.path.text())
        if path:
            self.path.setText(path)

    def start(self) -> None:
        window = self.window_
        db, annotator = window.store.path, window.store.annotator
        fmt, status, out = self.format.currentText(), self.status.currentText(), Path(self.path.text())
        split, seed = (self.split.value() or None), self.seed.value()

        def work(progress: Callable[[int, int], None], cancelled: Callable[[], bool]) -> Any:
            with Store(db, annotator) as store:
                return export_documents(store, fmt, out, status, split, seed, progress=progress, cancelled=cancelled)

        def finished(report: Any) -> None:
            problems = f"; {len(report.problems)} span(s) left out (not on token boundaries)" if report.problems else ""
            window.show_message(f"Exported {report.documents} document(s), {report.spans} span(s) to "
                                f"{', '.join(str(p) for p in report.files)}{problems}.", error=bool(report.problems))

        window.workers.start(work, finished, lambda m: window.show_message(f"Export failed: {m}", error=True),
                             window.progress, "Exporting")
        self.accept()
