"""How much does writing every person's layer cost? Prints the export of N texts answered by two
Prodigy sessions (one document, two layers each) with ``--all-layers`` beside the export of the same
N texts with one layer, in Prodigy JSONL and Label Studio JSON: each a whole ``annotator export``
process, the fastest of ``--repeat``.

    python bench/export_layers.py [--docs 1000] [--repeat 2]
"""

from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from import_speed import write_files


def run(*args: str) -> tuple[float, float]:
    """Wall and CPU seconds of one annotator command in its own process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "annotator", *args], check=True, capture_output=True)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.perf_counter() - started, after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--docs", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=2, help="runs of each, the fastest counts")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        files = write_files(folder, args.docs)
        run("import", str(files["sessions"]), "--no-detect", "--db", str(folder / "two.db"))
        run("import", str(files["prodigy"]), "--no-detect", "--status", "done", "--db", str(folder / "one.db"))
        print(f"{args.docs:,} texts x 60 spans, each export in a fresh process (fastest of {args.repeat})")
        for fmt in ("jsonl", "labelstudio"):
            timed = {}
            for case, extra in (("two layers, --all-layers", ["--db", str(folder / "two.db"), "--all-layers"]),
                                ("one layer", ["--db", str(folder / "one.db")])):
                timed[case] = min(run("export", "--format", fmt, str(folder / f"{fmt}-{len(timed)}-{n}"), "--status", "all",
                                      *extra) for n in range(args.repeat))
                print(f"  {fmt:12} {case:26} {timed[case][0]:6.2f} s, {timed[case][1]:6.2f} s CPU")


if __name__ == "__main__":
    main()
