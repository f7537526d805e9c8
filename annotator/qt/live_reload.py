"""The window follows what others change in the open document: a timer asks
:class:`~annotator.outside_changes.OutsideChanges` every ``CHECK_MS`` (one small query), which
redraws the document in place when someone else changed it; the status bar says who.

An edit in progress is not disturbed: while a link is being made, a dialog is open, a mouse button
is held or a value is being typed in the number editor, the check waits for a later tick."""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtWidgets import QApplication, QWidget

from annotator.outside_changes import OutsideChanges
from annotator.qt.link_mode import LinkMode
from annotator.qt.status_line import StatusLine
from annotator.qt.workers import Workers
from annotator.session import Session
from annotator.storage import Missing, StoreError
from annotator.storage.errors import NOT_STORED

CHECK_MS = 1500  # how often the open document is compared with the project


class LiveReload:
    def __init__(self, owner: QObject, session: Session, status: StatusLine, link_mode: LinkMode,
                 editor: QWidget, workers: Workers) -> None:
        """``editor``: the number editor (typing a value there is an edit in progress); ``workers``:
        the window's tasks (one may be writing the open document: its changes are not announced)."""
        self.changes = OutsideChanges(session)
        self.status, self.link_mode, self.editor, self.workers = status, link_mode, editor, workers
        self.failures = 0  # looks that failed in a row: the second is said (once), the first may be a server
        # restarted since the last (the next look connects again)
        self.timer = QTimer(owner)
        self.timer.setInterval(CHECK_MS)
        self.timer.timeout.connect(self.check)
        self.timer.start()

    def editing(self) -> bool:
        """The person is in the middle of something a redraw would disturb."""
        focus = QApplication.focusWidget()
        return (self.link_mode.active or QApplication.activeModalWidget() is not None
                or QApplication.mouseButtons() != Qt.MouseButton.NoButton
                or (focus is not None and self.editor.isAncestorOf(focus)))

    def check(self) -> None:
        if self.editing():
            return
        try:
            said = self.changes.check(own_work=bool(self.workers.running))
        except (StoreError, Missing) as err:  # Missing: the document was removed there
            self.failures += 1
            if self.failures == 2:
                # a KeyError's str() quotes it; a look changes nothing: "not stored" is not for it
                why = err.args[0] if isinstance(err, Missing) and err.args else str(err).removesuffix(f"; {NOT_STORED}")
                self.status.show_message(f"Cannot look for others' changes to this document: {why}", error=True)
            return
        self.failures = 0
        if said:
            self.status.show_message(said)
