"""The document list: a lazy table over the store, fetched a page at a time.

Only the rows in view are read (no texts at all), so a project of 100,000 articles opens at once.
Pages are read by keyset (the ids after the nearest page already read), so a page near the end
costs what one near the start does. An edit re-reads only its own row (``update_row``): the
cached pages stay, and a document whose status no longer matches the filter stays listed, with
its new status, until the filter changes.
"""

from __future__ import annotations

import html
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
        self._rows: dict[int, int] = {}  # doc id -> row, for the rows read so far
        self.refresh()

    def set_filter(self, status: str | None = None, label: str | None = None, search: str | None = None) -> None:
        self.status, self.label, self.search = status or None, label or None, (search or "").strip() or None
        self.refresh()

    def refresh(self) -> None:
        """Re-read the count and drop cached pages: for a new filter, or after documents came or went."""
        self.beginResetModel()
        self._count = self.store.count_documents(self.status, self.label, self.search)
        self._pages.clear()
        self._rows.clear()
        self.endResetModel()

    def update_row(self, doc_id: int) -> None:
        """After an edit of one document: re-read its row only (if it has been read at all)."""
        row = self._rows.get(doc_id)
        if row is None:
            return
        rows = self._pages[row // PAGE]
        rows[row % PAGE] = self.store.summary(doc_id)
        self.dataChanged.emit(self.index(row, 0), self.index(row, len(COLUMNS) - 1))

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else self._count

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(COLUMNS)

    def summary(self, row: int) -> DocumentSummary | None:
        if not 0 <= row < self._count:
            return None
        page = row // PAGE
        if page not in self._pages:
            self._read(page)
        rows = self._pages[page]
        return rows[row % PAGE] if row % PAGE < len(rows) else None

    def _read(self, page: int) -> None:
        before = [p for p in self._pages if p < page and self._pages[p]]
        if before:  # keyset: count on from the last id of the nearest page read before this one
            nearest = max(before)
            rows = self.store.list_documents(self.status, self.label, self.search, (page - nearest - 1) * PAGE, PAGE,
                                             after_id=self._pages[nearest][-1].id)
        else:
            rows = self.store.list_documents(self.status, self.label, self.search, page * PAGE, PAGE)
        self._pages[page] = rows
        self._rows.update((doc.id, page * PAGE + i) for i, doc in enumerate(rows))

    def row_of(self, doc_id: int) -> int | None:
        if doc_id in self._rows:
            return self._rows[doc_id]
        # Ids are listed in order: one within the ids of a page already read, but not on it, is filtered out.
        if any(page and page[0].id <= doc_id <= page[-1].id for page in self._pages.values()):
            return None
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
            # Always rich text, with the title escaped: shown literally, markup in it loads nothing
            # (a plain string that merely looks like HTML would be rendered as HTML by the tooltip).
            return f'<p style="white-space: pre-wrap">{html.escape(doc.title)}</p>'
        if role == Qt.ItemDataRole.UserRole:
            return doc.id
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        return None
