"""Editing a number span: its value, kind, what it counts, its label; confirm or reject it."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (QCheckBox, QComboBox, QFormLayout, QHBoxLayout, QLabel, QLineEdit, QPushButton,
                               QVBoxLayout, QWidget)

from annotator.domain import NUMBER_KINDS, Label, Span


class NumberEditor(QWidget):
    changed = Signal(dict)  # the fields to update
    confirmed = Signal()
    rejected = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.text = QLabel()
        self.text.setTextFormat(Qt.TextFormat.PlainText)
        self.text.setWordWrap(True)
        self.value = QLineEdit()
        self.value.setPlaceholderText("e.g. 38000")
        self.kind = QComboBox()
        self.kind.addItems(NUMBER_KINDS)
        self.unit = QLineEdit()
        self.unit.setPlaceholderText("what it counts, e.g. drones")
        self.label = QComboBox()
        self.approx = QCheckBox("approximate (value is a lower bound)")
        self.message = QLabel()
        self.message.setStyleSheet("color: #b91c1c;")
        form = QFormLayout()
        form.addRow("Number", self.text)
        form.addRow("Value", self.value)
        form.addRow("Kind", self.kind)
        form.addRow("Counts", self.unit)
        form.addRow("Label", self.label)
        form.addRow("", self.approx)
        buttons = QHBoxLayout()
        self.apply_button = QPushButton("Apply")
        self.confirm_button = QPushButton("Confirm")
        self.reject_button = QPushButton("Reject")
        for button in (self.apply_button, self.confirm_button, self.reject_button):
            buttons.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addLayout(buttons)
        layout.addWidget(self.message)
        layout.addStretch(1)
        self.apply_button.clicked.connect(self._apply)
        self.value.returnPressed.connect(self._apply)
        self.unit.returnPressed.connect(self._apply)
        self.confirm_button.clicked.connect(self.confirmed.emit)
        self.reject_button.clicked.connect(self.rejected.emit)
        self.show_span(None, [])

    def show_span(self, span: Span | None, labels: list[Label]) -> None:
        self.setEnabled(span is not None)
        self.message.clear()
        self.label.clear()
        self.label.addItems([l.name for l in labels])
        if span is None:
            self.text.setText("Select a number in the article.")
            for field in (self.value, self.unit):
                field.clear()
            return
        self.text.setText(f"“{span.text}”" + ("" if span.confirmed else "  (suggested)"))
        self.value.setText("" if span.value is None else f"{span.value:.10g}")
        self.kind.setCurrentText(span.kind or "cardinal")
        self.unit.setText(span.unit or "")
        self.label.setCurrentText(span.label)
        self.approx.setChecked(span.approx)

    def _apply(self) -> None:
        raw = self.value.text().replace(",", "").strip()
        try:
            value: Any = float(raw) if raw else None
        except ValueError:
            self.message.setText(f"“{self.value.text()}” is not a number")
            return
        self.changed.emit({"value": value, "kind": self.kind.currentText(), "unit": self.unit.text().strip() or None,
                           "label": self.label.currentText(), "approx": self.approx.isChecked()})
