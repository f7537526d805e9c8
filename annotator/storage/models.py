"""The registry of trained models: a name for each, where it lives and what it scored."""

from __future__ import annotations

import json
from typing import Any

from annotator.storage.connection import Connection
from annotator.storage.rows import now


class Models:
    """``store.models``: called, the registered models."""

    def __init__(self, db: Connection) -> None:
        self.db = db

    def register_model(self, name: str, path: str, info: dict[str, Any]) -> None:
        """Remember a trained model under a name (replacing any model of that name)."""
        with self.db.write():
            self.db.execute("INSERT OR REPLACE INTO models (name, path, info, created) VALUES (?, ?, ?, ?)",
                            [name, str(path), json.dumps(info, ensure_ascii=False), now()])

    def __call__(self) -> list[dict[str, Any]]:
        """The registered models, oldest first: name, path, info, created."""
        rows = self.db.execute("SELECT name, path, info, created FROM models ORDER BY created, name")
        return [{"name": n, "path": p, "info": json.loads(i), "created": c} for n, p, i, c in rows]
