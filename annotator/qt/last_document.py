"""Which document a project opens at: the last one open, kept in the project (its ``settings``), so
a copy of the file, a moved file or another machine opens at the same article. Windows before kept
it in the user's QSettings under the project's path; such a value is moved into the project once."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings

from annotator.storage import Store, StoreError

SETTING = "last_document"


class LastDocument:
    """Kept in the project as documents open. Where the project cannot be written now (read-only,
    or another program holds its write lock: a key press never waits for it, nor for this) it is
    kept for the session and written at the next document opened or when the window closes."""

    def __init__(self, settings: QSettings) -> None:
        self.settings = settings
        self.open: dict[Path, int] = {}  # each project's document open last this session

    def get(self, store: Store) -> int | None:
        """The document the project was left at: this session's, else the project's own, else the one
        an earlier window kept under its path (moved into the project, when it can be written)."""
        path = store.path.resolve()
        if path in self.open:
            return self.open[path]
        stored = store.setting(SETTING)
        if stored is not None:
            return int(stored)
        key = f"last/{path}"
        if not self.settings.contains(key):
            return None
        doc_id = int(self.settings.value(key))
        if self.opened(store, doc_id):
            self.settings.remove(key)
        return doc_id

    def opened(self, store: Store, doc_id: int) -> bool:
        """A document was opened: keep it in the project (False where it cannot be written now)."""
        self.open[store.path.resolve()] = doc_id
        if store.read_only:
            return False
        try:
            if store.setting(SETTING) != str(doc_id):
                with store.lock_wait(0):  # the window's thread: another program's lock never holds it up
                    store.set_setting(SETTING, str(doc_id))
        except StoreError:  # locked, or the project closed under a closing window: not worth a word
            return False
        return True

    def keep(self, store: Store) -> None:
        """Before the project is left: try once more to keep what was open (never waiting)."""
        doc_id = self.open.get(store.path.resolve())
        if doc_id is not None:
            self.opened(store, doc_id)
