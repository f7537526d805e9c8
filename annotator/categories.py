"""Document labels (categories): a project's scheme of them, and what a document was given.

A scheme is a list of labels, each in a group (the empty name is the project's ungrouped
labels). A group is multi-label (any of its labels together) or single-choice (choosing one
of its labels drops the group's other one). Pure Python, as the span domain is: the store
keeps them, the window draws them, the review scores them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

# The project's ungrouped document labels: multi-label unless made single-choice.
UNGROUPED = ""


class CategoryError(ValueError):
    """A document label that does not exist, or two labels of a single-choice group together."""


@dataclass(frozen=True)
class CategoryLabel:
    """A document label: its name, the group it belongs to, its colour and key in the window."""

    name: str
    group: str = UNGROUPED
    colour: str = "#9e9e9e"
    key: str | None = None


@dataclass(frozen=True)
class CategoryGroup:
    """A group of document labels; ``exclusive``: single-choice (at most one of them per document)."""

    name: str
    exclusive: bool = False


@dataclass(frozen=True)
class Category:
    """A document label given to a document, in a person's layer (``origin`` as a span's)."""

    label: str
    origin: str = "human"
    annotator: str | None = None


@dataclass(frozen=True)
class CategorySuggestion:
    """A model's document label for a document, with its score (0 to 1); kept apart from people's."""

    label: str
    score: float
    model: str = ""


@dataclass(frozen=True)
class Toggle:
    """What toggling a label does to a document's labels: the one added or removed, and the
    labels of its single-choice group that choosing it drops."""

    added: frozenset[str] = frozenset()
    removed: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Scheme:
    """A project's document labels and their groups (a group with no row is multi-label)."""

    labels: tuple[CategoryLabel, ...] = ()
    groups: tuple[CategoryGroup, ...] = ()

    def label(self, name: str) -> CategoryLabel | None:
        return next((label for label in self.labels if label.name == name), None)

    def exclusive(self, group: str) -> bool:
        return any(g.name == group and g.exclusive for g in self.groups)

    def toggle(self, chosen: Iterable[str], name: str) -> Toggle:
        """Toggle ``name`` on a document that has ``chosen``: off if it has it, else on (dropping
        the other label of its group if the group is single-choice)."""
        label = self.label(name)
        if label is None:
            raise CategoryError(f"there is no document label {name!r}")
        chosen = frozenset(chosen)
        if name in chosen:
            return Toggle(removed=frozenset({name}))
        dropped: frozenset[str] = frozenset()
        if self.exclusive(label.group):
            dropped = frozenset(c for c in chosen if (other := self.label(c)) is not None and other.group == label.group)
        return Toggle(added=frozenset({name}), removed=dropped)

    def single_choice(self, names: Iterable[str]) -> bool:
        """Whether these labels are all of one single-choice group (a classifier then picks one)."""
        groups = {label.group for name in names if (label := self.label(name)) is not None}
        return len(groups) == 1 and self.exclusive(next(iter(groups)))

    def check(self, chosen: Iterable[str]) -> None:
        """Refuse unknown labels and two labels of one single-choice group on a document."""
        seen: dict[str, str] = {}
        for name in chosen:
            label = self.label(name)
            if label is None:
                raise CategoryError(f"there is no document label {name!r}")
            if self.exclusive(label.group):
                if label.group in seen:
                    raise CategoryError(f"{seen[label.group]} and {name} are both in the single-choice group "
                                        f"{label.group!r}: a document may have only one of them")
                seen[label.group] = name
