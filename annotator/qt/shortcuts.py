"""Keys typed in the article, and the F1 list of every shortcut of the window."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeyEvent, QKeySequence
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QHeaderView, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget

from annotator.categories import CategoryLabel
from annotator.domain import Label
from annotator.relations import RelationLabel

K = Qt.Key
# (key, shift) with Alt -> which edge of the selected span moves, and whether forward. Alt+Shift
# with arrows is taken by some window managers (Openbox switches desktops), so Alt+, and Alt+.
# move the start as well.
RESIZE_KEYS: dict[tuple[int, bool], tuple[str, bool]] = {
    (K.Key_Right, False): ("end", True),  # Alt+Right: end one token further
    (K.Key_Left, False): ("end", False),  # Alt+Left: end one token back
    (K.Key_Left, True): ("start", False),  # Alt+Shift+Left: start one token earlier
    (K.Key_Right, True): ("start", True),  # Alt+Shift+Right: start one token later
    (K.Key_Comma, False): ("start", False),  # Alt+, : start one token earlier
    (K.Key_Period, False): ("start", True),  # Alt+. : start one token later
}

ARTICLE_KEYS = (
    ("select text, then a label key", "label the selection (snapped to whole words)"),
    ("Alt + label key", "label the exact characters selected"),
    ("click a span", "select it"),
    ("label key on a selected span", "relabel it"),
    ("Delete / Backspace", "remove the selected span (reject a number)"),
    ("Enter", "confirm the selected span"),
    ("Alt+Right / Alt+Left", "grow / shrink the span's end by a token"),
    ("Alt+Shift+Left / Alt+Shift+Right, or Alt+, / Alt+.", "grow / shrink the span's start by a token"),
    ("Shift+arrows", "select text with the keyboard"),
    ("Escape", "deselect (while linking: cancel the link)"),
    ("Shift + a document label's key", "give the document that label, or take it away (the chips above the article)"),
    ("Tab with no span selected", "select the first span after the text cursor (Escape, Tab: the next one)"),
    ("Tab on a selected span", "link from it: Tab / Shift+Tab or arrows (or a click) choose the other span"),
    ("while linking: a relation key, or Enter", "link with that relation (Enter: the one used last)"),
    ("F6 or a click on a link's name, then Delete / Enter",
     "remove the picked link (reject a suggestion) / confirm a suggested one"),
    ("?", "this list (as F1)"),
)


def article_key(event: QKeyEvent) -> tuple[str | bool, ...] | None:
    """What a key pressed in the article asks for: ("resize", edge, forward), ("delete",),
    ("confirm",), ("deselect",), ("help",); None for anything else (label keys among them)."""
    mods = event.modifiers()
    if mods & (Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.MetaModifier):
        return None
    key = event.key()
    if mods & Qt.KeyboardModifier.AltModifier:
        shift = bool(mods & Qt.KeyboardModifier.ShiftModifier)
        found = RESIZE_KEYS.get((key, shift))
        return ("resize", *found) if found else None
    if key in (K.Key_Delete, K.Key_Backspace):
        return ("delete",)
    if key in (K.Key_Return, K.Key_Enter):
        return ("confirm",)
    if key == K.Key_Escape:
        return ("deselect",)
    if event.text() == "?":
        return ("help",)
    return None


class ShortcutsDialog(QDialog):
    def __init__(self, actions: list[QAction], labels: list[Label], parent: QWidget | None = None,
                 categories: Sequence[CategoryLabel] = (), relations: Sequence[RelationLabel] = ()) -> None:
        super().__init__(parent)
        self.setWindowTitle("Keyboard shortcuts")
        rows = list(ARTICLE_KEYS)
        rows += [(", ".join(s.toString(QKeySequence.SequenceFormat.NativeText) for s in a.shortcuts()),
                  a.text().replace("&", "")) for a in actions if a.shortcuts()]
        rows += [(label.key, f"label {label.name} ({label.layer})") for label in labels if label.key]
        rows += [(f"Shift+{label.key.upper()}", f"document label {label.name}") for label in categories if label.key]
        rows += [(label.key, f"while linking: link {label.name}") for label in relations if label.key]
        table = QTableWidget(len(rows), 2)
        table.setHorizontalHeaderLabels(["Keys", "Does"])
        table.verticalHeader().hide()
        for row, (keys, does) in enumerate(rows):
            table.setItem(row, 0, QTableWidgetItem(keys))
            table.setItem(row, 1, QTableWidgetItem(does))
        table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        table.resizeColumnToContents(0)
        self.table = table
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.accept)
        layout = QVBoxLayout(self)
        layout.addWidget(table)
        layout.addWidget(close)
        self.resize(680, 640)
