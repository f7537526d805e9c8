"""What the store's parts are built with besides the connection: whose layer they write, and
how an edit is recorded in the history (the same edit log that span edits go into, so that
undo and redo replay everything in one order); and :class:`Forward`, how the Store lends its
parts' methods its own name."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Concatenate, Generic, ParamSpec, TypeVar, overload

from annotator.storage.connection import Connection

# record(doc_id, action, changes): add one undoable edit, inside the caller's write.
Record = Callable[[int, str, list[dict[str, Any]]], None]

P = ParamSpec("P")
R = TypeVar("R")


class Part:
    """A part of the store acting for one annotator (the Store keeps ``annotator`` in step)."""

    def __init__(self, db: Connection, annotator: str, record: Record) -> None:
        self.db = db
        self.annotator = annotator
        self.record = record


class Forward(Generic[P, R]):
    """A Store method that is a part's: ``document = Forward("documents", Documents.document)`` in
    the Store's body makes ``store.document(7)`` call ``store.documents.document(7)``, typed as it.
    Read from the class it is a function of the store, so a test may wrap it (monkeypatch)."""

    def __init__(self, part: str, method: Callable[Concatenate[Any, P], R]) -> None:
        self.part, self.name = part, method.__name__
        self.__doc__ = method.__doc__

    @overload
    def __get__(self, store: None, owner: type) -> Callable[Concatenate[Any, P], R]: ...

    @overload
    def __get__(self, store: object, owner: type | None = None) -> Callable[P, R]: ...

    def __get__(self, store: object, owner: type | None = None) -> Callable[..., R]:
        if store is None:
            return lambda store, *args, **kwargs: getattr(getattr(store, self.part), self.name)(*args, **kwargs)
        method: Callable[..., R] = getattr(getattr(store, self.part), self.name)
        return method
