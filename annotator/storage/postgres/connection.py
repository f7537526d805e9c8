"""A project on a PostgreSQL server, behind the same connection the storage parts use of a project
file (:class:`~annotator.storage.connection.Connection`): statements, ``write()`` transactions
and savepoints, one-line errors. Its SQL is rewritten by ``dialect.py``.

- A write is one transaction that first takes the project's write lock (an advisory lock on the
  database): writers take turns as on SQLite, so the parts' read-then-write steps (the next id,
  a counter) stay right with any number of people writing; readers never wait.
- A connection lost (server restarted, network) between writes is made again when the next one
  begins; lost during a write, that write fails with a StoreError (the change was not stored)
  and the next one connects again.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager, suppress
from decimal import Decimal
from typing import Any

import psycopg
from psycopg.adapt import Dumper, Loader
from psycopg.pq import TransactionStatus

from annotator.storage.connection import BEGIN_ATTEMPTS, BUSY_TIMEOUT_S, Connection, Cursor
from annotator.storage.errors import NOT_STORED, ReadOnlyError, StoreError
from annotator.storage.postgres import bulk
from annotator.storage.postgres.dialect import Statement, Tables, translate
from annotator.storage.postgres.errors import cannot_connect, from_psycopg
from annotator.storage.postgres.url import ServerPath, shown

WRITE_LOCK = 0x414E4E54  # the project's write lock ("ANNT", as a project file's application id)
CANCEL_POLL_S = 0.05  # how often a cancellable statement's flag is looked at


class _IntFromBool(Dumper):
    """Flags are integer columns (as in a project file): True binds as 1."""

    def dump(self, obj: Any) -> bytes:
        return b"1" if obj else b"0"


class _Number(Loader):
    """sum() of integers is numeric in PostgreSQL: back to int (or float), as SQLite gives."""

    def load(self, data: Any) -> int | float:
        value = Decimal(bytes(data).decode())
        return int(value) if value == value.to_integral_value() else float(value)


class ServerCursor(Cursor):
    """A statement's rows (all fetched when it ran) and the id an INSERT returned."""

    def __init__(self, cursor: psycopg.Cursor[Any] | None, returns_id: bool) -> None:
        self.count = cursor.rowcount if cursor is not None else -1
        self.rows = cursor if cursor is not None and cursor.description is not None else None
        self.inserted = (self.rows.fetchone() or [None])[0] if self.rows is not None and returns_id else None

    @property
    def lastrowid(self) -> int | None:
        return self.inserted

    @property
    def rowcount(self) -> int:
        return self.count

    def fetchone(self) -> Any:
        return self.rows.fetchone() if self.rows is not None else None

    def fetchall(self) -> list[Any]:
        return self.rows.fetchall() if self.rows is not None else []

    def __iter__(self) -> Iterator[Any]:
        if self.rows is not None:
            yield from self.rows


class ServerConnection(Connection):
    """A connection to one database on a PostgreSQL server, as a project."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.path = ServerPath(shown(url))  # what messages name: the URL without a password
        self.memory = False
        self.read_only = False
        self.depth = 0
        self.attempts = BEGIN_ATTEMPTS
        self.lock_timeout_s = BUSY_TIMEOUT_S * BEGIN_ATTEMPTS
        self.trace: Callable[[str], None] | None = None
        self.tables = Tables({}, frozenset())
        self.bulk = bulk.NOTHING_KNOWN
        self.switched_off: set[tuple[str, str]] = set()  # (table, trigger) off in this transaction (bulk_insert)
        self.server = self._connect_server()

    def _connect_server(self) -> psycopg.Connection[Any]:
        try:
            server = psycopg.connect(self.url, autocommit=True, connect_timeout=10, application_name="annotator")
        except psycopg.Error as err:
            raise cannot_connect(self.path, err) from None
        server.adapters.register_dumper(bool, _IntFromBool)
        server.adapters.register_loader("numeric", _Number)
        return server

    def learn_tables(self) -> None:
        """Read the tables' primary keys and id columns (after the schema is made): the rewriting uses them."""
        keys: dict[str, list[str]] = {}
        for table, column in self.execute(
                "SELECT tc.table_name, kcu.column_name FROM information_schema.table_constraints tc "
                "JOIN information_schema.key_column_usage kcu ON kcu.constraint_name = tc.constraint_name "
                "AND kcu.table_schema = tc.table_schema WHERE tc.constraint_type = 'PRIMARY KEY' "
                "AND tc.table_schema = current_schema() ORDER BY tc.table_name, kcu.ordinal_position"):
            keys.setdefault(table, []).append(column)
        with_id = self.column("SELECT table_name FROM information_schema.columns WHERE column_name = 'id' "
                              "AND table_schema = current_schema()")
        self.tables = Tables({t: tuple(c) for t, c in keys.items()}, frozenset(with_id))
        self.bulk = bulk.learn(self.execute(bulk.COLUMNS).fetchall(), self.execute(bulk.TRIGGERS).fetchall(),
                               self.one(bulk.OWNED))

    def trust_schema(self) -> None:
        """Nothing to switch on: a server's schema is its owner's, checked by version (schema.py)."""

    def close(self) -> None:
        self.server.close()

    def interrupt(self) -> None:
        self.server.cancel_safe()

    def in_transaction(self) -> bool:
        return self.server.info.transaction_status != TransactionStatus.IDLE

    # -- statements ----------------------------------------------------------------------------

    def execute(self, sql: str, params: Sequence[Any] = ()) -> Cursor:
        statement = translate(sql, self.tables, bound=bool(params))
        text = statement.sql
        if text is None:
            return ServerCursor(None, False)
        values = tuple(params) if params else None
        return ServerCursor(self._run(statement, lambda cursor: cursor.execute(text, values)), statement.returns_id)

    def run_script(self, script: str) -> None:
        """PostgreSQL's own SQL, several statements, as written (inside the caller's transaction)."""
        self._run(Statement(script), lambda cursor: cursor.execute(script.encode()))

    def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        statement = translate(sql, self.tables, single=False, bound=True)
        translated, rows = statement.sql, list(rows)
        if translated is not None and rows:
            self._run(statement, lambda cursor: cursor.executemany(translated, rows))

    def bulk_insert(self, table: str, columns: Sequence[str], rows: Iterable[Sequence[Any]],
                    shared: Mapping[str, Any] | None = None, staged: bool = False) -> None:
        """The rows in one COPY stream, a tenth of the time of an INSERT per row; what the server
        would do per row and can be done once is done once (``bulk.py``: ids, triggers that would
        change nothing, default values). A staged import's transaction commits without waiting for
        the disk: its rows are invisible until the import's last commit, which waits, and the log
        is written in order, so they are on disk with it."""
        rows, shared = list(rows), bulk.left_out(self.bulk, table, shared or {})
        if not rows:
            return
        setup = []
        if table in self.tables.with_id:
            columns, rows, top = self._with_ids(table, columns, rows)
            setup.append(f"SELECT setval('{table}_id_seq', {top}) WHERE {top} > "
                         f"coalesce(pg_sequence_last_value('{table}_id_seq'), 0)")
        if self.depth:  # switched inside the transaction only (outside, the switch would stay)
            skipped = [(table, name) for name in bulk.skipped(self.bulk, table, staged)]
            setup += [f"ALTER TABLE {t} DISABLE TRIGGER {name}" for t, name in skipped]
            self.switched_off.update(skipped)
            if staged:
                setup.append("SET LOCAL synchronous_commit = off")
        names = ", ".join(f'"{c}"' for c in (*columns, *shared))
        sql = f"COPY {table} ({names}) FROM STDIN"
        extra = tuple(shared.values())

        def copy_rows(cursor: psycopg.Cursor[Any]) -> None:
            with cursor.copy(sql.encode()) as copy:
                for row in rows:
                    copy.write_row((*row, *extra) if extra else row)

        if setup:
            self.run_script("; ".join(setup))
        self._run(Statement(sql), copy_rows)

    def _with_ids(self, table: str, columns: Sequence[str],
                  rows: list[Sequence[Any]]) -> tuple[Sequence[str], list[Any], int]:
        """The rows with their ids (taken from the table's sequence in one block when not given)
        and the largest, which the sequence must be past for the id trigger to change nothing."""
        if "id" not in columns:
            first = self.reserve_ids(table, len(rows))
            return ("id", *columns), [(i, *row) for i, row in enumerate(rows, first)], first + len(rows) - 1
        at = list(columns).index("id")
        return columns, rows, int(max(row[at] for row in rows))

    def reserve_ids(self, table: str, count: int) -> int:
        """Taken from the table's sequence in one block (ids are never reused on a server: a
        span's remembered id stays its own)."""
        if count < 1:
            return int(self.one(f"SELECT coalesce(pg_sequence_last_value('{table}_id_seq'), 0) + 1"))
        return int(self.one(f"SELECT setval('{table}_id_seq', nextval('{table}_id_seq') + ? - 1) - ? + 1", [count, count]))

    def _run(self, statement: Statement, run: Callable[[psycopg.Cursor[Any]], object]) -> psycopg.Cursor[Any]:
        if self.server.closed and not self.depth:  # lost before: connect again between transactions
            self.server = self._connect_server()
        if self.trace:
            self.trace(statement.sql or "")
        cursor = self.server.cursor()
        try:
            run(cursor)
        except psycopg.Error as err:
            raise from_psycopg(self.path, err) from None
        return cursor

    # -- transactions --------------------------------------------------------------------------

    def _begin(self) -> None:
        """Begin, then take the project's write lock (waiting at most the lock timeout): one round
        trip. A connection found dead here (the server restarted since the last write) is made
        again and the write begun once more: nothing of it had been sent."""
        begin = (f"BEGIN; SET LOCAL lock_timeout = '{round(self.lock_timeout_s * 1000)}ms'; "
                 f"SELECT pg_advisory_xact_lock({WRITE_LOCK})")
        try:
            self.run_script(begin)
        except StoreError:
            if not self.server.closed:
                self._quietly("ROLLBACK")
                raise
            self.run_script(begin)  # connects again first (_run)

    def _commit(self) -> None:
        """Commit, the triggers an import switched off switched on again first (one round trip)."""
        enable = [f"ALTER TABLE {table} ENABLE TRIGGER {name}; " for table, name in sorted(self.switched_off)]
        self.switched_off.clear()
        self.run_script("".join(enable) + "COMMIT")

    def _quietly(self, sql: str) -> None:
        if sql == "ROLLBACK":  # the switches are undone with the transaction (not with a savepoint: kept)
            self.switched_off.clear()
        with suppress(psycopg.Error):
            self.server.execute(sql)

    @contextmanager
    def write(self) -> Iterator[None]:
        if self.read_only:
            raise ReadOnlyError(f"{self.path}: you may only read this project (permission denied); {NOT_STORED}")
        with super().write():
            yield

    @contextmanager
    def parents_written_alongside(self) -> Iterator[None]:
        """PostgreSQL checks each foreign key cheaply (an index probe): nothing to switch."""
        yield

    @contextmanager
    def traced(self, callback: Callable[[str], None]) -> Iterator[None]:
        self.trace = callback
        try:
            yield
        finally:
            self.trace = None

    @contextmanager
    def cancellable(self, cancelled: Callable[[], bool], every: int = 10000) -> Iterator[None]:
        """The server cannot ask us: a watcher thread asks ``cancelled()`` and cancels the statement."""
        done = threading.Event()

        def watch() -> None:
            while not done.wait(CANCEL_POLL_S):
                if cancelled():
                    self.interrupt()
                    return

        watcher = threading.Thread(target=watch, daemon=True, name="annotator-cancel")
        watcher.start()
        try:
            yield
        finally:
            done.set()
            watcher.join()

    @contextmanager
    def lock_wait(self, seconds: float) -> Iterator[None]:
        self.lock_timeout_s = seconds
        try:
            yield
        finally:
            self.lock_timeout_s = BUSY_TIMEOUT_S * BEGIN_ATTEMPTS
