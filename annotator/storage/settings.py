"""Settings that belong to a project, not to a machine: the model chosen for pre-annotation and
the labels the window shows. Kept in the project file, so a copy of it, a moved file or another
person's machine opens with the same choices."""

from __future__ import annotations

from annotator.storage.connection import Connection


class Settings:
    """``store.settings``: the project's settings, by name."""

    def __init__(self, db: Connection) -> None:
        self.db = db

    def setting(self, name: str) -> str | None:
        """The project's value of a setting; None if it was never set. Works read-only."""
        value: str | None = self.db.one("SELECT value FROM settings WHERE name = ?", [name])
        return value

    def set_setting(self, name: str, value: str | None) -> None:
        """Keep a setting in the project (None removes it). Not an edit: nothing to undo."""
        with self.db.write():
            if value is None:
                self.db.execute("DELETE FROM settings WHERE name = ?", [name])
            else:
                self.db.execute("INSERT INTO settings (name, value) VALUES (?, ?) "
                                "ON CONFLICT (name) DO UPDATE SET value = excluded.value", [name, value])
