"""File → Export: choose format, documents and destination; the export runs in a worker."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QWidget,
)

from annotator.export import export_documents
from annotator.formats import FORMATS, WriteOptions, writable
from annotator.qt.status_line import StatusLine
from annotator.session import counted
from annotator.storage import Store

LAST_PATH = "export/last"
LAST_FORMAT = "export/format"


class ExportDialog(QDialog):
    def __init__(self, store: Store, status: StatusLine, settings: QSettings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store, self.status_line, self.settings = store, status, settings
        self.setWindowTitle("Export dataset")
        self.format = QComboBox()
        self.format.addItems(writable())
        self.format.setCurrentText(str(settings.value(LAST_FORMAT, "spacy")))
        self.status = QComboBox()
        self.status.addItems(["done", "all", "open", "skipped"])
        self.split = QDoubleSpinBox()
        self.split.setRange(0, 0.99)
        self.split.setSingleStep(0.05)
        self.split.setSpecialValueText("no split")
        self.seed = QSpinBox()
        self.seed.setRange(0, 1_000_000)
        # Options of one format each, shown only while that format is chosen.
        self.spans_as = QComboBox()
        self.spans_as.addItem("annotations (done work)", False)
        self.spans_as.addItem("predictions (to review in Label Studio)", True)
        self.shard_size = QSpinBox()
        self.shard_size.setRange(1, 1_000_000)
        self.shard_size.setGroupSeparatorShown(True)
        self.shard_size.setValue(WriteOptions().shard_size)
        self.shard_size.setSuffix(" documents a file")
        self.shard_size.setToolTip("More documents than this make the destination a folder of "
                                   "numbered .spacy files (000.spacy, 001.spacy, …).")
        last = settings.value(LAST_PATH, None)
        fresh = (store.path.parent / "export").with_suffix(FORMATS[self.format.currentText()].suffix.strip("/"))
        self.path = QLineEdit(str(last) if last else str(fresh))
        self.path.setMinimumWidth(460)
        browse = QPushButton("Browse…")
        browse.clicked.connect(self._browse)
        holder = QWidget()
        where = QHBoxLayout(holder)
        where.setContentsMargins(0, 0, 0, 0)
        where.addWidget(self.path, 1)
        where.addWidget(browse)
        self.note = QLabel()
        self.note.setTextFormat(Qt.TextFormat.PlainText)
        self.note.setWordWrap(True)
        self.note.setStyleSheet("color: #92400e;")
        form = QFormLayout(self)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        form.addRow("Format", self.format)
        form.addRow("Documents", self.status)
        form.addRow("Train share", self.split)
        form.addRow("Split seed", self.seed)
        form.addRow("Spans as", self.spans_as)
        form.addRow("Shard size", self.shard_size)
        form.addRow("Write to", holder)
        form.addRow(self.note)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.start)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
        self.format.currentTextChanged.connect(self._suffix)
        for box in (self.format, self.status):
            box.currentTextChanged.connect(self._explain)
        self.form = form
        self._explain()

    def _explain(self) -> None:
        """Show the chosen format's own options; say what Prodigy will do with documents not done."""
        fmt, status = self.format.currentText(), self.status.currentText()
        self.form.setRowVisible(self.spans_as, fmt == "labelstudio")
        self.form.setRowVisible(self.shard_size, fmt == "spacy")
        if fmt == "jsonl" and status in ("all", "open", "skipped"):
            self.note.setText('Documents not marked done are written with "answer": "ignore", '
                              "which Prodigy skips when it trains; only done ones are \"accept\".")
        else:
            self.note.setText("")
        self.note.setVisible(bool(self.note.text()))

    def _suffix(self, fmt: str) -> None:
        path = Path(self.path.text())
        if self.split.value() == 0:
            self.path.setText(str(path.with_suffix(FORMATS[fmt].suffix.strip("/"))))

    def _browse(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "Export to", self.path.text())
        if path:
            self.path.setText(path)

    def start(self) -> None:
        db, annotator = self.store.path, self.store.annotator
        fmt, status, out = self.format.currentText(), self.status.currentText(), Path(self.path.text())
        split, seed = (self.split.value() or None), self.seed.value()
        options = WriteOptions(as_predictions=bool(self.spans_as.currentData()), shard_size=self.shard_size.value())
        self.settings.setValue(LAST_PATH, str(out))
        self.settings.setValue(LAST_FORMAT, fmt)
        line = self.status_line

        def work(progress: Callable[[int, int], None], cancelled: Callable[[], bool]) -> Any:
            with Store(db, annotator) as store:
                return export_documents(store, fmt, out, status, split, seed, progress=progress, cancelled=cancelled,
                                        options=options)

        def finished(report: Any) -> None:
            if report.cancelled:
                line.show_message(f"Export cancelled: nothing written, {out.name} left as it was.")
                return
            problems = f"; {counted(len(report.problems), 'span')} left out (not on token boundaries)" if report.problems else ""
            line.show_message(f"Exported {counted(report.documents, 'document')}, {counted(report.spans, 'span')} to "
                              f"{', '.join(str(p) for p in report.files)}{problems}.", error=bool(report.problems))

        line.run("Exporting", work, finished, "Export failed")
        self.accept()
