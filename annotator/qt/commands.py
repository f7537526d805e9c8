"""Every command of the window, in one table: its id, its text, its keys, what it does and whether
it writes to the project. The menus (:mod:`annotator.qt.menus`) are built from it, F1 lists it
(:mod:`annotator.qt.shortcuts`) and the article's key handler runs its article keys; docs/window.md
is checked against it. A new command is a new row.

A handler is given the window, seen through :class:`Window` (what the handlers use of it), so that
this table and the menus need not import the window (which imports them).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Protocol

from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QKeyEvent, QKeySequence

from annotator.qt.article_view import ArticleView
from annotator.qt.check_dialog import check_project_in_worker
from annotator.qt.detection import DetectionRunner
from annotator.qt.editing import Editing
from annotator.qt.linking import Linking
from annotator.qt.navigation import Navigation
from annotator.qt.review_opener import ReviewOpener
from annotator.qt.status_line import StatusLine
from annotator.qt.undo_redo import UndoRedo
from annotator.session import Session

Key = str | QKeySequence.StandardKey
Mod = Qt.KeyboardModifier
KEYPAD = Mod.KeypadModifier.value
ARTICLE = ""  # the "menu" of the keys typed in the article


class Ticks(Protocol):
    def checked(self, command_id: str) -> bool: ...


class Window(Protocol):
    """What the commands use of the window (annotator.qt.main_window.MainWindow)."""

    session: Session
    article: ArticleView
    editing: Editing
    linking: Linking
    navigation: Navigation
    detection: DetectionRunner
    review: ReviewOpener
    history: UndoRedo
    status: StatusLine
    settings: QSettings

    @property
    def menus(self) -> Ticks: ...

    def open_project_dialog(self, new: bool) -> None: ...
    def open_server_dialog(self) -> None: ...
    def import_dialog(self) -> None: ...
    def export_dialog(self) -> None: ...
    def close(self) -> bool: ...
    def labels_dialog(self) -> None: ...
    def annotator_dialog(self) -> None: ...
    def show_shortcuts(self) -> None: ...


Handler = Callable[[Window], object]


@dataclass(frozen=True)
class Command:
    id: str  # also the objectName of its menu item
    text: str  # a menu item's text (& before its mnemonic); for a key typed in the article, what it does
    handler: Handler | None  # None: handled where it is typed (a label key, a click, Tab): listed for F1
    keys: tuple[Key, ...] = ()
    writes: bool = False  # a menu item that writes is off in a read-only project; there the session refuses a key's edit, said
    menu: str = ARTICLE  # the menu it is in
    shown: str = ""  # a key typed in the article, as F1 and docs/window.md write it (rows alike: one line, the first's text)
    separated: bool = False  # a line above it in its menu
    checkable: bool = False

    def keys_text(self) -> str:
        """The keys as F1 shows them."""
        if self.shown:
            return self.shown
        return ", ".join(QKeySequence(k).toString(QKeySequence.SequenceFormat.NativeText) for k in self.keys)

    def does(self) -> str:
        return self.text.replace("&", "")


def resize(edge: str, forward: bool) -> Handler:
    return lambda w: w.session.resize(edge, forward)


def check_project(w: Window) -> None:
    check_project_in_worker(w.article.window(), w.session.store.path, w.status)  # a server's path stays one


FILE, EDIT, DOCUMENT, VIEW, HELP = "&File", "&Edit", "&Document", "&View", "&Help"
Std = QKeySequence.StandardKey

COMMANDS: tuple[Command, ...] = (
    # Typed in the article (Alt+Shift with arrows is taken by some window managers: Openbox switches
    # desktops; so Alt+, and Alt+. move the start as well).
    Command("label", "label the selection (snapped to whole words)", None, shown="select text, then a label key"),
    Command("label_exactly", "label the exact characters selected", None, shown="Alt + label key"),
    Command("select", "select it", None, shown="click a span"),
    Command("relabel", "relabel it", None, shown="label key on a selected span"),
    Command("delete", "remove the selected span (reject a number)", lambda w: w.editing.delete_selected(),
            ("Delete", "Backspace"), writes=True, shown="Delete / Backspace"),
    Command("confirm", "confirm the selected span", lambda w: w.editing.confirm_selected(), ("Return", "Enter"),
            writes=True, shown="Enter"),
    Command("grow_end", "grow / shrink the span's end by a token", resize("end", True), ("Alt+Right",), writes=True,
            shown="Alt+Right / Alt+Left"),
    Command("shrink_end", "shrink the span's end by a token", resize("end", False), ("Alt+Left",), writes=True,
            shown="Alt+Right / Alt+Left"),
    Command("grow_start", "grow / shrink the span's start by a token", resize("start", False), ("Alt+Shift+Left", "Alt+,"),
            writes=True, shown="Alt+Shift+Left / Alt+Shift+Right, or Alt+, / Alt+."),
    Command("shrink_start", "shrink the span's start by a token", resize("start", True), ("Alt+Shift+Right", "Alt+."),
            writes=True, shown="Alt+Shift+Left / Alt+Shift+Right, or Alt+, / Alt+."),
    Command("select_text", "select text with the keyboard", None, shown="Shift+arrows"),
    Command("deselect", "deselect (while linking: cancel the link)", lambda w: w.editing.deselect(), ("Escape",),
            shown="Escape"),
    Command("document_label", "give the document that label, or take it away (the chips above the article)", None,
            shown="Shift + a document label's key"),
    Command("select_next", "select the first span after the text cursor (Escape, Tab: the next one)", None,
            shown="Tab with no span selected"),
    Command("link", "link from it: Tab / Shift+Tab or arrows (or a click) choose the other span", None,
            shown="Tab on a selected span"),
    Command("link_with", "link with that relation (Enter: the one used last)", None,
            shown="while linking: a relation key, or Enter"),
    Command("pick_link", "remove the picked link (reject a suggestion) / confirm a suggested one", None,
            shown="F6 or a click on a link's name, then Delete / Enter"),
    Command("help_key", "this list (as F1)", lambda w: w.show_shortcuts(), ("?",), shown="?"),
    # The menus, in their order.
    Command("open_project", "&Open project…", lambda w: w.open_project_dialog(new=False), (Std.Open,), menu=FILE),
    Command("open_server", "Open project on a se&rver…", lambda w: w.open_server_dialog(), menu=FILE),
    Command("new_project", "&New project…", lambda w: w.open_project_dialog(new=True), (Std.New,), menu=FILE),
    Command("import", "&Import articles…", lambda w: w.import_dialog(), ("Ctrl+I",), True, FILE, separated=True),
    Command("export", "&Export dataset…", lambda w: w.export_dialog(), ("Ctrl+E",), menu=FILE),
    Command("quit", "&Quit", lambda w: w.close(), (Std.Quit,), menu=FILE, separated=True),
    Command("undo", "&Undo", lambda w: w.history.undo(), ("Ctrl+Z",), True, EDIT),
    Command("redo", "&Redo", lambda w: w.history.redo(), ("Ctrl+Shift+Z", "Ctrl+Y"), True, EDIT),
    Command("labels", "&Labels…", lambda w: w.labels_dialog(), ("Ctrl+L",), True, EDIT, separated=True),
    Command("annotator", "Annotator &name…", lambda w: w.annotator_dialog(), menu=EDIT),
    Command("accept_suggestions", "&Accept suggestions", lambda w: w.session.accept_suggestions(), ("Ctrl+Shift+A",),
            True, DOCUMENT),
    Command("clear_suggestions", "&Clear suggestions", lambda w: w.session.clear_suggestions(), ("Ctrl+Shift+X",),
            True, DOCUMENT),
    Command("mark_done", "Mark &done and go to next open", lambda w: w.navigation.mark_done(), ("Ctrl+Return", "Ctrl+Enter"),
            True, DOCUMENT, separated=True),
    Command("skip", "&Skip and go to next open", lambda w: w.navigation.skip(), ("Ctrl+K",), True, DOCUMENT),
    Command("reopen", "&Reopen", lambda w: w.session.set_status("open"), ("Ctrl+Shift+O",), True, DOCUMENT),
    # The rows selected in the document list (Shift/Ctrl+click, Shift+arrows).
    Command("mark_selected_done", "Mark selected documents done", lambda w: w.navigation.mark_selected("done"),
            ("Ctrl+Shift+D",), True, DOCUMENT, separated=True),
    Command("mark_selected_open", "Mark selected documents open", lambda w: w.navigation.mark_selected("open"),
            writes=True, menu=DOCUMENT),
    Command("mark_selected_skipped", "Mark selected documents skipped", lambda w: w.navigation.mark_selected("skipped"),
            writes=True, menu=DOCUMENT),
    Command("next", "&Next document", lambda w: w.navigation.go(1), ("Ctrl+PgDown",), menu=DOCUMENT, separated=True),
    Command("previous", "&Previous document", lambda w: w.navigation.go(-1), ("Ctrl+PgUp",), menu=DOCUMENT),
    Command("next_unreviewed", "Next &unreviewed", lambda w: w.navigation.next_unreviewed(), ("Ctrl+U",), menu=DOCUMENT),
    Command("links", "Go to the &links list", lambda w: w.linking.focus_list(), ("F6",), menu=DOCUMENT),
    Command("detect_new", "Detect new documents", lambda w: w.detection.start(only_new=True), writes=True, menu=DOCUMENT,
            separated=True),
    Command("snap", "&Snap selections to words", lambda w: w.settings.setValue("snap", w.menus.checked("snap")),
            menu=VIEW, checkable=True),
    Command("review", "&Review", lambda w: w.review.toggle(w.menus.checked("review")), ("Ctrl+R",), menu=VIEW,
            checkable=True),
    Command("shortcuts", "&Keyboard shortcuts", lambda w: w.show_shortcuts(), ("F1",), menu=HELP),
    Command("check", "&Check project…", check_project, menu=HELP),
)

MENUS = tuple(dict.fromkeys(c.menu for c in COMMANDS if c.menu != ARTICLE))
ARTICLE_COMMANDS = tuple(c for c in COMMANDS if c.menu == ARTICLE)


def article_rows() -> list[tuple[str, str]]:
    """The keys typed in the article as F1 and docs/window.md list them: commands with the same keys
    shown are one row, worded by the first."""
    rows: dict[str, str] = {}
    for command in ARTICLE_COMMANDS:
        rows.setdefault(command.keys_text(), command.does())
    return list(rows.items())


def combined(key: Key) -> int:
    """A key as the one number Qt makes of a key and its modifiers."""
    return int(QKeySequence(key)[0].toCombined())  # type: ignore[index]  # PySide6's stubs lack QKeySequence[i]


@cache
def _by_keys() -> dict[int | str, Command]:
    """Each article key (as Qt combines it, and a one-character key as typed) to its command: made once,
    so that a key press only looks it up."""
    found: dict[int | str, Command] = {}
    for command in ARTICLE_COMMANDS:
        for key in command.keys if command.handler is not None else ():
            found[combined(key)] = command
            if isinstance(key, str) and len(key) == 1:
                found[key] = command
    return found


def article_command(event: QKeyEvent) -> Command | None:
    """The command a key typed in the article runs, if it is one of the table's (the keypad's Enter is
    Enter; "?" is "?" whatever Shift it takes on the keyboard)."""
    by_keys = _by_keys()
    command = by_keys.get(event.keyCombination().toCombined() & ~KEYPAD)
    if command is None and not event.modifiers() & (Mod.ControlModifier | Mod.AltModifier | Mod.MetaModifier):
        command = by_keys.get(event.text())
    return command
