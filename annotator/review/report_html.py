"""A self-contained HTML report of one or several models' evaluation, with bar charts drawn by
matplotlib (inline SVG). Every name and text from the data is escaped: it is shown, never markup."""

from __future__ import annotations

import io
import warnings
from collections.abc import Sequence
from html import escape

import matplotlib
from matplotlib.figure import Figure

from annotator.domain import NUMBERS
from annotator.review.chart import score_bars
from annotator.review.evaluate import EDITS, Evaluation, confusion_rows, nothing_last
from annotator.review.metrics import EXACT, OVERLAP, Counts, Scores


def chart(groups: Sequence[tuple[str, Counts]], title: str) -> str:
    """Inline SVG; a bare Figure (no pyplot), so no global backend and nothing left open. Text
    stays text in the SVG (escaped by matplotlib), so names can be found and copied."""
    if not groups:
        return "<p>No spans.</p>"
    fig = Figure(figsize=(max(6, len(groups) * 0.9), 3.2), layout="tight")
    ax = fig.subplots()
    score_bars(ax, groups, fontsize=9)
    ax.set_title(title, parse_math=False)
    out = io.StringIO()
    with matplotlib.rc_context({"svg.fonttype": "none"}), warnings.catch_warnings():
        # The browser draws the text with its own fonts; matplotlib's lack of a glyph is no news.
        warnings.filterwarnings("ignore", message="Glyph .* missing from font", category=UserWarning)
        fig.savefig(out, format="svg")
    svg = out.getvalue()
    return svg[svg.index("<svg"):]


def table(scores: Scores) -> str:
    rows = "".join(
        f"<tr><td>{escape(name)}</td><td>{c.tp}</td><td>{c.fp}</td><td>{c.fn}</td>"
        f"<td>{c.precision:.3f}</td><td>{c.recall:.3f}</td><td>{c.f1:.3f}</td></tr>"
        for name, c in [*sorted(scores.labels.items()), ("overall", scores.overall)])
    return ("<table><tr><th>label</th><th>tp</th><th>fp</th><th>fn</th><th>precision</th><th>recall</th>"
            f"<th>F1</th></tr>{rows}</table>")


def _cell_label(label: str | None) -> str:
    return "—" if label is None else escape(label)


def confusion_table(report: Evaluation, layer: str) -> str:
    """Rows: the gold's label; columns: the label the model gave there (— for nothing)."""
    cells = dict(confusion_rows(report.confusion[layer]))
    if not cells:
        return "<p>No spans.</p>"
    golds, models = nothing_last({g for g, _ in cells}), nothing_last({m for _, m in cells})
    head = "".join(f"<th>{_cell_label(m)}</th>" for m in models)
    rows = "".join(f"<tr><th>{_cell_label(g)}</th>" + "".join(
        f"<td{' class=diag' if g == m else ''}>{cells.get((g, m), '')}</td>" for m in models) + "</tr>" for g in golds)
    return f"<table class=confusion><tr><th>gold ↓ model →</th>{head}</tr>{rows}</table>"


def left_out(report: Evaluation) -> str:
    items = [f"<li>{escape(layer)}: the gold has no spans in this layer</li>" for layer in report.left_out_layers]
    items += [f"<li>{escape(layer)}: " + ", ".join(f"{escape(label)} ({n})" for label, n in sorted(c.items()))
              + " — labels the gold never uses</li>"
              for layer, c in report.not_scored.items() if c and layer in report.layers]
    if report.unused_mapping:
        items.append("<li>mapped to labels the gold never uses: " + escape(", ".join(report.unused_mapping)) + "</li>")
    return f"<h3>Not scored</h3><ul>{''.join(items)}</ul>" if items else ""


def model_section(report: Evaluation, heading: str) -> list[str]:
    mapping = ", ".join(f"{k} → {v}" for k, v in sorted(report.mapping.items()))
    parts = [f"<{heading}>{escape(report.model)}</{heading}>",
             f"<p>{report.documents} document(s) marked done, annotated by {escape(report.annotator)}"
             + (f"; labels mapped: {escape(mapping)}" if mapping else "") + ".</p>", left_out(report)]
    if report.without_predictions:
        parts.append(f"<p>{report.without_predictions} of them have no stored predictions of this model "
                     "(scored as predicting nothing).</p>")
    for layer in report.layers:
        for mode in (EXACT, OVERLAP):
            scores = report.scores[mode][layer]
            parts += [f"<h3>{layer}, {mode} match</h3>",
                      chart(sorted(scores.labels.items()), f"{layer} ({mode})"), table(scores)]
        parts += [f"<h3>{layer}: which label was given instead of which</h3>", confusion_table(report, layer)]
    if NUMBERS in report.layers:
        parts.append(f"<h3>Number values</h3><p>{report.values_right} of {report.values_found} numbers found at the "
                     f"right place carry the right value ({report.value_accuracy:.1%}).</p>")
    if report.dates_found:
        parts.append(f"<h3>Resolved dates</h3><p>{report.dates_right} of {report.dates_found} dates found at the "
                     f"right place are resolved to the gold's date ({report.date_accuracy:.1%}).</p>")
    return parts


def comparison(reports: Sequence[Evaluation]) -> list[str]:
    """The models side by side: overall scores per layer and mode, as bars and a table."""
    layers = reports[0].layers
    parts = ["<h2>Models side by side</h2>"]
    for layer in layers:
        for mode in (EXACT, OVERLAP):
            groups = [(r.model, r.scores[mode][layer].overall) for r in reports]
            rows = "".join(f"<tr><td>{escape(name)}</td><td>{c.precision:.3f}</td><td>{c.recall:.3f}</td>"
                           f"<td>{c.f1:.3f}</td></tr>" for name, c in groups)
            parts += [f"<h3>{layer}, {mode} match</h3>", chart(groups, f"{layer} ({mode})"),
                      f"<table><tr><th>model</th><th>precision</th><th>recall</th><th>F1</th></tr>{rows}</table>"]
    return parts


def render(reports: Sequence[Evaluation]) -> str:
    first = reports[0]
    title = "Extraction quality: " + ", ".join(r.model for r in reports)
    parts = [f"<h1>{escape(title)}</h1>"]
    if len(reports) > 1:
        parts += comparison(reports)
        for report in reports:
            parts += model_section(report, "h2")
    else:
        parts += model_section(first, "h2")[1:]
    edits = "".join(f"<li>{k}: {first.edits.get(k, 0)}</li>" for k in EDITS)
    parts.append(f"<h2>What people did to the suggestions</h2><ul>{edits}</ul>")
    for report in reports:
        rows = "".join(f"<tr><td>{doc_id}</td><td>{escape(d.kind)}</td><td>{escape(d.describe())}</td></tr>"
                       for doc_id, d in report.disagreements)
        parts.append(f"<h2>Disagreements{escape(' of ' + report.model) if len(reports) > 1 else ''}</h2>"
                     f"<table><tr><th>doc</th><th>kind</th><th>what</th></tr>{rows}</table>")
    style = ("body{font-family:sans-serif;max-width:1100px;margin:2em auto}table{border-collapse:collapse}"
             "td,th{border:1px solid #ccc;padding:2px 8px;text-align:left}td.diag{background:#e8f5e9}")
    return (f"<!doctype html><html><head><meta charset='utf-8'><title>{escape(title)}</title>"
            f"<style>{style}</style></head><body>{''.join(parts)}</body></html>")
