"""The document list: a lazy table over the store, fetched a page at a time.

Only the rows in view are read (no texts at all), so a project of 100,000 articles opens at once.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor

from annotator.domain import DocumentSummary
from annotator.storage import Store

PAGE = 200
COLUMNS = ("Status", "Date", "Title", "Spans")
STATUS_MARK = {"open": "○ open", "done": "✓ done", "skipped": "↷ skipped"}
STATUS_COLOUR = {"done": QColor("#15803d"), "skipped": QColor("#9ca3af")}

Index = QModelIndex | QPersistentModelIndex


class DocumentListModel(QAbstractTableModel):
    def __init__(self, store: Store) -> None:
        super().__init__()
        self.store = store
        self.status: str | None = None
        self.label: str | None = None
        self.search: str | None = None
        self._count = 0
        self._pages: dict[int, list[DocumentSummary]] = {}
        self.refresh()

    def set_filter(self, status: str | None = None, label: str | None = None, search: str | None = None) -> None:
        self.status, self.label, self.search = status or None, label or None, (search or "").strip() or None
        self.refresh()

    def refresh(self) -> None:
        """Re-read the count and drop cached pages (after edits, imports, detection)."""
        self.beginResetModel()
        self._count = self.store.count_documents(self.status, self.label, self.search)
        self._pages.clear()
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else self._count

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(COLUMNS)

    def summary(self, row: int) -> DocumentSummary | None:
        if not 0 <= row < self._count:
            return None
        page = row // PAGE
        if page not in self._pages:
            self._pages[page] = self.store.list_documents(self.status, self.label, self.search, page * PAGE, PAGE)
        rows = self._pages[page]
        return rows[row % PAGE] if row % PAGE < len(rows) else None

    def row_of(self, doc_id: int) -> int | None:
        return self.store.position_of(doc_id, self.status, self.label, self.search)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        doc = self.summary(index.row())
        if doc is None:
            return None
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return (STATUS_MARK.get(doc.status, doc.status), doc.date or "", doc.title, doc.span_count)[column]
        if role == Qt.ItemDataRole.ForegroundRole and column == 0:
            return STATUS_COLOUR.get(doc.status)
        if role == Qt.ItemDataRole.ToolTipRole and column == 2:
            return doc.title
        if role == Qt.ItemDataRole.UserRole:
            return doc.id
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        return None
