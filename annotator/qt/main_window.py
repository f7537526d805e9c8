"""The annotation window: it makes the parts, lays them out (:mod:`annotator.qt.window_layout`),
and keeps them on the open project.

Each part subscribes to the session (:mod:`annotator.session`), which makes every edit one
committed store transaction and then says what changed, so what is on screen is what is saved
and an edit redraws only what changed. Its commands, keys and menus are one table
(:mod:`annotator.qt.commands`); editing spans, linking, moving between documents, the Review and
edits waiting for a write lock are parts of their own.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QByteArray, QSettings
from PySide6.QtGui import QCloseEvent, QKeyEvent
from PySide6.QtWidgets import QFileDialog, QInputDialog, QMainWindow

from annotator.domain import Document
from annotator.importing import import_paths
from annotator.project import open_project
from annotator.qt.arcs import Arcs
from annotator.qt.article_view import ArticleView
from annotator.qt.category_bar import CategoryBar
from annotator.qt.commands import article_command
from annotator.qt.detection import DetectionRunner
from annotator.qt.document_panel import DocumentPanel
from annotator.qt.editing import Editing
from annotator.qt.export_dialog import ExportDialog
from annotator.qt.import_dialog import choose_files
from annotator.qt.label_bar import LabelBar
from annotator.qt.label_dialog import LabelDialog
from annotator.qt.last_document import LastDocument
from annotator.qt.learning import LearningActions
from annotator.qt.link_mode import LinkMode
from annotator.qt.linking import Linking
from annotator.qt.menus import Menus
from annotator.qt.navigation import Navigation
from annotator.qt.number_editor import NumberEditor
from annotator.qt.relations_panel import RelationsPanel
from annotator.qt.review_opener import ReviewOpener
from annotator.qt.shortcuts import ShortcutsDialog
from annotator.qt.shown_labels import save_shown_labels, shown_labels
from annotator.qt.status_line import StatusLine
from annotator.qt.training import ModelMenu
from annotator.qt.window_layout import heading, lay_out
from annotator.qt.workers import Workers
from annotator.qt.write_wait import WriteWait
from annotator.session import Session, counted
from annotator.session_links import Links
from annotator.storage import Store


class MainWindow(QMainWindow):
    def __init__(self, store: Store, settings: QSettings | None = None, detect_on_open: bool = True) -> None:
        super().__init__()
        self.settings = settings or QSettings()
        self.last_document = LastDocument(self.settings)
        self.workers = Workers(self)
        self.session = session = Session(store)
        self.links = Links(session)  # first: it reads a document's labels and links before the views draw them
        self.documents = DocumentPanel()
        self.heading = heading()
        self.category_bar = CategoryBar(self.links)
        self.label_bar = LabelBar(session)
        self.article = ArticleView(session)
        self.link_mode = LinkMode(self.links, lambda: self.arcs.mode_changed(), self.show_message)
        self.arcs = Arcs(self.article, self.links, self.link_mode)
        self.relations = RelationsPanel(self.links)
        self.numbers = NumberEditor(session)
        self.setCentralWidget(lay_out((self.documents, self.relations),
                                      [self.heading, self.category_bar, self.label_bar, self.article, self.numbers],
                                      stretching=self.article))
        self.status = StatusLine(self.statusBar(), self.workers)
        self.menus = Menus(self, self)
        self.menus.actions["snap"].setChecked(bool(self.settings.value("snap", True, type=bool)))
        self.editing = Editing(session, self.article, self.links, self.link_mode, self.category_bar, self.status,
                               lambda: self.menus.checked("snap"))
        self.linking = Linking(session, self.links, self.article, self.arcs, self.link_mode, self.relations, self.status)
        self.navigation = Navigation(session, self.documents, self.status)
        self.review = ReviewOpener(self, session, self.article, self.status,
                                   lambda: self.menus.actions["review"].setChecked(False))
        self.write_wait = WriteWait(self, session, self.status, self.close)
        self._connect()
        self.detection = DetectionRunner(self.status, lambda: self.store, self._detected)
        self.model_menu = ModelMenu(self, self.status, lambda: self.store, self.detection)
        self.learning = LearningActions(self, self.model_menu.menu, self.status, lambda: self.store)
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

    def _connect(self) -> None:
        session, documents = self.session, self.documents
        documents.document_chosen.connect(session.open)
        self.category_bar.toggled.connect(self.links.toggle)
        self.label_bar.label_chosen.connect(self.editing.apply_label)
        self.article.key_handler = self._key
        session.events.opened.connect(self._opened)
        session.events.spans.connect(self._spans_changed)
        session.events.status.connect(self._status_changed)
        session.events.labels.connect(documents.set_labels)
        session.events.done.connect(self._done)
        session.events.marked.connect(self._marked)
        session.events.listed.connect(self._relisted)
        session.events.failed.connect(lambda message: self.show_message(message, error=True))
        self.links.events.categories.connect(lambda _: documents.update_row(session.doc_id) if session.doc_id else None)
        self.links.events.scheme.connect(lambda scheme: documents.set_categories([c.name for c in scheme.labels]))

    @property
    def store(self) -> Store:
        """The project open in the window (switching projects changes it)."""
        return self.session.store

    def show_message(self, text: str, error: bool = False) -> None:
        self.status.show_message(text, error)

    def _key(self, event: QKeyEvent) -> bool:
        """A key typed in the article: the link being made's or a document label's, a command of the table, a label's key."""
        if self.editing.linking_key(event):
            return True
        command = article_command(event)
        if command is not None and command.handler is not None:
            command.handler(self)
            return True
        return self.editing.label_key(event)

    # -- project -------------------------------------------------------------------------------

    def _open_store(self, store: Store) -> None:
        self.session.switch(store)
        self._set_title()
        self.menus.allow_writes(not store.read_only)
        for part in (self.label_bar, self.category_bar, self.relations.chip_row):
            part.setEnabled(not store.read_only)
        listed = self.documents.set_store(store)
        self.documents.set_categories([c.name for c in self.links.scheme.labels])
        self.labels_unkept = False  # shown labels not yet kept in the project (it was locked)
        self.label_bar.set_used(shown_labels(store, self.settings))
        last = self.last_document.get(store)
        first = listed.summary(0)
        target = last if last is not None and listed.row_of(last) is not None else (first.id if first else None)
        if target is not None:
            self.session.open(target)
        else:
            self.heading.setText("No documents yet — File → Import articles…")
        self._update_progress()
        self.status.project_opened(f"{store.path} is read-only: you can read, review and export it; editing is off."
                                   if store.read_only else None)
        self.model_menu.restore()
        self.learning.restore()

    def _set_title(self) -> None:
        store = self.store
        self.setWindowTitle(f"annotator — {store.path.name} — {store.annotator}" + (" — read-only" if store.read_only else ""))

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
        self.review.project_switched()
        old.close()
        if not self.store.read_only:
            self.detection.start()

    def open_project_dialog(self, new: bool) -> None:
        folder = self.store.path.parent
        if new:
            path, _ = QFileDialog.getSaveFileName(self, "New project", str(folder / "new.db"), "Projects (*.db)")
        else:
            path, _ = QFileDialog.getOpenFileName(self, "Open project", str(folder), "Projects (*.db)")
        if path:
            self.switch_project(Path(path))

    # -- the open document ---------------------------------------------------------------------

    def _opened(self, doc: Document) -> None:
        self._show_heading(doc)
        self.documents.update_row(doc.id)  # an undo may have changed it while another was open
        self.documents.show_document(doc.id)
        self._remember_labels()
        self.last_document.opened(self.store, doc.id)

    def _show_heading(self, doc: Document) -> None:
        self.heading.setText(" · ".join(p for p in (doc.title, doc.date or "", doc.status) if p))

    def _remember_labels(self) -> None:
        """Labels met in the project's articles stay on the label bar from then on."""
        names = {s.label for s in self.session.spans.values()}
        if not names <= self.label_bar.used or self.labels_unkept:
            self.label_bar.use(names)
            # Kept in the project; while another program holds its lock, at the next chance.
            self.labels_unkept = not save_shown_labels(self.store, self.label_bar.used) and not self.store.read_only

    def _spans_changed(self, _: object) -> None:
        if self.session.doc_id is not None:
            self.documents.update_row(self.session.doc_id)
        self._remember_labels()

    def _marked(self, doc_ids: list[int]) -> None:
        for doc_id in doc_ids:
            self.documents.update_row(doc_id)
        self._update_progress()

    def _relisted(self, _: object) -> None:
        self.documents.reread()
        self._update_progress()

    def _status_changed(self, doc: Document) -> None:
        self._show_heading(doc)
        self.documents.update_row(doc.id)
        self._update_progress()

    def _done(self, message: str) -> None:
        self.status.saved()
        self.show_message(message)
        self._update_undo()

    def _detected(self, count: int) -> None:
        if self.session.doc_id is not None:
            self.session.open(self.session.doc_id)
        self.documents.refresh()

    def undo(self) -> None:
        self._replay("undo")

    def redo(self) -> None:
        self._replay("redo")

    def _replay(self, verb: str) -> None:
        """Undo or redo: an everyday edit at once; many documents marked at once in a worker."""
        work = self.session.replay_work(verb) if not self.store.read_only else None
        if work is None:
            self.session.undo() if verb == "undo" else self.session.redo()
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
            self._set_title()
            if self.session.doc_id is not None:
                self.session.open(self.session.doc_id)
            self._update_undo()

    def show_shortcuts(self) -> None:
        ShortcutsDialog(self.store.labels(), self, self.links.scheme.labels, self.links.relation_labels).exec()

    def import_dialog(self) -> None:
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
            if self.session.doc_id is None and result.added:
                self.session.open(result.added[0])
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
        for verb, possible in (("undo", self.store.can_undo), ("redo", self.store.can_redo)):
            self.menus.actions[verb].setEnabled(not self.store.read_only and possible())

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self.write_wait.may_close():  # closes once they are stored
            event.ignore()
            return
        for worker in list(self.workers.running):
            worker.cancel()
        self.documents.cancel()
        self.workers.wait(30000)
        self.review.close()
        self.last_document.keep(self.store)
        self.settings.setValue("geometry", self.saveGeometry())
        self.settings.sync()
        super().closeEvent(event)
