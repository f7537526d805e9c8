"""The Review panel: the evaluation as a chart of the layers the gold annotates (the others listed
as left out), which label the model gave instead of which, the disagreements (click one to see it
in the article), and where annotators differ, with a button to take either version into the final layer."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from annotator.domain import ENTITIES
from annotator.qt.colours import QUIET
from annotator.qt.confusion_table import ConfusionTable
from annotator.qt.result_list import ResultList
from annotator.qt.score_chart import ScoreChart
from annotator.qt.workers import Task
from annotator.review.adjudicate import FINAL, take_version
from annotator.review.agreement import PairAgreement, agreement
from annotator.review.evaluate import EDITS, Evaluation, confusion_rows, evaluate, nothing_last
from annotator.review.metrics import EXACT, OVERLAP
from annotator.session import LOCK_WAIT_S, counted
from annotator.storage import Store, StoreError


class ReviewPanel(QWidget):
    open_location = Signal(int, int, int)  # doc_id, start, end
    taken = Signal(int)  # a version was taken into the final layer of this document (its id)

    def __init__(self, store: Store, run: Callable[[Task, Callable[[Any], None]], None] | None = None) -> None:
        super().__init__()
        self.store = store
        self.run = run or (lambda work, done: done(work(lambda done, total: None, lambda: False)))
        self.chart = ScoreChart()  # drawn in a worker: matplotlib's layout took a second of the window's thread
        self.summary = QLabel("Press Refresh to compare the model with the documents marked done.")
        self.summary.setWordWrap(True)
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        self.left_out = QLabel()  # layers (and labels) the gold does not annotate: not scored
        self.left_out.setWordWrap(True)
        self.left_out.setTextFormat(Qt.TextFormat.PlainText)
        self.left_out.setStyleSheet(f"color: {QUIET};")
        self.confusion_layer = QComboBox()  # which scored layer's confusion matrix, when there are two
        self.confusion = ConfusionTable()  # rows: the gold's label; columns: the model's (— for none)
        self.confusion.setToolTip("Rows: your label; columns: the model's label at that place (— for none). "
                                  "The diagonal counts spans labelled alike (boundaries may differ).")
        self.report: Evaluation | None = None
        self.charted: list[str] = []  # the groups of bars drawn last
        self.disagreements = ResultList()  # lazy: a row's words are made as it scrolls into view
        self.differences = ResultList()
        self.pair_choice = QComboBox()  # which two people to compare, when there are more than two
        self.pairs: list[PairAgreement] = []
        self.pair: PairAgreement | None = None
        self.take_first = QPushButton("Take first's version")
        self.take_second = QPushButton("Take second's version")
        self.refresh_button = QPushButton("Refresh")
        quality = QWidget()
        quality_layout = QVBoxLayout(quality)
        quality_layout.addWidget(self.chart, 3)
        quality_layout.addWidget(self.summary)
        quality_layout.addWidget(self.left_out)
        heading = QHBoxLayout()
        self.confusion_heading = QLabel("Which label the model gave instead of yours (rows: yours; — none):")
        heading.addWidget(self.confusion_heading, 1)
        heading.addWidget(self.confusion_layer)
        quality_layout.addLayout(heading)
        quality_layout.addWidget(self.confusion)
        quality_layout.addWidget(QLabel("Disagreements (click one to see it in the article):"))
        quality_layout.addWidget(self.disagreements, 2)
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
        for listing in (self.disagreements, self.differences):
            listing.chosen.connect(lambda location: self.open_location.emit(*location))
        self.pair_choice.currentIndexChanged.connect(self._show_pair)
        self.confusion_layer.currentTextChanged.connect(self._show_confusion)
        self.take_first.clicked.connect(lambda: self._take(0))
        self.take_second.clicked.connect(lambda: self._take(1))

    def refresh(self) -> None:
        path, annotator = self.store.path, self.store.annotator

        def work(progress: Callable[[int, int], None], cancelled: Callable[[], bool]) -> tuple[Evaluation,
                                                                                                list[PairAgreement]]:
            # Cancelled (the window closing), it stops at its next step of SQL, not when it is done.
            with Store(path, annotator) as store, store.cancellable(cancelled):
                return evaluate(store), agreement(store)

        self.refresh_button.setEnabled(False)
        self.run(work, self.show_results)

    def show_results(self, results: tuple[Evaluation, list[PairAgreement]]) -> None:
        report, pairs = results
        self.refresh_button.setEnabled(True)
        self._chart(report)
        edits = ", ".join(f"{report.edits.get(k, 0)} {k}" for k in EDITS)  # (not as_dict: it describes every disagreement)
        lines = [f"{counted(report.documents, 'document')} done; model {report.model}.", f"Suggestions: {edits}."]
        if "numbers" in report.layers:
            lines.insert(1, f"Number values right: {report.values_right} of {report.values_found}.")
        if report.not_annotated:
            others = report.not_annotated
            lines.insert(1, f"{counted(others, 'other done document')} {'has' if others == 1 else 'have'} "
                            "nothing of yours: left out.")
        self.summary.setText("\n".join(lines))
        self._show_left_out(report)
        self.report = report
        self.confusion_layer.blockSignals(True)
        self.confusion_layer.clear()
        self.confusion_layer.addItems(report.layers)
        self.confusion_layer.blockSignals(False)
        self.confusion_layer.setVisible(len(report.layers) > 1)
        self._show_confusion(self.confusion_layer.currentText())
        self.disagreements.results.show(  # when there are none, said: not an empty box that looks unfinished
            report.disagreements, lambda found: f"doc {found[0]} · {found[1].describe()}", _location,
            "None: the model's spans are yours in every document marked done." if report.documents
            else "No document is marked done yet (Ctrl+Enter).")
        self.pairs = pairs
        self.pair_choice.blockSignals(True)
        self.pair_choice.clear()
        self.pair_choice.addItems([f"{p.first} and {p.second}: span F1 {p.spans.overall.f1:.2f}, kappa {p.kappa:.2f}"
                                   for p in pairs])
        self.pair_choice.blockSignals(False)
        self.pair_choice.setVisible(len(pairs) > 1)
        self._show_pair(0)

    def _show_pair(self, index: int) -> None:
        pair = self.pair = self.pairs[index] if 0 <= index < len(self.pairs) else None
        for button in (self.take_first, self.take_second):  # nothing to take from with one annotator
            button.setEnabled(pair is not None)
        if pair is None:
            self.differences.results.show((), str, _location, "Fewer than two annotators in this project.")
            return
        self.take_first.setText(f"Take {pair.first}'s version")
        self.take_second.setText(f"Take {pair.second}'s version")
        self.differences.results.show(
            pair.differences, lambda found: f"doc {found[0]} · {found[1].describe(pair.second, pair.first)}", _location, "")

    def _chart(self, report: Evaluation) -> None:
        """Bars for the layers the gold annotates only: a layer it never judged would be all zeros."""
        groups = [(f"{layer} {mode}", report.scores[mode][layer].overall)
                  for layer in report.layers for mode in ((EXACT, OVERLAP) if layer == ENTITIES else (EXACT,))]
        self.chart.show_scores(groups, "Nothing to score yet: no done document has spans of yours.")
        self.charted = [name for name, _ in groups]

    def _show_left_out(self, report: Evaluation) -> None:
        lines = [f"Left out: {layer} (the gold has no spans in this layer)" for layer in report.left_out_layers
                 if report.layers]
        lines += [f"Not scored, labels the gold never uses ({layer}): "
                  + ", ".join(f"{label} ×{n}" for label, n in sorted(counts.items()))
                  for layer, counts in report.not_scored.items() if counts and layer in report.layers]
        self.left_out.setText("\n".join(lines))
        self.left_out.setVisible(bool(lines))

    def _show_confusion(self, layer: str) -> None:
        """The confusion matrix of one scored layer as a small table, gold rows by model columns."""
        cells = dict(confusion_rows(self.report.confusion[layer])) if self.report and layer else {}
        golds, models = nothing_last({g for g, _ in cells}), nothing_last({m for _, m in cells})
        table = self.confusion  # as tall as its rows, up to a third of the window; then it scrolls
        table.show_cells(cells, golds, models, max(120, self.height() // 3))
        for widget in (table, self.confusion_heading):  # not an empty strip before anything is scored
            widget.setVisible(bool(golds))

    def _take(self, which: int) -> None:
        location = self.differences.current_location()
        if self.pair is None or location is None:
            return
        doc_id, start, end = location
        source = (self.pair.first, self.pair.second)[which]
        try:
            with Store(self.store.path, annotator=FINAL) as final, final.lock_wait(LOCK_WAIT_S):
                take_version(final, doc_id, source, start, end)
        except StoreError as err:  # another program writing (refused at once, not waited for), disk full…
            box = QMessageBox(QMessageBox.Icon.Warning, "Review", f"{source}'s version was not taken: {err}", parent=self)
            box.setTextFormat(Qt.TextFormat.PlainText)
            box.exec()
            return
        self.differences.results.note(self.differences.currentIndex().row(), f"✓ {source}'s version taken")
        self.taken.emit(doc_id)


def _location(found: tuple[int, Any]) -> tuple[int, int, int]:
    """Where a disagreement or a difference is: its document, start and end."""
    doc_id, difference = found
    return doc_id, difference.start, difference.end


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
