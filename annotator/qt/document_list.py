"""The document list: a lazy table over the store, fetched a page at a time.

Only the rows in view are read (no texts at all), so a project of a million articles opens at once.
Pages are read by keyset from the nearest row already known (a page read, the open document's
row, or the list's end), so a page near the end costs what one near the start does; in a list
without a filter whose ids run without a gap, row r is simply the r-th id. The count is read once
per filter. A label or a search filter (which scan: seconds at a million), and in a project of
over ``FIND_ABOVE`` documents a status filter too (finding the open document's row in it counts
every row before it), is found by a worker (:meth:`DocumentListModel.found`): the list is empty
meanwhile, then its ids give the count, the pages and a document's row without another scan.
An edit re-reads only its own row (``update_row``): the cached pages stay, and a document whose status no longer matches the
filter stays listed, with its new status, until the filter changes.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor

from annotator.domain import DocumentSummary
from annotator.qt.colours import QUIET
from annotator.qt.plain import plain_tooltip
from annotator.storage import Store
from annotator.storage.marking import Selection

PAGE = 200
FIND_ABOVE = 20_000  # documents: past this, a status filter's list is found by a worker too
COLUMNS = ("Status", "Date", "Title", "Spans", "Labels")  # Labels: the document's own (categories)
STATUS_MARK = {"open": "○ open", "done": "✓ done", "skipped": "↷ skipped"}
STATUS_COLOUR = {"done": QColor("#15803d"), "skipped": QColor(QUIET)}

Index = QModelIndex | QPersistentModelIndex
_TOP = QModelIndex()  # the parent of a list's rows (never changed)


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
        self._first: int | None = None  # unfiltered ids without a gap: row r is document first + r
        self._ids: Sequence[int] | None = None  # a label's or search's list, once found
        self.generation = 0  # which filter (and which refresh) a worker's ids are for
        self.refresh()

    def set_filter(self, status: str | None = None, label: str | None = None, search: str | None = None,
                   category: str | None = None) -> None:
        self.status, self.label, self.search = status or None, label or None, (search or "").strip() or None
        self.category = category or None
        self.refresh()

    @property
    def finding(self) -> bool:
        """The filter scans (a label, a search; in a large project a status too, where finding the
        open document's row counts tens of thousands): its ids are found by a worker, then :meth:`found`."""
        return bool(self.label or self.search or self.category
                    or (self.status and self.store.count_documents() > FIND_ABOVE))

    def refresh(self) -> None:
        """Re-read the count and drop cached pages: for a new filter, or after documents came or went."""
        self.beginResetModel()
        self.generation += 1
        try:
            self._pages.clear()
            self._rows.clear()
            self._known.clear()
            self._count, self._ids, self._first = 0, None, None
            if not self.finding:
                self._count = self.store.count_documents(self.status)
                self._first = self.store.dense_start() if not self.status else None
        finally:  # a failed read leaves an empty list, never a model half reset
            self.endResetModel()

    def found(self, generation: int, ids: Sequence[int]) -> bool:
        """A worker found the ids of a label's or a search's list: shown, unless the filter
        changed since (False then)."""
        if generation != self.generation:
            return False
        self.beginResetModel()
        self._ids, self._count = ids, len(ids)
        self.endResetModel()
        return True

    def reread(self) -> None:
        """After many documents changed status at once: the rows read so far are read again (a
        query per page), in place, as an edit of one document re-reads its row."""
        for page, rows in self._pages.items():
            if rows:
                fresh = {doc.id: doc for doc in self.store.summaries([doc.id for doc in rows])}
                self._pages[page] = [fresh.get(doc.id, doc) for doc in rows]
        if self._count:
            self.dataChanged.emit(self.index(0, 0), self.index(self._count - 1, len(COLUMNS) - 1))

    def selection(self, ranges: list[tuple[int, int]]) -> Selection:
        """Rows chosen (first, last), as the store reads them: the ids of rows read already, a
        stretch (its first id, how many rows) of the filtered list for the others — so that
        every row of a million is chosen without reading them."""
        ids: list[int] = []
        stretches: list[tuple[int, int]] = []
        for top, bottom in _merged(ranges):
            rows = [self._cached(row) for row in range(top, bottom + 1)] if bottom - top < PAGE else []
            if rows and None not in rows:
                ids += [doc.id for doc in rows if doc is not None]
                continue
            first = self.summary(top)
            if first is not None:
                stretches.append((first.id, bottom - top + 1))
        return Selection(self.status, self.label, self.search, tuple(ids), tuple(stretches), self.category)

    def _cached(self, row: int) -> DocumentSummary | None:
        rows = self._pages.get(row // PAGE, [])
        return rows[row % PAGE] if row % PAGE < len(rows) else None

    def update_row(self, doc_id: int) -> None:
        """After an edit of one document: re-read its row only (if it has been read at all)."""
        row = self._rows.get(doc_id)
        rows = self._pages.get(row // PAGE, []) if row is not None else []
        if row is None or row % PAGE >= len(rows) or rows[row % PAGE].id != doc_id:
            return  # not read yet: it is read fresh when it comes into view
        rows[row % PAGE] = self.store.summary(doc_id)
        self.dataChanged.emit(self.index(row, 0), self.index(row, len(COLUMNS) - 1))

    def rowCount(self, parent: Index = _TOP) -> int:
        return 0 if parent.isValid() else self._count

    def columnCount(self, parent: Index = _TOP) -> int:
        return 0 if parent.isValid() else len(COLUMNS)

    def summary(self, row: int) -> DocumentSummary | None:
        if not 0 <= row < self._count:
            return None
        if row // PAGE not in self._pages:
            self._read(row // PAGE)
        return self._cached(row)

    def _read(self, page: int) -> None:
        """Read a page from the known row nearest to it (a page's ends, or the open document's
        row), on or back by keyset: the rows skipped are as few as can be, wherever the page is."""
        start, end = page * PAGE, min(page * PAGE + PAGE, self._count)
        where = (self.status, self.label, self.search)
        if self._ids is not None:
            self._keep(page, self.store.summaries(self._ids[start:end]))
            return
        if self._first is not None:
            self._keep(page, self.store.list_documents(*where, 0, end - start, after_id=self._first + start - 1))
            return
        row, doc_id = min([(-1, None), (self._count, None), *self._known.items()],
                          key=lambda known: _distance(known[0], start, end))
        if doc_id is None and row == self._count:  # count back from the end of the list
            rows = self.store.list_documents(*where, row - end, end - start, backward=True)
        elif row < start:  # count on after it (or from the top)
            rows = self.store.list_documents(*where, start - row - 1, end - start, after_id=doc_id)
        elif row >= end:  # count back before it
            rows = self.store.list_documents(*where, row - end, end - start, before_id=doc_id)
        else:  # it is on this page: the rows before it, then it and the rows after it
            assert doc_id is not None  # a document read, not an end of the list (those lie outside every page)
            rows = self.store.list_documents(*where, 0, row - start, before_id=doc_id) if row > start else []
            rows += self.store.list_documents(*where, 0, end - row, after_id=doc_id - 1)
        self._keep(page, rows)

    def _keep(self, page: int, rows: list[DocumentSummary]) -> None:
        start = page * PAGE
        self._pages[page] = rows
        self._rows.update((doc.id, start + i) for i, doc in enumerate(rows))
        if rows:
            self._known.update({start: rows[0].id, start + len(rows) - 1: rows[-1].id})

    def row_of(self, doc_id: int) -> int | None:
        if doc_id in self._rows:
            return self._rows[doc_id]
        if self._first is not None:
            row = doc_id - self._first
            return row if 0 <= row < self._count else None
        if self._ids is not None:
            row = bisect_left(self._ids, doc_id)
            return row if row < self._count and self._ids[row] == doc_id else None
        if self.finding:  # not found yet
            return None
        # Ids are listed in order: one within the ids of a page already read, but not on it, is filtered out.
        if any(page and page[0].id <= doc_id <= page[-1].id for page in self._pages.values()):
            return None
        position = self.store.position_of(doc_id, self.status, self.label, self.search, category=self.category)
        if position is not None:
            self._rows[doc_id] = position
            self._known[position] = doc_id  # the pages around it are read from here
        return position

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


def _merged(ranges: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Row ranges sorted, overlapping and touching ones joined (a selection holds one per column
    band, or per Ctrl+click)."""
    out: list[tuple[int, int]] = []
    for top, bottom in sorted(ranges):
        if out and top <= out[-1][1] + 1:
            out[-1] = (out[-1][0], max(out[-1][1], bottom))
        else:
            out.append((top, bottom))
    return out


def _distance(row: int, start: int, end: int) -> int:
    """How many rows a read from a known ``row`` skips to reach the page [start, end)."""
    return start - row - 1 if row < start else row - end if row >= end else 0
