"""The one place that owns the SQLite connection: how it is opened, how a write begins, waits,
retries and ends, and what a failure tells the caller.

- A write is ``with db.write():`` — ``BEGIN IMMEDIATE``, so a writer takes the write lock up
  front and waits its turn (busy timeout, then a bounded number of retries) instead of failing
  halfway when it tries to upgrade a read. Nested ``write()`` blocks are savepoints.
- Reads never wait for writers (WAL); outside a write each statement reads the latest commit.
- Every sqlite3 error comes out as a one-line :class:`StoreError` naming the file.
- A file or folder we may not write is opened read-only; writes then raise :class:`ReadOnlyError`.
"""

from __future__ import annotations

import os
import sqlite3
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any

from annotator.storage.errors import NOT_STORED, LockedError, ReadOnlyError, StoreError, from_sqlite

BUSY_TIMEOUT_S = 5.0  # how long one attempt waits for another writer
BEGIN_ATTEMPTS = 3  # then we give up and say the project is locked


class Cursor:
    """A statement's rows: reading them may fail too (a damaged page, text that is not UTF-8),
    and that failure is a StoreError naming the file like any other."""

    def __init__(self, cursor: sqlite3.Cursor, path: Path) -> None:
        self.cursor, self.path = cursor, path

    @property
    def lastrowid(self) -> int | None:
        return self.cursor.lastrowid

    @property
    def rowcount(self) -> int:
        return self.cursor.rowcount

    def fetchone(self) -> Any:
        try:
            return self.cursor.fetchone()
        except sqlite3.Error as err:
            raise from_sqlite(self.path, err) from None

    def fetchall(self) -> list[Any]:
        try:
            return self.cursor.fetchall()
        except sqlite3.Error as err:
            raise from_sqlite(self.path, err) from None

    def __iter__(self) -> Iterator[Any]:
        try:
            yield from self.cursor
        except sqlite3.Error as err:
            raise from_sqlite(self.path, err) from None


class Connection:
    """A project database connection (bound to the thread that opened it, as SQLite's are)."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.memory = str(path) == ":memory:"
        self.read_only = False
        self.depth = 0  # open write blocks: 0 = none, 1 = transaction, more = savepoints
        self.attempts = BEGIN_ATTEMPTS  # one inside lock_wait()
        if not self.memory:
            if self.path.is_dir():
                raise StoreError(f"{self.path} is a folder, not a project file")
            if not self.path.parent.exists():
                try:
                    self.path.parent.mkdir(parents=True)
                except OSError as err:
                    raise StoreError(f"{self.path}: cannot create its folder ({err.strerror})") from None
            self.read_only = self.path.exists() and not _writable(self.path)
        self.conn = self._connect()
        # Until the schema is known to be ours (schema.py), no function or virtual table with side
        # effects runs from a trigger or view of the file: a project file is input.
        self.execute("PRAGMA trusted_schema = OFF")
        self.execute("PRAGMA foreign_keys = ON")
        # In WAL mode NORMAL still survives a killed process; only a power cut can lose the last
        # commits, and a commit does not wait for the disk. Per connection: nothing is written.
        self.execute("PRAGMA synchronous = NORMAL")

    def _connect(self) -> sqlite3.Connection:
        def connect(target: str, uri: bool) -> sqlite3.Connection:
            return sqlite3.connect(target, uri=uri, timeout=BUSY_TIMEOUT_S, isolation_level=None)

        try:
            if not self.read_only:
                return connect(str(self.path), uri=False)
            conn = connect(f"{self.path.resolve().as_uri()}?mode=ro", uri=True)
            try:
                conn.execute("PRAGMA schema_version").fetchone()
                return conn
            except sqlite3.OperationalError:  # a WAL project in a read-only folder: no -shm possible
                conn.close()
                return connect(f"{self.path.resolve().as_uri()}?immutable=1", uri=True)
        except sqlite3.Error as err:
            raise from_sqlite(self.path, err) from None

    def trust_schema(self) -> None:
        """The file's triggers and views were found to be exactly ours: let them run. Our own
        full-text triggers write to an FTS5 table, which SQLite refuses with trusted_schema OFF."""
        self.execute("PRAGMA trusted_schema = ON")

    def close(self) -> None:
        self.conn.close()

    def interrupt(self) -> None:
        """Stop the statement running now, from any thread (it raises Interrupted where it runs)."""
        self.conn.interrupt()

    def in_transaction(self) -> bool:
        return self.conn.in_transaction

    # -- statements ----------------------------------------------------------------------------

    def execute(self, sql: str, params: Sequence[Any] = ()) -> Cursor:
        try:
            return Cursor(self.conn.execute(sql, params), self.path)
        except sqlite3.Error as err:
            raise from_sqlite(self.path, err) from None

    def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        try:
            self.conn.executemany(sql, rows)
        except sqlite3.Error as err:
            raise from_sqlite(self.path, err) from None

    def bulk_insert(self, table: str, columns: Sequence[str], rows: Iterable[Sequence[Any]],
                    shared: Mapping[str, Any] | None = None, staged: bool = False) -> None:
        """Insert many rows (an import's): each row holds the values of ``columns``; ``shared``
        are the columns every row has the same value in. Here one INSERT run for each row, the
        shared values written into it (binding them per row was half of an import's storing time);
        a server copies the rows in one stream instead (PostgreSQL's COPY). ``staged``: the rows
        are an unfinished import's, invisible and uncounted until it is published (a server
        skips their counting triggers, which would count nothing)."""
        shared = shared or {}
        names = ", ".join(f"[{c}]" for c in (*columns, *shared))
        values = ", ".join(["?"] * len(columns) + [sql_literal(v) for v in shared.values()])
        self.executemany(f"INSERT INTO {table} ({names}) VALUES ({values})", rows)

    def reserve_ids(self, table: str, count: int) -> int:
        """The first of ``count`` new ids for rows the caller is about to insert into ``table`` in
        this write (an import gives its documents' and spans' ids itself). Here past the largest:
        the write lock keeps any other writer from taking them meanwhile."""
        return int(self.one(f"SELECT coalesce(max(id), 0) + 1 FROM {table}"))

    def insert(self, sql: str, params: Sequence[Any] = ()) -> int:
        """Run an INSERT of one row; the id SQLite gave it."""
        row_id = self.execute(sql, params).lastrowid
        if row_id is None:
            raise StoreError(f"{self.path}: the row was not stored; {NOT_STORED}")
        return row_id

    def one(self, sql: str, params: Sequence[Any] = ()) -> Any:
        """The first column of the first row, or None."""
        row = self.execute(sql, params).fetchone()
        return row[0] if row else None

    def column(self, sql: str, params: Sequence[Any] = ()) -> list[Any]:
        return [row[0] for row in self.execute(sql, params)]

    # -- transactions --------------------------------------------------------------------------

    @contextmanager
    def write(self) -> Iterator[None]:
        """One all-or-nothing write. Inside another write it is a savepoint of that one."""
        if self.read_only:
            raise ReadOnlyError(f"{self.path} is open read-only; {NOT_STORED}")
        if self.depth:
            name = f"s{self.depth}"
            self.execute(f"SAVEPOINT {name}")
            self.depth += 1
            try:
                yield
            except BaseException:
                self._quietly(f"ROLLBACK TO {name}")
                self._quietly(f"RELEASE {name}")
                raise
            else:
                self.execute(f"RELEASE {name}")
            finally:
                self.depth -= 1
            return
        self._begin()
        self.depth = 1
        try:
            yield
            self._commit()
        except BaseException:
            if self.in_transaction():
                self._quietly("ROLLBACK")
            raise
        finally:
            self.depth = 0

    @contextmanager
    def parents_written_alongside(self) -> Iterator[None]:
        """For writes that add each row's parent in the same transaction (an import's documents and
        their spans): SQLite's foreign-key lookup for every row is skipped, a twentieth of an
        annotated import. Outside a transaction only: SQLite ignores the switch inside one."""
        if self.depth:
            yield
            return
        self.execute("PRAGMA foreign_keys = OFF")
        try:
            yield
        finally:
            self.execute("PRAGMA foreign_keys = ON")

    @contextmanager
    def traced(self, callback: Callable[[str], None]) -> Iterator[None]:
        """Each statement run inside is passed to ``callback`` as run, its values in it (tests and
        benchmarks count what an action costs)."""
        self.conn.set_trace_callback(callback)
        try:
            yield
        finally:
            self.conn.set_trace_callback(None)

    @contextmanager
    def cancellable(self, cancelled: Callable[[], bool], every: int = 10000) -> Iterator[None]:
        """Statements inside stop (SQLITE_INTERRUPT, raised as Interrupted; a write rolled back)
        once ``cancelled()`` says so, asked every ``every`` steps of SQLite's machine: a worker's
        Cancel reaches into a long statement from the worker's own thread."""
        self.conn.set_progress_handler(lambda: 1 if cancelled() else 0, every)
        try:
            yield
        except sqlite3.Error as err:  # stopped while rows were being read
            raise from_sqlite(self.path, err) from None
        finally:
            self.conn.set_progress_handler(None, 0)

    @contextmanager
    def lock_wait(self, seconds: float) -> Iterator[None]:
        """Writes begun inside wait at most ``seconds`` for another writer, once, then raise
        LockedError: for a thread that must not freeze (the window's; it tries again later)."""
        self.conn.execute(f"PRAGMA busy_timeout = {round(seconds * 1000)}")
        self.attempts = 1
        try:
            yield
        finally:
            self.attempts = BEGIN_ATTEMPTS
            self.conn.execute(f"PRAGMA busy_timeout = {round(BUSY_TIMEOUT_S * 1000)}")

    def _begin(self) -> None:
        """Take the write lock now (waiting up to the busy timeout per attempt), or say who has it."""
        for attempt in range(1, self.attempts + 1):
            try:
                self.conn.execute("BEGIN IMMEDIATE")
                return
            except sqlite3.OperationalError as err:
                error = from_sqlite(self.path, err)
                if not isinstance(error, LockedError) or self.attempts == 1:
                    raise error from None
                if attempt == self.attempts:
                    waited = BUSY_TIMEOUT_S * BEGIN_ATTEMPTS
                    raise LockedError(
                        f"{self.path} is busy: another program kept it locked for {waited:.0f} s; "
                        f"{NOT_STORED} (try again)"
                    ) from None
                time.sleep(0.05 * attempt)

    def _commit(self) -> None:
        self.execute("COMMIT")

    def _quietly(self, sql: str) -> None:
        """Roll back after a failure; the failure, not this, is what the caller hears about."""
        with suppress(sqlite3.Error):
            self.conn.execute(sql)


def sql_literal(value: Any) -> str:
    """A value as an SQL literal, for a value many rows of one statement share (a name, a time, a flag)."""
    if value is None:
        return "NULL"
    if isinstance(value, bool | int | float):
        return str(int(value) if isinstance(value, bool) else value)
    if "\x00" in value:
        raise ValueError(f"a name may not hold the NUL character: {value!r}")
    return "'" + str(value).replace("'", "''") + "'"


def _writable(path: Path) -> bool:
    """Whether we may write the file and create its journal beside it (as root too: a read-only
    mount or an immutable file refuses even root, and ``access`` says so).

    Asked, never tried by opening the file: closing any descriptor of a database file drops every
    POSIX lock this process holds on it (SQLite's other connections here too), and another program
    then believes itself the last one and removes the WAL under them (their next read: disk I/O
    error; "How To Corrupt An SQLite Database File", 2.2)."""
    return os.access(path.parent, os.W_OK) and os.access(path, os.W_OK)
