"""Document labels: the project's scheme, each person's labels of a document (one undoable edit
per toggle), and a model's suggested labels, kept apart in ``category_predictions``."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any

from annotator.categories import (
    UNGROUPED,
    Category,
    CategoryGroup,
    CategoryLabel,
    CategorySuggestion,
    Scheme,
    Toggle,
)
from annotator.domain import ORIGIN_HUMAN, ORIGIN_IMPORT, NewDocument
from annotator.labels import colour_for
from annotator.storage.connection import Connection
from annotator.storage.errors import Missing, UndoRefused
from annotator.storage.history import Edit
from annotator.storage.label_table import LabelTable, new_key
from annotator.storage.parts import Part, Record
from annotator.storage.rows import now, rows_by_document

OP = "category"  # the history's name for a change of a document's labels


class Categories(Part):
    """``store.categories``: document labels."""

    def __init__(self, db: Connection, annotator: str, record: Record) -> None:
        super().__init__(db, annotator, record)
        self.table = LabelTable(db, "category_labels", ("name", "grp", "colour", "key"), "document label",
                                "the document label ")

    # -- the scheme ------------------------------------------------------------------------------

    def scheme(self) -> Scheme:
        groups = [CategoryGroup(name, bool(exclusive))
                  for name, exclusive in self.db.execute("SELECT name, exclusive FROM category_groups ORDER BY name")]
        return Scheme(tuple(self.labels()), tuple(groups))

    def labels(self) -> list[CategoryLabel]:
        return [CategoryLabel(*row) for row in self.table.rows()]

    def label(self, name: str) -> CategoryLabel | None:
        row = self.table.row(name)
        return CategoryLabel(*row) if row else None

    def add_label(self, label: CategoryLabel) -> CategoryLabel:
        if not label.name.strip():
            raise ValueError("a document label needs a name")
        with self.db.write():
            self.table.check_new(label.name, label.key)
            self._insert(label)
        return label

    def _insert(self, label: CategoryLabel) -> None:
        self.table.insert([label.name, label.group, label.colour, label.key])

    def ensure_labels(self, names: Iterable[str], group: str = UNGROUPED) -> list[str]:
        """Create the document labels (of ``group``) the project lacks, inside the caller's write
        (imports, merges); returns the names created."""
        created = self.table.missing(names)
        for name in created:
            self._insert(CategoryLabel(name, group, colour_for(name)))
        return created

    def update_label(self, name: str, *, new_name: str | None = None, colour: str | None = None,
                     key: str | None = None, group: str | None = None) -> CategoryLabel:
        """Rename, recolour, re-key or regroup a document label; a rename carries to every document's."""
        with self.db.write():
            old = CategoryLabel(*self.table.changing(name, new_name, key))
            self.table.update(name, {"name": new_name or name, "grp": old.group if group is None else group,
                                     "colour": colour or old.colour, "key": new_key(old.key, key)})
            if new_name and new_name != name:
                self.db.execute("UPDATE category_predictions SET label = ? WHERE label = ?", [new_name, name])
        return CategoryLabel(*self.table.row(new_name or name))  # just written

    def remove_label(self, name: str) -> int:
        """Remove a document label and every document's use of it; returns how many documents lost it."""
        with self.db.write():
            used = int(self.db.one("SELECT count(*) FROM document_categories WHERE label = ?", [name]))
            if not self.db.execute("DELETE FROM category_labels WHERE name = ?", [name]).rowcount:
                raise Missing(f"no document label {name!r}")
        return used

    def set_group(self, name: str, exclusive: bool) -> None:
        """Make a group of document labels single-choice (``exclusive``) or multi-label."""
        with self.db.write():
            self.db.execute("INSERT INTO category_groups (name, exclusive) VALUES (?, ?) "
                            "ON CONFLICT (name) DO UPDATE SET exclusive = excluded.exclusive", [name, int(exclusive)])

    # -- a document's labels -----------------------------------------------------------------------

    def of(self, doc_id: int, annotator: str | None = None) -> list[Category]:
        """A person's labels of a document (by default this store's annotator), in scheme order."""
        return [Category(label, origin, who) for label, origin, who in self.db.execute(
            "SELECT c.label, c.origin, c.annotator FROM document_categories c JOIN category_labels l ON l.name = c.label "
            "WHERE c.doc_id = ? AND c.annotator = ? ORDER BY l.position, l.name", [doc_id, annotator or self.annotator])]

    def toggle(self, doc_id: int, name: str) -> Toggle:
        """Give the document the label, or take it away (one undoable edit); choosing a label of a
        single-choice group drops the group's other one in the same edit."""
        with self.db.write():
            self._check_document(doc_id)
            chosen = {c.label: c for c in self.of(doc_id)}
            toggle = self.scheme().toggle(chosen, name)
            self._change(doc_id, [chosen[n] for n in toggle.removed], [Category(n, ORIGIN_HUMAN) for n in toggle.added],
                         f"{'untag' if name in chosen else 'tag'} document {name}")
        return toggle

    def set_labels(self, doc_id: int, names: Iterable[str], origin: str = ORIGIN_HUMAN) -> Toggle:
        """Make the document's labels exactly ``names`` (one undoable edit); nothing if already so."""
        wanted = list(dict.fromkeys(names))
        with self.db.write():
            self._check_document(doc_id)
            self.scheme().check(wanted)
            chosen = {c.label: c for c in self.of(doc_id)}
            removed = [c for n, c in chosen.items() if n not in wanted]
            added = [Category(n, origin) for n in wanted if n not in chosen]
            if removed or added:
                self._change(doc_id, removed, added, "set document labels " + (", ".join(wanted) or "none"))
        return Toggle(frozenset(c.label for c in added), frozenset(c.label for c in removed))

    def _check_document(self, doc_id: int) -> None:
        if self.db.one("SELECT 1 FROM documents WHERE id = ?", [doc_id]) is None:
            raise Missing(f"no document {doc_id}")

    def _change(self, doc_id: int, removed: Sequence[Category], added: Sequence[Category], action: str) -> None:
        pairs = [(_dump(c), None) for c in removed] + [(None, _dump(c)) for c in added]
        for before, after in pairs:
            self._write(doc_id, self.annotator, before, after)
        self.record(doc_id, action, [{"op": OP, "before": before, "after": after} for before, after in pairs])

    def _write(self, doc_id: int, annotator: str, current: dict[str, Any] | None, target: dict[str, Any] | None) -> None:
        if target is None:
            self.db.execute("DELETE FROM document_categories WHERE doc_id = ? AND annotator = ? AND label = ?",
                            [doc_id, annotator, current["label"]])  # type: ignore[index]  # a removal has a before
        else:
            self.db.execute("INSERT INTO document_categories (doc_id, annotator, label, origin, created) "
                            "VALUES (?, ?, ?, ?, ?)", [doc_id, annotator, target["label"], target["origin"], now()])

    def replay(self, edit: Edit, current: dict[str, Any] | None, target: dict[str, Any] | None, what: str) -> None:
        """Undo or redo one change of a document's labels (the history calls this for its op)."""
        if target is not None:
            if self.label(target["label"]) is None:
                raise UndoRefused(f"cannot {what}: the document label {target['label']} no longer exists")
            if self.db.one("SELECT 1 FROM document_categories WHERE doc_id = ? AND annotator = ? AND label = ?",
                           [edit.doc_id, edit.annotator, target["label"]]):
                return  # already there (given again since): nothing to bring back
        self._write(edit.doc_id, edit.annotator, current, target)

    def insert_layer(self, doc_id: int, annotator: str, categories: Iterable[Category], replace: bool = False) -> bool:
        """Bring in another database's labels of a document by a person as they are (merges; not
        an edit); False if they already have labels here, unless ``replace``."""
        categories = list(categories)
        with self.db.write():
            if not replace and self.db.one("SELECT 1 FROM document_categories WHERE doc_id = ? AND annotator = ?",
                                           [doc_id, annotator]):
                return False
            self.db.execute("DELETE FROM document_categories WHERE doc_id = ? AND annotator = ?", [doc_id, annotator])
            self.ensure_labels(c.label for c in categories)
            stamp = now()
            self.db.executemany("INSERT INTO document_categories (doc_id, annotator, label, origin, created) "
                                "VALUES (?, ?, ?, ?, ?)", [(doc_id, annotator, c.label, c.origin, stamp) for c in categories])
        return True

    def store_imported(self, documents: Sequence[tuple[int, NewDocument]], span_ids: Mapping[int, list[int]]) -> None:
        """An import's document labels, in the importing person's layer, or the one the file names
        (``NewDocument.annotator``), inside the import's write; ``span_ids`` (for relations) is not needed here."""
        self.ensure_labels(label for _, doc in documents for label in doc.categories)
        stamp = now()
        rows = dict.fromkeys((doc_id, doc.annotator or self.annotator, label)  # a label a file repeats: once
                             for doc_id, doc in documents for label in doc.categories)
        self.db.bulk_insert("document_categories", ("doc_id", "annotator", "label"), rows,
                            {"origin": ORIGIN_IMPORT, "created": stamp})

    def rows(self, doc_ids: Sequence[int], annotator: str) -> Iterator[set[str]]:
        """Each document's labels by a person, one set per id of ``doc_ids`` (reviews)."""
        for found in rows_by_document(self.db, "SELECT doc_id, label FROM document_categories WHERE annotator = ? "
                                               "AND doc_id IN ({ids})", [annotator], doc_ids):
            yield {label for _, label in found}

    def annotators(self, doc_id: int | None = None) -> list[str]:
        """Who gave document labels (to a document)."""
        if doc_id is None:  # from the counters
            return self.db.column("SELECT DISTINCT owner FROM link_counts WHERE kind = 'category' AND n > 0 ORDER BY owner")
        return self.db.column("SELECT DISTINCT annotator FROM document_categories WHERE doc_id = ? ORDER BY annotator",
                              [doc_id])

    # -- a model's suggestions ---------------------------------------------------------------------

    def save_predictions(self, doc_id: int, scores: Mapping[str, float], model: str, version: str) -> None:
        """Store a model's document labels of a document with their scores, replacing its previous run."""
        self.save_many_predictions([(doc_id, scores)], model, version)

    def save_many_predictions(self, batch: Sequence[tuple[int, Mapping[str, float]]], model: str, version: str) -> None:
        """:meth:`save_predictions` for several documents in one write (detection's batches)."""
        if not batch:
            return
        with self.db.write():
            self.db.executemany("DELETE FROM category_predictions WHERE doc_id = ? AND model = ?",
                                [(doc_id, model) for doc_id, _ in batch])
            stamp = now()
            self.db.executemany("INSERT INTO category_predictions (doc_id, model, model_version, label, score, created) "
                                "VALUES (?, ?, ?, ?, ?, ?)", [(doc_id, model, version, label, float(score), stamp)
                                                              for doc_id, scores in batch for label, score in scores.items()])

    def suggestions(self, doc_id: int, model: str | None = None) -> list[CategorySuggestion]:
        """A model's document labels of a document (by default the latest model's), best first."""
        model = model or self._latest(doc_id)
        return [CategorySuggestion(label, score, model) for label, score in self.db.execute(
            "SELECT label, score FROM category_predictions WHERE doc_id = ? AND model = ? ORDER BY score DESC, label",
            [doc_id, model])]

    def prediction_version(self, doc_id: int, model: str) -> str:
        return self.db.one("SELECT model_version FROM category_predictions WHERE doc_id = ? AND model = ? LIMIT 1",
                           [doc_id, model]) or ""

    def _latest(self, doc_id: int) -> str:
        return self.db.one("SELECT model FROM category_predictions WHERE doc_id = ? ORDER BY created DESC LIMIT 1",
                           [doc_id]) or ""

    def prediction_rows(self, doc_ids: Sequence[int], model: str | None = None,
                        threshold: float = 0.5) -> Iterator[set[str]]:
        """Each document's labels a model gives with a score of ``threshold`` or more (by default
        the latest model run on each), one set per id of ``doc_ids``."""
        latest = ("(SELECT model FROM category_predictions q WHERE q.doc_id = p.doc_id "
                  "ORDER BY created DESC LIMIT 1)")
        for found in rows_by_document(
                self.db, f"SELECT doc_id, label FROM category_predictions p WHERE p.model = coalesce(?, {latest}) "
                         "AND score >= ? AND doc_id IN ({ids})", [model, threshold], doc_ids):
            yield {label for _, label in found}

    def prediction_models(self) -> list[str]:
        return self.db.column("SELECT DISTINCT owner FROM link_counts WHERE kind = 'category_prediction' AND n > 0 "
                              "ORDER BY owner")


def _dump(category: Category) -> dict[str, Any]:
    return {"label": category.label, "origin": category.origin}

