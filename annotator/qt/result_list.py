"""A list of computed results (the Review's disagreements, two people's differences), shown through
a lazy model: a row's words are made when it scrolls into view, so 100,000s of results cost a
list of tuples, not a widget item each. Clicking a row tells where it is (document, start, end).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget

Index = QModelIndex | QPersistentModelIndex
Location = tuple[int, int, int]  # doc_id, start, end


class ResultModel(QAbstractListModel):
    def __init__(self) -> None:
        super().__init__()
        self.results: Sequence[Any] = ()
        self.describe: Callable[[Any], str] = str
        self.locate: Callable[[Any], Location] = lambda result: (0, 0, 0)
        self.empty = ""  # said as the only row when there are no results
        self.notes: dict[int, str] = {}  # row -> what was done there ("✓ bob's version taken")

    def show(self, results: Sequence[Any], describe: Callable[[Any], str], locate: Callable[[Any], Location],
             empty: str) -> None:
        self.beginResetModel()
        self.results, self.describe, self.locate, self.empty, self.notes = results, describe, locate, empty, {}
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 (Qt's own default)
        return 0 if parent.isValid() else len(self.results) or (1 if self.empty else 0)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if not self.results:
            return self.empty
        row = index.row()
        note = self.notes.get(row)
        text = self.describe(self.results[row])
        return f"{note} — {text}" if note else text

    def location(self, row: int) -> Location | None:
        return self.locate(self.results[row]) if 0 <= row < len(self.results) else None

    def note(self, row: int, note: str) -> None:
        self.notes[row] = note
        self.dataChanged.emit(self.index(row), self.index(row))


class ResultList(QTableView):
    """The view: a table of one column, rows of one height. (A QListView lays out every row ahead,
    asking the model's size twice per row: 3 s for 210,000 disagreements.)"""

    chosen = Signal(object)  # the Location of the row clicked

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.results = ResultModel()
        self.setModel(self.results)
        self.horizontalHeader().hide()
        self.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.verticalHeader().hide()
        self.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.setShowGrid(False)
        self.setWordWrap(False)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.clicked.connect(self._clicked)

    def current_location(self) -> Location | None:
        return self.results.location(self.currentIndex().row())

    def _clicked(self, index: QModelIndex) -> None:
        location = self.results.location(index.row())
        if location is not None:
            self.chosen.emit(location)
