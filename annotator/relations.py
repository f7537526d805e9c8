"""Relations between spans: a project's relation labels, and a link between two spans of a
person's layer ("38,000" COUNTS "casualties"; "drone strike" LOCATED_IN "Odesa").

A relation joins two stored spans by their ids: both must exist, in the same document and the
same person's layer, and be two different spans; a label may restrict which span labels its
head and its child carry. Pure Python: the store checks with these rules inside its write.
"""

from __future__ import annotations

from dataclasses import dataclass

from annotator.descriptions import describe_span as describe
from annotator.domain import ORIGIN_HUMAN, NewDocument, Span, SpanT, StoredSpan


class RelationError(ValueError):
    """A relation that does not fit: an end missing, ends in different documents or layers, a
    label that does not exist or does not allow an end's label."""


@dataclass(frozen=True)
class RelationLabel:
    """A kind of link. ``heads``/``children``: the span labels allowed at each end (empty: any).
    An undirected label's two ends are interchangeable (stored in text order)."""

    name: str
    colour: str = "#616161"
    key: str | None = None
    directed: bool = True
    heads: tuple[str, ...] = ()
    children: tuple[str, ...] = ()


# What a new project starts with: the links a news analyst reads first.
DEFAULT_RELATION_LABELS: tuple[RelationLabel, ...] = (
    RelationLabel("COUNTS", "#1d4ed8", "c"),  # a number -> what it counts
    RelationLabel("LOCATED_IN", "#047857", "l"),  # an event or thing -> where
    RelationLabel("ATTACKED", "#b91c1c", "a"),  # attacker -> attacked
    RelationLabel("SAID", "#7c3aed", "s"),  # speaker -> what was said
)


@dataclass(frozen=True)
class Relation:
    """A link from the span ``head`` to the span ``child`` (the store's span ids), not yet stored."""

    head: int
    child: int
    label: str
    origin: str = ORIGIN_HUMAN
    confirmed: bool = True
    annotator: str | None = None


@dataclass(frozen=True, kw_only=True)
class StoredRelation(Relation):
    """A relation read from the store, under its ``id``."""

    id: int


@dataclass(frozen=True)
class LinkEnd:
    """An end of a relation as the check sees it: the span and where it is stored."""

    span: StoredSpan
    doc_id: int
    annotator: str


def check_relation(name: str, label: RelationLabel | None, head: LinkEnd | None, child: LinkEnd | None) -> None:
    """Refuse a relation that does not fit, saying why in one line."""
    if label is None:
        raise RelationError(f"there is no relation label {name!r}")
    if head is None or child is None:
        raise RelationError(f"cannot link with {name}: its {'head' if head is None else 'child'} span is not there")
    if head.span.id == child.span.id:
        raise RelationError(f"cannot link {describe(head.span)} with {name} to itself")
    if head.doc_id != child.doc_id:
        raise RelationError(f"cannot link {describe(head.span)} to {describe(child.span)}: they are in different documents")
    if head.annotator != child.annotator:
        raise RelationError(f"cannot link {describe(head.span)} to {describe(child.span)}: they are in different "
                            f"people's layers ({head.annotator}, {child.annotator})")
    for end, allowed, role in ((head, label.heads, "head"), (child, label.children, "child")):
        if allowed and end.span.label not in allowed:
            raise RelationError(f"{name} allows a {role} of {', '.join(allowed)}, not {describe(end.span)}")


def check_link_rows(doc: NewDocument) -> None:
    """Refuse relations read from a file (head and child: indices into ``doc``'s spans, then its
    entity rows, see ``LinkRow``) that do not fit."""
    spans, ends = doc.spans, len(doc.spans) + len(doc.entities)
    for head, child, name in doc.links:
        if not name:
            raise RelationError(f"a relation between spans {head} and {child} has no label")
        if not (0 <= head < ends and 0 <= child < ends):
            raise RelationError(f"{name} relation joins span {head if not 0 <= head < ends else child}, "
                                f"which is not among the document's {ends} spans")
        if head == child:
            raise RelationError(f"cannot link {describe(doc.end(head))} with {name} to itself")
        if (spans[head].annotator if head < len(spans) else None) != (spans[child].annotator if child < len(spans) else None):
            raise RelationError(f"cannot link {describe(doc.end(head))} to {describe(doc.end(child))}: they are in "
                                f"different people's layers")


def ordered(label: RelationLabel, head: SpanT, child: SpanT) -> tuple[SpanT, SpanT]:
    """The ends as stored: as given for a directed label, in text order for an undirected one."""
    if label.directed or (head.start, head.end) <= (child.start, child.end):
        return head, child
    return child, head


@dataclass(frozen=True)
class Link:
    """A relation with its ends as spans rather than ids: how relations travel between projects
    (merge), to and from files, and from a model (its ends found again by place and label)."""

    head: Span
    child: Span
    label: str
    origin: str = ORIGIN_HUMAN
    confirmed: bool = True
