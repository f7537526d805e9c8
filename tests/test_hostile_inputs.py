"""Memory bounded by the input: a .spacy zip bomb is refused while it is being inflated, and a
JSON Lines line longer than an article may be is refused by its number without being read whole.
Each import runs in a process of its own, whose peak memory the kernel reports (wait4)."""

from __future__ import annotations

import os
import subprocess
import sys
import zlib
from pathlib import Path

from annotator.formats import MAX_ARTICLE_BYTES

ROOT = Path(__file__).resolve().parent.parent
MB = 2**20


def imported(path: Path, db: Path) -> tuple[int, str, int]:
    """``annotator import PATH`` in a child: its exit code, what it said, its peak memory in MB."""
    child = subprocess.Popen([sys.executable, "-m", "annotator", "import", str(path), "--no-detect", "--db", str(db)],
                             env={**os.environ, "PYTHONPATH": str(ROOT)}, stdout=subprocess.PIPE,
                             stderr=subprocess.STDOUT, text=True)
    assert child.stdout is not None
    said = child.stdout.read()
    _, status, usage = os.wait4(child.pid, 0)
    child.returncode = os.waitstatus_to_exitcode(status)
    return child.returncode, said, usage.ru_maxrss // 1024


def test_a_spacy_zip_bomb_is_refused_before_it_is_inflated(tmp_path: Path) -> None:
    bomb = tmp_path / "bomb.spacy"
    squeeze = zlib.compressobj(9)
    with bomb.open("wb") as out:  # 1 GB of zeros, about 1 MB on disk
        for _ in range(1024):
            out.write(squeeze.compress(bytes(MB)))
        out.write(squeeze.flush())
    code, said, peak = imported(bomb, tmp_path / "p.db")
    assert code == 1
    assert said.strip().splitlines() == [
        f"Error: {bomb}: inflates to more than 100 times its size ({bomb.stat().st_size:,} bytes): not a spaCy "
        "DocBin but a zip bomb; refused before it was inflated"]
    assert peak < 600, f"{peak} MB"  # spaCy loaded, the file, a step of inflating: not the gigabyte


def test_a_line_longer_than_an_article_may_be_is_refused_by_its_number(tmp_path: Path) -> None:
    path = tmp_path / "huge.jsonl"
    with path.open("w", encoding="utf-8") as out:
        out.write('{"text": "Zelenskyy met Blinken in Kyiv."}\n{"text": "')
        for _ in range(MAX_ARTICLE_BYTES // MB + 8):  # 40 MB of article on one line
            out.write("Drones struck Kyiv overnight. " * (MB // 30))
        out.write('"}\n')
    code, said, peak = imported(path, tmp_path / "p.db")
    assert code == 1
    assert said.strip().splitlines() == [
        f"Error: {path}, line 2: this line is longer than 32 MB, the most an article may hold (split it into several articles)"]
    assert peak < 2 * MAX_ARTICLE_BYTES // MB + 100, f"{peak} MB"
