"""Shared fixtures. Qt runs offscreen so the tests need no display."""

from __future__ import annotations

import os
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest

from annotator.storage import Store

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "project.db"


@pytest.fixture
def fresh_store(db_path: Path):
    """An empty project on disk, closed after the test."""
    store = Store(db_path, annotator="tester")
    yield store
    store.close()


@pytest.fixture
def seeds_dir() -> Path:
    return SEEDS
