"""What a person reads about a span: one way to name it, one way to write its number."""

from __future__ import annotations

import ast
from pathlib import Path

import annotator.descriptions as module
from annotator.descriptions import describe_change, describe_details, describe_update
from annotator.domain import NUMBERS, Span

TEXT = "Officials said 38,000 people left."
START = TEXT.index("38,000")


def number(value: float | None) -> Span:
    return Span.of(TEXT, START, START + 6, "NUMBER", layer=NUMBERS, value=value, kind="cardinal", unit="people")


def test_a_value_is_written_alike_in_the_status_line_the_history_and_the_tooltip() -> None:
    old, new = number(38000), number(1234567.5)
    assert describe_update(old, new) == "NUMBER '38,000': value corrected 38,000 → 1,234,567.5"
    assert describe_change(old, new) == "change value 38,000→1,234,567.5 '38,000'"
    assert describe_details(new) == "NUMBER: 1,234,567.5 · cardinal · counts people (confirmed)"


def test_a_missing_value_is_a_question_mark_everywhere() -> None:
    old, new = number(None), number(0.25)
    assert describe_update(old, new) == "NUMBER '38,000': value corrected ? → 0.25"
    assert describe_change(old, new) == "change value ?→0.25 '38,000'"
    assert describe_details(old).startswith("NUMBER: ? · cardinal")


def test_the_words_are_the_domains_so_the_store_may_use_them() -> None:
    """The store's history calls them: they may import neither the store, the session nor Qt."""
    tree = ast.parse(Path(module.__file__).read_text(encoding="utf-8"))
    imported = {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.module}
    imported |= {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
    assert not {name for name in imported if name.startswith(("annotator.storage", "annotator.session", "annotator.qt",
                                                              "PySide6", "sqlite"))}
