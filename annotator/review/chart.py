"""Precision, recall and F1 as grouped bars: one drawing for the HTML report and the Review panel.

Names are data: drawn literally, never parsed as math text (a label ``$\\foo$`` stays ``$\\foo$``)."""

from __future__ import annotations

from collections.abc import Sequence

from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from annotator.review.metrics import Counts

WIDTH = 0.27


def score_bars(ax: Axes, groups: Sequence[tuple[str, Counts]], fontsize: float = 8) -> None:
    """Three bars (precision, recall, F1) per named group, on a 0..1 scale."""
    x = range(len(groups))
    for offset, metric in zip((-WIDTH, 0, WIDTH), ("precision", "recall", "f1")):
        ax.bar([i + offset for i in x], [getattr(counts, metric) for _, counts in groups], width=WIDTH,
               label="F1" if metric == "f1" else metric)
    ax.set_xticks(list(x), [name for name, _ in groups], fontsize=fontsize,
                  rotation=30 if len(groups) > 4 else 0, ha="right" if len(groups) > 4 else "center", parse_math=False)
    ax.set_ylim(0, 1.25)  # room above the bars for the legend, so it hides none of them
    ax.set_yticks([0, 0.25, 0.5, 0.75, 1])
    ax.legend(loc="upper center", ncols=3, fontsize=fontsize - 1, frameon=False)


def score_pixels(groups: Sequence[tuple[str, Counts]], width: int, height: int, dpi: float,
                 empty: str) -> tuple[bytes, int, int]:
    """The bars as RGBA pixels, about ``width`` x ``height`` (``empty`` said when there are no
    groups), and their size. A bare Figure on Agg, with no pyplot and no global settings: any
    thread may draw it, so the window draws it in a worker (it takes up to a second, most of it
    the tight layout)."""
    figure = Figure(figsize=(width / dpi, height / dpi), dpi=dpi, layout="tight")
    canvas = FigureCanvasAgg(figure)
    ax = figure.add_subplot()
    if groups:
        score_bars(ax, groups)
    else:
        ax.set_axis_off()
        ax.text(0.5, 0.5, empty, ha="center", va="center", wrap=True, parse_math=False)
    canvas.draw()
    drawn_width, drawn_height = canvas.get_width_height(physical=True)
    return bytes(canvas.buffer_rgba()), drawn_width, drawn_height
