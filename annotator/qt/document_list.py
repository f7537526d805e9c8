"""The document list: a lazy table over the store, fetched a page at a time.

Only the rows in view are read (no texts at all), so a project of 100,000 articles opens at once.
Pages are read by keyset from the nearest row already known (a page read, or the open document's
row), so a page near the end costs what one near the start does. An edit re-reads only its own
row (``update_row``): the cached pages stay, and a document whose status no longer matches the
filter stays listed, with its new status, until the filter changes.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor

from annotator.domain import DocumentSummary
from annotator.qt.colours import QUIET
from annotator.qt.plain import plain_tooltip
from annotator.storage import Store

PAGE = 200
COLUMNS = ("Status", "Date", "Title", "Spans", "Labels")  # Labels: the document's own (categories)
STATUS_MARK = {"open": "○ open", "done": "✓ done", "skipped": "↷ skipped"}
STATUS_COLOUR = {"done": QColor("#15803d"), "skipped": QColor(QUIET)}

Index = QModelIndex | QPersistentModelIndex


class DocumentListModel(QAbstractTableModel):
    def __init__(self, store: Store) -> None:
        super().__init__()
        self.store = store
        self.status: str | None = None
        self.label: str | None = None
        self.search: str | None = None
        self.category: str | None = None  # a document label the listed documents have
        self._count = 0
        self._pages: dict[int, list[DocumentSummary]] = {}
        self._rows: dict[int, int] = {}  # doc id -> row, for the rows read so far
        self._known: dict[int, int] = {}  # row -> doc id, where pages are read from
        self.refresh()

    def set_filter(self, status: str | None = None, label: str | None = None, search: str | None = None,
                   category: str | None = None) -> None:
        self.status, self.label, self.search = status or None, label or None, (search or "").strip() or None
        self.category = category or None
        self.refresh()

    def refresh(self) -> None:
        """Re-read the count and drop cached pages: for a new filter, or after documents came or went."""
        self.beginResetModel()
        self._count = self.store.count_documents(self.status, self.label, self.search, category=self.category)
        self._pages.clear()
        self._rows.clear()
        self._known.clear()
        self.endResetModel()

    def update_row(self, doc_id: int) -> None:
        """After an edit of one document: re-read its row only (if it has been read at all)."""
        row = self._rows.get(doc_id)
        rows = self._pages.get(row // PAGE, []) if row is not None else []
        if row is None or row % PAGE >= len(rows) or rows[row % PAGE].id != doc_id:
            return  # not read yet: it is read fresh when it comes into view
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
        """Read a page from the known row nearest to it (a page's ends, or the open document's
        row), on or back by keyset: the rows skipped are as few as can be, wherever the page is."""
        start, end = page * PAGE, min(page * PAGE + PAGE, self._count)
        row, doc_id = min([(-1, None), *self._known.items()], key=lambda known: _distance(known[0], start, end))
        where = (self.status, self.label, self.search)
        if row < start:  # count on after it (or from the top)
            rows = self.store.list_documents(*where, start - row - 1, end - start, after_id=doc_id, category=self.category)
        elif row >= end:  # count back before it
            rows = self.store.list_documents(*where, row - end, end - start, before_id=doc_id, category=self.category)
        else:  # it is on this page: the rows before it, then it and the rows after it
            rows = (self.store.list_documents(*where, 0, row - start, before_id=doc_id, category=self.category)
                    if row > start else [])
            rows += self.store.list_documents(*where, 0, end - row, after_id=doc_id - 1, category=self.category)
        self._pages[page] = rows
        self._rows.update((doc.id, start + i) for i, doc in enumerate(rows))
        if rows:
            self._known.update({start: rows[0].id, start + len(rows) - 1: rows[-1].id})

    def row_of(self, doc_id: int) -> int | None:
        if doc_id in self._rows:
            return self._rows[doc_id]
        # Ids are listed in order: one within the ids of a page already read, but not on it, is filtered out.
        if any(page and page[0].id <= doc_id <= page[-1].id for page in self._pages.values()):
            return None
        row = self.store.position_of(doc_id, self.status, self.label, self.search, category=self.category)
        if row is not None:
            self._rows[doc_id] = row
            self._known[row] = doc_id  # the pages around it are read from here
        return row

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        doc = self.summary(index.row())
        if doc is None:
            return None
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return (STATUS_MARK.get(doc.status, doc.status), doc.date or "", doc.title, doc.span_count,
                    ", ".join(doc.categories))[column]
        if role == Qt.ItemDataRole.ForegroundRole and column == 0:
            return STATUS_COLOUR.get(doc.status)
        if role == Qt.ItemDataRole.ToolTipRole and column == 2:
            return plain_tooltip(doc.title)  # shown as written: markup in a title loads nothing
        if role == Qt.ItemDataRole.UserRole:
            return doc.id
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        return None


def _distance(row: int, start: int, end: int) -> int:
    """How many rows a read from a known ``row`` skips to reach the page [start, end)."""
    return start - row - 1 if row < start else row - end if row >= end else 0
