"""The open document changed outside this window (another person on the same server project, another
process on the same project file): seen by comparing the document's stamp (one small query, see
``Documents.stamp``) with the one taken after this session last read or wrote it, and redrawn in
place: its spans, status, document labels and relations are read again and only what differs is
announced, so the selection stays where its span still is. Qt-free; the window asks on a timer
(annotator.qt.live_reload).

This session's own edits never count as outside changes: each one it stores (and each document it
opens or re-reads) takes a new stamp first. Such an edit re-reads the document's spans, labels and
relations; a status another person set meanwhile is read then too (the stamp holds it).
"""

from __future__ import annotations

from annotator.session import Session
from annotator.storage import StoreError
from annotator.storage.documents import Stamp


class OutsideChanges:
    """Whether someone else changed the document open in ``session``; redraws it if so."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.seen: Stamp | None = None
        self.seen_id: int | None = None
        events = session.events
        for ours in (events.opened, events.synced, events.status):
            ours.connect(lambda _: self.take())
        events.done.connect(lambda _: self.take())

    def take(self) -> None:
        """What this session now shows of the open document is as stored: remember its stamp."""
        session = self.session
        doc_id = session.doc_id
        try:
            self.seen = session.store.stamp(doc_id) if doc_id is not None else None
        except StoreError:  # said by the next check, which reads it again
            self.seen = None
        self.seen_id = doc_id
        if self.seen is not None and session.document is not None and self.seen.status != session.document.status:
            session.shown.reread_status()  # another's status change met by an edit of ours, which reads only spans

    def check(self, own_work: bool = False) -> str | None:
        """If the open document changed since it was last read here, redraw it and say who changed
        it; None if nothing changed (or edits of this session wait to be stored: what is shown is
        then ahead of the store). ``own_work``: a task of this window (undo of many, detection,
        retraining) may be writing it: a change whose newest edit is not another person's is then
        redrawn without a word (it may be the task's). Raises StoreError if the project cannot be read."""
        session = self.session
        doc_id = session.doc_id
        if doc_id is None or session.waiting:
            return None
        if self.seen is None or self.seen_id != doc_id:
            self.take()
            return None
        now = session.store.stamp(doc_id)
        if now == self.seen:
            return None
        before = self.seen
        session.shown.sync()  # spans (the selection kept if its span is still there), then labels and relations
        session.shown.reread_status()
        self.seen = now  # not the stamp after the redraw: a change stored meanwhile is seen at the next check
        who = now.last_editor
        if now.last_edit != before.last_edit and who is not None and who != session.store.annotator:
            return f"{who} changed this document: redrawn"
        return None if own_work else "This document was changed elsewhere: redrawn"
