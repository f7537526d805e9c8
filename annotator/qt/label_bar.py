"""The label bar: one compact chip per label — colour, key, name, count in this article — that
wraps above the article. Clicking a chip labels the selection (or relabels the selected span).

A project shows the labels it uses (the core set, plus every label it has met); the rest of the
OntoNotes set is one click away behind the last chip. A project of more labels than fit a few rows
(fine-grained type schemes run to thousands) gets a chip only for the labels it shows, made when
first shown, and a search box that finds any other: the bar's cost follows what it shows, not
how many labels the project has.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from operator import attrgetter

from PySide6.QtCore import QSize, QStringListModel, Qt, Signal
from PySide6.QtGui import QColor, QIcon, QPainter, QPixmap
from PySide6.QtWidgets import QCompleter, QLabel, QLineEdit, QSizePolicy, QToolButton, QWidget

from annotator.domain import ENTITIES, NUMBERS, Label
from annotator.qt.flow_layout import FlowLayout
from annotator.qt.plain import plain_tooltip
from annotator.session import Session


def swatch(colour: str, underline: bool, size: int = 14) -> QIcon:
    """A label's colour as a small square (entities) or a thick bar (numbers, drawn underlined)."""
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(QColor(0, 0, 0, 60))
    painter.setBrush(QColor(colour))
    if underline:
        painter.drawRoundedRect(0, size - 5, size - 1, 4, 1, 1)
    else:
        painter.drawRoundedRect(0, 0, size - 1, size - 1, 3, 3)
    painter.end()
    return QIcon(pixmap)


CHIP_LIMIT = 60  # more labels than this: chips only for those shown, the others found by the search box


class LabelBar(QWidget):
    label_chosen = Signal(str)

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.flow = FlowLayout(self, spacing=4)
        self.flow.setContentsMargins(4, 2, 4, 2)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
        self.chips: dict[str, QToolButton] = {}
        self.labels: dict[str, Label] = {}
        self.used: set[str] = set()  # labels this project shows without "all labels"
        self.show_all = False
        self.many = False  # more labels than CHIP_LIMIT
        self.more = QToolButton()
        self.more.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.more.setAutoRaise(True)
        self.more.clicked.connect(self.toggle_all)
        self.picker = QLineEdit()  # with many labels: type part of a name, pick it
        self.picker.setPlaceholderText("Find a label…")
        self.picker.setMaximumWidth(180)
        self.names = QStringListModel(self)
        self.picker.setCompleter(QCompleter(self.names, self))
        self.picker.completer().setFilterMode(Qt.MatchFlag.MatchContains)
        self.picker.completer().setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.picker.completer().activated.connect(self._picked)
        self.picker.hide()
        session.events.labels.connect(lambda labels: self.set_labels(labels))
        session.events.opened.connect(lambda _: self._recount())
        session.events.spans.connect(lambda _: self._recount())

    def set_labels(self, labels: list[Label]) -> None:
        """Rebuild the chips (only when the project's labels change)."""
        while self.flow.count():
            item = self.flow.takeAt(0)
            if item is None:
                break
            widget = item.widget()
            if widget is not None and widget not in (self.more, self.picker):
                widget.hide()  # at once: deleted when the event loop next runs, drawn until then
                widget.deleteLater()
        self.chips = {}
        self.labels = {label.name: label for label in labels}
        self.many = len(labels) > CHIP_LIMIT
        headings = []
        for layer, title in ((ENTITIES, "Entities"), (NUMBERS, "Numbers")):
            if self.many:  # chips come as labels are shown, not in layers
                break
            heading = QLabel(title)
            heading.setTextFormat(Qt.TextFormat.PlainText)
            heading.setStyleSheet("color: #555; font-size: 11px; padding: 0 2px 0 6px;")
            heading.setAlignment(Qt.AlignmentFlag.AlignVCenter)
            self.flow.addWidget(heading)
            for label in (each for each in labels if each.layer == layer):
                self.flow.addWidget(self._chip(label))
            headings.append(heading)
        self.flow.addWidget(self.more)
        self.flow.addWidget(self.picker)
        self.names.setStringList(list(self.labels) if self.many else [])
        self.picker.setVisible(self.many)
        height = max((chip.sizeHint().height() for chip in self.chips.values()), default=self.more.sizeHint().height())
        for heading in headings:  # level with the chips' text
            heading.setFixedHeight(height)
        self.more.setFixedHeight(height)
        self._recount()

    def _picked(self, name: str) -> None:
        """A label found in the search box: used from now on, and applied as a chip's click is."""
        self.picker.clear()
        if name in self.labels:
            self.use([name])
            self.label_chosen.emit(name)

    def _shown_chip(self, name: str) -> QToolButton:
        """The chip of a label to show; with many labels, made now if it was never shown."""
        chip = self.chips.get(name)
        if chip is None:
            self.flow.takeAt(self.flow.count() - 1)  # the search box and "more" stay last
            self.flow.takeAt(self.flow.count() - 1)
            chip = self._chip(self.labels[name])
            self.flow.addWidget(chip)
            self.flow.addWidget(self.more)
            self.flow.addWidget(self.picker)
        return chip

    def _chip(self, label: Label) -> QToolButton:
        chip = QToolButton()
        chip.setIcon(swatch(label.colour, label.layer == NUMBERS))
        chip.setIconSize(QSize(12, 12))
        chip.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        chip.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        chip.setStyleSheet("QToolButton { border: 1px solid #cfcfcf; border-radius: 10px; padding: 1px 7px;"
                           " background: #fafafa; } QToolButton:hover { background: #eef2ff; }")
        chip.setToolTip(plain_tooltip(f"Label the selection {label.name}" + (f" (key {label.key})" if label.key else "")))
        chip.clicked.connect(lambda: self.label_chosen.emit(label.name))
        self.chips[label.name] = chip
        self.labels[label.name] = label
        return chip

    def set_used(self, names: Iterable[str]) -> None:
        """The labels this project shows (another project was opened)."""
        self.used = set(names)
        self._recount()

    def use(self, names: Iterable[str]) -> None:
        """Labels the project has met: they stay shown from now on."""
        before = len(self.used)
        self.used.update(names)
        if len(self.used) != before:
            self._recount()

    def toggle_all(self) -> None:
        self.show_all = not self.show_all
        self._recount()

    def _recount(self) -> None:
        """Counts of the open article on each chip; chips of unused labels hidden unless asked for.
        With many labels, only the chips of labels shown (or once shown) are touched."""
        counts = Counter(map(attrgetter("label"), self.session.spans.values()))  # no Python call a span
        if self.many:
            for name in (self.used | set(counts)) & self.labels.keys():
                self._shown_chip(name)
        hidden = 0
        for name, chip in self.chips.items():
            label = self.labels[name]
            key = f"{label.key}  " if label.key else ""
            chip.setText(f"{key}{name}  {counts[name]}" if counts[name] else f"{key}{name}")
            visible = (self.show_all and not self.many) or name in self.used or counts[name] > 0
            hidden += not visible
            chip.setVisible(visible)
        self.more.setText("fewer labels" if self.show_all else f"+ {hidden} more")
        self.more.setVisible(not self.many and (self.show_all or hidden > 0))
        self.flow.invalidate()
        self.updateGeometry()
