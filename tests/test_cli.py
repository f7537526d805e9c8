"""The command line, as a user runs it (through click's CliRunner)."""

from __future__ import annotations

from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from annotator import __version__
from annotator.cli import cli
from annotator.storage import Store


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def test_import_then_stats(runner: CliRunner, db_path: Path, seeds_dir: Path) -> None:
    result = runner.invoke(cli, ["import", str(seeds_dir), "--db", str(db_path), "--no-detect"])
    assert result.exit_code == 0, result.output
    assert "Imported 2 document(s)" in result.output
    again = runner.invoke(cli, ["--db", str(db_path), "import", str(seeds_dir), "--no-detect"])
    assert again.exit_code == 0 and "Imported 0 document(s)" in again.output
    assert "Skipped 2 already in the project" in again.output
    stats = runner.invoke(cli, ["stats", "--db", str(db_path)])
    assert stats.exit_code == 0 and "2 documents (2 open, 0 done, 0 skipped)" in stats.output


def test_bad_file_gives_one_clear_line_and_imports_nothing(runner: CliRunner, db_path: Path, tmp_path: Path) -> None:
    good = tmp_path / "good.jsonl"
    good.write_text('{"text": "Fine."}\n{"text": "Also fine."}\n{"txt": "typo"}\n', encoding="utf-8")
    result = runner.invoke(cli, ["import", str(good), "--db", str(db_path), "--no-detect"])
    assert result.exit_code == 1
    assert f"Error: {good}, line 3: the object has no string \"text\"" in result.output
    assert "Traceback" not in result.output
    with Store(db_path) as store:
        assert store.count_documents() == 0


def test_first_start_creates_the_default_project_with_the_samples(runner: CliRunner, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    result = runner.invoke(cli, ["stats"])
    assert result.exit_code == 0, result.output
    assert "2 documents" in result.output
    assert (tmp_path / "data" / "annotator" / "project.db").exists()


def test_version(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["--version"])
    assert result.output.strip() == f"annotator, version {__version__}"


@pytest.mark.parametrize("name", cli.list_commands(click.Context(cli)))
def test_every_command_has_help_with_an_example_and_takes_db(runner: CliRunner, name: str) -> None:
    result = runner.invoke(cli, [name, "--help"])
    assert result.exit_code == 0
    assert "Example" in result.output and "annotator " + name in result.output
    assert "--db PATH" in result.output
