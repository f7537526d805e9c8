"""The window's menus: every command with its keys, so that F1 can list them all."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence

from annotator.qt.check_dialog import check_project_in_worker

if TYPE_CHECKING:
    from annotator.qt.main_window import MainWindow


def build_menus(win: MainWindow) -> list[QAction]:
    made: list[QAction] = []
    win.write_actions = []  # off in a read-only project

    def action(menu: Any, text: str, slot: Callable[[], Any], *keys: str | QKeySequence.StandardKey,
               writes: bool = False) -> QAction:
        item = QAction(text, win)
        if writes:
            win.write_actions.append(item)
        if keys:
            item.setShortcuts([QKeySequence(k) for k in keys])
        item.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        item.triggered.connect(slot)
        menu.addAction(item)
        win.addAction(item)
        made.append(item)
        return item

    session = win.session
    bar = win.menuBar()
    file = bar.addMenu("&File")
    action(file, "&Open project…", win.open_project_dialog, QKeySequence.StandardKey.Open)
    action(file, "&New project…", win.new_project_dialog, QKeySequence.StandardKey.New)
    file.addSeparator()
    action(file, "&Import articles…", win.import_dialog, "Ctrl+I", writes=True)
    action(file, "&Export dataset…", win.export_dialog, "Ctrl+E")
    file.addSeparator()
    action(file, "&Quit", win.close, QKeySequence.StandardKey.Quit)
    edit = bar.addMenu("&Edit")
    win.undo_action = action(edit, "&Undo", win.undo, "Ctrl+Z", writes=True)
    win.redo_action = action(edit, "&Redo", win.redo, "Ctrl+Shift+Z", "Ctrl+Y", writes=True)
    edit.addSeparator()
    action(edit, "&Labels…", win.labels_dialog, "Ctrl+L", writes=True)
    action(edit, "Annotator &name…", win.annotator_dialog)
    doc = bar.addMenu("&Document")
    action(doc, "&Accept suggestions", session.accept_suggestions, "Ctrl+Shift+A", writes=True)
    action(doc, "&Clear suggestions", session.clear_suggestions, "Ctrl+Shift+X", writes=True)
    doc.addSeparator()
    action(doc, "Mark &done and go to next open", win.mark_done, "Ctrl+Return", "Ctrl+Enter", writes=True)
    action(doc, "&Skip and go to next open", win.skip, "Ctrl+K", writes=True)
    action(doc, "&Reopen", lambda: session.set_status("open"), "Ctrl+Shift+O", writes=True)
    doc.addSeparator()  # the rows selected in the document list (Shift/Ctrl+click, Shift+arrows)
    action(doc, "Mark selected documents done", lambda: win.mark_selected("done"), "Ctrl+Shift+D", writes=True)
    action(doc, "Mark selected documents open", lambda: win.mark_selected("open"), writes=True)
    action(doc, "Mark selected documents skipped", lambda: win.mark_selected("skipped"), writes=True)
    doc.addSeparator()
    action(doc, "&Next document", lambda: win.go(1), "Ctrl+PgDown")
    action(doc, "&Previous document", lambda: win.go(-1), "Ctrl+PgUp")
    action(doc, "Next &unreviewed", win.next_unreviewed, "Ctrl+U")
    action(doc, "Go to the &links list", win.focus_links, "F6")
    doc.addSeparator()
    action(doc, "Detect new documents", lambda: win.detection.start(only_new=True), writes=True)
    view = bar.addMenu("&View")
    win.snap_action = action(view, "&Snap selections to words",
                             lambda: win.settings.setValue("snap", win.snap_action.isChecked()))
    win.snap_action.setCheckable(True)
    win.snap_action.setChecked(win.settings.value("snap", True, type=bool))
    win.review_action = action(view, "&Review", lambda: win.toggle_review(win.review_action.isChecked()), "Ctrl+R")
    win.review_action.setCheckable(True)
    help_menu = bar.addMenu("&Help")
    action(help_menu, "&Keyboard shortcuts", win.show_shortcuts, "F1")
    action(help_menu, "&Check project…", lambda: check_project_in_worker(win))
    return made
