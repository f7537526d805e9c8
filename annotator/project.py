"""Opening a project: the default database is created with the sample articles in it."""

from __future__ import annotations

from pathlib import Path

from annotator.paths import default_db_path, samples_dir
from annotator.storage import Store
from annotator.storage.postgres.url import location


def open_project(db: Path | str | None = None, annotator: str | None = None) -> Store:
    """Open (or create) a project; a new default project starts with the sample articles."""
    path = location(db) if db else default_db_path()
    seed = db is None and not path.exists()
    store = Store(path, annotator=annotator)
    if seed:
        from annotator.importing import import_paths  # the file readers only when seeding: commands start sooner

        import_paths(store, [samples_dir()])
    return store
