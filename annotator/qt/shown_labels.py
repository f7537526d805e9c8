"""Which labels a project shows on the label bar: kept in the project (its ``settings``), so a
copy of the file, a moved file or another machine shows the same ones. Windows before kept them
in the user's QSettings under the project's path; such a value is moved into the project once."""

from __future__ import annotations

import json
from typing import cast

from PySide6.QtCore import QSettings

from annotator.labels import CORE_LABELS
from annotator.session import LOCK_WAIT_S
from annotator.storage import Store, StoreError

SETTING = "shown_labels"


def shown_labels(store: Store, settings: QSettings) -> list[str]:
    """The labels this project shows: its own setting, else the one the window kept for its
    path (moved into the project, when it can be written), else the common ones."""
    stored = store.setting(SETTING)
    if stored is not None:
        return list(json.loads(stored))
    key = f"labels/{store.path.resolve()}"
    if not settings.contains(key):
        return list(CORE_LABELS)
    names = [str(name) for name in cast(list[object], settings.value(key, [], type=list))]
    if save_shown_labels(store, names):
        settings.remove(key)
    return names


def save_shown_labels(store: Store, names: set[str] | list[str]) -> bool:
    """Keep the shown labels in the project; False where it cannot be written now (read-only, or
    another program holds the write lock: the window does not wait for it). They are then shown
    all the same, and the window tries again with its next edit or document."""
    try:
        with store.lock_wait(LOCK_WAIT_S):  # the window's thread: another program's lock never holds it up
            store.set_setting(SETTING, json.dumps(sorted(names), ensure_ascii=False))
    except StoreError:
        return False
    return True
