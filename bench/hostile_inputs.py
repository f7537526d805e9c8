"""Peak memory of `annotator import` on two hostile inputs, beside the input's size: a .spacy zip
bomb (about 1.5 MB that inflates to 1.5 GB) and a JSON Lines file with one 300 MB line. Each
import runs in a child process; its peak resident memory is what the kernel reports (wait4's
ru_maxrss; this script stays small, so a child does not start from a large parent's peak).

    python bench/hostile_inputs.py [--bomb-gb 1.5] [--line-mb 300]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import zlib
from pathlib import Path

MB = 2**20


def make_bomb(path: Path, inflated_mb: int) -> None:
    squeeze = zlib.compressobj(9)
    with path.open("wb") as out:
        for _ in range(inflated_mb):
            out.write(squeeze.compress(bytes(MB)))
        out.write(squeeze.flush())


def make_long_line(path: Path, line_mb: int) -> None:
    sentence = "Drones struck Kyiv overnight, officials said. "
    with path.open("w", encoding="utf-8") as out:
        out.write('{"text": "Zelenskyy met Blinken in Kyiv."}\n{"text": "')
        for _ in range(line_mb):
            out.write(sentence * (MB // len(sentence)))
        out.write('"}\n')


def peak_import(path: Path, db: Path) -> tuple[int, str, float]:
    child = subprocess.Popen([sys.executable, "-m", "annotator", "import", str(path), "--no-detect", "--db", str(db)],
                             stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    assert child.stdout is not None
    said = child.stdout.read().strip().splitlines()
    _, status, usage = os.wait4(child.pid, 0)
    return os.waitstatus_to_exitcode(status), said[-1] if said else "", usage.ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bomb-gb", type=float, default=1.5)
    parser.add_argument("--line-mb", type=int, default=300)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        here = Path(folder)
        inputs = [(here / "bomb.spacy", lambda p: make_bomb(p, int(args.bomb_gb * 1024)), f"{args.bomb_gb} GB inflated"),
                  (here / "long.jsonl", lambda p: make_long_line(p, args.line_mb), f"one {args.line_mb} MB line")]
        print(f"{'input':<12} {'size':>10}  {'what':<22} {'rc':>3} {'peak':>9}  said")
        for path, make, what in inputs:
            make(path)
            code, said, peak = peak_import(path, here / f"{path.stem}.db")
            print(f"{path.name:<12} {path.stat().st_size / MB:>7.1f} MB  {what:<22} {code:>3} {peak:>6.0f} MB  {said[:110]}")


if __name__ == "__main__":
    main()
