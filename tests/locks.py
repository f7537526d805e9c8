"""Another program holding the project's write lock, and a file made read-only: real processes
and real file modes, shared by the tests of the store, the session and the window."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

HOLD_LOCK = """
import select, sqlite3, sys
db = sqlite3.connect(sys.argv[1], isolation_level=None)
db.execute("BEGIN IMMEDIATE")
print("locked", flush=True)
select.select([sys.stdin], [], [], float(sys.argv[2]))  # until the test closes our stdin, or the time is up
db.execute("ROLLBACK")
"""


@contextmanager
def lock_held(path: Path, seconds: float = 60) -> Iterator[subprocess.Popen]:
    """Another process holds the project's write lock (BEGIN IMMEDIATE) until the block ends (or
    the test closes the holder's stdin), or for ``seconds`` at most."""
    holder = subprocess.Popen([sys.executable, "-c", HOLD_LOCK, str(path), str(seconds)], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
        yield holder
    finally:
        assert holder.stdin is not None
        holder.stdin.close()
        holder.wait(60)


def locked(path: Path) -> bool:
    """Whether another program holds the write lock right now (asked without waiting)."""
    db = sqlite3.connect(path, timeout=0, isolation_level=None)
    try:
        db.execute("BEGIN IMMEDIATE")
        db.execute("ROLLBACK")
        return False
    except sqlite3.OperationalError:
        return True
    finally:
        db.close()


@contextmanager
def made_read_only(path: Path) -> Iterator[None]:
    """The file made read-only, for root too (an immutable file refuses even root)."""
    if os.geteuid() == 0:
        if subprocess.run(["chattr", "+i", str(path)], capture_output=True).returncode:
            pytest.fail("cannot make a file read-only for root here (chattr +i): run the tests as a user")
        try:
            yield
        finally:
            subprocess.run(["chattr", "-i", str(path)], check=True)
    else:
        path.chmod(0o444)
        try:
            yield
        finally:
            path.chmod(0o644)
