"""The window's layout and looks, as a person sees them: the article has the room, label names are
drawn on the text in their colours, the colours read well, the Review never squeezes the article."""

from __future__ import annotations

import itertools
import math
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt, QTimer
from PySide6.QtGui import QColor, QTextDocument
from PySide6.QtWidgets import QApplication, QDialog, QLabel, QMessageBox, QPushButton
from test_window import EMOJI, select, spans
from windows import click, paints, point_of, settle

from annotator.domain import ENTITIES, NUMBERS, Label, NewDocument, Span
from annotator.labels import DEFAULT_LABELS, INK, text_contrast
from annotator.qt.main_window import MainWindow
from annotator.storage import Store

ZELENSKYY = EMOJI.index("Zelenskyy")


@pytest.fixture
def project(db_path: Path) -> Path:
    with Store(db_path, annotator="tester") as store:
        store.add_documents([NewDocument(EMOJI), NewDocument("Second article about Kharkiv.")])
    return db_path


def article_share(win: MainWindow) -> float:
    return win.article.width() / win.width()


@pytest.mark.parametrize("size", [(1280, 800), (1920, 1080)])
def test_the_article_is_the_widest_part(qtbot, window: MainWindow, size: tuple[int, int]) -> None:
    window.resize(*size)
    qtbot.waitUntil(lambda: window.width() == size[0])
    assert article_share(window) > 0.5
    assert window.article.width() > window.documents.width()
    # No number selected: no editor takes room from the article.
    assert not window.numbers.isVisible()


def test_a_wider_window_widens_the_titles_too(qtbot, window: MainWindow) -> None:
    title = "Second article about Kharkiv."
    shown = lambda: window.documents.table.columnWidth(2) >= window.documents.table.fontMetrics().horizontalAdvance(title) + 8  # noqa: E731
    window.resize(1280, 800)
    qtbot.waitUntil(lambda: window.width() == 1280)
    assert not shown()  # cut to "Second art…" beside the article at its narrowest
    window.resize(1920, 1080)
    qtbot.waitUntil(lambda: window.width() == 1920)
    assert shown() and article_share(window) > 0.7


def test_label_names_are_drawn_above_spans_in_their_colour(qtbot, window: MainWindow, project: Path) -> None:
    select(qtbot, window, ZELENSKYY, ZELENSKYY + 9)
    qtbot.keyClick(window.article, "p")
    window.article.viewport().repaint()
    [(name, box)] = window.article.drawn_tags
    assert name == "PERSON"
    start = window.article.cursorRect(cursor_at(window, ZELENSKYY))
    assert abs(box.left() - start.left()) <= 2 and box.center().y() < start.top()  # on the word's top edge
    image = window.article.viewport().grab().toImage()
    person = QColor(window.store.label("PERSON").colour)
    pixels = [QColor(image.pixel(x, y)) for x in range(box.left(), box.right()) for y in range(box.top(), box.bottom())]
    assert sum(p == person for p in pixels) > len(pixels) // 3  # the tag is filled with PERSON's colour
    assert any(p.lightness() < 80 for p in pixels)  # and its name is written on it
    # The text and its offsets are untouched by the drawing.
    assert window.article.toPlainText() == EMOJI
    assert [(s.start, s.text) for s in spans(project)] == [(ZELENSKYY, "Zelenskyy")]


def cursor_at(win: MainWindow, offset: int):
    from PySide6.QtGui import QTextCursor

    cursor = QTextCursor(win.article.document())
    cursor.setPosition(win.article.offsets.to_qt(offset))
    return cursor


def lab(colour: str) -> tuple[float, float, float]:
    """CIELAB of an sRGB colour (D65), to measure how different two colours look."""
    def linear(c: float) -> float:
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (linear(int(colour[i:i + 2], 16) / 255) for i in (1, 3, 5))
    x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047
    y = 0.2126 * r + 0.7152 * g + 0.0722 * b
    z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883
    f = lambda t: t ** (1 / 3) if t > 0.008856 else 7.787 * t + 16 / 116  # noqa: E731
    return 116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z))


def test_every_default_label_reads_at_wcag_aa_and_hues_differ() -> None:
    for label in DEFAULT_LABELS:
        assert text_contrast(label) >= 4.5, label.name
    colours = {l.name: l.colour for l in DEFAULT_LABELS}
    for a, b in (("GPE", "LOC"), ("GPE", "LAW"), ("GPE", "MONEY"), ("LOC", "LAW"), ("LOC", "MONEY"), ("LAW", "MONEY"),
                 ("CARDINAL", "ORDINAL"), ("PERSON", "TIME"), ("PERSON", "DATE"), ("TIME", "DATE")):
        assert math.dist(lab(colours[a]), lab(colours[b])) > 20, (a, b)
    entities = [l.colour for l in DEFAULT_LABELS if l.layer == ENTITIES]
    assert min(math.dist(lab(a), lab(b)) for a, b in itertools.combinations(entities, 2)) > 12
    assert len(set(colours.values())) == len(colours)


def test_the_colours_drawn_are_the_tested_ones(qtbot, window: MainWindow) -> None:
    """Entity text is drawn in the palette's ink, so the contrast tested is the one on screen."""
    select(qtbot, window, ZELENSKYY, ZELENSKYY + 9)
    qtbot.keyClick(window.article, "g")
    click(qtbot, window, EMOJI.index("people"))  # nothing selected
    [selection] = window.article.extraSelections()
    assert selection.format.foreground().color() == QColor(INK)
    assert selection.format.background().color().name() == window.store.label("GPE").colour


def test_ctrl_r_opens_and_closes_the_review_without_shrinking_the_article(qtbot, window: MainWindow) -> None:
    window.resize(1280, 800)
    qtbot.waitUntil(lambda: window.width() == 1280)
    before = window.article.width()
    qtbot.keyClick(window.article, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: window.review.window is not None and window.review.window.isVisible())
    assert window.menus.actions["review"].isChecked()
    assert window.review.window.isWindow()
    QApplication.processEvents()
    assert window.article.width() == before
    qtbot.waitUntil(lambda: window.review.window.panel.refresh_button.isEnabled(), timeout=60_000)
    window.activateWindow()
    window.article.setFocus()
    qtbot.keyClick(window.article, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)
    assert not window.review.window.isVisible() and not window.menus.actions["review"].isChecked()
    # Ctrl+R in the Review window closes it as well; closing its window unticks the menu item.
    window.menus.actions["review"].trigger()
    assert window.review.window.isVisible() and window.menus.actions["review"].isChecked()
    with qtbot.waitActive(window.review.window):
        window.review.window.activateWindow()
    qtbot.keyClick(window.review.window.panel.disagreements, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)
    assert not window.review.window.isVisible() and not window.menus.actions["review"].isChecked()
    window.menus.actions["review"].trigger()
    window.review.window.close()
    assert not window.menus.actions["review"].isChecked()


def test_label_bar_chips_show_key_name_and_count_and_label_on_click(qtbot, window: MainWindow, project: Path) -> None:
    bar = window.label_bar
    assert bar.chips["PERSON"].text() == "p  PERSON" and not bar.chips["PERSON"].icon().isNull()
    assert not bar.chips["LAW"].isVisible()  # not used by this project yet: one click away
    qtbot.mouseClick(bar.more, Qt.MouseButton.LeftButton)
    assert bar.chips["LAW"].isVisible()
    qtbot.mouseClick(bar.more, Qt.MouseButton.LeftButton)
    assert not bar.chips["LAW"].isVisible()
    select(qtbot, window, ZELENSKYY, ZELENSKYY + 9)
    qtbot.mouseClick(bar.chips["PERSON"], Qt.MouseButton.LeftButton)
    assert [(s.text, s.label) for s in spans(project)] == [("Zelenskyy", "PERSON")]
    assert bar.chips["PERSON"].text() == "p  PERSON  1"
    # The chips wrap above the text: all of them lie within the bar, the bar above the article.
    qtbot.mouseClick(bar.more, Qt.MouseButton.LeftButton)
    for chip in bar.chips.values():
        assert bar.rect().contains(chip.geometry())
    assert bar.mapTo(window, QPoint(0, bar.height())).y() <= window.article.mapTo(window, QPoint(0, 0)).y()


def test_the_status_bar_says_what_each_edit_did(qtbot, window: MainWindow) -> None:
    select(qtbot, window, ZELENSKYY, ZELENSKYY + 9)
    qtbot.keyClick(window.article, "o")
    assert window.status.message.text() == "Labelled ORG 'Zelenskyy'"
    click(qtbot, window, ZELENSKYY + 2)
    qtbot.keyClick(window.article, "p")
    assert window.status.message.text() == "Relabelled ORG → PERSON 'Zelenskyy'"
    qtbot.keyClick(window.article, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert window.status.message.text() == "Undid: relabel ORG→PERSON 'Zelenskyy' — now ORG 'Zelenskyy'"
    qtbot.keyClick(window.article, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert window.status.message.text() == "Redid: relabel ORG→PERSON 'Zelenskyy' — now PERSON 'Zelenskyy'"


def test_alt_comma_and_period_move_the_start_as_alt_shift_arrows_do(qtbot, window: MainWindow, project: Path) -> None:
    aides = EMOJI.index("aides")
    select(qtbot, window, aides, aides + 5)
    qtbot.keyClick(window.article, "o")
    click(qtbot, window, aides + 1)
    qtbot.keyClick(window.article, Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier | Qt.KeyboardModifier.ShiftModifier)
    one_earlier = [s.text for s in spans(project)]
    assert one_earlier == ["s aides"]  # the tokens: Zelenskyy ’ s
    qtbot.keyClick(window.article, Qt.Key.Key_Period, Qt.KeyboardModifier.AltModifier)
    assert [s.text for s in spans(project)] == ["aides"]
    qtbot.keyClick(window.article, Qt.Key.Key_Comma, Qt.KeyboardModifier.AltModifier)
    assert [s.text for s in spans(project)] == one_earlier
    qtbot.keyClick(window.article, Qt.Key.Key_Period, Qt.KeyboardModifier.AltModifier)
    assert [s.text for s in spans(project)] == ["aides"]


def test_f1_is_listed_once_in_the_shortcut_help(qtbot, window: MainWindow) -> None:
    from annotator.qt.shortcuts import ShortcutsDialog

    dialog = ShortcutsDialog(window.store.labels(), window)
    qtbot.addWidget(dialog)
    keys = [dialog.table.item(row, 0).text() for row in range(dialog.table.rowCount())]
    assert sum("F1" in k.split(", ") or "F1" in k.split(" ") for k in keys) == 1


def test_the_number_editor_shows_only_for_a_number_and_nothing_stale(qtbot, window: MainWindow, project: Path) -> None:
    start = EMOJI.index("38,000")
    with Store(project, annotator="tester") as store:
        doc = store.document_ids()[0]
        store.save_predictions(doc, [Span.of(EMOJI, start, start + 6, "CASUALTIES", layer=NUMBERS, value=38000,
                                             kind="cardinal", approx=True, unit="people")], "m", "1")
    window.session.open(doc)
    assert not window.numbers.isVisible()
    click(qtbot, window, start + 1)
    assert window.numbers.isVisible() and window.numbers.approx.isChecked()
    assert window.numbers.label.currentText() == "CASUALTIES"
    qtbot.keyClick(window.article, Qt.Key.Key_Escape)
    assert not window.numbers.isVisible()
    assert not window.numbers.approx.isChecked() and window.numbers.label.currentText() == ""
    assert window.numbers.value.text() == "" and window.numbers.unit.text() == ""


def test_a_date_is_edited_for_the_day_it_means(qtbot, window: MainWindow, project: Path) -> None:
    with Store(project, annotator="tester") as store:
        doc = store.add_documents([NewDocument("It happened on Monday in Kyiv.")]).added[0]
    window.session.open(doc)
    monday = window.article.text.index("Monday")
    select(qtbot, window, monday, monday + 6)
    qtbot.keyClick(window.article, "d")
    click(qtbot, window, monday + 1)
    assert window.numbers.isVisible() and window.numbers.date_fields.isVisible()
    assert not window.numbers.number_fields.isVisible()
    qtbot.keyClicks(window.numbers.resolved, "2025-13")
    qtbot.keyClick(window.numbers.resolved, Qt.Key.Key_Return)
    assert "is not a date" in window.numbers.message.text()
    window.numbers.resolved.clear()
    qtbot.keyClicks(window.numbers.resolved, "2025-02-03")
    qtbot.keyClick(window.numbers.resolved, Qt.Key.Key_Return)
    assert window.status.message.text() == "DATE 'Monday': date resolved as 2025-02-03"
    with Store(project, annotator="tester") as store:
        [date] = store.spans(doc)
    assert (date.text, date.label, date.resolved) == ("Monday", "DATE", "2025-02-03")
    # Hovering it says the day it means.
    from PySide6.QtCore import QEvent
    from PySide6.QtGui import QHelpEvent
    from PySide6.QtWidgets import QToolTip

    viewport = window.article.viewport()
    at = point_of(window, monday + 2)
    QApplication.sendEvent(viewport, QHelpEvent(QEvent.Type.ToolTip, at, viewport.mapToGlobal(at)))
    assert QToolTip.text() == "“Monday” — DATE: 2025-02-03 (confirmed)"


MARKUP = '<img src="/tmp/x.png">'


def test_label_names_with_markup_show_literally(qtbot, window: MainWindow) -> None:
    window.store.add_label(Label(MARKUP, ENTITIES, "#a6cee3", "z"))
    window.session.reload_labels()
    chip = window.label_bar.chips[MARKUP]
    assert chip.text() == f"z  {MARKUP}"
    shown = QTextDocument()
    shown.setHtml(chip.toolTip())
    assert shown.toPlainText() == f"Label the selection {MARKUP} (key z)"

    from annotator.qt.label_dialog import LabelDialog

    dialog = LabelDialog(window.store, window)
    qtbot.addWidget(dialog)
    row = next(r for r in range(dialog.table.rowCount()) if dialog.table.item(r, 0).text() == MARKUP)
    dialog.table.selectRow(row)
    seen: list[tuple[Qt.TextFormat, str]] = []

    def look_and_close() -> None:
        box = QApplication.activeModalWidget()
        seen.extend((label.textFormat(), label.text()) for label in box.findChildren(QLabel) if MARKUP in label.text())
        box.reject() if isinstance(box, QDialog) and not isinstance(box, QMessageBox) else box.done(QMessageBox.StandardButton.No)

    for button in ("Rename…", "Remove"):
        QTimer.singleShot(100, look_and_close)
        qtbot.mouseClick(next(b for b in dialog.findChildren(QPushButton) if b.text() == button), Qt.MouseButton.LeftButton)
    assert seen == [(Qt.TextFormat.PlainText, f"New name for {MARKUP}:"),
                    (Qt.TextFormat.PlainText, f"Remove {MARKUP} and every span labelled with it?")]
    assert window.store.label(MARKUP) is not None  # nothing renamed, nothing removed


def test_export_dialog_remembers_the_path_and_explains_prodigy_ignore(qtbot, window: MainWindow, tmp_path: Path) -> None:
    from PySide6.QtWidgets import QDialogButtonBox

    from annotator.qt.export_dialog import ExportDialog

    dialog = ExportDialog(window.store, window.status, window.settings, window)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.path.width() >= 400
    assert dialog.format.currentText() == "spacy" and dialog.path.text().endswith("export.spacy")
    dialog.format.setCurrentText("jsonl")
    assert dialog.path.text().endswith("export.jsonl")
    dialog.status.setCurrentText("all")
    assert dialog.note.isVisible() and '"answer": "ignore"' in dialog.note.text()
    dialog.status.setCurrentText("done")
    assert not dialog.note.isVisible()
    dialog.path.setText(str(tmp_path / "mine.jsonl"))
    qtbot.mouseClick(dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "Exported" in window.status.message.text(), timeout=60_000)
    again = ExportDialog(window.store, window.status, window.settings, window)
    qtbot.addWidget(again)
    assert again.path.text() == str(tmp_path / "mine.jsonl") and again.format.currentText() == "jsonl"


def test_the_import_filter_offers_every_importable_kind() -> None:
    from annotator.formats import FORMATS
    from annotator.qt.import_dialog import name_filter

    offered = name_filter().split(";;")[0].split("(")[1].rstrip(")").split()
    assert {"*.txt", "*.jsonl", "*.csv", "*.conll", "*.iob", "*.spacy", "*.json", "*.ann"} <= set(offered)
    assert set(offered) == {"*" + e for f in FORMATS.values() if f.reads for e in f.extensions}


def test_default_colours_recolour_a_project_made_with_older_ones(qtbot, window: MainWindow) -> None:
    from annotator.qt.label_dialog import LabelDialog

    window.store.update_label("GPE", colour="#90be6d")
    window.store.update_label("LOC", colour="#b5e48c")
    dialog = LabelDialog(window.store, window)
    qtbot.addWidget(dialog)
    button = next(b for b in dialog.findChildren(QPushButton) if b.text() == "Default colours")
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    defaults = {l.name: l.colour for l in DEFAULT_LABELS}
    assert {l.name: l.colour for l in window.store.labels() if l.name in defaults} == defaults


def test_the_import_dialog_shows_whole_columns(qtbot, tmp_path: Path) -> None:
    from PySide6.QtWidgets import QTreeView

    from annotator.qt.import_dialog import import_dialog

    name = "a-rather-long-name-of-an-article-file-from-the-agency-2025-02-03.conll"
    (tmp_path / name).write_text("Kyiv\tB-GPE\n", encoding="utf-8")
    dialog = import_dialog(None, str(tmp_path))
    qtbot.addWidget(dialog)
    dialog.show()
    tree = next(t for t in dialog.findChildren(QTreeView) if t.isVisible())
    qtbot.waitUntil(lambda: tree.model().rowCount(tree.rootIndex()) == 1, timeout=30_000)
    header = tree.header()
    needed = tree.fontMetrics().horizontalAdvance(name) + 24  # text and icon
    assert header.sectionSize(0) >= needed
    for column in range(1, header.count()):
        if not header.isSectionHidden(column):
            shown = tree.model().index(0, column, tree.rootIndex()).data()
            assert header.sectionSize(column) >= tree.fontMetrics().horizontalAdvance(str(shown))


def test_an_edit_repaints_only_the_lines_it_changed(qtbot, window: MainWindow, project: Path) -> None:
    text = "\n".join(f"Line {i}: officials in Kyiv and Kharkiv met Zelenskyy again." for i in range(60))
    with Store(project, annotator="tester") as store:
        doc = store.add_documents([NewDocument(text)]).added[0]
        store.save_predictions(doc, [Span.of(text, m, m + 4, "GPE") for m in range(text.index("Kyiv"), len(text), 1)
                                     if text.startswith("Kyiv", m)], "m", "1")
        store.set_setting("learning", "off")  # else the other 59 Kyivs are suggested LOC too (tests/test_window_learning.py)
    window.session.open(doc)
    settle()  # the new document drawn, and the window laid out for its labels: none of it left for the block
    kyiv = text.index("Kyiv", text.index("Line 5"))
    with paints(window.article.viewport()) as painted:
        click(qtbot, window, kyiv + 1)
        qtbot.keyClick(window.article, "l")
        qtbot.waitUntil(lambda: "LOC" in [name for name, _ in window.article.drawn_tags], timeout=30_000)
    assert [s.label for s in window.session.spans.values() if s.start == kyiv] == ["LOC"]
    view = window.article.viewport().rect()
    # The lines of the span (and its name above), and the text cursor's old and new places: no more.
    assert painted and sum(r.width() * r.height() for r in painted) < view.width() * view.height() / 4
    assert "LOC" in [name for name, _ in window.article.drawn_tags]


def test_a_label_once_used_stays_on_the_bar_after_reopening(qtbot, make_window, project: Path) -> None:
    store = Store(project, annotator="tester")
    first = make_window(store)
    assert not first.label_bar.chips["LAW"].isVisible()
    qtbot.mouseClick(first.label_bar.more, Qt.MouseButton.LeftButton)
    select(qtbot, first, ZELENSKYY, ZELENSKYY + 9)
    qtbot.mouseClick(first.label_bar.chips["LAW"], Qt.MouseButton.LeftButton)
    qtbot.keyClick(first.article, Qt.Key.Key_PageDown, Qt.KeyboardModifier.ControlModifier)  # an article without LAW
    qtbot.mouseClick(first.label_bar.more, Qt.MouseButton.LeftButton)  # back to the project's labels
    assert first.label_bar.chips["LAW"].isVisible() and not first.label_bar.chips["FAC"].isVisible()
    first.close()
    store.close()
    again = Store(project, annotator="tester")
    second = make_window(again)
    assert second.label_bar.chips["LAW"].isVisible() and not second.label_bar.chips["FAC"].isVisible()
    second.close()
    again.close()


def test_switching_projects_leaves_no_chip_of_the_last_on_the_label_bar(qtbot, window: MainWindow, tmp_path: Path) -> None:
    from PySide6.QtWidgets import QToolButton

    other = tmp_path / "other.db"
    with Store(other, annotator="tester") as store:
        store.add_documents([NewDocument("Another project's article.")])
    window.switch_project(other)
    bar = window.label_bar
    shown = [b for b in bar.findChildren(QToolButton) if b.isVisible()]  # as drawn now, before any event
    assert sorted(shown, key=id) == sorted([c for c in bar.chips.values() if c.isVisible()] + [bar.more], key=id)
    qtbot.waitUntil(lambda: not window.workers.running, timeout=120_000)  # the model it starts there
