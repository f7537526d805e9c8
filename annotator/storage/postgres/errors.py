"""What a psycopg error means for the user: the same one-line StoreErrors a project file gives,
naming the server project (its URL without a password)."""

from __future__ import annotations

from pathlib import Path

import psycopg
from psycopg import errors as pg

from annotator.storage.errors import (
    NOT_STORED,
    DiskFullError,
    Interrupted,
    LockedError,
    ReadOnlyError,
    StoreError,
)


def first_line(err: BaseException) -> str:
    return (str(err).strip().splitlines() or [type(err).__name__])[0]


def cannot_connect(where: Path | str, err: psycopg.Error) -> StoreError:
    """Opening failed: the server is not there, refuses us, or has no such database."""
    return StoreError(f"{where}: cannot connect to the server ({first_line(err)})")


def from_psycopg(where: Path | str, err: psycopg.Error) -> StoreError:
    """The StoreError a psycopg error means for the user."""
    if isinstance(err, pg.InsufficientPrivilege):
        return ReadOnlyError(f"{where}: permission denied ({first_line(err)}); {NOT_STORED}")
    if isinstance(err, pg.QueryCanceled):
        return Interrupted(f"{where}: stopped before it was done; {NOT_STORED}")
    if isinstance(err, pg.LockNotAvailable):
        return LockedError(f"{where} is busy: another person's write held it too long; {NOT_STORED} (try again)")
    if isinstance(err, pg.DiskFull):
        return DiskFullError(f"{where}: the server's disk is full; {NOT_STORED}")
    if isinstance(err, psycopg.OperationalError):  # the server went away, restarted, or the network did
        return StoreError(f"{where}: the connection to the server was lost ({first_line(err)}); {NOT_STORED}")
    return StoreError(f"{where}: {first_line(err)}; {NOT_STORED}")
