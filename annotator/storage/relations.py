"""Relations between spans: the project's relation labels, each person's relations (one undoable
edit each; removing a span removes its relations in the same edit), and a model's suggested
relations between its predicted spans, kept apart in ``relation_predictions``."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any

from annotator.descriptions import describe_span as describe
from annotator.domain import ORIGIN_HUMAN, ORIGIN_IMPORT, ORIGIN_MODEL, NewDocument
from annotator.labels import colour_for
from annotator.relations import (
    Link,
    LinkEnd,
    Relation,
    RelationError,
    RelationLabel,
    StoredRelation,
    check_relation,
    ordered,
)
from annotator.storage.connection import Connection
from annotator.storage.counts import add_link_counts
from annotator.storage.errors import Missing, UndoRefused
from annotator.storage.history import Edit
from annotator.storage.label_table import LabelTable, new_key
from annotator.storage.parts import Part, Record
from annotator.storage.rows import (
    ANNOTATION_SELECT,
    PREDICTION_SELECT,
    now,
    prediction_from_row,
    rows_by_document,
    span_from_row,
)

OP = "relation"  # the history's name for a change of a relation
_COLUMNS = "id, head, child, label, origin, confirmed, annotator"
_SELECT = f"SELECT {_COLUMNS} FROM relations"
_INSERT = ("INSERT INTO relations (id, doc_id, head, child, label, origin, confirmed, annotator, created) "
           "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")
_SPAN = f"SELECT {ANNOTATION_SELECT} FROM annotations"
# What a review reads of a relation: after the document's id, its label and each end's place and label.
_ENDS = "r.label, h.layer, h.start, h.[end], h.label, c.layer, c.start, c.[end], c.label"
# A person's span at the place and with the label of a predicted one (h: the prediction).
_SAME_PLACE = "{a}.doc_id = {p}.doc_id AND {a}.layer = {p}.layer AND {a}.start = {p}.start AND {a}.[end] = {p}.[end] " \
              "AND {a}.label = {p}.label"


def _label(row: Sequence[Any]) -> RelationLabel:
    name, colour, key, directed, heads, children = row
    return RelationLabel(name, colour, key, bool(directed), tuple(heads.split()), tuple(children.split()))


def _relation(row: Sequence[Any]) -> StoredRelation:
    relation_id, head, child, label, origin, confirmed, annotator = row
    return StoredRelation(head, child, label, origin, bool(confirmed), annotator, id=relation_id)


def _dump(doc_id: int, relation: StoredRelation) -> dict[str, Any]:
    return {"id": relation.id, "doc_id": doc_id, "head": relation.head, "child": relation.child,
            "label": relation.label, "origin": relation.origin, "confirmed": relation.confirmed,
            "annotator": relation.annotator}


class Relations(Part):
    """``store.relations``: links between spans."""

    def __init__(self, db: Connection, annotator: str, record: Record) -> None:
        super().__init__(db, annotator, record)
        self.table = LabelTable(db, "relation_labels", ("name", "colour", "key", "directed", "heads", "children"),
                                "relation label", "the relation label ")

    # -- labels ------------------------------------------------------------------------------------

    def labels(self) -> list[RelationLabel]:
        return [_label(row) for row in self.table.rows()]

    def label(self, name: str) -> RelationLabel | None:
        row = self.table.row(name)
        return _label(row) if row else None

    def add_label(self, label: RelationLabel) -> RelationLabel:
        if not label.name.strip() or any(c.isspace() for c in label.name):
            raise ValueError(f"a relation label needs a name without spaces, not {label.name!r}")
        with self.db.write():
            self.table.check_new(label.name, label.key)
            self._insert_label(label)
        return label

    def _insert_label(self, label: RelationLabel) -> None:
        self.table.insert([label.name, label.colour, label.key, int(label.directed), " ".join(label.heads),
                           " ".join(label.children)])

    def ensure_labels(self, names: Iterable[str]) -> list[str]:
        """Create the relation labels the project lacks (directed, any ends), inside the caller's
        write (imports, merges, a model's suggestions); returns the names created."""
        created = self.table.missing(names)
        for name in created:
            self._insert_label(RelationLabel(name, colour_for(name)))
        return created

    def update_label(self, name: str, *, new_name: str | None = None, colour: str | None = None,
                     key: str | None = None, directed: bool | None = None, heads: Sequence[str] | None = None,
                     children: Sequence[str] | None = None) -> RelationLabel:
        """Rename, recolour, re-key a relation label or change what its ends may be; a rename
        carries to every relation of it (existing relations are not checked again)."""
        with self.db.write():
            old = _label(self.table.changing(name, new_name, key))
            self.table.update(name, {
                "name": new_name or name, "colour": colour or old.colour, "key": new_key(old.key, key),
                "directed": int(old.directed if directed is None else directed),
                "heads": " ".join(old.heads if heads is None else heads),
                "children": " ".join(old.children if children is None else children)})
            if new_name and new_name != name:
                self.db.execute("UPDATE relation_predictions SET label = ? WHERE label = ?", [new_name, name])
        return _label(self.table.row(new_name or name))  # just written

    def remove_label(self, name: str) -> int:
        """Remove a relation label and every relation of it; returns how many relations went."""
        with self.db.write():
            used = int(self.db.one("SELECT count(*) FROM relations WHERE label = ?", [name]))
            if not self.db.execute("DELETE FROM relation_labels WHERE name = ?", [name]).rowcount:
                raise Missing(f"no relation label {name!r}")
        return used

    # -- a person's relations ----------------------------------------------------------------------

    def of(self, doc_id: int, annotator: str | None = None) -> list[StoredRelation]:
        """A person's relations in a document (by default this store's annotator), as stored."""
        return [_relation(row) for row in self.db.execute(f"{_SELECT} WHERE doc_id = ? AND annotator = ? ORDER BY id",
                                                          [doc_id, annotator or self.annotator])]

    def relation(self, relation_id: int) -> StoredRelation:
        row = self.db.execute(f"{_SELECT} WHERE id = ?", [relation_id]).fetchone()
        if row is None:
            raise Missing(f"no relation {relation_id}")
        return _relation(row)

    def _end(self, span_id: int) -> LinkEnd | None:
        row = self.db.execute(f"SELECT doc_id, annotator, {ANNOTATION_SELECT} FROM annotations WHERE id = ?",
                              [span_id]).fetchone()
        return None if row is None else LinkEnd(span_from_row(row[2:]), row[0], row[1])

    def add(self, head: int, child: int, label: str) -> StoredRelation:
        """Link the span ``head`` to the span ``child`` (ids of this annotator's spans of one
        document) with a label: one undoable edit. Refused (RelationError) if it does not fit or
        is there already."""
        with self.db.write():
            first, second = self._end(head), self._end(child)
            kind = self.label(label)
            check_relation(label, kind, first, second)
            assert first is not None and second is not None and kind is not None  # checked
            if first.annotator != self.annotator:
                raise RelationError(f"cannot link spans of {first.annotator}'s layer: this is {self.annotator}'s")
            start, end = ordered(kind, first.span, second.span)
            relation = Relation(start.id, end.id, label, annotator=self.annotator)
            if self.db.one("SELECT 1 FROM relations WHERE head = ? AND child = ? AND label = ?",
                           [relation.head, relation.child, label]):
                raise RelationError(f"{describe(start)} is already linked to {describe(end)} with {label}")
            stored = self._insert(first.doc_id, relation)
            self.record(first.doc_id, f"link {describe(start)} {label} {describe(end)}",
                        [{"op": OP, "before": None, "after": _dump(first.doc_id, stored)}])
        return stored

    def _insert(self, doc_id: int, relation: Relation) -> StoredRelation:
        """Store a relation: a new one under an id SQLite picks, a stored one under its own (undo restores it)."""
        relation_id = self.db.insert(_INSERT, [relation.id if isinstance(relation, StoredRelation) else None, doc_id,
                                               relation.head, relation.child, relation.label, relation.origin,
                                               int(relation.confirmed), relation.annotator or self.annotator, now()])
        self._count({(relation.annotator or self.annotator, relation.label, relation.origin): 1})
        return StoredRelation(relation.head, relation.child, relation.label, relation.origin, relation.confirmed,
                              relation.annotator or self.annotator, id=relation_id)

    def remove(self, relation_id: int) -> StoredRelation:
        """Remove one of this annotator's relations (one undoable edit)."""
        with self.db.write():
            old, doc_id = self._own(relation_id)
            self.db.execute("DELETE FROM relations WHERE id = ?", [relation_id])
            self.record(doc_id, f"unlink {old.label}", [{"op": OP, "before": _dump(doc_id, old), "after": None}])
        return old

    def update(self, relation_id: int, *, label: str | None = None, confirmed: bool | None = None) -> StoredRelation:
        """Relabel or confirm one of this annotator's relations (one undoable edit); a person's
        change makes it theirs (origin human), as with spans."""
        with self.db.write():
            old, doc_id = self._own(relation_id)
            relabelled = label is not None and label != old.label
            new = StoredRelation(old.head, old.child, label or old.label, ORIGIN_HUMAN if relabelled else old.origin,
                                 True if relabelled else (old.confirmed if confirmed is None else confirmed),
                                 old.annotator, id=old.id)
            if relabelled:
                check_relation(new.label, self.label(new.label), self._end(old.head), self._end(old.child))
            self._write(new)
            what = f"relabel link {old.label}→{new.label}" if new.label != old.label else f"confirm link {new.label}"
            self.record(doc_id, what, [{"op": OP, "before": _dump(doc_id, old), "after": _dump(doc_id, new)}])
        return new

    def _own(self, relation_id: int) -> tuple[StoredRelation, int]:
        row = self.db.execute(f"SELECT doc_id, {_COLUMNS} FROM relations WHERE id = ? AND annotator = ?",
                              [relation_id, self.annotator]).fetchone()
        if row is None:
            raise Missing(f"no relation {relation_id} in {self.annotator}'s layer")
        return _relation(row[1:]), row[0]

    def _write(self, relation: StoredRelation) -> bool:
        return self.db.execute("UPDATE relations SET label = ?, origin = ?, confirmed = ? WHERE id = ? AND annotator = ?",
                               [relation.label, relation.origin, int(relation.confirmed), relation.id,
                                relation.annotator]).rowcount > 0

    def removed_with(self, span_ids: Sequence[int]) -> list[dict[str, Any]]:
        """Remove the relations of spans about to be removed, and say so as history changes (to be
        recorded before the spans' own, so that an undo brings the spans back first)."""
        changes: list[dict[str, Any]] = []
        for first in range(0, len(span_ids), 400):
            chunk = list(span_ids[first : first + 400])
            marks = ", ".join("?" * len(chunk))
            for row in self.db.execute(f"SELECT doc_id, {_COLUMNS} FROM relations WHERE head IN ({marks}) OR child IN ({marks}) "
                                       "ORDER BY id", chunk + chunk).fetchall():
                changes.append({"op": OP, "before": _dump(row[0], _relation(row[1:])), "after": None})
        self.db.executemany("DELETE FROM relations WHERE id = ?", [(c["before"]["id"],) for c in changes])
        return changes

    def replay(self, edit: Edit, current: dict[str, Any] | None, target: dict[str, Any] | None, what: str) -> None:
        """Undo or redo one change of a relation (the history calls this for its op)."""
        if target is None:
            self.db.execute("DELETE FROM relations WHERE id = ? AND annotator = ?",
                            [current["id"], current["annotator"]])  # type: ignore[index]  # a removal has a before
            return
        relation = StoredRelation(target["head"], target["child"], target["label"], target["origin"], target["confirmed"],
                                  target["annotator"], id=target["id"])
        if self.label(relation.label) is None:
            raise UndoRefused(f"cannot {what}: the relation label {relation.label} no longer exists")
        if current is not None and self._write(relation):
            return
        if self.db.one("SELECT 1 FROM relations WHERE id = ?", [relation.id]):
            raise UndoRefused(f"cannot {what}: another change has since taken the place of its link")
        ends = [self.db.one("SELECT annotator FROM annotations WHERE id = ?", [end]) for end in (relation.head, relation.child)]
        if ends != [relation.annotator] * 2:
            raise UndoRefused(f"cannot {what}: a span it links is no longer there")
        self._insert(target["doc_id"], relation)

    # -- relations with their spans: merges, files, adjudication -----------------------------------

    def links(self, doc_id: int, annotator: str | None = None) -> list[Link]:
        """A person's relations in a document with their ends as spans."""
        spans = {row[0]: span_from_row(row) for row in self.db.execute(
            f"{_SPAN} WHERE doc_id = ? AND annotator = ?", [doc_id, annotator or self.annotator])}
        return [Link(spans[r.head], spans[r.child], r.label, r.origin, r.confirmed) for r in self.of(doc_id, annotator)]

    def insert_links(self, doc_id: int, annotator: str, links: Iterable[Link], replace: bool = False) -> int:
        """Bring in relations of a person as they are (merges, imports; not an edit), their ends
        found among the person's spans of the document by place and label; a link whose end is
        not there is refused (RelationError). Without ``replace`` the links already there are kept
        and only new ones added. Returns how many were added."""
        links = list(links)
        with self.db.write():
            if replace:
                self.db.execute("DELETE FROM relations WHERE doc_id = ? AND annotator = ?", [doc_id, annotator])
            self.ensure_labels(link.label for link in links)
            ids = {span.key(): span.id for span in (span_from_row(row) for row in self.db.execute(
                f"{_SPAN} WHERE doc_id = ? AND annotator = ?", [doc_id, annotator]))}
            have = {(r.head, r.child, r.label) for r in self.of(doc_id, annotator)}
            rows = []
            for link in links:
                head, child = ids.get(link.head.key()), ids.get(link.child.key())
                if head is None or child is None:
                    missing = link.head if head is None else link.child
                    raise RelationError(f"cannot link with {link.label}: {describe(missing)} at {missing.start}-{missing.end} "
                                        f"is not in {annotator}'s spans of document {doc_id}")
                if head == child:
                    raise RelationError(f"cannot link {describe(link.head)} with {link.label} to itself")
                if (head, child, link.label) not in have:
                    have.add((head, child, link.label))
                    rows.append((None, doc_id, head, child, link.label, link.origin, int(link.confirmed), annotator, now()))
            self.db.executemany(_INSERT, rows)
            self._count(Counter((annotator, row[4], row[5]) for row in rows))
        return len(rows)

    def store_imported(self, documents: Sequence[tuple[int, NewDocument]], span_ids: Mapping[int, list[int]]) -> None:
        """An import's relations (inside the import's write, after its spans, whose ids ``span_ids``
        gives per document in the order of its spans, then its entity rows), in one statement,
        counted once."""
        self.ensure_labels(label for _, doc in documents for _, _, label in doc.links)
        rows: dict[tuple[int, int, int, str, str], None] = {}  # a relation a file repeats is stored once
        for doc_id, doc in documents:
            ids, spans = span_ids.get(doc_id, []), doc.spans
            for head, child, label in doc.links:  # an end past the spans is an entity row: the importer's
                owner = (spans[head].annotator if head < len(spans) else None) or self.annotator
                rows[doc_id, ids[head], ids[child], label, owner] = None
        self.db.bulk_insert("relations", ("doc_id", "head", "child", "label", "annotator"), rows,
                            {"origin": ORIGIN_IMPORT, "confirmed": 1, "created": now()})
        self._count(Counter((annotator, label, ORIGIN_IMPORT) for *_, label, annotator in rows))

    def _count(self, counts: Mapping[tuple[str, str, str], int]) -> None:
        """Count relations just stored (by annotator, label, origin): one counter update per kind, not
        a trigger per row (it was a third of storing an import's relations); removals keep their trigger."""
        add_link_counts(self.db, "relation", counts)

    def take(self, doc_id: int, source: str) -> int:
        """Add to this annotator's relations those of ``source`` whose two ends this annotator's
        layer also holds (adjudication, after taking spans): one undoable edit; how many."""
        with self.db.write():
            ids = {span.key(): span.id for span in (span_from_row(row) for row in self.db.execute(
                f"{_SPAN} WHERE doc_id = ? AND annotator = ?", [doc_id, self.annotator]))}
            have = {(r.head, r.child, r.label) for r in self.of(doc_id)}
            changes = []
            for link in self.links(doc_id, source):
                head, child = ids.get(link.head.key()), ids.get(link.child.key())
                if head is not None and child is not None and (head, child, link.label) not in have:
                    have.add((head, child, link.label))
                    added = self._insert(doc_id, Relation(head, child, link.label, link.origin, True, self.annotator))
                    changes.append({"op": OP, "before": None, "after": _dump(doc_id, added)})
            if changes:
                self.record(doc_id, f"take {source}'s links", changes)
        return len(changes)

    def rows(self, doc_ids: Sequence[int], annotator: str) -> Iterator[list[tuple[Any, ...]]]:
        """Each document's relations of a person as rows (doc_id, label, head's layer, start, end,
        label, child's layer, start, end, label), one list per id of ``doc_ids`` (reviews)."""
        return rows_by_document(
            self.db, f"SELECT r.doc_id, {_ENDS} FROM relations r JOIN annotations h ON h.id = r.head "
                     "JOIN annotations c ON c.id = r.child WHERE r.annotator = ? AND r.doc_id IN ({ids}) "
                     "ORDER BY r.doc_id, r.id", [annotator], doc_ids)

    def annotators(self) -> list[str]:
        return self.db.column("SELECT DISTINCT owner FROM link_counts WHERE kind = 'relation' AND n > 0 ORDER BY owner")

    # -- a model's suggestions ---------------------------------------------------------------------

    def save_predictions(self, doc_id: int, links: Iterable[Link], model: str, version: str,
                         copy_to_layer: bool = False) -> int:
        """Store a model's relations of a document between its stored predictions (ends found by
        place and label among that model's predictions of the document), replacing its previous
        ones; unknown labels are created. With ``copy_to_layer`` (the layer was just copied from
        the predictions) they are copied into this annotator's layer as unconfirmed suggestions.
        Returns how many were stored."""
        links = list(links)
        with self.db.write():
            self.db.execute("DELETE FROM relation_predictions WHERE doc_id = ? AND model = ?", [doc_id, model])
            ids = {span.key(): span.id for span in (prediction_from_row(row) for row in self.db.execute(
                f"SELECT {PREDICTION_SELECT} FROM predictions WHERE doc_id = ? AND model = ?", [doc_id, model]))}
            rows = []
            for link in links:
                head, child = ids.get(link.head.key()), ids.get(link.child.key())
                if head is None or child is None or head == child:
                    raise RelationError(f"{model} suggests {link.label} between spans it did not predict "
                                        f"({describe(link.head)}, {describe(link.child)})")
                rows.append((doc_id, head, child, link.label, model, version, now()))
            self.ensure_labels(link.label for link in links)
            self.db.executemany("INSERT INTO relation_predictions (doc_id, head, child, label, model, model_version, "
                                "created) VALUES (?, ?, ?, ?, ?, ?, ?)", rows)
            if copy_to_layer:
                self.copy_predictions([doc_id])
        return len(rows)

    def predicted_links(self, doc_id: int, model: str | None = None) -> list[Link]:
        """A model's suggested relations of a document (by default the latest model's) with their spans."""
        model = model or self._latest(doc_id)
        spans = {row[0]: prediction_from_row(row) for row in self.db.execute(
            f"SELECT {PREDICTION_SELECT} FROM predictions WHERE doc_id = ? AND model = ?", [doc_id, model])}
        return [Link(spans[head], spans[child], label, ORIGIN_MODEL, False) for head, child, label in self.db.execute(
            "SELECT head, child, label FROM relation_predictions WHERE doc_id = ? AND model = ? ORDER BY id",
            [doc_id, model])]

    def _latest(self, doc_id: int) -> str:
        return self.db.one("SELECT model FROM predictions WHERE doc_id = ? ORDER BY id DESC LIMIT 1", [doc_id]) or ""

    def prediction_rows(self, doc_ids: Sequence[int], model: str | None = None) -> Iterator[list[tuple[Any, ...]]]:
        """:meth:`rows` of a model's suggested relations (by default the latest model run on each document)."""
        latest = "(SELECT model FROM predictions q WHERE q.doc_id = r.doc_id ORDER BY id DESC LIMIT 1)"
        return rows_by_document(
            self.db, f"SELECT r.doc_id, {_ENDS} FROM relation_predictions r JOIN predictions h ON h.id = r.head "
                     f"JOIN predictions c ON c.id = r.child WHERE r.model = coalesce(?, {latest}) "
                     "AND r.doc_id IN ({ids}) ORDER BY r.doc_id, r.id", [model], doc_ids)

    def copy_predictions(self, doc_ids: Sequence[int]) -> None:
        """Copy the latest model's suggested relations into this annotator's layer of the documents,
        unconfirmed, between the spans copied from its predictions (a layer just started from them)."""
        same_head, same_child = _SAME_PLACE.format(a="ha", p="hp"), _SAME_PLACE.format(a="ca", p="cp")
        latest = "(SELECT model FROM predictions q WHERE q.doc_id = rp.doc_id ORDER BY id DESC LIMIT 1)"
        since = self.db.one("SELECT coalesce(max(id), 0) FROM relations")  # the copies' ids are past it
        self.db.executemany(
            "INSERT OR IGNORE INTO relations (doc_id, head, child, label, origin, confirmed, annotator, created) "
            f"SELECT rp.doc_id, ha.id, ca.id, rp.label, '{ORIGIN_MODEL}', 0, ?, ? FROM relation_predictions rp "
            "JOIN predictions hp ON hp.id = rp.head JOIN predictions cp ON cp.id = rp.child "
            f"JOIN annotations ha ON ha.annotator = ? AND {same_head} "
            f"JOIN annotations ca ON ca.annotator = ? AND {same_child} "
            f"WHERE rp.doc_id = ? AND rp.model = {latest} AND rp.label IN (SELECT name FROM relation_labels)",
            [(self.annotator, now(), self.annotator, self.annotator, doc_id) for doc_id in doc_ids])
        self._count({tuple(row[:3]): row[3] for row in self.db.execute(
            "SELECT annotator, label, origin, count(*) FROM relations WHERE id > ? GROUP BY 1, 2, 3", [since])})

    def prediction_models(self) -> list[str]:
        return self.db.column("SELECT DISTINCT owner FROM link_counts WHERE kind = 'relation_prediction' AND n > 0 "
                              "ORDER BY owner")

