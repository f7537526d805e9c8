"""The article: plain text laid out once per document, spans drawn over it, label names above them.

The text is never HTML, so markup in an article is shown literally and loads nothing. Spans are
extra selections, which do not touch the document; each span's selection is kept, so an edit
rebuilds only the spans it changed. Only the spans in and near the view are given to Qt (which
looks at every selection for every line it paints), found by bisection: an article of thousands
of spans opens as fast as a short one, and scrolling past what was given gives the next stretch.
A text longer than the view has its scroll bar from the start, so that Qt lays it out once. Lines are spaced
at 185% and each span's label name is painted in the gap above its first character (as displaCy
and Prodigy show them), over the layout: the text and its offsets stay exactly as stored.
"""

from __future__ import annotations

import html
from bisect import bisect_left, bisect_right
from collections.abc import Callable
from operator import attrgetter

from PySide6.QtCore import QEvent, QPoint, QRect, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetrics,
    QHelpEvent,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QRegion,
    QResizeEvent,
    QTextBlockFormat,
    QTextCharFormat,
    QTextCursor,
)
from PySide6.QtWidgets import QTextEdit, QToolTip, QWidget

from annotator.descriptions import describe_details
from annotator.domain import ENTITIES, NUMBERS, Document, Label, Span, StoredSpan
from annotator.qt.colours import selected_background, text_on
from annotator.qt.offsets import OffsetMap, show_text
from annotator.session import Session, SpanChange

LINE_HEIGHT = 185  # percent of the font's line: room for the label names above the words
FALLBACK = "#9e9e9e"
REPAINT_SLACK = 500  # characters beyond the view whose spans an edit repaints (over a line: a name is drawn above its words)
# A span's selections as made: (what they were made for, its own, its underlines over entities).
Kept = tuple[object, "QTextEdit.ExtraSelection | None", list[QTextEdit.ExtraSelection]]


class ArticleView(QTextEdit):
    """Shows the session's document; reports clicks on spans and hands keys to the window first."""

    span_clicked = Signal(object)  # the Span under the click, or None

    def __init__(self, session: Session | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.setReadOnly(True)
        self.setUndoRedoEnabled(False)
        self.setAcceptRichText(False)
        self.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )
        self.setLineWrapMode(QTextEdit.LineWrapMode.WidgetWidth)
        font = self.font()
        font.setPointSizeF(font.pointSizeF() * 1.15)
        self.setFont(font)
        self.tag_font = QFont(font)
        self.tag_font.setPointSizeF(font.pointSizeF() * 0.62)
        self.tag_font.setWeight(QFont.Weight.DemiBold)
        self.document().setDocumentMargin(16)
        self.text = ""
        self.offsets = OffsetMap("")
        self.spans: list[StoredSpan] = []  # in paint order
        self.colours: dict[str, QColor] = {}
        self.current: StoredSpan | None = None
        self.drawn_tags: list[tuple[str, QRect]] = []  # tags painted by the last paint (names joined by ' · '), where
        self.key_handler: Callable[[QKeyEvent], bool] = lambda event: False
        self.tab_handler: Callable[[bool], bool] = lambda forward: False  # Tab taken by the window (linking)?
        self.overlays: list[Callable[[QPainter, QRegion], None]] = []  # painted over the text and tags (the links)
        self._press: QPoint | None = None
        self._selections: dict[int, Kept] = {}  # each span's selections, with what they were made for
        self._formats: dict[tuple[object, ...], QTextCharFormat] = {}
        self._starts: list[int] = []  # the spans' starts (offsets), sorted, for painting tags
        self._by_start: list[StoredSpan] = []
        self._given = (0, 0)  # the stretch of the text (offsets) whose spans Qt was given
        self.verticalScrollBar().valueChanged.connect(self._scrolled)
        if session is not None:  # without one, it shows what set_document is given
            session.events.opened.connect(self._opened)
            session.events.spans.connect(self._spans_changed)
            session.events.current.connect(self._current_changed)
            session.events.labels.connect(self._labels_changed)

    # -- following the session -----------------------------------------------------------------

    def _following(self) -> Session:
        """The session the view follows (its handlers are connected only when there is one)."""
        if self.session is None:
            raise RuntimeError("the article view follows no session")
        return self.session

    def _opened(self, doc: Document) -> None:
        session = self._following()
        self.set_document(doc.text, list(session.spans.values()), session.labels)

    def _spans_changed(self, change: SpanChange) -> None:
        before = {s.id: s for s in self.spans}
        touched = [*change.removed, *change.added, *change.changed]
        touched += [before[s.id] for s in change.changed if s.id in before]  # where it was drawn
        for span in touched:
            self._selections.pop(span.id, None)
        self._show(list(self._following().spans.values()), self._lines_of(touched))

    def _current_changed(self, span: StoredSpan | None) -> None:
        touched = [s for s in (self.current, span) if s is not None]
        for old in touched:
            self._selections.pop(old.id, None)
        self.current = span
        self._show(self.spans, self._lines_of(touched))

    def _lines_of(self, spans: list[StoredSpan]) -> QRegion:
        """The strips of the view where these spans and their names are drawn: what an edit repaints.
        Spans out of view need none (a decision changes a name's every occurrence: placing each
        one's lines was a tenth of the key press)."""
        region = QRegion()
        width = self.viewport().width()
        tag = QFontMetrics(self.tag_font).height() + 2
        top, bottom = self._visible()
        for span in spans:
            if span.end < top - REPAINT_SLACK or span.start > bottom + REPAINT_SLACK:
                continue
            top = self.cursorRect(self._cursor(span.start)).top() - tag
            bottom = self.cursorRect(self._cursor(span.end)).bottom() + 2
            region += QRect(0, top, width, bottom - top + 1)
        return region

    def _cursor(self, offset: int) -> QTextCursor:
        cursor = QTextCursor(self.document())
        cursor.setPosition(self.offsets.to_qt(offset))
        return cursor

    def _labels_changed(self, labels: list[Label]) -> None:
        self.colours = {label.name: QColor(label.colour) for label in labels}
        self._selections.clear()
        self._formats.clear()
        self._show(list(self._following().spans.values()))

    # -- content -----------------------------------------------------------------------------

    def set_document(self, text: str, spans: list[StoredSpan], labels: list[Label]) -> None:
        """Show a new text (laid out once) with its spans."""
        self.text = text
        self.offsets = OffsetMap(text)
        self.current = None
        self.colours = {label.name: QColor(label.colour) for label in labels}
        self._selections.clear()
        self._formats.clear()
        spacing = QTextBlockFormat()
        spacing.setLineHeight(LINE_HEIGHT, QTextBlockFormat.LineHeightTypes.ProportionalHeight.value)
        self.setUpdatesEnabled(False)
        self._scroll_bar_for(text)
        show_text(self, text, spacing)
        self.setUpdatesEnabled(True)
        self._show(spans)

    def _scroll_bar_for(self, text: str) -> None:
        """A text longer than the view holds gets its scroll bar before it is laid out: a scroll bar
        appearing after the layout narrows the view, and Qt lays the whole text out again (a long
        paragraph takes as long as everything else in opening it)."""
        metrics = self.fontMetrics()
        viewport = self.viewport()
        line = metrics.lineSpacing() * LINE_HEIGHT / 100
        fits = (viewport.width() / max(metrics.averageCharWidth(), 1)) * (viewport.height() / max(line, 1))
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOn if len(text) > fits
                                        else Qt.ScrollBarPolicy.ScrollBarAsNeeded)

    def _show(self, spans: list[StoredSpan], dirty: QRegion | None = None) -> None:
        """Draw these spans; repaint only ``dirty`` when given (Qt repaints changed selections itself).
        Only the spans in the stretch given to Qt are looked at one by one (found by bisection): the
        rest cost a sort, however many they are."""
        start, end = attrgetter("start"), attrgetter("end")
        entities = sorted([s for s in spans if s.layer == ENTITIES], key=start)  # apart: by start, ends too
        numbers = sorted([s for s in spans if s.layer != ENTITIES], key=start)
        self.spans = entities + numbers  # entities first: numbers are drawn under them
        if self.current is not None:
            self.current = next((s for s in self.spans if s.id == self.current.id), None)
        # Qt draws no selection that writes text where an earlier one wrote it, unless it has a
        # background: numbers go under the entities. Where a number covers an entity's words, the
        # entity is drawn with the number's underline (its letters stay in the ink that reads on
        # its colour); over part of an entity, an underline-only selection is drawn over it (Qt
        # draws the line's text again for it: dearer, and rarer).
        current = self.current.id if self.current is not None else None
        kept = self._selections
        top, bottom = self._visible()
        margin = max(bottom - top, 2000)
        low, high = self._given = (top - margin, bottom + margin)
        longest = max([s.end - s.start for s in numbers], default=0)
        numbers = numbers[bisect_left(numbers, low - longest, key=start):bisect_right(numbers, high, key=start)]
        given = entities[bisect_left(entities, low, key=end):bisect_right(entities, high, key=start)]
        carried: dict[int, tuple[str, bool]] = {}  # entity id -> the number underlining it
        under: list[QTextEdit.ExtraSelection] = []
        middle: list[QTextEdit.ExtraSelection] = []
        over: list[QTextEdit.ExtraSelection] = []
        # the first entity that may reach the next number (they are sorted by start, apart)
        first = bisect_right(entities, numbers[0].start, key=end) if numbers else 0
        # Over all spans given, though an edit changes a few: kept selections are reused, cheaply.
        for span in numbers:
            if span.end < low or span.start > high:
                continue
            selected = span.id == current
            shared: tuple[tuple[int, int, bool], ...] = ()
            if not selected:
                while first < len(entities) and entities[first].end <= span.start:
                    first += 1
                if first < len(entities) and entities[first].start < span.end:
                    shared = _shared(span, entities, first, carried)
            key = (shared, selected)
            known = kept.get(span.id)
            if known is None or known[0] != key:
                known = self._number_selections(span, shared, selected)
            if known[1] is not None:
                (over if selected else under).append(known[1])
            over += known[2]
        for span in given:
            selected, underline = span.id == current, carried.get(span.id)
            known = kept.get(span.id)
            if known is None or known[0] != (selected, underline):
                own = self._extra(span.start, span.end, self._format(span, selected, underline))
                known = self._keep(span, (selected, underline), own, [])
            if known[1] is not None:
                middle.append(known[1])
        self.setExtraSelections(under + middle + over)
        self._by_start = sorted(self.spans, key=start)  # stable: an entity before a number starting with it
        self._starts = [s.start for s in self._by_start]
        if dirty is None:
            self.viewport().update()
        elif not dirty.isEmpty():
            self.viewport().update(dirty)

    def _visible(self) -> tuple[int, int]:
        """The offsets of the text in view."""
        viewport = self.viewport()
        top = self.cursorForPosition(QPoint(0, 0)).position()
        bottom = self.cursorForPosition(QPoint(viewport.width(), viewport.height())).position()
        return self.offsets.from_qt(top), self.offsets.from_qt(bottom)

    def _scrolled(self) -> None:
        """Scrolled (or resized) past the stretch whose spans Qt was given: give the next."""
        top, bottom = self._visible()
        if top < self._given[0] or bottom > self._given[1]:
            self._show(self.spans)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._scrolled()

    def _number_selections(self, number: StoredSpan, shared: tuple[tuple[int, int, bool], ...], selected: bool) -> Kept:
        """A number's own selection (none where entities cover all its words) and its underline
        over each stretch it shares with part of an entity. Qt tells unchanged selections apart
        by their anchor: entities are anchored at their start, numbers and their underlines at
        their end, so that no two share one (or both lines would repaint on every edit)."""
        own = None
        if sum(end - start for start, end, _ in shared) < number.end - number.start:
            own = self._extra(number.end, number.start, self._format(number, selected, None))
        underline = self._underline(number.label, number.confirmed)
        return self._keep(number, (shared, selected),
                          own, [self._extra(end, start, underline) for start, end, whole in shared if not whole])

    def _keep(self, span: StoredSpan, key: object, own: QTextEdit.ExtraSelection | None,
              underlines: list[QTextEdit.ExtraSelection]) -> Kept:
        kept = (key, own, underlines)
        self._selections[span.id] = kept
        return kept

    def _extra(self, anchor: int, position: int, fmt: QTextCharFormat) -> QTextEdit.ExtraSelection:
        selection = QTextEdit.ExtraSelection()
        cursor = QTextCursor(self.document())
        cursor.setPosition(self.offsets.to_qt(anchor))
        cursor.setPosition(self.offsets.to_qt(position), QTextCursor.MoveMode.KeepAnchor)
        selection.cursor = cursor
        selection.format = fmt
        return selection

    def _underline(self, label: str, confirmed: bool) -> QTextCharFormat:
        """A number's underline alone (its letters and background clear), drawn over an entity."""
        key = (label, "underline", confirmed, False)
        fmt = self._formats.get(key)
        if fmt is None:
            fmt = QTextCharFormat()
            self._underline_in(fmt, label, confirmed)
            fmt.setForeground(QColor(Qt.GlobalColor.transparent))
            fmt.setBackground(QColor(Qt.GlobalColor.transparent))
            self._formats[key] = fmt
        return fmt

    def _format(self, span: Span, selected: bool, underline: tuple[str, bool] | None) -> QTextCharFormat:
        """How a span looks; one format per kind of span, shared by all its spans (``underline``:
        the label and state of a number covering an entity's words)."""
        key = (span.label, span.layer, span.confirmed, selected, underline)
        fmt = self._formats.get(key)
        if fmt is not None:
            return fmt
        colour = self.colour(span.label)
        fmt = QTextCharFormat()
        if span.layer == NUMBERS:
            self._underline_in(fmt, span.label, span.confirmed)
            fmt.setFontWeight(QFont.Weight.DemiBold)
            fmt.setForeground(colour)
            fmt.setBackground(QColor(Qt.GlobalColor.transparent))  # drawn even over another number
        else:
            background = QColor(colour)
            background.setAlpha(255 if span.confirmed else 110)
            fmt.setBackground(background)
            fmt.setForeground(text_on(colour))
            if not span.confirmed:
                fmt.setFontUnderline(True)
                fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.DotLine)
                fmt.setUnderlineColor(colour.darker(160))
        if selected:
            fmt.setBackground(selected_background(colour))
            fmt.setForeground(QColor("white"))
        if underline is not None:
            self._underline_in(fmt, *underline)
        self._formats[key] = fmt
        return fmt

    def _underline_in(self, fmt: QTextCharFormat, label: str, confirmed: bool) -> None:
        """A number's underline: its colour, solid once confirmed, dashed while suggested."""
        fmt.setFontUnderline(True)
        fmt.setUnderlineColor(self.colour(label))
        fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.SingleUnderline if confirmed
                              else QTextCharFormat.UnderlineStyle.DashUnderline)

    def colour(self, label: str) -> QColor:
        return self.colours.get(label) or QColor(FALLBACK)

    # -- label names over the text ---------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        painter = QPainter(self.viewport())
        painter.setFont(self.tag_font)
        metrics = QFontMetrics(self.tag_font)
        self.drawn_tags = []
        taken: list[QRect] = []
        painted: set[int] = set()  # the places whose tag is drawn
        # the lines asked for, not the box around them all
        for rect in event.region():  # type: ignore[attr-defined]  # PySide6 iterates a QRegion; its stub has no __iter__
            first = self.offset_at(QPoint(0, rect.top() - metrics.height()))
            last = self.offset_at(QPoint(self.viewport().width(), rect.bottom() + metrics.height()))
            for at in range(bisect_left(self._starts, first - 1), bisect_right(self._starts, last)):
                place = self._starts[at]
                if place not in painted:  # the first of the spans starting there: one tag names them all
                    painted.add(place)
                    self._paint_tag(painter, metrics, self._by_start[at:bisect_right(self._starts, place)], taken)
        for overlay in self.overlays:
            overlay(painter, event.region())
        painter.end()

    def _paint_tag(self, painter: QPainter, metrics: QFontMetrics, spans: list[StoredSpan], taken: list[QRect]) -> None:
        """One tag for the spans starting at a word (an entity and the number in it: "MONEY · AMOUNT"),
        each name on its label's colour and in its state's style, joined in one rounded box. Two
        tags side by side there read as two places' tags, and push the next words' tags further
        off their words."""
        word = self.cursorRect(self._cursor(spans[0].start))
        line = self.fontMetrics().height()
        height = metrics.height() + 1
        widths = [metrics.horizontalAdvance(span.label) + 8 for span in spans]
        box = QRect(word.left(), word.bottom() - line - height + 1, sum(widths), height)
        for other in taken:  # a tag still running over this word: after it
            if other.intersects(box):
                box.moveLeft(other.right() + 4)
        taken.append(box)
        left = box.left()
        for at, (span, width) in enumerate(zip(spans, widths)):  # each but the last runs on under the next:
            more = 3 if at < len(spans) - 1 else 0  # one box, rounded at its ends only
            self._paint_name(painter, span, QRect(left, box.top(), width + more, height))
            left += width
        self.drawn_tags.append((" · ".join(span.label for span in spans), QRect(box)))

    def _paint_name(self, painter: QPainter, span: Span, box: QRect) -> None:
        """A label's name on its colour: solid when confirmed, as the span is; a suggestion pale, or
        outlined in a dark colour."""
        colour = self.colour(span.label)
        ink = text_on(colour)
        painter.setPen(Qt.PenStyle.NoPen)
        if span.confirmed:
            painter.setBrush(colour)
        elif ink == QColor("white"):
            painter.setPen(colour)
            painter.setBrush(QColor("white"))
            ink = colour
        else:
            fill = QColor(colour)
            fill.setAlpha(130)
            painter.setBrush(fill)
        painter.drawRoundedRect(box.adjusted(0, 0, -1, -1), 3, 3)
        painter.setPen(ink)
        painter.drawText(box, Qt.AlignmentFlag.AlignCenter, span.label)

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

    def spans_at(self, offset: int) -> list[StoredSpan]:
        """Spans covering a character: a number before the entity it sits in."""
        found = [s for s in self.spans if s.start <= offset < s.end]
        return sorted(found, key=lambda s: s.layer != NUMBERS)

    # -- events --------------------------------------------------------------------------------

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if not self.key_handler(event):
            super().keyPressEvent(event)

    def focusNextPrevChild(self, forward: bool) -> bool:
        """Tab in the article: the window's when it wants it (a link from the selected span), else the next widget."""
        return self.tab_handler(forward) or super().focusNextPrevChild(forward)

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
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            hits = self.spans_at(self.offset_at(event.pos()))
            if hits:
                # Escaped: a tooltip would otherwise render markup found in an article.
                said = "<br>".join(html.escape(f"“{s.text}” — {describe_details(s)}") for s in hits)
                QToolTip.showText(event.globalPos(), said, self)
            else:
                QToolTip.hideText()
            return True
        return super().viewportEvent(event)


def _shared(number: Span, entities: list[StoredSpan], first: int,
            carried: dict[int, tuple[str, bool]]) -> tuple[tuple[int, int, bool], ...]:
    """The stretches of a number that entities cover, from ``entities[first]`` on (sorted by start;
    entities do not overlap one another), each with whether it is a whole entity, which then
    carries the number's underline (noted in ``carried``, the first such number's)."""
    shared = []
    for entity in entities[first:]:
        if entity.start >= number.end:
            break
        start, end = max(entity.start, number.start), min(entity.end, number.end)
        whole = (start, end) == (entity.start, entity.end) and entity.id not in carried
        if whole:
            carried[entity.id] = (number.label, number.confirmed)
        shared.append((start, end, whole))
    return tuple(shared)
