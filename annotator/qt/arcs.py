"""Relations drawn over the article: a curve from under one span to under the other, an arrowhead
at the child, and the relation's name in a small box at the curve's lowest point.

Painted on the article's viewport after its text and tags (an overlay of the same paint), from the
cursor rectangles of the spans' ends (stored offsets converted to Qt's at this edge). Links that
share a line are nested by width, each wider one dipping lower, so crossing links stay apart; a
suggested link is dashed, the relation picked in the links panel drawn thicker. While linking, the
head is outlined solid and the span pointed at dashed, joined by a grey dashed line.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRect, QRectF, Qt
from PySide6.QtGui import QColor, QFontMetrics, QPainter, QPainterPath, QPen, QPolygonF

from annotator.domain import Span
from annotator.qt.article_view import ArticleView
from annotator.qt.link_mode import LinkMode
from annotator.relations import Relation
from annotator.session_links import Links

DIP = 6  # px a link dips below its spans' line, more for each wider link it nests under (the gap
NEST = 4  # between lines is narrow: deeper ones would cross the next line's words)
MAX_DIP = 18


class Arcs:
    """Draws the open document's relations on ``view``; redraws when they change."""

    def __init__(self, view: ArticleView, links: Links, mode: LinkMode) -> None:
        self.view = view
        self.links = links
        self.mode = mode
        self.selected: int | None = None  # the relation picked in the links panel
        self.drawn: list[tuple[int, QRect]] = []  # relation id -> the box of its name, as last painted
        view.overlays.append(self.paint)
        links.events.relations.connect(lambda _: self.update())
        links.events.relation_labels.connect(lambda _: self.update())
        links.session.events.spans.connect(self._spans_changed)

    def update(self) -> None:
        self.view.viewport().update()

    def select(self, relation_id: int | None) -> None:
        if relation_id != self.selected:
            self.selected = relation_id
            self.update()

    def _spans_changed(self, change: object) -> None:
        """A span that moved or changed label moves its links' ends (its removal removes them: a relation change)."""
        ends = {end for r in self.links.relations.values() for end in (r.head, r.child)}
        if any(s.id in ends for s in getattr(change, "changed", [])):
            self.update()

    # -- geometry ------------------------------------------------------------------------------

    def _ends(self, span: Span) -> tuple[QRect, QRect]:
        view = self.view
        return view.cursorRect(view._cursor(span.start)), view.cursorRect(view._cursor(span.end))

    def anchor(self, span: Span) -> QPointF:
        """Under the middle of the span's first line (its start and a little on when it wraps)."""
        start, end = self._ends(span)
        x = (start.left() + end.left()) / 2 if start.top() == end.top() else start.left() + 10
        return QPointF(x, start.bottom() + 2)

    def outline(self, span: Span) -> QRect:
        start, end = self._ends(span)
        line = self.view.fontMetrics().height()
        right = end.left() if start.top() == end.top() else self.view.viewport().width() - 8
        return QRect(start.left() - 2, start.bottom() - line - 1, right - start.left() + 4, line + 3)

    # -- painting ------------------------------------------------------------------------------

    def paint(self, painter: QPainter) -> None:
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setFont(self.view.tag_font)
        metrics = QFontMetrics(self.view.tag_font)
        spans = self.links.session.spans
        placed: list[tuple[float, float, float, float]] = []  # (line y, left x, right x, dip) of links drawn
        shown = [(r, spans[r.head], spans[r.child]) for r in self.links.relations.values()
                 if r.head in spans and r.child in spans]
        ends = [(r, self.anchor(h), self.anchor(c)) for r, h, c in shown]
        ends.sort(key=lambda e: abs(e[2].x() - e[1].x()) + abs(e[2].y() - e[1].y()))  # narrow ones nest inside
        self.drawn = []
        for relation, head, child in ends:
            low = max(head.y(), child.y())
            left, right = min(head.x(), child.x()), max(head.x(), child.x())
            under = [d for y, x0, x1, d in placed if y == low and x0 <= right and left <= x1]
            dip = min(MAX_DIP, max([DIP - NEST, *under]) + NEST)
            placed.append((low, left, right, dip))
            self._paint_link(painter, metrics, relation, head, child, dip)
        if self.mode.active:
            self._paint_mode(painter)
        painter.restore()

    def _paint_link(self, painter: QPainter, metrics: QFontMetrics, relation: Relation,
                    head: QPointF, child: QPointF, dip: float) -> None:
        label = self.links.relation_label(relation.label)
        colour = QColor(label.colour if label is not None else "#616161")
        pen = QPen(colour, 3 if relation.id == self.selected else 1.6)
        if not relation.confirmed:
            pen.setStyle(Qt.PenStyle.DashLine)
        low = max(head.y(), child.y()) + dip * 4 / 3  # the curve's lowest point: ``dip`` under the lower end
        path = QPainterPath(head)
        path.cubicTo(QPointF(head.x(), low), QPointF(child.x(), low), child)
        painter.setPen(pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawPath(path)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(colour)
        painter.drawPolygon(QPolygonF([child, child + QPointF(-4, 6), child + QPointF(4, 6)]))
        middle = path.pointAtPercent(0.5)
        width, height = metrics.horizontalAdvance(relation.label) + 8, metrics.height() + 1
        box = QRectF(middle.x() - width / 2, middle.y() - height / 2, width, height)
        painter.setPen(pen)
        painter.setBrush(QColor(255, 255, 255, 225))  # the words under it still show through a little
        painter.drawRoundedRect(box, 3, 3)
        painter.setPen(colour)
        painter.drawText(box, Qt.AlignmentFlag.AlignCenter, relation.label)
        if relation.id is not None:
            self.drawn.append((relation.id, box.toRect()))

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
            start, end = self.anchor(head), self.anchor(child)
            low = max(start.y(), end.y()) + DIP + NEST
            path = QPainterPath(start)
            path.cubicTo(QPointF(start.x(), low), QPointF(end.x(), low), end)
            painter.drawPath(path)
