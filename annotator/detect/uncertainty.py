"""How sure the model is of a document's entities: the expected number of its suggestions a person
will change, read from a beam of the NER's parses (what "next unreviewed where suggestions are
least certain" follows: annotator.learning.queue).

spaCy's NER chooses one parse greedily. The component made here runs in its place: from one pass
of the NER's network over a batch it takes the greedy parse (the same entities as the NER alone:
tested) and a beam of ``width`` parses beside it. Each parse of the beam has a probability; an
entity's probability is the sum of those of the parses holding it (spaCy's ``scored_ents``). A
document's uncertainty is, over its suggested entities, the sum of the chances that each is wrong
(1 − its probability), plus, where nothing is suggested, the chance the beam puts an entity there
(overlapping candidates counted once, by the likeliest). It is kept in ``doc.user_data`` (it
travels with the doc between processes) under :data:`KEY`.

Cost: the beam's steps, not a second pass of the network (``bench/detect_speed.py --uncertainty``).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from spacy.language import Language
from spacy.pipeline._parser_internals._beam_utils import BeamBatch
from spacy.tokens import Doc
from spacy.util import minibatch

KEY = "annotator_uncertainty"
COMPONENT = "annotator_uncertain_ner"
WIDTH = 4  # parses in the beam: 8 costs about twice as much and changes the order little


class UncertainNER:
    """The pipeline's NER, run greedily as usual, and measured by a beam from the same network output."""

    def __init__(self, ner: Any, width: int = WIDTH) -> None:  # spaCy's EntityRecognizer: a Cython class, untyped
        self.ner, self.width = ner, width

    def __call__(self, doc: Doc) -> Doc:
        self.annotate([doc])
        return doc

    def pipe(self, docs: Iterable[Doc], batch_size: int = 128) -> Iterator[Doc]:
        for batch in minibatch(docs, batch_size):  # type: ignore[no-untyped-call]  # spaCy's util is untyped
            self.annotate(batch)
            yield from batch

    def annotate(self, docs: list[Doc]) -> None:
        ner = self.ner
        worded = [doc for doc in docs if len(doc)]
        for doc in docs:
            doc.user_data[KEY] = 0.0
        if not worded:
            return
        ner._ensure_labels_are_added(worded)
        network = ner.model.predict(worded)
        try:
            greedy = self._parse(network, worded, 1)
            beams = self._parse(network, worded, self.width)
        finally:
            network.clear_memory()
        ner.set_annotations(worded, greedy)
        for doc, scored in zip(worded, ner.scored_ents(beams), strict=True):
            doc.user_data[KEY] = expected_changes([(e.start, e.end, e.label_) for e in doc.ents], scored)

    def _parse(self, network: Any, docs: list[Doc], width: int) -> list[Any]:
        moves = self.ner.moves
        batch = BeamBatch(moves, moves.init_batch(docs), None, width, density=0.0)
        while not batch.is_done:
            states = batch.get_unfinished_states()
            if not states:
                break
            batch.advance(network.predict(states))
        return list(batch)


def expected_changes(suggested: list[tuple[int, int, str]], scored: dict[tuple[int, int, str], float]) -> float:
    """Each suggested entity's chance of being wrong, plus the chance of an entity where none is
    suggested (overlapping candidates there counted once, by the likeliest)."""
    wrong = sum(1.0 - min(1.0, scored.get(entity, 0.0)) for entity in suggested)
    taken = sorted((start, end) for start, end, _ in suggested)
    elsewhere = sorted((start, end, p) for (start, end, _), p in scored.items()
                       if not any(s < end and start < e for s, e in taken))
    missed, group_end, group_most = 0.0, -1, 0.0
    for start, end, p in elsewhere:
        if start >= group_end:
            missed += group_most
            group_most = 0.0
        group_end, group_most = max(group_end, end), max(group_most, min(1.0, p))
    return round(wrong + missed + group_most, 4)


@Language.factory(COMPONENT, default_config={"width": WIDTH})
def _make(nlp: Language, name: str, width: int) -> UncertainNER:  # spaCy's factory signature (name unused)
    return UncertainNER(nlp.get_pipe("ner"), width)


def measure_uncertainty(nlp: Language, on: bool) -> None:
    """Put the measuring NER in the place of ``ner`` (on), or the plain NER back (off)."""
    present = COMPONENT in nlp.component_names
    if on and not present and "ner" in nlp.pipe_names:
        nlp.add_pipe(COMPONENT, after="ner")
        nlp.disable_pipe("ner")
    elif not on and present:
        nlp.remove_pipe(COMPONENT)
        nlp.enable_pipe("ner")
