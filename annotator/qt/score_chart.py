"""The Review's score bars, drawn in a worker and shown here as an image.

matplotlib takes up to a second to lay out and draw even a few bars; on the window's thread that
froze the Review's first show. The drawing is made off it at the widget's size, and again when
the widget has kept a new size for a moment (meanwhile the last one is shown scaled); a drawing
overtaken by a newer one is dropped.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QRect, Qt, QTimer
from PySide6.QtGui import QHideEvent, QImage, QPainter, QPaintEvent, QResizeEvent, QShowEvent
from PySide6.QtWidgets import QSizePolicy, QWidget

from annotator.qt.workers import Workers
from annotator.review.chart import score_pixels
from annotator.review.metrics import Counts

DPI = 100  # matplotlib's points at the screen's logical pixels, as its own Qt canvas draws them
SETTLE_MS = 150  # a resize is drawn again once the size has held this long


class ScoreChart(QWidget):
    """Precision, recall and F1 bars per group, drawn by a worker; ``image`` is the drawing shown."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.workers = Workers(self)
        self.image = QImage()
        self.groups: list[tuple[str, Counts]] = []
        self.empty = ""
        self._wanted = False  # something to draw has been given
        self._drawing = 0  # the number of the latest drawing asked for; older results are dropped
        self._settle = QTimer(self, singleShot=True, interval=SETTLE_MS)
        self._settle.timeout.connect(self._draw)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumHeight(120)

    def show_scores(self, groups: Sequence[tuple[str, Counts]], empty: str) -> None:
        """Draw these groups of bars (``empty``: what to say when there are none)."""
        self.groups, self.empty, self._wanted = list(groups), empty, True
        self._draw()

    def _draw(self) -> None:
        if not self._wanted or not self.isVisible() or self.width() < 20 or self.height() < 20:
            return  # (drawn when shown: a hidden chart, or the closing window's, starts no worker)
        self._drawing += 1
        drawing, groups, empty = self._drawing, self.groups, self.empty
        width, height, ratio = self.width(), self.height(), self.devicePixelRatioF()

        def work(progress: Callable[[int, int], None], cancelled: Callable[[], bool]) -> tuple[int, QImage]:
            pixels, drawn_width, drawn_height = score_pixels(groups, round(width * ratio), round(height * ratio),
                                                             DPI * ratio, empty)
            image = QImage(pixels, drawn_width, drawn_height, 4 * drawn_width, QImage.Format.Format_RGBA8888).copy()
            image.setDevicePixelRatio(ratio)  # (the copy owns its pixels: ``pixels`` may go)
            return drawing, image

        self.workers.start(work, self._drawn)

    def _drawn(self, result: tuple[int, QImage]) -> None:
        drawing, image = result
        if drawing == self._drawing:
            self.image = image
            self.update()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._wanted and self.image.deviceIndependentSize().toSize() != self.size():
            self._draw()

    def hideEvent(self, event: QHideEvent) -> None:
        super().hideEvent(event)
        self._settle.stop()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if self._wanted:
            self._settle.start()

    def paintEvent(self, event: QPaintEvent) -> None:
        if self.image.isNull():
            return
        size = self.image.deviceIndependentSize().toSize().scaled(self.size(), Qt.AspectRatioMode.KeepAspectRatio)
        box = QRect(0, 0, size.width(), size.height())
        box.moveCenter(self.rect().center())
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        painter.drawImage(box, self.image)
        painter.end()
