"""Several people's answers on one text (Prodigy's multi-user sessions, a Label Studio task's
annotations): one document, each person's layer, and what each person's answer said about
itself, so that an export can give every person's answer back as it came.

The document's meta is its first answer's (as for a text only one person answered); each later
answer by another person keeps, under ``meta["answers"][person]``, the meta keys where it says
something else (a key it lacks is kept as None) and its status where that differs. The document
is done when any answer is: someone's gold is there.
"""

from __future__ import annotations

from typing import Any

from annotator.domain import DONE

ANSWERS = "answers"  # the meta key of the later answers' own meta, by person
STATUS = "status"  # an answer's status, where it is not the document's
MAX_PEOPLE = 1000  # answers on one text: each joins the document's meta, so a hostile file's 100,000 would cost hours


class TooManyAnswers(ValueError):
    """More people answered one text than a document keeps."""


def answers(meta: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The later answers' own meta by person (nothing when a file's own meta uses the key otherwise:
    that value is kept until another person's answer joins the document, then replaced)."""
    found = meta.get(ANSWERS)
    if isinstance(found, dict) and all(isinstance(own, dict) for own in found.values()):
        return found
    return {}


def joined(meta: dict[str, Any], status: str, who: str, answer: dict[str, Any],
           answer_status: str) -> tuple[dict[str, Any], str]:
    """The document's meta and status once ``who``'s answer (its meta and status) joins it."""
    layers = {person: dict(own) for person, own in answers(meta).items()}
    if len(layers) + 1 >= MAX_PEOPLE:  # the first answer is the document's own
        raise TooManyAnswers(f"more than {MAX_PEOPLE:,} people's answers on one text (the most one document keeps)")
    own = {key: answer.get(key) for key in {*answer, *meta} - {ANSWERS} if answer.get(key) != meta.get(key)}
    combined = DONE if DONE in (status, answer_status) else status
    if answer_status != combined:
        own[STATUS] = answer_status
    first = meta.get("annotator")
    if status != combined:  # the earlier answers' own status, which the document no longer has
        for person in [*([str(first)] if first is not None else []), *layers]:
            layers.setdefault(person, {}).setdefault(STATUS, status)
    layers[who] = own
    return {**meta, ANSWERS: layers}, combined


def answered_by(meta: dict[str, Any]) -> list[str]:
    """Who answered the document in the file it came from: its first answer's person (when named),
    then the people whose answers joined it, in the file's order."""
    first = meta.get("annotator")
    named = [str(first)] if first is not None else []
    return named + [person for person in answers(meta) if person not in named]


def meta_for(meta: dict[str, Any], status: str, who: str) -> tuple[dict[str, Any], str]:
    """The meta and status of ``who``'s answer, named as its ``annotator``. Someone whose answer is
    not in the file (they labelled here) gets the document's meta without what differs from answer
    to answer."""
    layers = answers(meta)
    base = {key: value for key, value in meta.items() if key != ANSWERS or not layers}
    if who in layers:
        own = layers[who]
    elif who == str(meta.get("annotator")):
        own = {}
    else:
        own = {key: None for theirs in layers.values() for key in theirs}
    merged = {**base, **own, "annotator": who}
    return {key: value for key, value in merged.items() if value is not None and key != STATUS}, own.get(STATUS) or status
