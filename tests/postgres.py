"""A throw-away PostgreSQL cluster for the tests: initdb in a temporary folder, one server on
127.0.0.1 and a free port, stopped by its PID at the end.

PostgreSQL refuses to run as root: as root the cluster's folder belongs to an unprivileged user
(``postgres`` if there is one, else ``nobody``) and initdb/pg_ctl run as that user.
"""

from __future__ import annotations

import os
import pwd
import shutil
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

BIN_DIRS = [Path(p) for p in sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True)]


def tool(name: str) -> str:
    """initdb or pg_ctl: from PATH, else from Debian's versioned folder."""
    found = shutil.which(name) or next((str(d / name) for d in BIN_DIRS if (d / name).exists()), None)
    if not found:
        raise RuntimeError(f"{name} not found: install PostgreSQL (apt-get install postgresql)")
    return found


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _unprivileged() -> list[str]:
    """The prefix that runs a command as a user PostgreSQL accepts (nothing when not root)."""
    if os.geteuid() != 0:
        return []
    for user in ("postgres", "nobody"):
        with suppress(KeyError):
            pwd.getpwnam(user)
            return ["runuser", "-u", user, "--"]
    raise RuntimeError("running as root and no unprivileged user to run PostgreSQL as")


class Cluster:
    """One running server; ``url(name)`` is a database's URL (created on first ask)."""

    def __init__(self, folder: Path, fsync: bool = False) -> None:
        """``fsync``: commits wait for the disk as a real server's do (benchmarks); tests need not."""
        self.folder, self.data, self.port = folder, folder / "data", free_port()
        self.as_user = _unprivileged()
        self.user = "annotator"
        folder.mkdir(parents=True, exist_ok=True)
        if self.as_user:
            owner = pwd.getpwnam(self.as_user[2])
            os.chown(folder, owner.pw_uid, owner.pw_gid)
            folder.chmod(0o700)
            for parent in folder.parents:  # the user must reach the folder (tmp folders are 0700 for root)
                if parent.stat().st_mode & 0o001 == 0 and parent != Path("/"):
                    parent.chmod(parent.stat().st_mode | 0o001)
        self.run(tool("initdb"), "-D", str(self.data), "-U", self.user, "--auth=trust", "-E", "UTF8",
                 "--locale=C", "--no-sync")
        options = f"-h 127.0.0.1 -p {self.port} -k {folder} -c max_connections=60" + ("" if fsync else " -c fsync=off")
        self.run(tool("pg_ctl"), "-D", str(self.data), "-l", str(folder / "server.log"), "-w", "-o", options, "start")
        self.pid = int((self.data / "postmaster.pid").read_text().split()[0])
        self.databases: set[str] = set()

    def run(self, *command: str) -> str:
        done = subprocess.run([*self.as_user, *command], capture_output=True, text=True, cwd=self.folder)
        if done.returncode:
            raise RuntimeError(f"{command[0]} failed: {done.stderr or done.stdout}")
        return done.stdout

    def url(self, database: str = "annotator", user: str | None = None) -> str:
        if database not in self.databases:
            self.sql(f'CREATE DATABASE "{database}"')
            self.databases.add(database)
        return f"postgresql://{user or self.user}@127.0.0.1:{self.port}/{database}"

    def sql(self, statement: str, database: str = "postgres") -> None:
        import psycopg

        with psycopg.connect(f"postgresql://{self.user}@127.0.0.1:{self.port}/{database}", autocommit=True) as conn:
            conn.execute(statement.encode())

    def restart(self) -> None:
        """pg_ctl restart (fast: every connection is cut), same port; the new server's PID kept."""
        self.run(tool("pg_ctl"), "-D", str(self.data), "-l", str(self.folder / "server.log"), "-m", "fast", "-w", "restart")
        self.pid = int((self.data / "postmaster.pid").read_text().split()[0])

    def stop(self) -> None:
        """pg_ctl stop (fast); if the server is still there, its PID is killed."""
        with suppress(RuntimeError):
            self.run(tool("pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "-t", "20", "stop")
        with suppress(ProcessLookupError):
            os.kill(self.pid, 0)
            os.kill(self.pid, signal.SIGKILL)
            time.sleep(0.2)
        shutil.rmtree(self.folder, ignore_errors=True)


@contextmanager
def cluster(folder: Path, fsync: bool = False) -> Iterator[Cluster]:
    server = Cluster(folder, fsync)
    try:
        yield server
    finally:
        server.stop()
