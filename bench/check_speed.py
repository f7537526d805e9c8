"""What checking a project costs at size: opening (with the schema compared to the one our
migrations make), SQLite's quick_check and integrity_check, and the whole ``annotator check``.

On the project of bench/bigdata.py (N detected articles, ~227 span rows each, built once):

    python bench/check_speed.py [--docs 10000]      # --docs 100000 for the full size
"""

from __future__ import annotations

import argparse
import sqlite3
import subprocess
import sys
import time

from bigdata import project_with_predictions

from annotator.storage import Store
from annotator.storage.check import check_project
from annotator.storage.expected_schema import expected_schema
from annotator.storage.schema import SCHEMA_VERSION


def timed(fn) -> float:  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--docs", type=int, default=10_000)
    args = parser.parse_args()
    path = project_with_predictions(args.docs)
    size = path.stat().st_size / 2**20
    print(f"project: {args.docs:,} articles, {size:,.0f} MiB ({path})")
    print(f"expected schema, made once per process: {timed(lambda: expected_schema(SCHEMA_VERSION)) * 1000:.1f} ms")
    opens = [timed(lambda: Store(path).close()) for _ in range(5)]
    print(f"Store open (schema compared), median of 5: {sorted(opens)[2] * 1000:.1f} ms")
    bare = [timed(lambda: sqlite3.connect(path).execute("SELECT count(*) FROM sqlite_master").fetchone()) for _ in range(5)]
    print(f"bare sqlite3 open + read of sqlite_master, median of 5: {sorted(bare)[2] * 1000:.1f} ms")
    stats = timed(lambda: subprocess.run([sys.executable, "-m", "annotator", "stats", "--db", str(path)],
                                         check=True, capture_output=True))
    print(f"annotator stats (whole process): {stats:.2f} s")
    with sqlite3.connect(path) as db:
        print(f"PRAGMA quick_check: {timed(lambda: db.execute('PRAGMA quick_check').fetchall()):.2f} s")
        print(f"PRAGMA integrity_check: {timed(lambda: db.execute('PRAGMA integrity_check').fetchall()):.2f} s")
    report = None

    def whole() -> None:
        nonlocal report
        report = check_project(path)

    took = timed(whole)
    print(f"annotator check (integrity and every invariant): {took:.2f} s; problems: {report.problems if report else '?'}")


if __name__ == "__main__":
    main()
