"""The links panel beside the article: the open document's relations, and the relation labels.

Each relation is a row "head text → LABEL → child text" (a suggested one in italics, marked
"suggested"); picking a row draws that link thicker in the article. In the list, Delete removes the
picked link (rejects a suggestion), Enter confirms a suggested one; a label chip links while linking,
or gives the picked link that label. Every change is one committed, undoable edit.
"""

from __future__ import annotations

from bisect import bisect_left

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor, QFont, QKeyEvent
from PySide6.QtWidgets import QLabel, QListWidget, QListWidgetItem, QSizePolicy, QToolButton, QVBoxLayout, QWidget

from annotator.qt.flow_layout import FlowLayout
from annotator.qt.label_bar import swatch
from annotator.qt.plain import plain_tooltip
from annotator.relations import RelationLabel, StoredRelation
from annotator.session import SpanChange
from annotator.session_links import Links, RelationChange

ID = Qt.ItemDataRole.UserRole


class RelationList(QListWidget):
    """The rows; Delete and Enter act on the picked one."""

    remove = Signal(int)
    confirm = Signal(int)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        item = self.currentItem()
        if item is not None and event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
            self.remove.emit(item.data(ID))
        elif item is not None and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.confirm.emit(item.data(ID))
        else:
            super().keyPressEvent(event)


class RelationsPanel(QWidget):
    label_chosen = Signal(str)  # a relation label's chip was clicked
    picked = Signal(object)  # the relation id picked in the list, or None

    def __init__(self, links: Links, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.links = links
        title = QLabel("Links")
        title.setStyleSheet("font-weight: bold; padding: 2px;")
        self.chip_row = QWidget()
        self.chip_row.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
        self.flow = FlowLayout(self.chip_row, spacing=4)
        self.chips: dict[str, QToolButton] = {}
        self.order: list[tuple[int, int, int]] = []  # each row's place in the text, as the rows are
        self.list = RelationList()
        self.list.setWordWrap(True)
        self.list.remove.connect(links.unlink)
        self.list.confirm.connect(self._confirm)
        self.list.currentItemChanged.connect(lambda item, _: self.picked.emit(item.data(ID) if item is not None else None))
        self.hint = QLabel("Select a span, press Tab, then a relation key.")
        self.hint.setWordWrap(True)
        self.hint.setStyleSheet("color: #4b5563; font-size: 11px; padding: 2px;")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(title)
        layout.addWidget(self.chip_row)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.hint)
        links.events.relation_labels.connect(self.set_labels)
        links.events.relations.connect(self._relations_changed)
        links.session.events.opened.connect(lambda _: self.refresh())
        links.session.events.spans.connect(self._spans_changed)
        self.set_labels(links.relation_labels)

    def set_labels(self, labels: list[RelationLabel]) -> None:
        for chip in self.chips.values():
            self.flow.removeWidget(chip)
            chip.hide()
            chip.deleteLater()
        self.chips = {}
        for label in labels:
            chip = QToolButton()
            chip.setIcon(swatch(label.colour, True))
            chip.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
            chip.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            chip.setText(f"{label.key}  {label.name}" if label.key else label.name)
            chip.setStyleSheet("QToolButton { border: 1px solid #cfcfcf; border-radius: 10px; padding: 1px 7px;"
                               " background: #fafafa; } QToolButton:hover { background: #eef2ff; }")
            chip.setToolTip(plain_tooltip(f"While linking: link with {label.name}" + (f" (key {label.key})" if label.key else "")
                                          + "; else give the picked link this label"))
            chip.clicked.connect(lambda _=False, name=label.name: self.label_chosen.emit(name))
            self.flow.addWidget(chip)
            self.chips[label.name] = chip
        self.chip_row.updateGeometry()
        self.refresh()

    def refresh(self) -> None:
        """The rows again, in the text's order of their heads; the picked one stays picked."""
        spans = self.links.session.spans
        picked = self.current()
        rows = sorted((r for r in self.links.relations.values() if r.head in spans and r.child in spans), key=self._order)
        self.list.blockSignals(True)
        self.list.clear()
        self.order = []
        for relation in rows:
            self._insert(relation)
            if relation.id == picked:
                self.list.setCurrentRow(self.list.count() - 1)
        self.list.blockSignals(False)
        if picked is not None and self.current() is None:
            self.picked.emit(None)

    def _order(self, relation: StoredRelation) -> tuple[int, int, int]:
        spans = self.links.session.spans
        return spans[relation.head].start, spans[relation.child].start, relation.id

    def _insert(self, relation: StoredRelation) -> None:
        """A row for the relation, at its place in the text's order."""
        key = self._order(relation)
        row = bisect_left(self.order, key)
        self.order.insert(row, key)
        item = QListWidgetItem(self.describe(relation))
        item.setData(ID, relation.id)
        label = self.links.relation_label(relation.label)
        item.setForeground(QColor(label.colour) if label is not None else QColor("#616161"))
        if not relation.confirmed:
            font = QFont(self.list.font())
            font.setItalic(True)
            item.setFont(font)
        self.list.insertItem(row, item)

    def _relations_changed(self, change: RelationChange) -> None:
        """Only the rows of the relations changed: a document's many links are not listed again for one."""
        spans = self.links.session.spans
        picked = self.current()
        self.list.blockSignals(True)
        for relation in [*change.removed, *change.changed]:
            row = next((i for i in range(self.list.count()) if self.list.item(i).data(ID) == relation.id), None)
            if row is not None:
                self.list.takeItem(row)
                del self.order[row]
        for relation in [*change.added, *change.changed]:
            if relation.head in spans and relation.child in spans:
                self._insert(relation)
                if relation.id == picked:
                    self.list.setCurrentRow(bisect_left(self.order, self._order(relation)))
        self.list.blockSignals(False)
        if picked is not None and self.current() != picked:
            self.list.setCurrentRow(-1)
            self.picked.emit(None)

    def _spans_changed(self, change: SpanChange) -> None:
        """A linked span moved or was relabelled: its rows say its new text (its removal is a relation change)."""
        ends = {end for r in self.links.relations.values() for end in (r.head, r.child)}
        if any(s.id in ends for s in change.changed):
            self.refresh()

    def describe(self, relation: StoredRelation) -> str:
        spans = self.links.session.spans
        text = f"“{spans[relation.head].text}” → {relation.label} → “{spans[relation.child].text}”"
        return text if relation.confirmed else f"{text}  (suggested)"

    def rows(self) -> list[str]:
        """What the list shows, top to bottom."""
        return [self.list.item(i).text() for i in range(self.list.count())]

    def pick(self, relation_id: int) -> None:
        """Make a link the picked one (a click on its name in the article)."""
        row = next((i for i in range(self.list.count()) if self.list.item(i).data(ID) == relation_id), None)
        if row is not None:
            self.list.setCurrentRow(row)

    def current(self) -> int | None:
        item = self.list.currentItem()
        return int(item.data(ID)) if item is not None else None

    def _confirm(self, relation_id: int) -> None:
        relation = self.links.relations.get(relation_id)
        if relation is not None and not relation.confirmed:
            self.links.confirm(relation_id)
