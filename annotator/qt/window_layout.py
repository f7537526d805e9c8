"""Where the window's parts sit: left, the document list and under it the open document's links;
in the middle and widest, the heading, the document's labels, the label bar, the article and (only
while a number or date is selected) its editor."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QSplitter, QVBoxLayout, QWidget

from annotator.domain import Document

LIST_WIDTH = 320  # the document list; the article takes the rest
LINKS_HEIGHT = 240  # the links panel, under the document list


class Heading(QLabel):
    """The open document's title, date and status, over the article."""

    def __init__(self) -> None:
        super().__init__()
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setWordWrap(True)
        self.setStyleSheet("font-size: 15px; font-weight: bold; padding: 4px 4px 2px 4px;")

    def show_document(self, doc: Document) -> None:
        self.setText(" · ".join(p for p in (doc.title, doc.date or "", doc.status) if p))


def lay_out(left_parts: tuple[QWidget, QWidget], middle_parts: list[QWidget], stretching: QWidget) -> QSplitter:
    """The two columns: ``left_parts`` one over the other, ``middle_parts`` a column where ``stretching`` takes the height."""
    middle = QWidget()
    column = QVBoxLayout(middle)
    column.setContentsMargins(4, 4, 4, 4)
    column.setSpacing(4)
    for part in middle_parts:
        column.addWidget(part, 1 if part is stretching else 0)
    left = QSplitter(Qt.Orientation.Vertical)  # the documents, and under them the open one's links
    for part in left_parts:
        left.addWidget(part)
    left.setStretchFactor(0, 3)
    left.setStretchFactor(1, 1)
    left.setSizes([560, LINKS_HEIGHT])
    splitter = QSplitter()
    splitter.addWidget(left)
    splitter.addWidget(middle)
    splitter.setStretchFactor(0, 1)  # a wider window widens the titles a little, the article most
    splitter.setStretchFactor(1, 3)
    splitter.setCollapsible(1, False)
    splitter.setSizes([LIST_WIDTH, 960])
    return splitter
