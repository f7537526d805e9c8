"""Memory bounded by the input: a .spacy zip bomb is refused while it is being inflated, and a
JSON Lines line longer than an article may be is refused by its number without being read whole.
Each import runs in a process of its own, whose peak memory the kernel reports."""

from __future__ import annotations

import os
import subprocess
import sys
import zlib
from pathlib import Path

from annotator.formats import MAX_ARTICLE_BYTES

ROOT = Path(__file__).resolve().parent.parent
MB = 2**20


# The command run in this child, which says its peak memory as it ends. The kernel's peak of the
# mm (VmHWM), not getrusage's: a child forked from a large test process starts from its peak.
PEAK = """
import atexit, sys
def peak():
    with open("/proc/self/status") as status:
        print("peak", next(line.split()[1] for line in status if line.startswith("VmHWM:")), file=sys.stderr)
atexit.register(peak)
sys.argv = ["annotator", *sys.argv[1:]]
from annotator.cli import main
main()
"""


def imported(path: Path, db: Path) -> tuple[int, str, int]:
    """``annotator import PATH`` in a child: its exit code, what it said, its peak memory in MB."""
    child = subprocess.run([sys.executable, "-c", PEAK, "import", str(path), "--no-detect", "--db", str(db)],
                           env={**os.environ, "PYTHONPATH": str(ROOT)}, capture_output=True, text=True, timeout=300)
    said, peak = child.stderr.strip().splitlines(), 0
    if said and said[-1].startswith("peak "):
        peak = int(said.pop().split()[1]) // 1024
    return child.returncode, "\n".join([*child.stdout.splitlines(), *said]), peak


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
