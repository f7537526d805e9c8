"""The Review panel: the evaluation as a chart, the disagreements (click one to see it in the
article), and where annotators differ, with a button to take either version into the final layer."""

from __future__ import annotations

from typing import Any, Callable

from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg
from matplotlib.figure import Figure
from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (QComboBox, QHBoxLayout, QLabel, QListWidget, QListWidgetItem, QPushButton, QTabWidget,
                               QVBoxLayout, QWidget)

from annotator.review.adjudicate import FINAL, take_version
from annotator.review.agreement import PairAgreement, agreement
from annotator.review.chart import score_bars
from annotator.review.evaluate import Evaluation, evaluate
from annotator.storage import Store

ROLE = Qt.ItemDataRole.UserRole


class ReviewPanel(QWidget):
    open_location = Signal(int, int, int)  # doc_id, start, end

    def __init__(self, store: Store, run: Callable[[Callable[[], Any], Callable[[Any], None]], None] | None = None) -> None:
        super().__init__()
        self.store = store
        self.run = run or (lambda work, done: done(work()))
        self.figure = Figure(figsize=(4, 2.6), tight_layout=True)
        self.canvas = FigureCanvasQTAgg(self.figure)
        self.summary = QLabel("Press Refresh to compare the model with the documents marked done.")
        self.summary.setWordWrap(True)
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        self.disagreements = QListWidget()
        self.differences = QListWidget()
        self.pair_choice = QComboBox()  # which two people to compare, when there are more than two
        self.pairs: list[PairAgreement] = []
        self.pair: PairAgreement | None = None
        self.take_first = QPushButton("Take first's version")
        self.take_second = QPushButton("Take second's version")
        self.refresh_button = QPushButton("Refresh")
        quality = QWidget()
        quality_layout = QVBoxLayout(quality)
        quality_layout.addWidget(self.canvas)
        quality_layout.addWidget(self.summary)
        quality_layout.addWidget(self.disagreements)
        team = QWidget()
        team_layout = QVBoxLayout(team)
        team_layout.addWidget(self.pair_choice)
        team_layout.addWidget(self.differences)
        buttons = QHBoxLayout()
        buttons.addWidget(self.take_first)
        buttons.addWidget(self.take_second)
        team_layout.addLayout(buttons)
        self.tabs = QTabWidget()
        self.tabs.addTab(quality, "Model vs human")
        self.tabs.addTab(team, "Annotators")
        layout = QVBoxLayout(self)
        layout.addWidget(self.refresh_button)
        layout.addWidget(self.tabs)
        self.refresh_button.clicked.connect(self.refresh)
        for widget in (self.disagreements, self.differences):
            widget.itemClicked.connect(self._open)
        self.pair_choice.currentIndexChanged.connect(self._show_pair)
        self.take_first.clicked.connect(lambda: self._take(0))
        self.take_second.clicked.connect(lambda: self._take(1))

    def refresh(self) -> None:
        path, annotator = self.store.path, self.store.annotator

        def work() -> tuple[Evaluation, list[PairAgreement]]:
            with Store(path, annotator) as store:
                return evaluate(store), agreement(store)

        self.refresh_button.setEnabled(False)
        self.run(work, self.show_results)

    def show_results(self, results: tuple[Evaluation, list[PairAgreement]]) -> None:
        report, pairs = results
        self.refresh_button.setEnabled(True)
        self._chart(report)
        figures = report.as_dict()
        edits = ", ".join(f"{v} {k}" for k, v in figures["edits"].items())
        lines = [f"{report.documents} document(s) done; model {report.model}.",
                 f"Number values right: {report.values_right} of {report.values_found}.", f"Suggestions: {edits}."]
        if report.not_annotated:
            lines.insert(1, f"{report.not_annotated} other done document(s) have nothing of yours: left out.")
        self.summary.setText("\n".join(lines))
        self.disagreements.clear()
        for doc_id, d in report.disagreements:
            item = QListWidgetItem(f"doc {doc_id} · {d.describe()}")
            item.setData(ROLE, (doc_id, d.start, d.end))
            self.disagreements.addItem(item)
        self.pairs = pairs
        self.pair_choice.blockSignals(True)
        self.pair_choice.clear()
        self.pair_choice.addItems([f"{p.first} and {p.second}: span F1 {p.spans.overall.f1:.2f}, kappa {p.kappa:.2f}"
                                   for p in pairs])
        self.pair_choice.blockSignals(False)
        self.pair_choice.setVisible(len(pairs) > 1)
        self._show_pair(0)

    def _show_pair(self, index: int) -> None:
        self.differences.clear()
        self.pair = self.pairs[index] if 0 <= index < len(self.pairs) else None
        if self.pair is None:
            self.differences.addItem("Fewer than two annotators in this project.")
            return
        self.take_first.setText(f"Take {self.pair.first}'s version")
        self.take_second.setText(f"Take {self.pair.second}'s version")
        for doc_id, d in self.pair.differences:
            item = QListWidgetItem(f"doc {doc_id} · {d.describe(self.pair.second, self.pair.first)}")
            item.setData(ROLE, (doc_id, d.start, d.end))
            self.differences.addItem(item)

    def _chart(self, report: Evaluation) -> None:
        self.figure.clear()
        ax = self.figure.add_subplot()
        groups = [("entities exact", report.scores["exact"]["entities"].overall),
                  ("entities overlap", report.scores["overlap"]["entities"].overall),
                  ("numbers exact", report.scores["exact"]["numbers"].overall)]
        score_bars(ax, groups)
        self.canvas.draw()

    def _open(self, item: QListWidgetItem) -> None:
        location = item.data(ROLE)
        if location:
            self.open_location.emit(*location)

    def _take(self, which: int) -> None:
        item = self.differences.currentItem()
        if self.pair is None or item is None or not item.data(ROLE):
            return
        doc_id, start, end = item.data(ROLE)
        source = (self.pair.first, self.pair.second)[which]
        with Store(self.store.path, annotator=FINAL) as final:
            take_version(final, doc_id, source, start, end)
        item.setText(f"✓ {source}'s version taken — {item.text()}")


class ReviewWindow(QWidget):
    """The Review in a window of its own, beside the annotation window: the article keeps its room."""

    closed = Signal()

    def __init__(self, panel: ReviewPanel, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setWindowTitle("Review")
        self.panel = panel
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(panel)
        self.resize(560, 720)

    def closeEvent(self, event: QCloseEvent) -> None:
        super().closeEvent(event)
        self.closed.emit()
