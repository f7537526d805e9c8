"""The annotation window: it puts the parts together and routes keys and menu commands.

Left, the document list and under it the open document's links; in the middle and widest, the
heading, the document's labels, the label bar, the article (its links drawn over it) and (only while
a number or date is selected) its editor. Each part subscribes to the session
(:mod:`annotator.session`), which makes every edit one committed store transaction and then
says what changed, so what is on screen is what is saved and an edit redraws only what changed.
The Review opens in a window of its own.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QByteArray, QSettings, Qt, QTimer
from PySide6.QtGui import QAction, QCloseEvent, QKeyEvent
from PySide6.QtWidgets import QFileDialog, QInputDialog, QLabel, QMainWindow, QSplitter, QVBoxLayout, QWidget

from annotator.domain import Document, Span
from annotator.importing import import_paths
from annotator.project import open_project
from annotator.qt.arcs import Arcs
from annotator.qt.article_view import ArticleView
from annotator.qt.category_bar import CategoryBar
from annotator.qt.detection import DetectionRunner
from annotator.qt.document_panel import DocumentPanel
from annotator.qt.export_dialog import ExportDialog
from annotator.qt.label_bar import LabelBar
from annotator.qt.label_dialog import LabelDialog
from annotator.qt.last_document import LastDocument
from annotator.qt.learning import LearningActions
from annotator.qt.link_mode import LinkMode
from annotator.qt.menus import build_menus
from annotator.qt.number_editor import NumberEditor
from annotator.qt.queue_order import QueueOrder
from annotator.qt.relations_panel import RelationsPanel
from annotator.qt.retraining import BackgroundRetraining
from annotator.qt.shortcuts import ShortcutsDialog, article_key
from annotator.qt.shown_labels import save_shown_labels, shown_labels
from annotator.qt.status_line import StatusLine
from annotator.qt.training import ModelMenu
from annotator.qt.workers import Workers
from annotator.session import Session, SpanChange, counted
from annotator.session_links import Links
from annotator.storage import Store
from annotator.tokens import crosses_line_end, snap

LIST_WIDTH = 320  # the document list; the article takes the rest
LINKS_HEIGHT = 240  # the links panel, under the document list
RETRY_MS = 100  # how often edits waiting for another program's write lock try it again


class MainWindow(QMainWindow):
    # The actions the menus make (annotator.qt.menus) and the window turns on and off.
    write_actions: list[QAction]
    undo_action: QAction
    redo_action: QAction
    snap_action: QAction
    review_action: QAction

    def __init__(self, store: Store, settings: QSettings | None = None, detect_on_open: bool = True) -> None:
        super().__init__()
        self.settings = settings or QSettings()
        self.last_document = LastDocument(self.settings)
        self.workers = Workers(self)
        self.session = Session(store)
        self.review: Any = None  # the Review window, made on first use
        self._build()
        self.detection = DetectionRunner(self.status, lambda: self.store, self._detected)
        self.model_menu = ModelMenu(self, self.status, lambda: self.store, self.detection)
        self.learning = LearningActions(self, self.model_menu.menu, self.status, lambda: self.store)
        self.retraining = BackgroundRetraining(self, self.model_menu, self.session, self.status, lambda: self.store)
        self.queue = QueueOrder(self, self.model_menu.menu, self.status, lambda: self.store)
        self._open_store(store)
        geometry = self.settings.value("geometry")
        if isinstance(geometry, QByteArray):
            self.restoreGeometry(geometry)
        else:
            self.resize(1280, 800)
        if detect_on_open and not store.read_only:
            self.detection.start()
        # The Review's module brings matplotlib (seconds to import): imported in the background
        # now, so that Ctrl+R does not hold the window while it loads. Not a task of the person's:
        # switching projects or training need not wait for it.
        self.preloads = Workers(self)
        self.preloads.start(lambda progress, cancelled: importlib.import_module("annotator.qt.review_panel"))

    # -- parts -----------------------------------------------------------------------------------

    def _build(self) -> None:
        session = self.session
        self.links = Links(session)  # first: it reads a document's labels and links before the views draw them
        self.documents = DocumentPanel()
        self.documents.document_chosen.connect(self.open_document)
        self.heading = QLabel()
        self.heading.setTextFormat(Qt.TextFormat.PlainText)
        self.heading.setWordWrap(True)
        self.heading.setStyleSheet("font-size: 15px; font-weight: bold; padding: 4px 4px 2px 4px;")
        self.category_bar = CategoryBar(self.links)
        self.category_bar.toggled.connect(self.links.toggle)
        self.label_bar = LabelBar(session)
        self.label_bar.label_chosen.connect(self.apply_label)
        self.article = ArticleView(session)
        self.article.key_handler = self._key
        self.article.span_clicked.connect(self._span_clicked)
        self.article.tab_handler = self._tab
        self.link_mode = LinkMode(self.links, lambda: self.arcs.mode_changed(), self.show_message)
        self.arcs = Arcs(self.article, self.links, self.link_mode)
        self.relations = RelationsPanel(self.links)
        self.relations.label_chosen.connect(self._relation_label_chosen)
        self.relations.picked.connect(self._relation_picked)
        self.arcs.on_pick = self._link_clicked
        self.numbers = NumberEditor(session)
        middle = QWidget()
        column = QVBoxLayout(middle)
        column.setContentsMargins(4, 4, 4, 4)
        column.setSpacing(4)
        column.addWidget(self.heading)
        column.addWidget(self.category_bar)
        column.addWidget(self.label_bar)
        column.addWidget(self.article, 1)
        column.addWidget(self.numbers)
        left = QSplitter(Qt.Orientation.Vertical)  # the documents, and under them the open one's links
        left.addWidget(self.documents)
        left.addWidget(self.relations)
        left.setStretchFactor(0, 3)
        left.setStretchFactor(1, 1)
        left.setSizes([560, LINKS_HEIGHT])
        self.splitter = QSplitter()
        self.splitter.addWidget(left)
        self.splitter.addWidget(middle)
        self.splitter.setStretchFactor(0, 1)  # a wider window widens the titles a little, the article most
        self.splitter.setStretchFactor(1, 3)
        self.splitter.setCollapsible(1, False)
        self.splitter.setSizes([LIST_WIDTH, 960])
        self.setCentralWidget(self.splitter)
        self.status = StatusLine(self.statusBar(), self.workers)
        self.actions_ = build_menus(self)
        session.events.opened.connect(self._opened)
        session.events.spans.connect(self._spans_changed)
        session.events.status.connect(self._status_changed)
        session.events.labels.connect(self._labels_changed)
        session.events.done.connect(self._done)
        session.events.marked.connect(self._marked)
        session.events.listed.connect(self._relisted)
        session.events.failed.connect(lambda message: self.show_message(message, error=True))
        session.events.opened.connect(lambda _: self.link_mode.cancel())
        self.links.events.categories.connect(lambda _: self.documents.update_row(self.doc_id) if self.doc_id else None)
        self.links.events.scheme.connect(lambda scheme: self.documents.set_categories([c.name for c in scheme.labels]))
        session.events.unsaved.connect(self._unsaved)
        session.events.waiting.connect(self._waiting)
        self.closing = False  # asked to close while edits wait: closes once they are stored
        self.retry_timer = QTimer(self)
        self.retry_timer.setInterval(RETRY_MS)
        self.retry_timer.timeout.connect(session.retry)

    # The names the tests and tools use.
    store = property(lambda self: self.session.store)
    doc_id = property(lambda self: self.session.doc_id)
    current = property(lambda self: self.session.current)
    model = property(lambda self: self.documents.model)
    table = property(lambda self: self.documents.table)
    search = property(lambda self: self.documents.search)
    status_filter = property(lambda self: self.documents.status_filter)
    message = property(lambda self: self.status.message)
    save_label = property(lambda self: self.status.save_label)
    progress_label = property(lambda self: self.status.progress_label)
    model_label = property(lambda self: self.status.model_label)
    progress = property(lambda self: self.status.progress)

    def show_message(self, text: str, error: bool = False) -> None:
        self.status.show_message(text, error)

    # -- project -------------------------------------------------------------------------------

    def _open_store(self, store: Store) -> None:
        self.session.switch(store)
        self.setWindowTitle(f"annotator — {store.path.name} — {store.annotator}" + (" — read-only" if store.read_only else ""))
        for action in self.write_actions:
            action.setEnabled(not store.read_only)
        self.label_bar.setEnabled(not store.read_only)
        self.category_bar.setEnabled(not store.read_only)
        self.relations.chip_row.setEnabled(not store.read_only)
        self.documents.set_store(store)
        self.documents.set_categories([c.name for c in self.links.scheme.labels])
        self.labels_unkept = False  # shown labels not yet kept in the project (it was locked)
        self.label_bar.set_used(shown_labels(store, self.settings))
        last = self.last_document.get(store)
        first = self.model.summary(0)
        target = last if last is not None and self.model.row_of(last) is not None else (first.id if first else None)
        if target is not None:
            self.open_document(target)
        else:
            self.heading.setText("No documents yet — File → Import articles…")
        self._update_progress()
        self.status.project_opened(f"{store.path} is read-only: you can read, review and export it; editing is off."
                                   if store.read_only else None)
        self.model_menu.restore()
        self.learning.restore()
        self.retraining.restore()
        self.queue.restore()

    def switch_project(self, path: Path) -> None:
        if self.workers.running:
            self.show_message("Wait for the running task to finish (or cancel it) before switching projects.")
            return
        if self.session.waiting:
            self.show_message("Edits wait to be saved in this project (another program is writing to it): "
                              "switch once they are saved.", error=True)
            return
        old = self.store
        self.last_document.keep(old)
        self._open_store(open_project(path, old.annotator))
        if self.review is not None:
            self.review.panel.store = self.store
        old.close()
        if not self.store.read_only:
            self.detection.start()

    def _relisted(self, _: object) -> None:
        self.documents.reread()
        self._update_progress()

    def _labels_changed(self, labels: list[Any]) -> None:
        self.documents.set_labels(labels)
        self.keys = {label.key: label for label in labels if label.key}

    # -- documents -----------------------------------------------------------------------------

    def open_document(self, doc_id: int) -> None:
        self.session.open(doc_id)

    def _opened(self, doc: Document) -> None:
        self._show_heading(doc)
        self.documents.update_row(doc.id)  # an undo may have changed it while another was open
        self.documents.show_document(doc.id)
        self._remember_labels()
        self.last_document.opened(self.store, doc.id)

    def _show_heading(self, doc: Document) -> None:
        self.heading.setText(" · ".join(p for p in (doc.title, doc.date or "", doc.status) if p))

    def _spans_changed(self, change: SpanChange) -> None:
        self.documents.update_row(self.doc_id)
        self._remember_labels()

    def _remember_labels(self) -> None:
        """Labels met in the project's articles stay on the label bar from then on."""
        names = {s.label for s in self.session.spans.values()}
        if not names <= self.label_bar.used or self.labels_unkept:
            self.label_bar.use(names)
            # Kept in the project; while another program holds its lock, at the next chance.
            self.labels_unkept = not save_shown_labels(self.store, self.label_bar.used) and not self.store.read_only

    def _status_changed(self, doc: Document) -> None:
        self._show_heading(doc)
        self.documents.update_row(doc.id)
        self._update_progress()

    def _done(self, message: str) -> None:
        self.status.saved()
        self.show_message(message)
        self._update_undo()

    def _waiting(self, count: int) -> None:
        """Edits wait for another program's write lock: the window goes on; a timer tries again."""
        self.status.waiting(count, self.store.path.name)
        if count:
            self.retry_timer.start()
            return
        self.retry_timer.stop()
        if self.closing:
            self.close()

    def _unsaved(self, why: str) -> None:
        self.closing = False  # the person is told, and stays to read it
        self.status.not_saved(why)

    def _detected(self, count: int) -> None:
        if self.doc_id is not None:
            self.open_document(self.doc_id)
        self.documents.refresh()

    def go(self, step: int, status: str | None = None) -> None:
        if self.doc_id is None:
            return
        target = self.store.neighbour(self.doc_id, step, status)
        if target is None and status:  # wrap around to the first of that status
            target = self.store.neighbour(0, 1, status)
            target = None if target == self.doc_id else target
        if target is None:
            self.show_message("No more documents" + (f" that are {status}." if status else " this way."))
            return
        self.open_document(target)

    def next_unreviewed(self) -> None:
        target = self.queue.next(self.doc_id)  # where the models disagree most, if the project says so
        if target is None:
            self.go(1, "open")
        else:
            self.open_document(target)

    def mark_done(self) -> None:
        if self.session.set_status("done"):
            self.next_unreviewed()

    def skip(self) -> None:
        if self.session.set_status("skipped"):
            self.next_unreviewed()

    def mark_selected(self, status: str) -> None:
        """Document → Mark selected: every document selected in the list gets the status, in a
        worker (a million of them take seconds), as one transaction and one undoable edit."""
        chosen = self.documents.selection()
        if not len(chosen):
            self.show_message("Select documents in the list first (Shift/Ctrl+click, Shift+arrows).", error=True)
            return
        self.status.run(f"Marking {counted(len(chosen), 'document')} {status}", self.session.mark_work(chosen, status),
                        self.session.marked, "Not marked")

    def _marked(self, doc_ids: list[int]) -> None:
        for doc_id in doc_ids:
            self.documents.update_row(doc_id)
        self._update_progress()

    # -- editing -------------------------------------------------------------------------------

    def apply_label(self, name: str, exact: bool = False) -> None:
        """Label the selected text, or relabel the selected span."""
        selected = self.article.selected_range()
        if self.doc_id is None:
            return
        if selected:
            snapping = not exact and self.snap_action.isChecked()
            start, end = snap(self.article.text, *selected) if snapping else selected
            if start >= end:
                self.show_message("Select some text first.", error=True)
            elif snapping and crosses_line_end(self.article.text, start, end):
                self.show_message("The selection runs over a line end: select within one line "
                                  "(or hold Alt with the key to label exactly what is selected).", error=True)
            elif self.session.add(start, end, name):
                self.article.clear_selection()
        elif self.session.selected is not None:
            self.session.relabel(name)
        else:
            self.show_message("Select text (or click a span) before choosing a label.", error=True)

    def _span_clicked(self, span: Any) -> None:
        if self.link_mode.active:  # the click chooses the other end of the link
            self.article.clear_selection()
            self.link_mode.point_at(span)
            return
        self.session.select(span)
        if span is not None:
            self.show_message(f"Selected {span.label} “{span.text}” — a label key relabels it, Delete removes it, "
                              "Alt+arrows resize it, Enter confirms it.")

    def _key(self, event: QKeyEvent) -> bool:
        """Keys typed in the article: label keys, Delete, Enter, Escape, Alt+arrows, '?'."""
        if self.link_mode.active:
            return self.link_mode.key(event)
        category = self._category_key(event)
        if category is not None:
            self.links.toggle(category)
            return True
        action = article_key(event)
        if action is None:
            text = event.text().lower()
            if text and text in self.keys and not event.modifiers() & Qt.KeyboardModifier.ControlModifier:
                self.apply_label(self.keys[text].name, exact=bool(event.modifiers() & Qt.KeyboardModifier.AltModifier))
                return True
            return False
        name = action[0]
        if name == "resize":
            _, edge, forward = action
            self.session.resize(str(edge), bool(forward))
        elif name == "delete" and self.session.selected is not None:
            self.session.delete()
        elif name == "confirm" and self.session.selected is not None:
            self.session.confirm()
        elif name == "deselect":
            self.article.clear_selection()
            self.session.select(None)
        elif name == "help":
            self.show_shortcuts()
        else:
            return False
        return True

    def _category_key(self, event: QKeyEvent) -> str | None:
        """The document label Shift + its key toggles (letters and digits only: Shift+arrows still select)."""
        mods = event.modifiers()
        if mods & ~(Qt.KeyboardModifier.ShiftModifier | Qt.KeyboardModifier.KeypadModifier) or not mods:
            return None
        key = event.key()
        if not (Qt.Key.Key_0 <= key <= Qt.Key.Key_9 or Qt.Key.Key_A <= key <= Qt.Key.Key_Z):
            return None
        return self.category_bar.key_of(chr(key).lower())

    def _tab(self, forward: bool) -> bool:
        """Tab in the article: with a span selected, link from it (Tab again moves to the next span)."""
        if self.link_mode.active:
            self.link_mode.step(1 if forward else -1)
            return True
        if self.store.read_only:
            return False
        if self.session.selected is None:
            return forward and self._select_next_span()
        return self.link_mode.start()

    def _select_next_span(self) -> bool:
        """Tab with no span selected: the first span from the text cursor on is selected (the keyboard's click)."""
        at = self.article.offsets.from_qt(self.article.textCursor().position())
        spans = sorted(self.session.spans.values(), key=lambda s: (s.start, s.end))
        span = next((s for s in spans if s.start >= at), spans[0] if spans else None)
        if span is None:
            return False
        cursor = self.article.textCursor()
        cursor.setPosition(self.article.offsets.to_qt(span.end))  # Escape, Tab: the next one
        self.article.setTextCursor(cursor)
        self._span_clicked(span)
        return True

    def _link_clicked(self, relation_id: int) -> None:
        """A click on a link's name: picked in the links list, where Delete and Enter act on it."""
        self.relations.pick(relation_id)
        self.relations.list.setFocus()

    def _relation_picked(self, relation_id: int | None) -> None:
        """A link picked in the list: drawn thicker, and its head scrolled into view."""
        self.arcs.select(relation_id)
        relation = self.links.relations.get(relation_id) if relation_id is not None else None
        head = self.session.spans.get(relation.head) if relation is not None else None
        if head is not None:
            cursor = self.article.textCursor()
            cursor.setPosition(self.article.offsets.to_qt(head.start))
            self.article.setTextCursor(cursor)  # which scrolls it into view

    def _relation_label_chosen(self, name: str) -> None:
        """A relation label's chip: links while linking, else relabels the link picked in the panel."""
        if self.link_mode.active:
            self.link_mode.finish(name)
        elif self.relations.current() is not None:
            self.links.relabel(self.relations.current(), name)  # type: ignore[arg-type]  # checked just above
        else:
            self.show_message("Select a span and press Tab to link it, or pick a link in the list to relabel it.", error=True)

    def undo(self) -> None:
        self._replay("undo")

    def redo(self) -> None:
        self._replay("redo")

    def _replay(self, verb: str) -> None:
        """Undo or redo: an everyday edit at once; many documents marked at once in a worker."""
        work = self.session.replay_work(verb) if not self.store.read_only else None
        if work is None:
            if verb == "undo":
                self.session.undo()
            else:
                self.session.redo()
            self._update_undo()
            return
        self.status.run(verb.capitalize(), work, lambda edit: self.session.replayed(edit, verb),
                        "Not undone" if verb == "undo" else "Not redone")

    # -- dialogs -------------------------------------------------------------------------------

    def labels_dialog(self) -> None:
        LabelDialog(self.store, self).exec()
        self.session.reload_labels()

    def annotator_dialog(self) -> None:
        name, ok = QInputDialog.getText(self, "Annotator", "Your name on the annotations:", text=self.store.annotator)
        if ok and name.strip():
            self.store.annotator = name.strip()
            self.settings.setValue("annotator", self.store.annotator)
            self.setWindowTitle(f"annotator — {self.store.path.name} — {self.store.annotator}")
            if self.doc_id is not None:
                self.open_document(self.doc_id)
            self._update_undo()

    def toggle_review(self, show: bool) -> None:
        """The Review window: made on first use, refreshed in a worker each time it is shown."""
        if self.review is None:
            from annotator.qt.review_panel import ReviewPanel, ReviewWindow

            def run(work: Any, done: Callable[[Any], None]) -> None:
                self.status.run("Reviewing", work, done, "Review failed")

            panel = ReviewPanel(self.store, run)
            panel.open_location.connect(self.open_location)
            self.review = ReviewWindow(panel, self)
            self.review.addActions(self.actions())  # its keys work there too: Ctrl+R closes it
            self.review.closed.connect(lambda: self.review_action.setChecked(False))
        if show:
            self.review.show()
            self.review.panel.refresh()
        else:
            self.review.hide()

    def open_location(self, doc_id: int, start: int, end: int) -> None:
        """Show a place of a document: the human's spans drawn, the model's version in the message."""
        self.open_document(doc_id)
        self.article.select_range(start, end)
        model = [s for s in self.store.predictions(doc_id) if s.start < end and start < s.end]
        human = [s for s in self.article.spans if s.start < end and start < s.end]

        def show(spans: list[Span]) -> str:
            return ", ".join(f"“{s.text}” {s.label}" for s in spans) or "nothing"

        self.show_message(f"Model: {show(model)}   —   yours: {show(human)}")

    def show_shortcuts(self) -> None:
        ShortcutsDialog(self.actions(), self.store.labels(), self, self.links.scheme.labels, self.links.relation_labels).exec()

    def focus_links(self) -> None:
        """F6: the links list, to pick a link (Delete removes it, Enter confirms a suggested one)."""
        self.relations.list.setFocus()
        if self.relations.list.currentItem() is None and self.relations.list.count():
            self.relations.list.setCurrentRow(0)

    def open_project_dialog(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Open project", str(self.store.path.parent), "Projects (*.db)")
        if path:
            self.switch_project(Path(path))

    def new_project_dialog(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "New project", str(self.store.path.parent / "new.db"), "Projects (*.db)")
        if path:
            self.switch_project(Path(path))

    def import_dialog(self) -> None:
        from annotator.qt.import_dialog import choose_files

        paths = choose_files(self)
        if paths:
            self.import_files(paths)

    def import_files(self, paths: list[Path]) -> None:
        """Import in a worker (its own connection); then detect the new documents."""
        db, annotator = self.store.path, self.store.annotator

        def work(progress: Callable[[int, int], None], cancelled: Callable[[], bool]) -> Any:
            with Store(db, annotator) as store:
                return import_paths(store, paths, progress=lambda n: progress(n, 0))

        def finished(result: Any) -> None:
            self.documents.refresh()
            self._update_progress()
            self.show_message(f"Imported {counted(len(result.added), 'document')}"
                              + (f"; {len(result.duplicates)} already in the project." if result.duplicates else "."))
            if self.doc_id is None and result.added:
                self.open_document(result.added[0])
            self.detection.start(only_new=True)

        self.status.run("Importing", work, finished, "Import failed, nothing imported")

    def export_dialog(self) -> None:
        ExportDialog(self.store, self.status, self.settings, self).exec()

    # -- status --------------------------------------------------------------------------------

    def _update_progress(self) -> None:
        counts = self.store.counts()  # kept by the store: no scan of the project's spans
        self.status.progress_label.setText(f"{counts['status']['done']} of {counts['documents']} done")
        self._update_undo()

    def _update_undo(self) -> None:
        self.undo_action.setEnabled(not self.store.read_only and self.store.can_undo())
        self.redo_action.setEnabled(not self.store.read_only and self.store.can_redo())

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.session.waiting and not self.closing:  # close once they are stored
            self.closing = True
            event.ignore()
            waiting = len(self.session.waiting)
            verb = "is" if waiting == 1 else "are"
            self.show_message(f"Closing once your {counted(waiting, 'waiting edit')} {verb} saved (another "
                              f"program is writing to {self.store.path.name}); close again to leave without them.",
                              error=True)
            return
        for worker in list(self.workers.running):
            worker.cancel()
        self.documents.cancel()
        self.workers.wait(30000)
        if self.review is not None:
            self.review.close()
        self.last_document.keep(self.store)
        self.settings.setValue("geometry", self.saveGeometry())
        self.settings.sync()
        super().closeEvent(event)
