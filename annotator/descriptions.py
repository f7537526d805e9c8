"""Spans and their changes in words for a person: the status line, the history, the tooltip.

One module, so that a span is named one way everywhere ("PERSON 'Zelenskyy'") and a number is
written one way everywhere (:func:`number`: "38,500", "0.25", "?" when it has no value).
Pure Python, as the domain is: the session, the store's history and the window all call it.
"""

from __future__ import annotations

from typing import Any

from annotator.domain import NUMBERS, Span
from annotator.learning.suggest import ORIGIN_LEARNED


def number(value: float | None) -> str:
    """A number's value as a person reads it: thousands grouped, up to ten digits, "?" if none."""
    return "?" if value is None else f"{value:,.10g}"


def counted(n: int, noun: str) -> str:
    """"1 document", "3 documents": what the status line says, rather than "document(s)"."""
    return f"{n:,} {noun}" + ("" if n == 1 else "s")


def describe_span(span: Span) -> str:
    """A span named by its label and its words: "PERSON 'Zelenskyy'"."""
    return f"{span.label} {span.text!r}"


def describe_update(old: Span, new: Span) -> str:
    """What changing a span's fields did, in the words of the review's edit counts."""
    said = []
    if new.label != old.label:
        said.append(f"relabelled {old.label} → {new.label}")
    if new.value != old.value:
        said.append(f"value corrected {number(old.value)} → {number(new.value)}")
    if new.resolved != old.resolved:
        said.append(f"date resolved as {new.resolved or 'nothing'}")
    if (new.kind, new.unit, new.approx) != (old.kind, old.unit, old.approx):
        said.append("details changed")
    what = "; ".join(said) or "confirmed"
    return f"{describe_span(new)}: {what}"


def relabelled(old: Span, new: Span) -> str:
    return f"Relabelled {old.label} → {describe_span(new)}"


def resized(old: Span, new: Span) -> str:
    """A span's new extent, with the date it now means if its words changed that."""
    return f"Now {describe_span(new)}" + (f" ({new.resolved})" if new.resolved != old.resolved else "")


def describe_change(old: Span, new: Span) -> str:
    """The history's words for a change: what it became, not only what it was."""
    if new.label != old.label:
        return f"relabel {old.label}→{new.label} {old.text!r}"
    if (new.start, new.end) != (old.start, old.end):
        return f"resize {new.label} {old.text!r}→{new.text!r}"
    if new.value != old.value:
        return f"change value {number(old.value)}→{number(new.value)} {new.text!r}"
    if new.resolved != old.resolved:
        return f"change date {old.resolved or 'none'}→{new.resolved or 'none'} {new.text!r}"
    if new.confirmed and not old.confirmed and new == old.with_(confirmed=True, origin=new.origin):
        return f"confirm {describe_span(new)}"
    return f"change {describe_span(new)}"


def describe_details(span: Span) -> str:
    """What hovering a span tells: label, state, for numbers the parsed value, for dates the day meant."""
    state = "confirmed" if span.confirmed else (
        "suggested from your own decision on this string — not yet reviewed" if span.origin == ORIGIN_LEARNED
        else "suggested by the model — not yet reviewed")
    if span.layer == NUMBERS:
        parts = [f"{span.label}: {number(span.value)}", span.kind or "", "approximate" if span.approx else "",
                 f"counts {span.unit}" if span.unit else ""]
        return f"{' · '.join(p for p in parts if p)} ({state})"
    if span.resolved:
        return f"{span.label}: {span.resolved} ({state})"
    return f"{span.label} ({state})"


def replayed(verb: str, action: str, changes: list[dict[str, Any]]) -> str:
    """What an undo (``verb`` "undo") or redo did, and for a single span what it left behind
    ("Undid: relabel ORG→PERSON 'Zelenskyy' — now ORG 'Zelenskyy'")."""
    said = f"{'Undid' if verb == 'undo' else 'Redid'}: {action}"
    if len(changes) != 1 or changes[0].get("op") not in ("add", "update", "delete"):  # not a span's
        return said
    result = changes[0]["before" if verb == "undo" else "after"]
    return f"{said} — now {result['label']} {result['text']!r}" if result else f"{said} — removed"
