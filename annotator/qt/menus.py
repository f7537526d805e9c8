"""The window's menus, built from the command table (:mod:`annotator.qt.commands`): each item is
named by its command's id (``objectName``), and the items of commands that write are off in a
read-only project."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMainWindow

from annotator.qt.commands import COMMANDS, MENUS, Window


class Menus:
    def __init__(self, window: QMainWindow, target: Window) -> None:
        self.actions: dict[str, QAction] = {}
        bar = window.menuBar()
        menus = {name: bar.addMenu(name) for name in MENUS}
        for command in COMMANDS:
            if command.menu not in menus or command.handler is None:
                continue
            item = QAction(command.text, window)
            item.setObjectName(command.id)
            item.setShortcuts([QKeySequence(k) for k in command.keys])
            item.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            item.setCheckable(command.checkable)
            item.triggered.connect(lambda _=False, handler=command.handler: handler(target))
            if command.separated:
                menus[command.menu].addSeparator()
            menus[command.menu].addAction(item)
            window.addAction(item)
            self.actions[command.id] = item

    def checked(self, command_id: str) -> bool:
        return self.actions[command_id].isChecked()

    def allow_writes(self, allowed: bool) -> None:
        """A read-only project: every command that writes is off."""
        for command in COMMANDS:
            if command.writes and command.id in self.actions:
                self.actions[command.id].setEnabled(allowed)
