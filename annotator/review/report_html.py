"""A self-contained HTML report of an evaluation, with bar charts drawn by matplotlib (inline SVG)."""

from __future__ import annotations

import html
import io

from matplotlib.figure import Figure

from annotator.review.chart import score_bars
from annotator.review.evaluate import Evaluation
from annotator.review.metrics import EXACT, OVERLAP, Scores


def chart(scores: Scores, title: str) -> str:
    """Inline SVG; a bare Figure (no pyplot), so no global backend and nothing left open."""
    labels = sorted(scores.labels)
    if not labels:
        return "<p>No spans.</p>"
    fig = Figure(figsize=(max(6, len(labels) * 0.9), 3.2), layout="tight")
    ax = fig.subplots()
    score_bars(ax, [(label, scores.labels[label]) for label in labels], fontsize=9)
    ax.set_title(title)
    out = io.StringIO()
    fig.savefig(out, format="svg")
    svg = out.getvalue()
    return svg[svg.index("<svg"):]


def table(scores: Scores) -> str:
    rows = "".join(
        f"<tr><td>{html.escape(name)}</td><td>{c.tp}</td><td>{c.fp}</td><td>{c.fn}</td>"
        f"<td>{c.precision:.3f}</td><td>{c.recall:.3f}</td><td>{c.f1:.3f}</td></tr>"
        for name, c in [*sorted(scores.labels.items()), ("overall", scores.overall)])
    return ("<table><tr><th>label</th><th>tp</th><th>fp</th><th>fn</th><th>precision</th><th>recall</th>"
            f"<th>F1</th></tr>{rows}</table>")


def render(report: Evaluation) -> str:
    parts = [f"<h1>Extraction quality: {html.escape(report.model)}</h1>",
             f"<p>{report.documents} document(s) marked done.</p>"]
    for layer in ("entities", "numbers"):
        for mode in (EXACT, OVERLAP):
            scores = report.scores[mode][layer]
            parts += [f"<h2>{layer}, {mode} match</h2>", chart(scores, f"{layer} ({mode})"), table(scores)]
    parts.append(f"<h2>Number values</h2><p>{report.values_right} of {report.values_found} numbers found at the "
                 f"right place carry the right value ({report.value_accuracy:.1%}).</p>")
    edits = "".join(f"<li>{k}: {report.edits.get(k, 0)}</li>" for k in ("accepted", "relabelled", "resized", "deleted", "value corrected", "added"))
    parts.append(f"<h2>What people did to the suggestions</h2><ul>{edits}</ul>")
    rows = "".join(f"<tr><td>{doc_id}</td><td>{html.escape(d.kind)}</td><td>{html.escape(d.describe())}</td></tr>"
                   for doc_id, d in report.disagreements)
    parts.append(f"<h2>Disagreements</h2><table><tr><th>doc</th><th>kind</th><th>what</th></tr>{rows}</table>")
    style = ("body{font-family:sans-serif;max-width:1100px;margin:2em auto}table{border-collapse:collapse}"
             "td,th{border:1px solid #ccc;padding:2px 8px;text-align:left}")
    return (f"<!doctype html><html><head><meta charset='utf-8'><title>annotator evaluation</title>"
            f"<style>{style}</style></head><body>{''.join(parts)}</body></html>")
