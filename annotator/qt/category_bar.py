"""The document's labels (categories): a row of chips above the article, one per document label.

A chip is filled in its label's colour when the open document has the label, outlined when not;
a label the model suggests (and the person has not given) is outlined dashed, with its score.
Clicking a chip, or Shift + its key in the article, toggles the label: one committed, undoable edit.
The row is hidden while the project has no document labels.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QLabel, QSizePolicy, QToolButton, QWidget

from annotator.categories import CategoryLabel, Scheme
from annotator.qt.colours import text_on
from annotator.qt.flow_layout import FlowLayout
from annotator.qt.plain import plain_tooltip
from annotator.session_links import Links

SUGGESTED = 0.5  # a model's score from which its document label is shown as a suggestion
CHIP = "QToolButton {{ border: 1px {style} {edge}; border-radius: 10px; padding: 1px 8px; background: {fill}; color: {ink}; }}"


class CategoryBar(QWidget):
    toggled = Signal(str)  # a chip was clicked: the label's name

    def __init__(self, links: Links, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.links = links
        self.flow = FlowLayout(self, spacing=4)
        self.flow.setContentsMargins(4, 0, 4, 0)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
        self.chips: dict[str, QToolButton] = {}
        self.labels: dict[str, CategoryLabel] = {}
        self.heading = QLabel("Document")
        self.heading.setStyleSheet("color: #555; font-size: 11px; padding: 0 2px 0 6px;")
        self.flow.addWidget(self.heading)
        links.events.scheme.connect(self.set_scheme)
        links.events.categories.connect(lambda _: self.refresh())
        links.session.events.opened.connect(lambda _: self.refresh())  # after the links part read the document
        self.set_scheme(links.scheme)

    def set_scheme(self, scheme: Scheme) -> None:
        """Rebuild the chips (only when the project's document labels change)."""
        for chip in self.chips.values():
            self.flow.removeWidget(chip)
            chip.hide()
            chip.deleteLater()
        self.chips, self.labels = {}, {}
        for label in scheme.labels:
            chip = QToolButton()
            chip.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            chip.clicked.connect(lambda _=False, name=label.name: self.toggled.emit(name))
            self.flow.addWidget(chip)
            self.chips[label.name] = chip
            self.labels[label.name] = label
        self.setVisible(bool(scheme.labels))
        self.refresh()

    def refresh(self) -> None:
        """Each chip on or off for the open document; the model's suggestions dashed, with their score."""
        chosen = {c.label for c in self.links.categories}
        scores = {s.label: s.score for s in self.links.suggestions if s.score >= SUGGESTED}
        for name, chip in self.chips.items():
            label = self.labels[name]
            colour = QColor(label.colour)
            on = name in chosen
            suggested = not on and name in scores
            key = f"⇧{label.key.upper()}  " if label.key else ""
            chip.setText(f"{key}{name}" + (f"  {scores[name]:.2f}" if suggested else ""))
            chip.setStyleSheet(CHIP.format(style="dashed" if suggested else "solid", edge=colour.name(),
                                           fill=colour.name() if on else "#fafafa",
                                           ink=text_on(colour).name() if on else "#222"))
            chip.setToolTip(plain_tooltip(
                (f"This document is labelled {name}" if on else f"Label this document {name}")
                + (f" (the model suggests it: {scores[name]:.2f})" if suggested else "")
                + (f" — Shift+{label.key.upper()} toggles it" if label.key else "")))
            chip.setProperty("on", on)
            chip.setProperty("suggested", suggested)
        self.flow.invalidate()
        self.updateGeometry()

    def key_of(self, key: str) -> str | None:
        """The document label a key (without Shift) toggles, if any."""
        return next((name for name, label in self.labels.items() if label.key and label.key.lower() == key), None)
