"""The label palette: each label's colour, key and count; clicking one labels the selection."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLabel, QPushButton, QVBoxLayout, QWidget

from annotator.domain import ENTITIES, NUMBERS, Label


class LabelPalette(QWidget):
    label_chosen = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.layout_ = QVBoxLayout(self)
        self.layout_.setContentsMargins(6, 6, 6, 6)
        self.layout_.setSpacing(3)
        self.buttons: dict[str, QPushButton] = {}

    def set_labels(self, labels: list[Label], counts: dict[str, int]) -> None:
        while self.layout_.count():
            item = self.layout_.takeAt(0)
            if item.widget():
                item.widget().deleteLater()
        self.buttons = {}
        for layer, title in ((ENTITIES, "Entities"), (NUMBERS, "Numbers")):
            heading = QLabel(title)
            heading.setTextFormat(Qt.TextFormat.PlainText)
            heading.setStyleSheet("font-weight: bold; margin-top: 6px;")
            self.layout_.addWidget(heading)
            for label in (l for l in labels if l.layer == layer):
                self.layout_.addWidget(self._button(label, counts.get(label.name, 0)))
        self.layout_.addStretch(1)

    def _button(self, label: Label, count: int) -> QPushButton:
        key = f"[{label.key}]" if label.key else "[ ]"
        button = QPushButton(f"{key}  {label.name}   {count}")
        button.setToolTip(f"Label the selection {label.name}" + (f" (key {label.key})" if label.key else ""))
        underline = "border-bottom: 3px solid {c};" if label.layer == NUMBERS else "border-left: 10px solid {c};"
        button.setStyleSheet(
            "QPushButton { text-align: left; padding: 3px 6px; " + underline.format(c=label.colour) + " }"
        )
        button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        button.clicked.connect(lambda: self.label_chosen.emit(label.name))
        self.buttons[label.name] = button
        return button
