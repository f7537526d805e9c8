"""Edits per article as a person labels a stream: today's static suggestions against suggestions
that learn from the person's decisions (annotator.learning).

Replays the documents of a project marked done, in order, as a simulated labeller whose wanted
result is the gold layer (a person's layer of those documents): for each document it opens it,
makes the edits needed to turn the suggestions into the gold — remove, relabel, resize, add, one
at a time in text order, each through the session's own edit (what the window's keys call), so
that what an edit teaches is in place before the next one is chosen — marks the document done,
and goes on. Run twice on fresh copies of the documents and the same model's predictions: once
with learning off, once on. Only the gold's labels are judged (after ``--map``, as ``annotator
evaluate`` takes it): a suggestion of another label is left alone unless it overlaps a gold span.
Numbers are not judged.

It prints edits per document in blocks of 10 documents, the totals, how many wrong labels the
edits correct again a string the labeller had already corrected (in that document or before), and last:
``after 50 documents: static S edits/document, learning L edits/document`` (the means over the
documents after the 50th; with ``--docs N`` and N <= 50, after the first half).

    python bench/learning_stream.py --gold PROJECT.db [--annotator NAME] [--docs N] [--map MODEL=GOLD ...]
                                    [--model NAME_OR_PATH] [--plot curve.png]
    python bench/learning_stream.py --generate 100 [--varied] [--plot curve.png]   # generated news, gold known
    python bench/learning_stream.py --seeds                             # the two sample articles, gold in bench/
"""

from __future__ import annotations

import argparse
import json
import random
import re
import statistics
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from detect_speed import COUNTS, NOUNS, ORGS, PEOPLE, PLACES, SENTENCES, article

from annotator.detect.pipeline import load_pipeline
from annotator.domain import DONE, ENTITIES, Label, NewDocument, Span
from annotator.labels import colour_for
from annotator.learning.strings import key
from annotator.review.evaluate import parse_mapping
from annotator.session import Session
from annotator.storage import Store

SEEDS_GOLD = Path(__file__).resolve().parent / "seeds_gold.jsonl"
SEEDS = Path(__file__).resolve().parent.parent / "seeds"


@dataclass
class Gold:
    text: str
    spans: list[tuple[int, int, str]]  # entities: start, end, label


def read_project(path: Path, annotator: str | None, docs: int | None) -> list[Gold]:
    with Store(path) as store:
        who = annotator or _main_annotator(store)
        ids = store.document_ids(DONE)[:docs]
        return [Gold(store.document(i).text, [(s.start, s.end, s.label) for s in store.spans(i, ENTITIES, who)])
                for i in ids]


def _main_annotator(store: Store) -> str:
    names = store.annotators()
    if not names:
        sys.exit("the project holds nobody's layer: nothing to replay")
    return names[0]


FIRST = ["Olena", "Andriy", "Iryna", "Mykola", "Taras", "Oksana", "Dmytro", "Yulia", "Serhiy", "Natalia", "Pavlo",
         "Kateryna", "Ivan", "Svitlana", "Bohdan", "Maria", "Roman", "Halyna", "Yuriy", "Larysa"]
LAST = ["Kovalenko", "Bondarenko", "Tkachenko", "Shevchuk", "Melnyk", "Kravchuk", "Oliynyk", "Lysenko", "Marchenko",
        "Savchenko", "Rudenko", "Moroz", "Petrenko", "Hrytsenko", "Klymenko", "Pavlenko", "Levchenko", "Zinchenko"]
TOWNS = ["Bakhmut", "Pokrovsk", "Chasiv Yar", "Kupiansk", "Izium", "Vovchansk", "Orikhiv", "Huliaipole", "Toretsk",
         "Marinka", "Vuhledar", "Lyman", "Siversk", "Kostiantynivka", "Kramatorsk", "Sloviansk", "Nikopol", "Enerhodar",
         "Okhtyrka", "Shostka", "Konotop", "Uman", "Bila Tserkva", "Zhytomyr", "Rivne", "Lutsk", "Ternopil", "Vinnytsia"]
UNITS = ["Azov brigade", "Kraken unit", "Territorial Defense Forces", "State Emergency Service", "Security Service",
         "National Guard", "Energoatom", "Ukrenergo", "Naftogaz", "Red Cross", "World Bank", "European Commission"]


def generated(n: int, varied: bool = False) -> list[Gold]:
    """News-like articles (bench/detect_speed.py's), their gold the names they were made from. With
    ``varied``, the names come from a larger pool (360 people, 38 places, 17 organisations) at
    Zipf-like frequencies: new names keep appearing, as in real news, and only repeats can be learned."""
    rng = random.Random(21)
    people, places, orgs = list(PEOPLE), list(PLACES), [o.removeprefix("the ") for o in ORGS]
    if varied:
        people += [f"{f} {last}" for f in FIRST for last in LAST]
        places += TOWNS
        orgs += UNITS
    names = [(p, "GPE") for p in places] + [(p, "PERSON") for p in people] + [(o, "ORG") for o in orgs]
    pattern = re.compile(r"(?<!\w)(" + "|".join(re.escape(name) for name, _ in sorted(names, key=lambda x: -len(x[0])))
                         + r")(?!\w)")
    label = dict(names)

    def pick(pool: list[str]) -> str:
        return pool[min(int(rng.paretovariate(1.0)) - 1, len(pool) - 1)] if varied else rng.choice(pool)

    out = []
    for _ in range(n):
        if varied:
            shuffled = [rng.sample(pool, len(pool)) for pool in (people, places, orgs)]  # a new order each article
            text = " ".join(rng.choice(SENTENCES).format(
                org=("the " + pick(shuffled[2])), person=pick(shuffled[0]), place=pick(shuffled[1]),
                count=rng.choice(COUNTS), noun=rng.choice(NOUNS)) for _ in range(18))
        else:
            text = article(rng)
        out.append(Gold(text, [(m.start(), m.end(), label[m.group()]) for m in pattern.finditer(text)]))
    return out


def seeds() -> list[Gold]:
    """The two sample articles with the gold written for them (bench/seeds_gold.jsonl: a string and its
    label a line, every occurrence of the string in both articles taking it)."""
    rows = [json.loads(line) for line in SEEDS_GOLD.read_text(encoding="utf-8").splitlines() if line.strip()]
    pattern = re.compile(r"(?<!\w)(" + "|".join(re.escape(r["text"]) for r in sorted(rows, key=lambda r: -len(r["text"])))
                         + r")(?!\w)")
    label = {r["text"]: r["label"] for r in rows}
    texts = [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))]
    return [Gold(t, [(m.start(), m.end(), label[m.group()]) for m in pattern.finditer(t)]) for t in texts]


class Labeller:
    """Turns the open document's suggestions into the gold, one session edit at a time."""

    def __init__(self, session: Session, gold: Gold, mapping: dict[str, str], judged: set[str]) -> None:
        self.session, self.gold, self.mapping, self.judged = session, gold, mapping, judged
        self.edits = 0
        self.wrong_on_corrected = 0

    def label_of(self, span: Span) -> str:
        return self.mapping.get(span.label, span.label)

    def entities(self) -> list[Span]:
        return sorted((s for s in self.session.spans.values() if s.layer == ENTITIES), key=lambda s: s.start)

    def next_edit(self) -> tuple[str, Span | None, tuple[int, int, str] | None] | None:
        gold = self.gold.spans
        places = {(s, e) for s, e, _ in gold}
        for start, end, label in gold:
            there = [s for s in self.entities() if s.start < end and start < s.end]
            exact = [s for s in there if (s.start, s.end) == (start, end)]
            if exact and len(there) == 1:
                if self.label_of(exact[0]) != label:
                    return "relabel", exact[0], (start, end, label)
                continue
            judged = [s for s in there if self.label_of(s) in self.judged and (s.start, s.end) not in places]
            others = [s for s in there if s not in judged[:1] and s not in exact]
            if others:
                return "remove", others[0], None
            if judged:
                return "resize", judged[0], (start, end, label)
            if not exact:
                return "add", None, (start, end, label)
        for span in self.entities():
            if self.label_of(span) in self.judged and (span.start, span.end) not in places:
                return "remove", span, None
        return None

    def run(self, corrected: dict[str, str]) -> None:
        """Edit until the document is the gold; count the edits, and those that correct again a string
        corrected before, in this document or an earlier one (``corrected``: key → label, updated)."""
        refused = 0
        while (edit := self.next_edit()) is not None:
            what, span, target = edit
            strings = {key(span.text)} if span is not None else set()
            if target is not None:
                strings.add(key(self.gold.text[target[0]:target[1]]))
            if strings & set(corrected):  # a mistake shown again on a string corrected before
                self.wrong_on_corrected += 1
            if span is not None:
                self.session.select(span)
            if what == "relabel":
                done = self.session.relabel(self._label(target[2]))  # type: ignore[index]
            elif what == "remove":
                corrected[key(span.text)] = ""  # type: ignore[union-attr]
                done = self.session.delete()
            elif what == "resize":
                start, end, label = target  # type: ignore[misc]
                done = self.session.update(start=start, end=end, label=self._label(label))
            else:
                start, end, label = target  # type: ignore[misc]
                done = self.session.add(start, end, self._label(label))
            if target is not None:
                corrected[key(self.gold.text[target[0]:target[1]])] = target[2]
            self.edits += 1
            if not done:
                refused += 1
                if refused > 50:
                    raise SystemExit(f"an edit keeps being refused: {what} {span} {target}")
        self.session.set_status(DONE)

    def _label(self, gold_label: str) -> str:
        """The project label a gold label is written with (the mapping read backwards)."""
        return next((model for model, gold in self.mapping.items() if gold == gold_label), gold_label)


def replay(golds: Sequence[Gold], predictions: Sequence[list[Span]], mapping: dict[str, str], learning: bool,
           folder: Path) -> tuple[list[int], int]:
    """Edits per document, and wrong labels shown on strings corrected before."""
    judged = {label for g in golds for _, _, label in g.spans}
    path = folder / ("learning.db" if learning else "static.db")
    with Store(path, annotator="labeller") as store:
        ids = store.add_documents([NewDocument(g.text, meta={"title": f"doc {i}"}) for i, g in enumerate(golds)]).added
        for name in sorted(judged | {s.label for p in predictions for s in p}):
            if store.label(name) is None:
                store.add_label(Label(name, ENTITIES, colour_for(name)))
        if not learning:
            store.set_setting("learning", "off")
        store.save_many_predictions(list(zip(ids, predictions)), "model", "1")
        session = Session(store)
        edits, wrong, corrected = [], 0, {}  # type: ignore[var-annotated]
        for doc_id, gold in zip(ids, golds):
            session.open(doc_id)
            labeller = Labeller(session, gold, mapping, judged)
            labeller.run(corrected)
            edits.append(labeller.edits)
            wrong += labeller.wrong_on_corrected
    return edits, wrong


def gold_options(parser: argparse.ArgumentParser) -> argparse._MutuallyExclusiveGroup:
    """Where the gold comes from and who suggests (this bench's and bench/uncertainty_order.py's);
    the group of sources is returned for a bench to add its own."""
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--gold", type=Path, help="a project whose done documents hold the gold layer")
    source.add_argument("--generate", type=int, metavar="N", help="N generated news articles, gold known")
    parser.add_argument("--varied", action="store_true", help="with --generate: names from a larger pool, Zipf-like")
    parser.add_argument("--annotator", help="whose layer of --gold is the gold (default: the first annotator)")
    parser.add_argument("--docs", type=int, help="only the first N documents")
    parser.add_argument("--map", action="append", default=[], metavar="MODEL=GOLD", help="a model label's gold name")
    parser.add_argument("--model", help="the spaCy pipeline suggesting (default: as annotator detect)")
    return source


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    gold_options(parser).add_argument("--seeds", action="store_true", help="the two sample articles with bench/seeds_gold.jsonl")
    parser.add_argument("--plot", type=Path, help="write the curve as a PNG")
    args = parser.parse_args()
    mapping = parse_mapping(args.map)
    golds = (read_project(args.gold, args.annotator, args.docs) if args.gold else
             generated(args.generate, args.varied) if args.generate else seeds())[: args.docs]
    if not golds:
        sys.exit("no done documents to replay")
    pipeline = load_pipeline(args.model)
    predictions = [[s for s in spans if s.layer == ENTITIES] for spans in pipeline.predict([g.text for g in golds])]
    print(f"{len(golds)} documents, {sum(len(g.spans) for g in golds)} gold entities; suggestions by {pipeline.describe()}")
    with tempfile.TemporaryDirectory() as folder:
        static, wrong_static = replay(golds, predictions, mapping, False, Path(folder))
        learned, wrong = replay(golds, predictions, mapping, True, Path(folder))
    print("documents   static  learning  (edits/document)")
    for block in range(0, len(golds), 10):
        part = slice(block, block + 10)
        print(f"{block + 1:>4}-{min(block + 10, len(golds)):<5} {statistics.mean(static[part]):7.2f} "
              f"{statistics.mean(learned[part]):9.2f}")
    print(f"total edits: static {sum(static)}, learning {sum(learned)}")
    print(f"edits correcting again a string already corrected: static {wrong_static}, learning {wrong}")
    if args.plot:
        _plot(static, learned, args.plot)
    after = 50 if len(golds) > 50 else len(golds) // 2
    static_mean, learning_mean = statistics.mean(static[after:]), statistics.mean(learned[after:])
    print(f"after {after} documents: static {static_mean:.2f} edits/document, learning {learning_mean:.2f} edits/document")


def _plot(static: list[int], learned: list[int], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    blocks = range(0, len(static), 10)
    x = [b + 1 for b in blocks]
    fig, ax = plt.subplots(figsize=(7, 4))
    ax.plot(x, [statistics.mean(static[b : b + 10]) for b in blocks], marker="o", label="static model")
    ax.plot(x, [statistics.mean(learned[b : b + 10]) for b in blocks], marker="o", label="learning from decisions")
    ax.set_xlabel("document (first of each block of 10)")
    ax.set_ylabel("edits per document")
    ax.legend()
    fig.tight_layout()
    fig.savefig(path)


if __name__ == "__main__":
    main()
