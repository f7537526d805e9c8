"""The annotation window: it makes the parts, lays them out (:mod:`annotator.qt.window_layout`),
and keeps them on the open project.

Each part subscribes to the session (:mod:`annotator.session`), which makes every edit one
committed store transaction and then says what changed, so what is on screen is what is saved
and an edit redraws only what changed. Its commands, keys and menus are one table
(:mod:`annotator.qt.commands`); editing spans, linking, moving between documents, the Review and
edits waiting for a write lock are parts of their own.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings
from PySide6.QtGui import QCloseEvent, QKeyEvent
from PySide6.QtWidgets import QFileDialog, QInputDialog, QMainWindow

from annotator.project import open_project
from annotator.qt.arcs import Arcs
from annotator.qt.article_view import ArticleView
from annotator.qt.category_bar import CategoryBar
from annotator.qt.commands import article_command
from annotator.qt.detection import DetectionRunner
from annotator.qt.document_panel import DocumentPanel
from annotator.qt.document_sync import DocumentSync
from annotator.qt.editing import Editing
from annotator.qt.export_dialog import ExportDialog
from annotator.qt.import_dialog import choose_files, import_work
from annotator.qt.label_bar import LabelBar
from annotator.qt.label_dialog import LabelDialog
from annotator.qt.last_document import LastDocument
from annotator.qt.learning import LearningActions
from annotator.qt.link_mode import LinkMode
from annotator.qt.linking import Linking
from annotator.qt.live_reload import LiveReload
from annotator.qt.menus import Menus
from annotator.qt.navigation import Navigation
from annotator.qt.number_editor import NumberEditor
from annotator.qt.preload import Preload
from annotator.qt.queue_order import QueueOrder
from annotator.qt.relations_panel import RelationsPanel
from annotator.qt.retraining import BackgroundRetraining
from annotator.qt.review_opener import ReviewOpener
from annotator.qt.server_dialog import ask_server, remember_server
from annotator.qt.shortcuts import ShortcutsDialog
from annotator.qt.shown_labels import RememberedLabels
from annotator.qt.status_line import StatusLine
from annotator.qt.training import ModelMenu
from annotator.qt.undo_redo import UndoRedo
from annotator.qt.window_layout import Heading, lay_out
from annotator.qt.workers import Workers
from annotator.qt.write_wait import WriteWait
from annotator.session import Session, counted
from annotator.session_links import Links
from annotator.storage import ImportResult, Store
from annotator.storage.postgres.url import shown


class MainWindow(QMainWindow):
    def __init__(self, store: Store, settings: QSettings | None = None, detect_on_open: bool = True) -> None:
        super().__init__()
        self.settings = settings or QSettings()
        self.last_document = LastDocument(self.settings)
        self.workers = Workers(self)
        self.session = session = Session(store)
        self.links = Links(session)  # first: it reads a document's labels and links before the views draw them
        self.documents = DocumentPanel()
        self.heading = Heading()
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
        self.history = UndoRedo(session, self.status, self.menus.actions["undo"], self.menus.actions["redo"])
        self.shown_labels = RememberedLabels(self.label_bar, session, self.settings)
        self.sync = DocumentSync(session, self.links, self.documents, self.heading, self.shown_labels, self.last_document,
                                 self.status, self.history)
        self.editing = Editing(session, self.article, self.links, self.link_mode, self.category_bar, self.status,
                               lambda: self.menus.checked("snap"))
        self.linking = Linking(session, self.links, self.article, self.arcs, self.link_mode, self.relations, self.status)
        self.navigation = Navigation(session, self.documents, self.status)
        self.review = ReviewOpener(self, session, self.article, self.status,
                                   lambda: self.menus.actions["review"].setChecked(False))
        self.write_wait = WriteWait(self, session, self.status, self.close)
        self.live = LiveReload(self, session, self.status, self.link_mode, self.numbers, self.workers)  # after the drawing parts
        self._connect()
        self.detection = DetectionRunner(self.status, lambda: self.store, self._detected)
        self.model_menu = ModelMenu(self, self.status, lambda: self.store, self.detection)
        self.learning = LearningActions(self, self.model_menu.menu, self.status, lambda: self.store)
        self.retraining = BackgroundRetraining(self, self.model_menu, self.session, self.status, lambda: self.store)
        self.queue = QueueOrder(self, self.model_menu.menu, self.status, lambda: self.store, self.detection)
        self._open_store(store)
        geometry = self.settings.value("geometry")
        if isinstance(geometry, QByteArray):
            self.restoreGeometry(geometry)
        else:
            self.resize(1280, 800)
        if detect_on_open and not store.read_only:
            self.detection.start()
        # The Review's module brings matplotlib (seconds to import): imported in the background
        # at the first pause in typing, so that Ctrl+R does not hold the window while it loads. Not a
        # task of the person's: switching projects or training need not wait for it.
        self.preload = Preload(self, "annotator.qt.review_panel")

    def _connect(self) -> None:
        session = self.session
        self.category_bar.toggled.connect(self.links.toggle)
        self.label_bar.label_chosen.connect(self.editing.apply_label)
        self.article.key_handler = self._key
        session.events.done.connect(self._done)
        session.events.failed.connect(lambda message: self.show_message(message, error=True))

    @property
    def store(self) -> Store:
        """The project open in the window (switching projects changes it)."""
        return self.session.store

    def show_message(self, text: str, error: bool = False) -> None:
        self.status.show_message(text, error)

    def _key(self, event: QKeyEvent) -> bool:
        """A key typed in the article: the link being made's or a document label's, a command of the table, a label's key."""
        self.preload.postpone()
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
        self.shown_labels.project_opened(store)
        last = self.last_document.get(store)
        first = listed.summary(0)
        target = last if last is not None and listed.row_of(last) is not None else (first.id if first else None)
        if target is not None:
            self.session.open(target)
        else:
            self.heading.setText("No documents yet — File → Import articles…")
        self.sync.update_progress()
        self.status.project_opened(f"{store.path} is read-only: you can read, review and export it; editing is off."
                                   if store.read_only else None)
        self.model_menu.restore()
        self.learning.restore()
        self.retraining.restore()
        self.queue.restore()

    def _set_title(self) -> None:
        store = self.store
        self.setWindowTitle(f"annotator — {store.path.name} — {store.annotator}" + (" — read-only" if store.read_only else ""))

    def _may_switch(self) -> bool:
        if self.workers.running:
            self.show_message("Wait for the running task to finish (or cancel it) before switching projects.")
            return False
        if self.session.waiting:
            self.show_message("Edits wait to be saved in this project (another program is writing to it): "
                              "switch once they are saved.", error=True)
            return False
        return True

    def switch_project(self, path: Path) -> None:
        if self._may_switch():
            self._switch_to(open_project(path, self.store.annotator))

    def open_server(self, url: str) -> None:
        """Open a server project: connected in a worker (a server far away, or not there, may take
        seconds to answer); a refusal is one line in the status bar, the open project kept."""
        if not self._may_switch():
            return
        annotator = self.store.annotator

        def work(progress: object, cancelled: Callable[[], bool]) -> Store | None:
            store = open_project(url, annotator)
            if cancelled():
                store.close()
                return None
            return store

        def opened(store: Store | None) -> None:
            if store is not None:
                remember_server(self.settings, url)
                self._switch_to(store)

        self.status.run(f"Connecting to {shown(url)}", work, opened, "Not opened")

    def _switch_to(self, store: Store) -> None:
        old = self.store
        self.last_document.keep(old)
        self._open_store(store)
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

    def open_server_dialog(self) -> None:
        url = ask_server(self, self.settings)
        if url:
            self.open_server(url)

    def _done(self, message: str) -> None:
        self.status.saved()
        self.show_message(message)
        self.history.update()

    def _detected(self, count: int) -> None:
        if self.session.doc_id is not None:
            self.session.open(self.session.doc_id)
        self.documents.refresh()

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
            self.history.update()

    def show_shortcuts(self) -> None:
        ShortcutsDialog(self.store.labels(), self, self.links.scheme.labels, self.links.relation_labels).exec()

    def import_dialog(self) -> None:
        paths = choose_files(self)
        if paths:
            self.import_files(paths)

    def import_files(self, paths: list[Path]) -> None:
        """Import in a worker (its own connection); then detect the new documents."""
        def finished(result: ImportResult) -> None:
            self.documents.refresh()
            self.sync.update_progress()
            self.show_message(f"Imported {counted(len(result.added), 'document')}"
                              + (f"; {len(result.duplicates)} already in the project." if result.duplicates else "."))
            if self.session.doc_id is None and result.added:
                self.session.open(result.added[0])
            self.detection.start(only_new=True)

        self.status.run("Importing", import_work(self.store.path, self.store.annotator, paths), finished,
                        "Import failed, nothing imported")

    def export_dialog(self) -> None:
        ExportDialog(self.store, self.status, self.settings, self).exec()

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
