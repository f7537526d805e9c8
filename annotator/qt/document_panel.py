"""The left column: filters by status, span label and document label, full-text search, and the document list."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt, QTimer, Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QHeaderView, QLabel, QLineEdit, QTableView, QVBoxLayout, QWidget

from annotator.domain import STATUSES, Label
from annotator.qt.document_list import COLUMNS, DocumentListModel
from annotator.qt.workers import Worker, Workers
from annotator.storage import Store
from annotator.storage.documents import MAX_SEARCH_WORDS, search_words
from annotator.storage.marking import Selection

ANY_CATEGORY = "any document label"
LABELS_COLUMN = COLUMNS.index("Labels")


NAME_ROOM = 14  # characters a label filter is wide enough for (a longer name is cut short in the box, whole in its list)


def names_filter() -> QComboBox:
    """A filter by the project's label names, as wide as NAME_ROOM characters. Why: sized to its
    names, Qt measures every one of them as the window first shows (25-30 ms for 2,000 labels)."""
    box = QComboBox()
    box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    box.setMinimumContentsLength(NAME_ROOM)
    return box


class DocumentPanel(QWidget):
    document_chosen = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.status_filter = QComboBox()
        self.status_filter.addItems(["all", *STATUSES])
        self.label_filter = names_filter()
        self.category_filter = names_filter()  # a document label (category) the documents have
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
        self.search_note = QLabel()  # what of a long query is searched
        self.search_note.setTextFormat(Qt.TextFormat.PlainText)
        self.search_note.setWordWrap(True)
        self.search_note.hide()
        layout.addWidget(self.search_note)
        layout.addWidget(self.table)
        self.model: DocumentListModel | None = None
        self.doc_id: int | None = None
        self.workers = Workers(self)
        self.finder: Worker | None = None  # finding a label's or a search's documents
        self.searched_words = 0
        self.status_filter.currentTextChanged.connect(self._filter)
        self.label_filter.currentTextChanged.connect(self._filter)
        self.category_filter.currentTextChanged.connect(self._filter)
        self.search_timer = QTimer(self, singleShot=True, interval=250)
        self.search_timer.timeout.connect(self._filter)
        self.search.textChanged.connect(lambda _: self.search_timer.start())

    def set_store(self, store: Store) -> DocumentListModel:
        self.cancel()
        self.model = DocumentListModel(store)
        self.table.setModel(self.model)
        header = self.table.horizontalHeader()
        # The header draws a column "selected" by asking the table's selection model about every
        # row (4 calls into the model per row: 5 s for Ctrl+A over a million); it gets a model of
        # its own, and its sections select nothing.
        header.setSelectionModel(QItemSelectionModel(self.model, header))
        header.setSectionsClickable(False)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        for column, width in ((0, 80), (1, 86), (3, 50), (LABELS_COLUMN, 60)):
            self.table.setColumnWidth(column, width)
        self.table.selectionModel().currentRowChanged.connect(self._row_changed)
        return self.model

    def set_labels(self, labels: list[Label]) -> None:
        chosen = self.label_filter.currentText()
        self.label_filter.blockSignals(True)
        self.label_filter.clear()
        self.label_filter.addItems(["any label", *(label.name for label in labels)])
        self.label_filter.setCurrentText(chosen if chosen else "any label")
        self.label_filter.blockSignals(False)

    def set_categories(self, names: list[str]) -> None:
        """The document labels the list can be filtered by (none: the filter and the column are hidden)."""
        chosen = self.category_filter.currentText()
        self.category_filter.blockSignals(True)
        self.category_filter.clear()
        self.category_filter.addItems([ANY_CATEGORY, *names])
        self.category_filter.setCurrentText(chosen if chosen in names else ANY_CATEGORY)
        self.category_filter.blockSignals(False)
        self.category_filter.setVisible(bool(names))
        self.table.setColumnHidden(LABELS_COLUMN, not names)  # room for the titles in a project without them
        if chosen and chosen not in names and chosen != ANY_CATEGORY:
            self._filter()

    def show_document(self, doc_id: int | None) -> None:
        """Select the open document's row and scroll to it (selecting it opens nothing new)."""
        self.doc_id = doc_id
        row = self.model.row_of(doc_id) if self.model is not None and doc_id is not None else None
        if row is not None and self.table.currentIndex().row() != row:
            # Once the list was reset (a filter), Qt lays its rows out later: until then its scroll
            # bar has the old range, and the scroll to the row was lost (the top shown, and read).
            self.table.doItemsLayout()
            self.table.selectRow(row)

    def selection(self) -> Selection:
        """The selected rows as the store reads them (runs of rows, however many: no row is visited)."""
        if self.model is None:
            return Selection()
        chosen = self.table.selectionModel().selection()
        ranges = [(chosen.at(i).top(), chosen.at(i).bottom()) for i in range(chosen.count())]
        return self.model.selection(ranges)

    def update_row(self, doc_id: int) -> None:
        """After an edit of one document: only its row is read again."""
        if self.model is not None:
            self.model.update_row(doc_id)

    def reread(self) -> None:
        """After many documents changed status at once: the rows shown are read again."""
        if self.model is not None:
            self.model.reread()

    def refresh(self) -> None:
        """After an import or detection: the list re-reads what it shows."""
        if self.model is not None:
            self.model.refresh()
            self._find()
            self.show_document(self.doc_id)

    def cancel(self) -> None:
        """Stop finding (the window closes, or the filter changed)."""
        if self.finder is not None:
            self.finder.cancel()
            self.finder = None

    def _find(self) -> None:
        """A label or search filter: its documents found by a worker (its own Store), which a
        newer filter cancels; the list fills once they are found."""
        self.cancel()
        model = self.model
        if model is None or not model.finding:
            return
        path, annotator, generation = model.store.path, model.store.annotator, model.generation
        where, category = (model.status, model.label, model.search), model.category

        def work(progress: Callable[[int, int], None], cancelled: Callable[[], bool]) -> Sequence[int]:
            with Store(path, annotator) as store, store.cancellable(cancelled):
                return store.matching_ids(*where, category=category)

        def found(ids: Sequence[int]) -> None:
            if model is self.model and model.found(generation, ids):
                self.finder = None
                self._note(finding=False)
                self.show_document(self.doc_id)

        def failed(why: str) -> None:
            if model is self.model and generation == model.generation:
                self.finder = None
                self.search_note.setText(f"Not found: {why}")

        self._note(finding=True)
        self.finder = self.workers.start(work, found, failed)

    def _row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        summary = self.model.summary(current.row()) if self.model is not None else None
        if summary and summary.id != self.doc_id:
            self.document_chosen.emit(summary.id)

    def _note(self, finding: bool) -> None:
        """Under the search box: that the documents are being found; what of a long query is searched."""
        said = ["Finding the documents…"] if finding else []
        if self.searched_words > MAX_SEARCH_WORDS:
            said.append(f"Searching for the first {MAX_SEARCH_WORDS} of these {self.searched_words:,} words.")
        self.search_note.setText(" ".join(said))
        self.search_note.setVisible(bool(said))

    def _filter(self) -> None:
        if self.model is None:
            return
        status = self.status_filter.currentText()
        label = self.label_filter.currentText()
        category = self.category_filter.currentText()
        text = self.search.text()
        self.searched_words = len(search_words(text, None))
        self._note(finding=False)
        self.model.set_filter(None if status == "all" else status, None if label == "any label" else label, text,
                              None if category == ANY_CATEGORY else category)
        self._find()
        self.show_document(self.doc_id)
