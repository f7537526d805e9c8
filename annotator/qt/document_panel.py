"""The left column: filters by status, span label and document label, full-text search, and the document list."""

from __future__ import annotations

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QHeaderView, QLineEdit, QTableView, QVBoxLayout, QWidget

from annotator.domain import STATUSES, Label
from annotator.qt.document_list import COLUMNS, DocumentListModel
from annotator.storage import Store

LABELS_COLUMN = COLUMNS.index("Labels")


class DocumentPanel(QWidget):
    document_chosen = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.status_filter = QComboBox()
        self.status_filter.addItems(["all", *STATUSES])
        self.label_filter = QComboBox()
        self.category_filter = QComboBox()  # a document label (category) the documents have
        self.category_filter.setVisible(False)
        self.search = QLineEdit()
        self.search.setPlaceholderText("Search text…")
        self.search.setClearButtonEnabled(True)
        self.table = QTableView()
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        # Shift/Ctrl+click and Shift+arrows select several rows, for Document → Mark selected.
        self.table.setSelectionMode(QTableView.SelectionMode.ExtendedSelection)
        self.table.verticalHeader().hide()
        self.table.setWordWrap(False)
        filters = QHBoxLayout()
        filters.addWidget(self.status_filter)
        filters.addWidget(self.label_filter)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(filters)
        searching = QHBoxLayout()
        searching.addWidget(self.search, 1)
        searching.addWidget(self.category_filter)
        layout.addLayout(searching)
        layout.addWidget(self.table)
        self.model: DocumentListModel | None = None
        self.doc_id: int | None = None
        self.status_filter.currentTextChanged.connect(self._filter)
        self.label_filter.currentTextChanged.connect(self._filter)
        self.category_filter.currentTextChanged.connect(self._filter)
        self.search_timer = QTimer(self, singleShot=True, interval=250)
        self.search_timer.timeout.connect(self._filter)
        self.search.textChanged.connect(lambda _: self.search_timer.start())

    def set_store(self, store: Store) -> DocumentListModel:
        self.model = DocumentListModel(store)
        self.table.setModel(self.model)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        for column, width in ((0, 80), (1, 86), (3, 50), (LABELS_COLUMN, 60)):
            self.table.setColumnWidth(column, width)
        self.table.selectionModel().currentRowChanged.connect(self._row_changed)
        return self.model

    def set_labels(self, labels: list[Label]) -> None:
        chosen = self.label_filter.currentText()
        self.label_filter.blockSignals(True)
        self.label_filter.clear()
        self.label_filter.addItems(["any label", *(l.name for l in labels)])
        self.label_filter.setCurrentText(chosen if chosen else "any label")
        self.label_filter.blockSignals(False)

    def set_categories(self, names: list[str]) -> None:
        """The document labels the list can be filtered by (none: the filter is hidden)."""
        chosen = self.category_filter.currentText()
        self.category_filter.blockSignals(True)
        self.category_filter.clear()
        self.category_filter.addItems(["any document label", *names])
        self.category_filter.setCurrentText(chosen if chosen in names else "any document label")
        self.category_filter.blockSignals(False)
        self.category_filter.setVisible(bool(names))
        self.table.setColumnHidden(LABELS_COLUMN, not names)  # room for the titles in a project without them
        if chosen and chosen not in names and chosen != "any document label":
            self._filter()

    def show_document(self, doc_id: int | None) -> None:
        """Select the open document's row (selecting it opens nothing new)."""
        self.doc_id = doc_id
        row = self.model.row_of(doc_id) if self.model is not None and doc_id is not None else None
        if row is not None and self.table.currentIndex().row() != row:
            self.table.selectRow(row)

    def selected_ids(self) -> list[int]:
        """The documents of the selected rows, top to bottom."""
        if self.model is None:
            return []
        rows = sorted(index.row() for index in self.table.selectionModel().selectedRows())
        return [doc.id for doc in map(self.model.summary, rows) if doc is not None]

    def update_row(self, doc_id: int) -> None:
        """After an edit of one document: only its row is read again."""
        if self.model is not None:
            self.model.update_row(doc_id)

    def refresh(self) -> None:
        """After an import or detection: the list re-reads what it shows."""
        if self.model is not None:
            self.model.refresh()
            self.show_document(self.doc_id)

    def _row_changed(self, current, _previous) -> None:  # type: ignore[no-untyped-def]
        summary = self.model.summary(current.row()) if self.model is not None else None
        if summary and summary.id != self.doc_id:
            self.document_chosen.emit(summary.id)

    def _filter(self) -> None:
        if self.model is None:
            return
        status = self.status_filter.currentText()
        label = self.label_filter.currentText()
        category = self.category_filter.currentText()
        self.model.set_filter(None if status == "all" else status, None if label == "any label" else label,
                              self.search.text(), None if category == "any document label" else category)
        self.show_document(self.doc_id)
