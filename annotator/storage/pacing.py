"""How much one write transaction may take on: about ``LOCK_TARGET_S`` of holding the write lock,
so that another writer (a person's edit in the window) waits at most that long. Imports and
detection store their work in batches sized by how long the last batch held the lock."""

from __future__ import annotations

LOCK_TARGET_S = 0.15  # how long one batch may hold the write lock, about


class Pacer:
    """The size of the next batch: grows (at most doubling) while batches are quick, shrinks at once
    when one held the lock too long."""

    def __init__(self, start: int, most: int, least: int = 1) -> None:
        self.limit, self.most, self.least = start, most, least

    def took(self, seconds: float, size: int) -> None:
        wanted = size * LOCK_TARGET_S / max(seconds, 1e-3)
        self.limit = int(max(self.least, min(self.most, wanted, self.limit * 2)))
