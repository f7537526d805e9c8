"""Which labels a project shows on the label bar: kept in the project (its ``settings``), so a
copy of the file, a moved file or another machine shows the same ones. Windows before kept them
in the user's QSettings under the project's path; such a value is moved into the project once."""

from __future__ import annotations

import json
from typing import cast

from PySide6.QtCore import QSettings

from annotator.labels import CORE_LABELS
from annotator.qt.label_bar import LabelBar
from annotator.session import LOCK_WAIT_S, Session
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


class RememberedLabels:
    """Labels met in the project's articles stay on the label bar from then on, kept in the project;
    while another program holds its lock, at the next chance."""

    def __init__(self, label_bar: LabelBar, session: Session, settings: QSettings) -> None:
        self.label_bar, self.session, self.settings = label_bar, session, settings
        self.unkept = False  # shown labels not yet kept in the project (it was locked)

    def project_opened(self, store: Store) -> None:
        self.unkept = False
        self.label_bar.set_used(shown_labels(store, self.settings))

    def remember(self) -> None:
        """The open document's labels join those shown."""
        names = {s.label for s in self.session.spans.values()}
        store = self.session.store
        if not names <= self.label_bar.used or self.unkept:
            self.label_bar.use(names)
            self.unkept = not save_shown_labels(store, self.label_bar.used) and not store.read_only
