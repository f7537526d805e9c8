"""Render resources/annotator.svg to the PNG the window and the desktop entry use.

The PNG is committed, so neither the app nor the bundle needs Qt's SVG plugin; run this again
after editing the SVG:  python3 build/render_icon.py
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

RESOURCES = Path(__file__).resolve().parent.parent / "resources"
SIZE = 256


def render(svg: Path, png: Path, size: int = SIZE) -> None:
    renderer = QSvgRenderer(str(svg))
    if not renderer.isValid():
        sys.exit(f"{svg}: not a valid SVG")
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter)
    painter.end()
    if not image.save(str(png)):
        sys.exit(f"{png}: could not be written")
    print(f"wrote {png} ({size}x{size})")


if __name__ == "__main__":
    app = QGuiApplication(sys.argv)
    render(RESOURCES / "annotator.svg", RESOURCES / "annotator.png")
