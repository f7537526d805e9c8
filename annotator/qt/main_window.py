"""The annotation window: document list, article, label palette, number editor, status bar.

Every edit goes straight to the store (one committed transaction each), and the view is redrawn
from what the store then holds, so what is on screen is what is saved.
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime
from pathlib import Path
from typing import Any, Callable

from PySide6.QtCore import QByteArray, QSettings, Qt, QTimer
from PySide6.QtGui import QAction, QCloseEvent, QKeyEvent, QKeySequence
from PySide6.QtWidgets import (QComboBox, QDockWidget, QFileDialog, QHBoxLayout, QHeaderView, QInputDialog, QLabel,
                               QLineEdit, QMainWindow, QMessageBox, QScrollArea, QSplitter, QTableView, QVBoxLayout,
                               QWidget)

from annotator.domain import ENTITIES, NUMBERS, STATUSES, Span, SpanError
from annotator.importing import import_paths
from annotator.project import open_project
from annotator.qt.article_view import ArticleView
from annotator.qt.detection import DetectionRunner
from annotator.qt.document_list import DocumentListModel
from annotator.qt.label_dialog import LabelDialog
from annotator.qt.number_editor import NumberEditor
from annotator.qt.palette import LabelPalette
from annotator.qt.shortcuts import ShortcutsDialog
from annotator.qt.workers import ProgressPanel, Workers
from annotator.storage import Store
from annotator.tokens import move_edge, snap

NAV_KEYS = {
    (Qt.Key.Key_Right, False): ("end", True),  # Alt+Right: end one token further
    (Qt.Key.Key_Left, False): ("end", False),  # Alt+Left: end one token back
    (Qt.Key.Key_Left, True): ("start", False),  # Alt+Shift+Left: start one token earlier
    (Qt.Key.Key_Right, True): ("start", True),  # Alt+Shift+Right: start one token later
}


class MainWindow(QMainWindow):
    def __init__(self, store: Store, settings: QSettings | None = None, detect_on_open: bool = True) -> None:
        super().__init__()
        self.settings = settings or QSettings()
        self.workers = Workers(self)
        self.store = store
        self.doc_id: int | None = None
        self.current: Span | None = None
        self.review_dock: QDockWidget | None = None
        self._build()
        self.detection = DetectionRunner(self)
        self._open_store(store)
        geometry = self.settings.value("geometry")
        if isinstance(geometry, QByteArray):
            self.restoreGeometry(geometry)
        else:
            self.resize(1280, 800)
        if detect_on_open:
            self.detection.start()

    # -- building ------------------------------------------------------------------------------

    def _build(self) -> None:
        self.status_filter = QComboBox()
        self.status_filter.addItems(["all", *STATUSES])
        self.label_filter = QComboBox()
        self.search = QLineEdit()
        self.search.setPlaceholderText("Search text…")
        self.search.setClearButtonEnabled(True)
        self.table = QTableView()
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QTableView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        self.table.setWordWrap(False)
        filters = QHBoxLayout()
        filters.addWidget(self.status_filter)
        filters.addWidget(self.label_filter)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(4, 4, 4, 4)
        left_layout.addLayout(filters)
        left_layout.addWidget(self.search)
        left_layout.addWidget(self.table)

        self.heading = QLabel()
        self.heading.setTextFormat(Qt.TextFormat.PlainText)
        self.heading.setWordWrap(True)
        self.heading.setStyleSheet("font-size: 15px; font-weight: bold; padding: 6px 4px;")
        self.article = ArticleView()
        self.article.key_handler = self._key
        self.article.span_clicked.connect(self._span_clicked)
        middle = QWidget()
        middle_layout = QVBoxLayout(middle)
        middle_layout.setContentsMargins(4, 4, 4, 4)
        middle_layout.addWidget(self.heading)
        middle_layout.addWidget(self.article)

        self.palette_widget = LabelPalette()
        self.palette_widget.label_chosen.connect(self.apply_label)
        scroll = QScrollArea()
        scroll.setWidget(self.palette_widget)
        scroll.setWidgetResizable(True)

        splitter = QSplitter()
        for widget in (left, middle, scroll):
            splitter.addWidget(widget)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([330, 760, 210])
        self.setCentralWidget(splitter)

        self.numbers = NumberEditor()
        self.numbers.changed.connect(lambda changes: self._edit(lambda: self.store.update_span(self.current.id, **changes)))
        self.numbers.confirmed.connect(self.confirm_span)
        self.numbers.rejected.connect(self.delete_span)
        dock = QDockWidget("Number", self)
        dock.setObjectName("numbers")
        dock.setWidget(self.numbers)
        self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, dock)
        self.resizeDocks([dock], [280], Qt.Orientation.Horizontal)
        self.number_dock = dock

        self.model_label = QLabel("model: loading…")
        self.progress_label = QLabel()
        self.save_label = QLabel("✓ saved")  # nothing is ever pending: each edit is committed as made
        self.save_label.setToolTip("Every edit is committed to the project database when it is made.")
        self.message = QLabel()
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        self.progress = ProgressPanel()
        bar = self.statusBar()
        bar.addWidget(self.message, 1)
        bar.addPermanentWidget(self.progress)
        for label in (self.model_label, self.progress_label, self.save_label):
            bar.addPermanentWidget(label)

        self.status_filter.currentTextChanged.connect(self._filter)
        self.label_filter.currentTextChanged.connect(self._filter)
        self._search_timer = QTimer(self, singleShot=True, interval=250)
        self._search_timer.timeout.connect(self._filter)
        self.search.textChanged.connect(lambda _: self._search_timer.start())
        self._build_menus()

    def _action(self, menu: Any, text: str, slot: Callable[[], Any], *keys: str | QKeySequence.StandardKey) -> QAction:
        action = QAction(text, self)
        if keys:
            action.setShortcuts([QKeySequence(k) for k in keys])
        action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        action.triggered.connect(slot)
        menu.addAction(action)
        self.addAction(action)
        return action

    def _build_menus(self) -> None:
        bar = self.menuBar()
        file = bar.addMenu("&File")
        self._action(file, "&Open project…", self.open_project_dialog, QKeySequence.StandardKey.Open)
        self._action(file, "&New project…", self.new_project_dialog, QKeySequence.StandardKey.New)
        file.addSeparator()
        self._action(file, "&Import articles…", self.import_dialog, "Ctrl+I")
        self._action(file, "&Export dataset…", self.export_dialog, "Ctrl+E")
        file.addSeparator()
        self._action(file, "&Quit", self.close, QKeySequence.StandardKey.Quit)
        edit = bar.addMenu("&Edit")
        self.undo_action = self._action(edit, "&Undo", self.undo, "Ctrl+Z")
        self.redo_action = self._action(edit, "&Redo", self.redo, "Ctrl+Shift+Z", "Ctrl+Y")
        edit.addSeparator()
        self._action(edit, "&Labels…", self.labels_dialog, "Ctrl+L")
        self._action(edit, "Annotator &name…", self.annotator_dialog)
        doc = bar.addMenu("&Document")
        self._action(doc, "&Accept suggestions", self.accept_suggestions, "Ctrl+Shift+A")
        self._action(doc, "&Clear suggestions", self.clear_suggestions, "Ctrl+Shift+X")
        doc.addSeparator()
        self._action(doc, "Mark &done and go to next open", self.mark_done, "Ctrl+Return", "Ctrl+Enter")
        self._action(doc, "&Skip and go to next open", self.skip, "Ctrl+K")
        self._action(doc, "&Reopen", lambda: self._set_status("open"), "Ctrl+Shift+O")
        doc.addSeparator()
        self._action(doc, "&Next document", lambda: self.go(1), "Ctrl+PgDown")
        self._action(doc, "&Previous document", lambda: self.go(-1), "Ctrl+PgUp")
        self._action(doc, "Next &unreviewed", self.next_unreviewed, "Ctrl+U")
        doc.addSeparator()
        self._action(doc, "Detect new documents", lambda: self.detection.start(only_new=True))
        view = bar.addMenu("&View")
        self.snap_action = self._action(view, "&Snap selections to words", self._save_snap)
        self.snap_action.setCheckable(True)
        self.snap_action.setChecked(self.settings.value("snap", True, type=bool))
        view.addAction(self.number_dock.toggleViewAction())
        self._action(view, "&Review panel", self.show_review, "Ctrl+R")
        help_menu = bar.addMenu("&Help")
        self._action(help_menu, "&Keyboard shortcuts", self.show_shortcuts, "F1")

    # -- project -------------------------------------------------------------------------------

    def _open_store(self, store: Store) -> None:
        self.store = store
        self.setWindowTitle(f"annotator — {store.path.name} — {store.annotator}")
        self.model = DocumentListModel(store)
        self.table.setModel(self.model)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        for column, width in ((0, 80), (1, 86), (3, 50)):
            self.table.setColumnWidth(column, width)
        self.table.selectionModel().currentRowChanged.connect(self._row_changed)
        self._reload_labels()
        last = self.settings.value(f"last/{store.path.resolve()}", None)
        first = self.model.summary(0)
        target = int(last) if last is not None and self.model.row_of(int(last)) is not None else (first.id if first else None)
        self.doc_id = None
        if target is not None:
            self.open_document(target)
        else:
            self.heading.setText("No documents yet — File → Import articles…")
        self._update_status()

    def switch_project(self, path: Path) -> None:
        if self.workers.running:
            self.show_message("Wait for the running task to finish (or cancel it) before switching projects.")
            return
        old = self.store
        self._open_store(open_project(path, old.annotator))
        if self.review_dock is not None:
            self.review_dock.widget().store = self.store
        old.close()
        self.detection.start()

    def _reload_labels(self) -> None:
        labels = self.store.labels()
        self.palette_widget.set_labels(labels, Counter(s.label for s in self.article.spans))
        chosen = self.label_filter.currentText()
        self.label_filter.blockSignals(True)
        self.label_filter.clear()
        self.label_filter.addItems(["any label", *(l.name for l in labels)])
        self.label_filter.setCurrentText(chosen if chosen else "any label")
        self.label_filter.blockSignals(False)
        self.keys = {l.key: l for l in labels if l.key}

    # -- documents -----------------------------------------------------------------------------

    def open_document(self, doc_id: int) -> None:
        doc = self.store.document(doc_id)
        self.store.start_layer(doc_id)
        self.doc_id = doc_id
        self.current = None
        self._show_heading()
        spans = self.store.spans(doc_id)
        labels = self.store.labels()
        self.article.set_document(doc.text, spans, labels)
        self.palette_widget.set_labels(labels, Counter(s.label for s in spans))
        self.numbers.show_span(None, [])
        self._select_row()
        self.settings.setValue(f"last/{self.store.path.resolve()}", doc_id)

    def _row_changed(self, current: Any, _previous: Any) -> None:
        summary = self.model.summary(current.row())
        if summary and summary.id != self.doc_id:
            self.open_document(summary.id)

    def _filter(self) -> None:
        status = self.status_filter.currentText()
        label = self.label_filter.currentText()
        self.model.set_filter(None if status == "all" else status, None if label == "any label" else label,
                              self.search.text())
        self._select_row()

    def go(self, step_: int, status: str | None = None) -> None:
        if self.doc_id is None:
            return
        target = self.store.neighbour(self.doc_id, step_, status)
        if target is None and status:  # wrap around to the first of that status
            target = self.store.neighbour(0, 1, status)
            target = None if target == self.doc_id else target
        if target is None:
            self.show_message("No more documents" + (f" that are {status}." if status else " this way."))
            return
        self.open_document(target)

    def next_unreviewed(self) -> None:
        self.go(1, "open")

    def _set_status(self, status: str) -> None:
        if self.doc_id is not None:
            self._edit(lambda: self.store.set_status(self.doc_id, status))

    def mark_done(self) -> None:
        self._set_status("done")
        self.next_unreviewed()

    def skip(self) -> None:
        self._set_status("skipped")
        self.next_unreviewed()

    # -- editing -------------------------------------------------------------------------------

    def _edit(self, action: Callable[[], Any]) -> bool:
        """Run one store edit; on success redraw from the store, on refusal say why."""
        if self.doc_id is None:
            return False
        try:
            result = action()
        except (SpanError, ValueError, KeyError) as err:
            self.show_message(str(err.args[0] if isinstance(err, KeyError) else err), error=True)
            return False
        if isinstance(result, Span):
            self.current = result
        self.refresh()
        self.save_label.setText(f"✓ saved {datetime.now():%H:%M:%S}")
        self.message.clear()
        return True

    def refresh(self) -> None:
        """Redraw the current document's spans and the figures around them."""
        if self.doc_id is None:
            return
        spans = self.store.spans(self.doc_id)
        labels = self.store.labels()
        self.current = next((s for s in spans if self.current and s.id == self.current.id), None)
        self.article.set_spans(spans, labels, self.current)
        self._show_heading()
        self.palette_widget.set_labels(labels, Counter(s.label for s in spans))
        self._show_number_editor()
        self.model.refresh()
        self._select_row()
        self._update_status()

    def _show_heading(self) -> None:
        doc = self.store.document(self.doc_id)
        self.heading.setText(" · ".join(p for p in (doc.title, doc.date or "", doc.status) if p))

    def _select_row(self) -> None:
        """Show the current document's row in the list (selecting it opens nothing new)."""
        row = self.model.row_of(self.doc_id) if self.doc_id is not None else None
        if row is not None and self.table.currentIndex().row() != row:
            self.table.selectRow(row)

    def apply_label(self, name: str, exact: bool = False) -> None:
        """Label the selected text, or relabel the selected span."""
        label = self.store.label(name)
        if label is None or self.doc_id is None:
            return
        selected = self.article.selected_range()
        if selected:
            start, end = selected if exact or not self.snap_action.isChecked() else snap(self.article.text, *selected)
            if start >= end:
                self.show_message("Select some text first.", error=True)
                return
            span = Span.of(self.article.text, start, end, label.name, layer=label.layer,
                           kind="cardinal" if label.layer == NUMBERS else None)
            if self._edit(lambda: self.store.add_span(self.doc_id, span)):
                self.article.clear_selection()
        elif self.current is not None:
            if label.layer != self.current.layer:
                self.show_message(f"{label.name} is a label of the {label.layer} layer; "
                                  f"the selected span is in the {self.current.layer} layer.", error=True)
                return
            self._edit(lambda: self.store.update_span(self.current.id, label=label.name))
        else:
            self.show_message("Select text (or click a span) before choosing a label.", error=True)

    def delete_span(self) -> None:
        if self.current is not None:
            span = self.current
            self.current = None
            self._edit(lambda: self.store.delete_span(span.id))

    def confirm_span(self) -> None:
        if self.current is not None:
            self._edit(lambda: self.store.update_span(self.current.id, confirmed=True))

    def resize_span(self, edge: str, forward: bool) -> None:
        if self.current is None:
            return
        span = self.current
        start, end = move_edge(self.article.text, span.start, span.end, edge, forward)
        if (start, end) != (span.start, span.end):
            self._edit(lambda: self.store.update_span(span.id, start=start, end=end))

    def accept_suggestions(self) -> None:
        if self.doc_id is not None:
            self._edit(lambda: self.store.accept_suggestions(self.doc_id))

    def clear_suggestions(self) -> None:
        if self.doc_id is not None:
            self._edit(lambda: self.store.clear_suggestions(self.doc_id))

    def undo(self) -> None:
        self._replay(self.store.undo, "Nothing to undo.", "Undid")

    def redo(self) -> None:
        self._replay(self.store.redo, "Nothing to redo.", "Redid")

    def _replay(self, action: Callable[[], Any], nothing: str, verb: str) -> None:
        edit = action()
        if edit is None:
            self.show_message(nothing)
            return
        if edit.doc_id != self.doc_id:
            self.open_document(edit.doc_id)
        self.refresh()
        self.show_message(f"{verb}: {edit.action}")

    def _span_clicked(self, span: Span | None) -> None:
        self.current = span
        self.article.set_spans(self.article.spans, None, span)
        self._show_number_editor()
        if span is not None:
            self.show_message(f"Selected {span.label} “{span.text}” — a label key relabels it, Delete removes it, "
                              "Alt+arrows resize it, Enter confirms it.")

    def _show_number_editor(self) -> None:
        number = self.current if self.current is not None and self.current.layer == NUMBERS else None
        self.numbers.show_span(number, self.store.labels(NUMBERS))

    def _key(self, event: QKeyEvent) -> bool:
        """Keys typed in the article: label keys, Delete, Enter, Escape, Alt+arrows, '?'."""
        mods = event.modifiers()
        alt = bool(mods & Qt.KeyboardModifier.AltModifier)
        shift = bool(mods & Qt.KeyboardModifier.ShiftModifier)
        if mods & (Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.MetaModifier):
            return False
        key = event.key()
        if alt and (key, shift) in NAV_KEYS:
            self.resize_span(*NAV_KEYS[(key, shift)])
            return True
        if key in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace) and self.current is not None:
            self.delete_span()
            return True
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.current is not None:
            self.confirm_span()
            return True
        if key == Qt.Key.Key_Escape:
            self.current = None
            self.article.clear_selection()
            self.article.set_spans(self.article.spans, None, None)
            self._show_number_editor()
            return True
        text = event.text().lower()
        if text == "?":
            self.show_shortcuts()
            return True
        if text and text in self.keys:
            self.apply_label(self.keys[text].name, exact=alt)
            return True
        return False

    # -- dialogs -------------------------------------------------------------------------------

    def labels_dialog(self) -> None:
        LabelDialog(self.store, self).exec()
        self._reload_labels()
        self.refresh()

    def annotator_dialog(self) -> None:
        name, ok = QInputDialog.getText(self, "Annotator", "Your name on the annotations:", text=self.store.annotator)
        if ok and name.strip():
            self.store.annotator = name.strip()
            self.settings.setValue("annotator", self.store.annotator)
            self.setWindowTitle(f"annotator — {self.store.path.name} — {self.store.annotator}")
            if self.doc_id is not None:
                self.open_document(self.doc_id)
            self.refresh()

    def show_review(self) -> None:
        """The Review dock: made on first use, refreshed in a worker each time it is shown."""
        if self.review_dock is None:
            from annotator.qt.review_panel import ReviewPanel

            panel = ReviewPanel(self.store, lambda work, done: self.workers.start(
                lambda progress, cancelled: work(), done, lambda m: self.show_message(f"Review failed: {m}", error=True),
                self.progress, "Reviewing"))
            panel.open_location.connect(self.open_location)
            self.review_dock = QDockWidget("Review", self)
            self.review_dock.setObjectName("review")
            self.review_dock.setWidget(panel)
            self.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, self.review_dock)
        self.review_dock.show()
        self.review_dock.widget().refresh()

    def open_location(self, doc_id: int, start: int, end: int) -> None:
        """Show a place of a document: the human's spans drawn, the model's version in the message."""
        self.open_document(doc_id)
        self.article.select_range(start, end)
        model = [s for s in self.store.predictions(doc_id) if s.start < end and start < s.end]
        human = [s for s in self.article.spans if s.start < end and start < s.end]
        show = lambda spans: ", ".join(f"“{s.text}” {s.label}" for s in spans) or "nothing"  # noqa: E731
        self.show_message(f"Model: {show(model)}   —   yours: {show(human)}")

    def show_shortcuts(self) -> None:
        ShortcutsDialog(self.actions(), self.store.labels(), self).exec()

    def open_project_dialog(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Open project", str(self.store.path.parent), "Projects (*.db)")
        if path:
            self.switch_project(Path(path))

    def new_project_dialog(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "New project", str(self.store.path.parent / "new.db"), "Projects (*.db)")
        if path:
            self.switch_project(Path(path))

    def import_dialog(self) -> None:
        paths, _ = QFileDialog.getOpenFileNames(self, "Import articles", "", "Articles (*.txt *.jsonl *.csv);;All files (*)")
        if paths:
            self.import_files([Path(p) for p in paths])

    def import_files(self, paths: list[Path]) -> None:
        """Import in a worker (its own connection); then detect the new documents."""
        db, annotator = self.store.path, self.store.annotator

        def work(progress: Callable[[int, int], None], cancelled: Callable[[], bool]) -> Any:
            with Store(db, annotator) as store:
                return import_paths(store, paths, progress=lambda n: progress(n, 0))

        def finished(result: Any) -> None:
            self.model.refresh()
            self.show_message(f"Imported {len(result.added)} document(s)"
                              + (f"; {len(result.duplicates)} already in the project." if result.duplicates else "."))
            if self.doc_id is None and result.added:
                self.open_document(result.added[0])
            self.detection.start(only_new=True)

        self.workers.start(work, finished, lambda m: self.show_message(f"Import failed, nothing imported: {m}", error=True),
                           self.progress, "Importing")

    def export_dialog(self) -> None:
        from annotator.qt.export_dialog import ExportDialog

        ExportDialog(self).exec()

    # -- status --------------------------------------------------------------------------------

    def show_message(self, text: str, error: bool = False) -> None:
        self.message.setStyleSheet("color: #b91c1c; font-weight: bold;" if error else "")
        self.message.setText(text)

    def _update_status(self) -> None:
        stats = self.store.stats()["status"]
        total = sum(stats.values())
        self.progress_label.setText(f"{stats['done']} of {total} done")
        self.undo_action.setEnabled(self.store.can_undo())
        self.redo_action.setEnabled(self.store.can_redo())

    def _save_snap(self) -> None:
        self.settings.setValue("snap", self.snap_action.isChecked())

    def closeEvent(self, event: QCloseEvent) -> None:
        for worker in list(self.workers.running):
            worker.cancel()
        self.workers.wait(30000)
        self.settings.setValue("geometry", self.saveGeometry())
        self.settings.sync()
        super().closeEvent(event)
