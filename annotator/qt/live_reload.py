"""The window follows what others change in the open document: a timer asks
:class:`~annotator.outside_changes.OutsideChanges` every ``CHECK_MS`` (one small query), which
redraws the document in place when someone else changed it; the status bar says who."""

from __future__ import annotations

from PySide6.QtCore import QObject, QTimer

from annotator.outside_changes import OutsideChanges
from annotator.qt.status_line import StatusLine
from annotator.session import Session
from annotator.storage import StoreError

CHECK_MS = 1500  # how often the open document is compared with the project


class LiveReload:
    def __init__(self, owner: QObject, session: Session, status: StatusLine) -> None:
        self.changes = OutsideChanges(session)
        self.status = status
        self.failing = False  # a failed check is said once, not every tick
        self.timer = QTimer(owner)
        self.timer.setInterval(CHECK_MS)
        self.timer.timeout.connect(self.check)
        self.timer.start()

    def check(self) -> None:
        try:
            said = self.changes.check()
        except StoreError as err:
            if not self.failing:
                self.status.show_message(f"Cannot look for others' changes to this document: {err}", error=True)
            self.failing = True
            return
        self.failing = False
        if said:
            self.status.show_message(said)
