"""Every failure of a command is one line naming the file, a non-zero exit and no traceback
(``--debug`` shows it); a file that is not ours is left byte for byte as it was."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from annotator.cli import cli
from annotator.domain import NewDocument
from annotator.storage import Store, StoreError

ROOT = Path(__file__).resolve().parent.parent
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    """The real program in a process of its own, as a user starts it."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-m", "annotator", *args], capture_output=True, text=True, env=env, timeout=300)


def assert_one_line(stderr: str, path: Path) -> None:
    assert "Traceback" not in stderr
    lines = stderr.strip().splitlines()
    assert len(lines) == 1 and str(path) in lines[0], stderr


@pytest.fixture
def article(tmp_path: Path) -> Path:
    path = tmp_path / "article.txt"
    path.write_text("Drones struck Kyiv overnight, officials said.", encoding="utf-8")
    return path


def other_programs_database(path: Path) -> Path:
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE contacts (name TEXT, phone TEXT)")
        db.execute("INSERT INTO contacts VALUES ('Ann', '555')")
    return path


@pytest.mark.parametrize("command", [["stats"], ["import", "ARTICLE", "--no-detect"]])
def test_a_png_given_as_project_is_refused_in_one_line_and_left_untouched(tmp_path: Path, article: Path,
                                                                         command: list[str]) -> None:
    png = tmp_path / "photo.png"
    png.write_bytes(PNG)
    result = run_cli(*[str(article) if a == "ARTICLE" else a for a in command], "--db", str(png))
    assert result.returncode != 0
    assert_one_line(result.stderr, png)
    assert png.read_bytes() == PNG
    assert sorted(p.name for p in tmp_path.iterdir()) == ["article.txt", "photo.png"]  # no journal left beside it


@pytest.mark.parametrize("make", [
    lambda path: path.write_text("Shopping list: bread, milk.\n", encoding="utf-8") and path,
    other_programs_database,
], ids=["text file", "another program's SQLite database"])
def test_a_file_that_is_not_a_project_is_refused_untouched(tmp_path: Path, make) -> None:
    path = tmp_path / "notes.db"
    make(path)
    before = path.read_bytes()
    result = CliRunner().invoke(cli, ["stats", "--db", str(path)])
    assert result.exit_code != 0
    assert_one_line(result.stderr, path)
    assert path.read_bytes() == before  # not even switched to WAL


def test_a_project_from_a_newer_version_is_refused_in_one_line(db_path: Path) -> None:
    Store(db_path).close()
    with sqlite3.connect(db_path) as db:
        db.execute("PRAGMA user_version = 99")
    before = db_path.read_bytes()
    result = CliRunner().invoke(cli, ["stats", "--db", str(db_path)])
    assert result.exit_code != 0
    assert_one_line(result.stderr, db_path)
    assert "newer" in result.stderr
    assert db_path.read_bytes() == before


@pytest.fixture
def read_only_project(tmp_path: Path):
    """A project on a file nobody may write: chmod, and for root (whom chmod does not stop) immutable."""
    path = tmp_path / "shared" / "team.db"
    path.parent.mkdir()
    with Store(path) as store:
        store.add_documents([NewDocument("Kyiv was hit overnight.")])
    path.chmod(0o444)
    if os.geteuid() == 0 and subprocess.run(["chattr", "+i", str(path)], capture_output=True).returncode != 0:
        pytest.skip("running as root and cannot make the file immutable (chattr)")
    yield path
    if os.geteuid() == 0:
        subprocess.run(["chattr", "-i", str(path)], check=True)
    path.chmod(0o644)


def test_a_read_only_project_can_be_read_and_a_write_is_one_line(read_only_project: Path, article: Path) -> None:
    before = read_only_project.read_bytes()
    stats = run_cli("stats", "--db", str(read_only_project))
    assert stats.returncode == 0, stats.stderr
    assert "1 documents" in stats.stdout
    result = run_cli("import", str(article), "--db", str(read_only_project), "--no-detect")
    assert result.returncode != 0
    assert_one_line(result.stderr, read_only_project)
    assert "read-only" in result.stderr
    assert read_only_project.read_bytes() == before


def test_an_unreadable_file_in_an_imported_folder_stops_the_import_naming_it(db_path: Path, tmp_path: Path) -> None:
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "a.txt").write_text("Kyiv was hit overnight.", encoding="utf-8")
    broken = folder / "b.txt"
    if os.geteuid() == 0:  # root reads any file: a link to nowhere cannot be read either
        broken.symlink_to(tmp_path / "gone.txt")
    else:
        broken.write_text("Secret.", encoding="utf-8")
        broken.chmod(0)
    result = CliRunner().invoke(cli, ["import", str(folder), "--db", str(db_path), "--no-detect"])
    assert result.exit_code != 0
    assert_one_line(result.stderr, broken)
    with Store(db_path) as store:
        assert store.count_documents() == 0


@pytest.mark.parametrize("message", [
    "{db}: the disk is full; the change was not stored",
    "{db} is locked by another program; the change was not stored (try again)",
])
def test_a_store_failure_during_a_command_is_one_line(db_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                      message: str) -> None:
    def fail(store: Store) -> None:
        raise StoreError(message.format(db=store.path))

    monkeypatch.setattr(Store, "stats", fail)
    result = CliRunner().invoke(cli, ["stats", "--db", str(db_path)])
    assert result.exit_code == 1
    assert result.stderr == f"Error: {message.format(db=db_path)}\n"


def test_debug_shows_the_traceback(tmp_path: Path) -> None:
    png = tmp_path / "photo.png"
    png.write_bytes(PNG)
    result = run_cli("--debug", "stats", "--db", str(png))
    assert result.returncode != 0
    assert "Traceback" in result.stderr and str(png) in result.stderr
