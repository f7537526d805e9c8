"""Hostile shapes in the JSON formats end in one line naming the file (and line), as every other
bad input does: JSON nested 100,000 deep (before: a RecursionError traceback) and a label name
of 100,000 characters (before: created and printed whole; now at most 100 characters)."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from annotator.cli import cli

DEEP = "[" * 100_000 + "]" * 100_000


def jsonl(path: Path) -> None:
    path.write_text('{"text": "Kyiv was hit."}\n{"text": "x", "meta": {"a": ' + DEEP + "}}\n", encoding="utf-8")


def tasks(path: Path) -> None:
    path.write_text('[{"data": {"text": "Kyiv", "deep": ' + DEEP + "}}]", encoding="utf-8")


def bare(path: Path) -> None:
    path.write_text(DEEP, encoding="utf-8")


def cell(path: Path) -> None:
    with path.open("w", encoding="utf-8", newline="") as file:
        csv.writer(file).writerows([["text", "label"], ["Kyiv was hit.", '[{"start": 0, "labels": ' + DEEP + "}]"]])


@pytest.mark.parametrize("name, write, where", [
    ("deep.jsonl", jsonl, "deep.jsonl, line 2: "),
    ("deep.json", tasks, "deep.json: "),
    ("bare.json", bare, "bare.json: "),
    ("deep.csv", cell, "deep.csv, line 2: column 'label': "),
])
def test_json_nested_100000_deep_ends_in_one_line(tmp_path: Path, name: str, write, where: str) -> None:
    write(tmp_path / name)
    result = CliRunner().invoke(cli, ["import", str(tmp_path / name), "--no-detect", "--db", str(tmp_path / "p.db")])
    assert result.exit_code == 1 and len(result.output.strip().splitlines()) == 1
    assert where + "JSON nested too deeply" in result.output and "Traceback" not in result.output


@pytest.mark.parametrize("fmt, record", [
    ("jsonl", {"text": "Kyiv was hit.", "spans": [{"start": 0, "end": 4, "label": "L" * 100_000}]}),
    ("doccano", {"text": "Kyiv was hit.", "label": [[0, 4, "L" * 100_000]]}),
])
def test_a_label_of_100000_characters_is_refused_with_the_limit(tmp_path: Path, fmt: str, record: dict) -> None:
    (tmp_path / "long.jsonl").write_text(json.dumps(record) + "\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["import", str(tmp_path / "long.jsonl"), "--format", fmt, "--no-detect",
                                      "--db", str(tmp_path / "p.db")])
    assert result.exit_code == 1 and len(result.output) < 300
    assert "line 1: span 0-4 has a label of 100,000 characters ('LLLLLLLLLLLLLLLLLLLL'…); a label has at most 100" \
        in result.output
