"""Relations drawn over the article: a curve from under one span to under the other, an arrowhead
at the child, and the relation's name in a small box at the curve's lowest point.

Painted on the article's viewport after its text and tags (an overlay of the same paint), from the
cursor rectangles of the spans' ends (stored offsets converted to Qt's at this edge). Links that
share a line are nested by width, each wider one dipping lower, so crossing links stay apart; a
link across lines runs through the gap between them to over the lower span's tag. A name sits at
its curve's lowest point, or, where names already drawn would be covered, on the first free row
under it, joined to its curve by a thin line: nearby links' names stack in rows instead of running
along the line, away from their curves. A suggested link is dashed, the relation picked in the
links panel drawn thicker. While linking, the
head is outlined solid and the span pointed at dashed, joined by a grey dashed line.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QPoint, QPointF, QRect, QRectF, Qt
from PySide6.QtGui import QColor, QFontMetrics, QMouseEvent, QPainter, QPainterPath, QPen, QPolygonF, QRegion

from annotator.domain import Span
from annotator.qt.article_view import ArticleView
from annotator.qt.link_mode import LinkMode
from annotator.relations import StoredRelation
from annotator.session import SpanChange
from annotator.session_links import Links, RelationChange

DIP = 6  # px a link dips below its spans' line, more for each wider link it nests under (the gap
NEST = 4  # between lines is narrow: deeper ones would cross the next line's words)
MAX_DIP = 12
ROWS = 4  # rows of names under a line; past them a name moves right of the ones in its way


class _Clicks(QObject):
    """Clicks on the article's viewport, seen before the article takes them (it still does)."""

    def __init__(self, clicked: Callable[[QPoint], None]) -> None:
        super().__init__()
        self.clicked = clicked

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # Qt's name
        if event.type() == QEvent.Type.MouseButtonRelease and isinstance(event, QMouseEvent):
            self.clicked(event.position().toPoint())
        return False


class Arcs:
    """Draws the open document's relations on ``view``; redraws when they change. A click on a
    link's name calls ``on_pick`` with its id (the links panel picks it)."""

    def __init__(self, view: ArticleView, links: Links, mode: LinkMode) -> None:
        self.view = view
        self.links = links
        self.mode = mode
        self.selected: int | None = None  # the relation picked in the links panel
        self.drawn: list[tuple[int, QRect]] = []  # relation id -> the box of its name, as last painted
        # Where each relation was last drawn, and the link being made, in document coordinates
        # (viewport + scroll): what a change repaints, not the whole view.
        self.extents: dict[int | None, QRectF] = {}
        self.region = QRegion()  # what the paint under way repaints
        self.on_pick: Callable[[int], None] = lambda relation_id: None
        self._clicks = _Clicks(self._clicked)
        view.viewport().installEventFilter(self._clicks)
        view.overlays.append(self.paint)
        links.events.relations.connect(self._relations_changed)
        links.events.relation_labels.connect(lambda _: self.update())
        links.session.events.spans.connect(self._spans_changed)
        links.session.events.opened.connect(lambda _: self.extents.clear())

    def update(self) -> None:
        self.view.viewport().update()

    def _clicked(self, point: QPoint) -> None:
        picked = next((relation_id for relation_id, box in reversed(self.drawn) if box.contains(point)), None)
        if picked is not None:
            self.on_pick(picked)

    def select(self, relation_id: int | None) -> None:
        if relation_id != self.selected:
            old, self.selected = self.selected, relation_id
            self._repaint([r for r in (self.links.relations.get(old or -1), self.links.relations.get(relation_id or -1)) if r])

    def mode_changed(self) -> None:
        """The link being made moved: repaint where it was and where it is."""
        region = [self.extents.pop(None, QRectF())]
        if self.mode.head is not None:
            region.append(self._strip([self.mode.head, *([self.mode.child] if self.mode.child else [])]))
        self._update(region)

    def _relations_changed(self, change: RelationChange) -> None:
        self._repaint([*change.added, *change.changed, *change.removed])

    def _spans_changed(self, change: SpanChange) -> None:
        """A span that moved or changed label moves its links' ends (its removal removes them: a relation change)."""
        moved = {s.id for s in change.changed}
        self._repaint([r for r in self.links.relations.values() if r.head in moved or r.child in moved])

    def _repaint(self, relations: list[StoredRelation]) -> None:
        """Where these relations were drawn and where they are now, and where the others were (a
        name may move to another row when a link nearby comes or goes)."""
        spans = self.links.session.spans
        region = [self.extents.pop(r.id, QRectF()) for r in relations] + list(self.extents.values())
        region += [self._strip([spans[r.head], spans[r.child]]) for r in relations if r.head in spans and r.child in spans]
        self._update(region)

    def _update(self, region: list[QRectF]) -> None:
        scroll = self.view.verticalScrollBar().value()
        for rect in region:
            if not rect.isEmpty():
                self.view.viewport().update(rect.translated(0, -scroll).toAlignedRect())

    def _strip(self, ends: list[Span]) -> QRectF:
        """The full-width band of the lines these spans are on, tags and dips under them included."""
        tops = [self.top(span).y() for span in ends]
        bottoms = [self.anchor(span).y() for span in ends]
        low = max(bottoms) + MAX_DIP * 4 / 3 + (ROWS + 1) * (QFontMetrics(self.view.tag_font).height() + 3) + 8
        return QRectF(0, min(tops) - 2 + self.view.verticalScrollBar().value(), self.view.viewport().width(), low - min(tops) + 2)

    def _visible(self) -> tuple[int, int]:
        """The stored offsets of the first and last characters in view."""
        view = self.view
        first = view.cursorForPosition(QPoint(0, 0)).position()
        last = view.cursorForPosition(QPoint(view.viewport().width(), view.viewport().height())).position()
        return view.offsets.from_qt(first), view.offsets.from_qt(last) + 1

    # -- geometry ------------------------------------------------------------------------------

    def _ends(self, span: Span) -> tuple[QRect, QRect]:
        view = self.view
        return view.cursorRect(view._cursor(span.start)), view.cursorRect(view._cursor(span.end))

    def _middle(self, span: Span) -> tuple[float, QRect]:
        """The x of the middle of the span's first line, and its start's cursor rectangle."""
        start, end = self._ends(span)
        return ((start.left() + end.left()) / 2 if start.top() == end.top() else start.left() + 10), start

    def anchor(self, span: Span) -> QPointF:
        """Under the middle of the span's first line (its start and a little on when it wraps)."""
        x, start = self._middle(span)
        return QPointF(x, start.bottom() + 2)

    def top(self, span: Span) -> QPointF:
        """Over the span's tag: where a link from a line above comes in."""
        x, start = self._middle(span)
        tag = QFontMetrics(self.view.tag_font).height() + 1
        return QPointF(x, start.bottom() - self.view.fontMetrics().height() - tag - 1)

    def outline(self, span: Span) -> QRect:
        start, end = self._ends(span)
        line = self.view.fontMetrics().height()
        right = end.left() if start.top() == end.top() else self.view.viewport().width() - 8
        return QRect(start.left() - 2, start.bottom() - line - 1, right - start.left() + 4, line + 3)

    def route(self, head: Span, child: Span, dip: float) -> tuple[QPainterPath, QPointF, bool]:
        """The curve of a link, the arrow's tip (at the child) and whether the arrow points up. On
        one line: a dip under both spans. Across lines: from under the upper span down to over the
        lower one's tag, through the gap between the lines, not under a whole line."""
        start, end = self.anchor(head), self.anchor(child)
        if start.y() == end.y():
            low = start.y() + dip * 4 / 3  # the curve's lowest point: ``dip`` under the line
            path = QPainterPath(start)
            path.cubicTo(QPointF(start.x(), low), QPointF(end.x(), low), end)
            return path, end, True
        child_lower = end.y() > start.y()
        upper, lower = (start, self.top(child)) if child_lower else (end, self.top(head))
        bend = max(6.0, (lower.y() - upper.y()) / 2)
        path = QPainterPath(upper)
        path.cubicTo(QPointF(upper.x(), upper.y() + bend), QPointF(lower.x(), lower.y() - bend), lower)
        if not child_lower:
            path = path.toReversed()
        return path, (lower if child_lower else upper), not child_lower

    # -- painting ------------------------------------------------------------------------------

    def paint(self, painter: QPainter, region: QRegion) -> None:
        """Lay out the links in view (the same each paint), and draw those crossing ``region``."""
        self.region = region
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setFont(self.view.tag_font)
        metrics = QFontMetrics(self.view.tag_font)
        spans = self.links.session.spans
        placed: list[tuple[float, float, float, float]] = []  # (line y, left x, right x, dip) of links drawn
        first, last = self._visible()  # links with an end in view, or passing through it: the same set each paint
        shown = [(r, h, c) for r in self.links.relations.values()
                 if (h := spans.get(r.head)) is not None and (c := spans.get(r.child)) is not None
                 and min(h.start, c.start) <= last and max(h.end, c.end) >= first]
        ends = [(r, h, c, self.anchor(h), self.anchor(c)) for r, h, c in shown]
        ends.sort(key=lambda e: abs(e[4].x() - e[3].x()) + abs(e[4].y() - e[3].y()))  # narrow ones nest inside
        self.drawn = []
        for relation, head, child, start, end in ends:
            left, right = min(start.x(), end.x()), max(start.x(), end.x())
            under = [d for y, x0, x1, d in placed if y == start.y() == end.y() and x0 <= right and left <= x1]
            dip = min(MAX_DIP, max([DIP - NEST, *under]) + NEST)
            placed.append((start.y(), left, right, dip))
            extent = self._paint_link(painter, metrics, relation, *self.route(head, child, dip))
            self.extents[relation.id] = extent.translated(0, self.view.verticalScrollBar().value())
        if self.mode.active:
            self._paint_mode(painter)
        painter.restore()

    def _paint_link(self, painter: QPainter, metrics: QFontMetrics, relation: StoredRelation,
                    path: QPainterPath, tip: QPointF, up: bool) -> QRectF:
        """Draw one link (if it crosses the region repainted); where it is drawn."""
        middle = path.pointAtPercent(0.5)
        box = self._place(middle, metrics.horizontalAdvance(relation.label) + 8, metrics.height() + 1)
        self.drawn.append((relation.id, box))
        extent = path.boundingRect().united(QRectF(box)).adjusted(-6, -8, 6, 8)
        if not self.region.intersects(extent.toAlignedRect()):
            return extent
        label = self.links.relation_label(relation.label)
        colour = QColor(label.colour if label is not None else "#616161")
        pen = QPen(colour, 3 if relation.id == self.selected else 1.6)
        if not relation.confirmed:
            pen.setStyle(Qt.PenStyle.DashLine)
        painter.setPen(pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawPath(path)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(colour)
        if label is None or label.directed:  # an undirected link has no arrow
            base = 6 if up else -6
            painter.drawPolygon(QPolygonF([tip, tip + QPointF(-4, base), tip + QPointF(4, base)]))
        if box.top() > middle.y() + box.height():  # stacked under: a thin line up to its curve
            painter.setPen(QPen(colour, 1))
            painter.drawLine(middle, QPointF(middle.x(), box.top()))
        painter.setPen(pen)
        painter.setBrush(QColor(255, 255, 255, 225))  # the words under it still show through a little
        painter.drawRoundedRect(box, 3, 3)
        painter.setPen(colour)
        painter.drawText(box, Qt.AlignmentFlag.AlignCenter, relation.label)
        return extent

    def _place(self, middle: QPointF, width: int, height: int) -> QRect:
        """Where a name goes: centred on its curve's lowest point (inside the view), else on the
        first of :data:`ROWS` rows under it that covers no name drawn, else right of those in its
        way on the last row. Whole pixels, as drawn and clicked."""
        left = round(max(2.0, min(middle.x() - width / 2, self.view.viewport().width() - width - 2)))
        first = QRect(left, round(middle.y() - height / 2), width, height)
        for row in range(ROWS):
            box = first.translated(0, row * (height + 2))
            if not any(box.intersects(other) for _, other in self.drawn):
                return box
        for _ in range(len(self.drawn)):  # each name passed is left behind for good: this ends
            other = next((r for _, r in self.drawn if r.intersects(box)), None)
            if other is None:
                break
            box.moveLeft(other.right() + 3)
        return box

    def _paint_mode(self, painter: QPainter) -> None:
        head, child = self.mode.head, self.mode.child
        painter.setBrush(Qt.BrushStyle.NoBrush)
        if head is not None:
            painter.setPen(QPen(QColor("#111827"), 2))
            painter.drawRoundedRect(self.outline(head), 3, 3)
        if head is not None and child is not None:
            pen = QPen(QColor("#111827"), 2, Qt.PenStyle.DashLine)
            painter.setPen(pen)
            painter.drawRoundedRect(self.outline(child), 3, 3)
            pen.setColor(QColor("#6b7280"))
            pen.setWidthF(1.4)
            painter.setPen(pen)
            path = self.route(head, child, DIP)[0]
            painter.drawPath(path)
            self.extents[None] = path.boundingRect().united(QRectF(self.outline(child))).adjusted(
                -4, -4, 4, 4).translated(0, self.view.verticalScrollBar().value())
        if head is not None:
            outline = QRectF(self.outline(head)).adjusted(-3, -3, 3, 3).translated(0, self.view.verticalScrollBar().value())
            self.extents[None] = self.extents.get(None, outline).united(outline)
