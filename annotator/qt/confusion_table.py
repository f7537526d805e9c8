"""The Review's confusion matrix: which label the model gave (columns, — for none) where the gold
has which (rows), shown through a model that makes a cell's words as it scrolls into view, so a
scheme of thousands of labels costs a dictionary of counts, not a widget item a cell."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget

Index = QModelIndex | QPersistentModelIndex
Cells = dict[tuple[str | None, str | None], int]  # (gold label, model label) -> spans; None: no span there
DIAGONAL = QColor("#dcfce7")  # the model gave the gold's label there
MEASURED_ROWS = 50  # the rows whose words set a column's width (counts: their widths differ little)


class ConfusionModel(QAbstractTableModel):
    def __init__(self) -> None:
        super().__init__()
        self.cells: Cells = {}
        self.golds: list[str | None] = []
        self.models: list[str | None] = []

    def show(self, cells: Cells, golds: list[str | None], models: list[str | None]) -> None:
        self.beginResetModel()
        self.cells, self.golds, self.models = cells, golds, models
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 (Qt's own default)
        return 0 if parent.isValid() else len(self.golds)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 (Qt's own default)
        return 0 if parent.isValid() else len(self.models)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        gold, model = self.golds[index.row()], self.models[index.column()]
        count = self.cells.get((gold, model))
        if role == Qt.ItemDataRole.DisplayRole:
            return "" if count is None else str(count)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return Qt.AlignmentFlag.AlignCenter
        if role == Qt.ItemDataRole.BackgroundRole and gold == model and count:
            return DIAGONAL
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        names = self.golds if orientation == Qt.Orientation.Vertical else self.models
        return "—" if names[section] is None else names[section]


class ConfusionTable(QTableView):
    """Rows of one height; columns as wide as the words of the first rows (Qt would measure 1,000)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.cells = ConfusionModel()
        self.setModel(self.cells)
        self.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.horizontalHeader().setResizeContentsPrecision(MEASURED_ROWS)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)

    def show_cells(self, cells: Cells, golds: list[str | None], models: list[str | None], most: int) -> None:
        """Show these counts, the table as tall as its rows up to ``most`` pixels (then it scrolls)."""
        self.cells.show(cells, golds, models)
        self.resizeColumnsToContents()
        rows = self.horizontalHeader().height() + len(golds) * self.verticalHeader().defaultSectionSize()
        self.setMaximumHeight(min(rows + 2 * self.frameWidth() + 2, most))
