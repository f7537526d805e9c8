"""The article: plain text, set once per document, with spans drawn as extra selections.

The text is never HTML (``setPlainText``), so markup in an article is shown literally and loads
nothing. Spans are painted with ``setExtraSelections``, which does not touch the document: a
long article with hundreds of spans switches at once, and an edit repaints without re-layout.
"""

from __future__ import annotations

import html
from typing import Callable

from PySide6.QtCore import QEvent, QPoint, Qt, Signal
from PySide6.QtGui import QColor, QFont, QKeyEvent, QMouseEvent, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import QPlainTextEdit, QTextEdit, QToolTip, QWidget

from annotator.domain import ENTITIES, NUMBERS, Label, Span
from annotator.qt.offsets import OffsetMap, show_text


def describe(span: Span) -> str:
    """What hovering a span tells: label, state, and for numbers the parsed value."""
    state = "suggested by the model — not yet reviewed" if not span.confirmed else "confirmed"
    if span.layer == NUMBERS:
        value = "?" if span.value is None else f"{span.value:,.10g}"
        parts = [f"{span.label}: {value}", span.kind or "", "approximate" if span.approx else "",
                 f"counts {span.unit}" if span.unit else ""]
        return f"{' · '.join(p for p in parts if p)} ({state})"
    return f"{span.label} ({state})"


class ArticleView(QPlainTextEdit):
    """Shows one document; reports clicks on spans and hands keys to the window first."""

    span_clicked = Signal(object)  # the Span under the click, or None

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setReadOnly(True)
        self.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        font = self.font()
        font.setPointSizeF(font.pointSizeF() * 1.15)
        self.setFont(font)
        self.document().setDocumentMargin(14)
        self.text = ""
        self.offsets = OffsetMap("")
        self.spans: list[Span] = []
        self.colours: dict[str, QColor] = {}
        self.current: Span | None = None
        self.key_handler: Callable[[QKeyEvent], bool] = lambda event: False
        self._press: QPoint | None = None

    # -- content -----------------------------------------------------------------------------

    def set_document(self, text: str, spans: list[Span], labels: list[Label]) -> None:
        """Show a new text (laid out once) with its spans."""
        self.text = text
        self.offsets = OffsetMap(text)
        self.current = None
        show_text(self, text)
        self.set_spans(spans, labels)

    def set_spans(self, spans: list[Span], labels: list[Label] | None = None, current: Span | None = None) -> None:
        if labels is not None:
            self.colours = {label.name: QColor(label.colour) for label in labels}
        self.spans = spans
        self.current = next((s for s in spans if current and s.id == current.id), None)
        self.setExtraSelections([self._selection(s) for s in self._paint_order()])

    def _paint_order(self) -> list[Span]:
        # Entities first so that a number's underline is drawn over an entity's background.
        return sorted(self.spans, key=lambda s: (s.layer != ENTITIES, s.start))

    def _selection(self, span: Span) -> QTextEdit.ExtraSelection:
        selection = QTextEdit.ExtraSelection()
        cursor = QTextCursor(self.document())
        cursor.setPosition(self.offsets.to_qt(span.start))
        cursor.setPosition(self.offsets.to_qt(span.end), QTextCursor.MoveMode.KeepAnchor)
        selection.cursor = cursor
        colour = self.colours.get(span.label, QColor("#9e9e9e"))
        fmt = QTextCharFormat()
        selected = self.current is not None and span.id == self.current.id
        if span.layer == NUMBERS:
            fmt.setFontUnderline(True)
            fmt.setUnderlineColor(colour)
            fmt.setUnderlineStyle(
                QTextCharFormat.UnderlineStyle.SingleUnderline if span.confirmed
                else QTextCharFormat.UnderlineStyle.DashUnderline
            )
            fmt.setFontWeight(QFont.Weight.DemiBold)
            fmt.setForeground(colour.darker(130))
        else:
            background = QColor(colour)
            background.setAlpha(200 if span.confirmed else 90)
            fmt.setBackground(background)
            if not span.confirmed:
                fmt.setFontUnderline(True)
                fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.DotLine)
                fmt.setUnderlineColor(colour.darker(160))
        if selected:
            fmt.setBackground(colour.darker(150))
            fmt.setForeground(QColor("white"))
        selection.format = fmt
        return selection

    # -- selection in Python offsets -----------------------------------------------------------

    def selected_range(self) -> tuple[int, int] | None:
        cursor = self.textCursor()
        if not cursor.hasSelection():
            return None
        return self.offsets.from_qt(cursor.selectionStart()), self.offsets.from_qt(cursor.selectionEnd())

    def select_range(self, start: int, end: int) -> None:
        cursor = QTextCursor(self.document())
        cursor.setPosition(self.offsets.to_qt(start))
        cursor.setPosition(self.offsets.to_qt(end), QTextCursor.MoveMode.KeepAnchor)
        self.setTextCursor(cursor)
        self.ensureCursorVisible()

    def clear_selection(self) -> None:
        cursor = self.textCursor()
        cursor.clearSelection()
        self.setTextCursor(cursor)

    def offset_at(self, point: QPoint) -> int:
        return self.offsets.from_qt(self.cursorForPosition(point).position())

    def spans_at(self, offset: int) -> list[Span]:
        """Spans covering a character: a number before the entity it sits in."""
        found = [s for s in self.spans if s.start <= offset < s.end]
        return sorted(found, key=lambda s: s.layer != NUMBERS)

    # -- events --------------------------------------------------------------------------------

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if not self.key_handler(event):
            super().keyPressEvent(event)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        self._press = event.position().toPoint()
        super().mousePressEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        super().mouseReleaseEvent(event)
        point = event.position().toPoint()
        if self._press is not None and (point - self._press).manhattanLength() < 4 and not self.textCursor().hasSelection():
            hits = self.spans_at(self.offset_at(point))
            self.span_clicked.emit(hits[0] if hits else None)
        self._press = None

    def viewportEvent(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip:
            hits = self.spans_at(self.offset_at(event.pos()))
            if hits:
                # Escaped: a tooltip would otherwise render markup found in an article.
                QToolTip.showText(event.globalPos(), "<br>".join(html.escape(f"“{s.text}” — {describe(s)}") for s in hits), self)
            else:
                QToolTip.hideText()
            return True
        return super().viewportEvent(event)

