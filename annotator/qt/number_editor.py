"""Editing the selected number (value, kind, what it counts, label) or date (the day it means).

A strip under the article, shown only while a number or a DATE span is selected: the article
keeps the room the rest of the time. With nothing selected every field is emptied, so nothing
stale shows when it comes back.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from annotator.dates import is_valid
from annotator.domain import NUMBER_KINDS, NUMBERS, Span
from annotator.session import Session

DATE_LABEL = "DATE"


class NumberEditor(QFrame):
    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.span: Span | None = None
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setObjectName("numberEditor")
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        self.setStyleSheet("#numberEditor { background: #f5f7fb; border: 1px solid #d5dae3; border-radius: 6px; }")
        self.text = QLabel()
        self.text.setTextFormat(Qt.TextFormat.PlainText)
        self.text.setStyleSheet("font-weight: bold;")
        self.value = QLineEdit()
        self.value.setPlaceholderText("value, e.g. 38000")
        self.value.setMaximumWidth(130)
        self.kind = QComboBox()
        self.kind.addItems(NUMBER_KINDS)
        self.unit = QLineEdit()
        self.unit.setPlaceholderText("what it counts, e.g. drones")
        self.label = QComboBox()
        self.approx = QCheckBox("approximate (lower bound)")
        self.resolved = QLineEdit()
        self.resolved.setPlaceholderText("2024-01-02, 2024-01, 2024, 2024-01-01/2024-01-31 or unresolved")
        self.apply_button = QPushButton("Apply")
        self.confirm_button = QPushButton("Confirm")
        self.reject_button = QPushButton("Reject")
        self.message = QLabel()
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        self.message.setStyleSheet("color: #b91c1c;")
        self.number_fields = QWidget()
        fields = QHBoxLayout(self.number_fields)
        fields.setContentsMargins(0, 0, 0, 0)
        for caption, widget in (("Value", self.value), ("Kind", self.kind), ("Counts", self.unit), ("Label", self.label)):
            fields.addWidget(QLabel(caption))
            fields.addWidget(widget, 1 if widget is self.unit else 0)
        fields.addWidget(self.approx)
        self.date_fields = QWidget()
        dates = QHBoxLayout(self.date_fields)
        dates.setContentsMargins(0, 0, 0, 0)
        dates.addWidget(QLabel("Means"))
        dates.addWidget(self.resolved, 1)
        top = QHBoxLayout()
        top.addWidget(self.text, 1)
        for button in (self.apply_button, self.confirm_button, self.reject_button):
            top.addWidget(button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 6)
        layout.setSpacing(4)
        layout.addLayout(top)
        layout.addWidget(self.number_fields)
        layout.addWidget(self.date_fields)
        layout.addWidget(self.message)
        self.apply_button.clicked.connect(self._apply)
        for field in (self.value, self.unit, self.resolved):
            field.returnPressed.connect(self._apply)
        self.confirm_button.clicked.connect(session.confirm)
        self.reject_button.clicked.connect(session.delete)
        session.events.current.connect(self.show_span)
        session.events.opened.connect(lambda _: self.show_span(None))
        self.show_span(None)

    def show_span(self, span: Span | None) -> None:
        """Fill the fields from a number or date span; anything else empties and hides them."""
        is_number = span is not None and span.layer == NUMBERS
        is_date = span is not None and span.label == DATE_LABEL
        self.span = span if is_number or is_date else None
        self.say("")
        self.label.clear()
        self.value.clear()
        self.unit.clear()
        self.resolved.clear()
        self.approx.setChecked(False)
        self.kind.setCurrentIndex(0)
        self.setEnabled(self.span is not None)
        self.setVisible(self.span is not None)
        if span is None or self.span is None:
            return
        self.text.setText(f"{span.label} “{span.text}”" + ("" if span.confirmed else "  (suggested)"))
        self.number_fields.setVisible(is_number)
        self.date_fields.setVisible(is_date)
        if is_number:
            self.label.addItems([label.name for label in self.session.labels if label.layer == NUMBERS])
            self.value.setText("" if span.value is None else f"{span.value:.10g}")
            self.kind.setCurrentText(span.kind or "cardinal")
            self.unit.setText(span.unit or "")
            self.label.setCurrentText(span.label)
            self.approx.setChecked(span.approx)
        else:
            self.resolved.setText(span.resolved or "")
        self.setMaximumHeight(self.sizeHint().height())  # only the rows shown, no gap

    def say(self, problem: str) -> None:
        self.message.setText(problem)
        self.message.setVisible(bool(problem))
        self.setMaximumHeight(self.sizeHint().height())

    def _apply(self) -> None:
        if self.span is None:
            return
        if self.span.layer != NUMBERS:
            resolved = self.resolved.text().strip()
            if resolved and not is_valid(resolved):
                self.say(f"“{resolved}” is not a date such as 2024-01-02, 2024-01, 2024 or an interval a/b")
                return
            self.session.update(resolved=resolved or None)
            return
        raw = self.value.text().replace(",", "").strip()
        try:
            value: Any = float(raw) if raw else None
        except ValueError:
            self.say(f"“{self.value.text()}” is not a number")
            return
        self.session.update(value=value, kind=self.kind.currentText(), unit=self.unit.text().strip() or None,
                            label=self.label.currentText(), approx=self.approx.isChecked())
