"""Where things live: the default project database and the bundled sample articles."""

from __future__ import annotations

from pathlib import Path

import platformdirs

APP_NAME = "annotator"
PACKAGE_DIR = Path(__file__).resolve().parent


def default_db_path() -> Path:
    """The project a user gets without ``--db``: in the platform's user data folder."""
    return platformdirs.user_data_path(APP_NAME, appauthor=False) / "project.db"


def error_log_path() -> Path:
    """Where the details of unexpected errors are written (the user's data folder), for bug reports."""
    return platformdirs.user_data_path(APP_NAME, appauthor=False) / "errors.log"


def _bundled(name: str) -> Path:
    """A folder shipped as package data; in a source checkout it sits beside the package."""
    inside = PACKAGE_DIR / name
    return inside if inside.is_dir() else PACKAGE_DIR.parent / name


def samples_dir() -> Path:
    return _bundled("seeds")


def resources_dir() -> Path:
    return _bundled("resources")
