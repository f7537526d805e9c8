"""Who is given which document: the round-robin that spreads a set of documents over people.

Pure and Qt/SQL-free, so that the rule (each document to ``overlap`` different people, everyone
given as many as anyone else, give or take one) is tested on its own.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence


def spread(doc_ids: Iterable[int], people: Sequence[str], overlap: int = 1) -> list[tuple[int, str]]:
    """(document, person) pairs: the documents in order, each to the next ``overlap`` people of the
    round (consecutive turns, so the people of one document are all different)."""
    if not people:
        raise ValueError("name at least one person to assign documents to")
    if len(set(people)) != len(people):
        raise ValueError(f"a person is named twice in {', '.join(people)}")
    if not 1 <= overlap <= len(people):
        raise ValueError(f"--overlap {overlap} must be between 1 and the number of people ({len(people)})")
    turn = 0
    pairs = []
    for doc_id in doc_ids:
        for _ in range(overlap):
            pairs.append((doc_id, people[turn % len(people)]))
            turn += 1
    return pairs
