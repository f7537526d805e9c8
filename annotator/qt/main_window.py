"""The main window: document list beside the article."""

from __future__ import annotations

from PySide6.QtWidgets import QListWidget, QMainWindow, QPlainTextEdit, QSplitter

from annotator.storage import Store


class MainWindow(QMainWindow):
    def __init__(self, store: Store) -> None:
        super().__init__()
        self.store = store
        self.setWindowTitle(f"annotator — {store.path.name}")
        self.documents = QListWidget()
        self.article = QPlainTextEdit(readOnly=True)
        splitter = QSplitter()
        splitter.addWidget(self.documents)
        splitter.addWidget(self.article)
        splitter.setSizes([300, 700])
        self.setCentralWidget(splitter)
        self._ids = [d.id for d in store.list_documents()]
        self.documents.addItems([d.title for d in store.list_documents()])
        self.documents.currentRowChanged.connect(self._show)
        if self._ids:
            self.documents.setCurrentRow(0)
        self.resize(1100, 700)

    def _show(self, row: int) -> None:
        self.article.setPlainText(self.store.document(self._ids[row]).text)
