"""Colours drawn with a label (the text on it, the selected span's background) and the window's
own: each reads at 4.5:1 or better (WCAG AA) on the window's grey and on white."""

from __future__ import annotations

from functools import lru_cache

from PySide6.QtGui import QColor

from annotator.labels import INK, contrast

ERROR = "#b91c1c"  # not saved, refused
WARNING = "#92400e"  # waiting, read-only (the amber before, #b45309, read at 4.4:1 on the status bar)
QUIET = "#4b5563"  # what matters less: a skipped document, what the Review leaves out


def text_on(colour: QColor) -> QColor:
    """The label palette's ink on light colours, white on dark ones: whichever reads better."""
    return QColor(_text_on(colour.name()))


@lru_cache(maxsize=256)
def _text_on(colour: str) -> str:
    return INK if contrast(INK, colour) >= contrast("#ffffff", colour) else "#ffffff"


def selected_background(colour: QColor) -> QColor:
    """The label's hue, dark enough that white text on it reads at 4.5:1 or better."""
    hue, saturation = colour.hslHue(), colour.hslSaturation()
    return QColor.fromHsl(max(hue, 0), min(saturation, 200), 70)
