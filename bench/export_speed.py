"""How fast are exports, and does memory stay flat? Prints documents/second and peak memory per
format, and for spaCy's DocBin and CoNLL the time beside spaCy's own writing of the same Docs.

Builds a project of generated news articles (default 2,000) whose every place and person name is
labelled, then exports it in each format of the table; each export runs in a fresh process so
that its peak memory (ru_maxrss) is its own. The floors, each in a fresh process too, start from
the texts and spans already in memory and use spaCy alone: tokenize, set ``doc.ents`` and write
a DocBin (in shards of the same size); for CoNLL, split sentences, take ``offsets_to_biluo_tags``
as IOB and write ``token TAG`` lines (for CoNLL-U, a file a document of ``id FORM … MISC`` lines
with ``NE=`` tags and ``SpaceAfter=No``); for WebAnno TSV, the same with sentences, UTF-16 offsets
and a file a document; for the Hugging Face dataset, every row in memory, one
``Dataset.from_list`` and ``save_to_disk``; for UIMA CAS, dkpro-cassis alone building and writing
the same CASes. Our exports also read every document from the project.

    python bench/export_speed.py [--docs 2000] [--formats spacy,conll,hf,webanno]
"""

from __future__ import annotations

import argparse
import random
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from detect_speed import PEOPLE, PLACES, article

from annotator.domain import DONE, ENTITIES, NewDocument, Span
from annotator.export import export_documents
from annotator.formats import FORMATS, WriteOptions, writable
from annotator.storage import Store

SHARD = 1000  # documents per DocBin shard, ours and the floor's
NAMES = re.compile("|".join(map(re.escape, PEOPLE + PLACES)))


def build(path: Path, docs: int) -> int:
    rng = random.Random(11)
    spans = 0
    with Store(path, annotator="bench") as store:
        texts = [article(rng) + f" (Report {i}.)" for i in range(docs)]
        ids = store.add_documents(NewDocument(t, status=DONE) for t in texts).added
        for doc_id, text in zip(ids, texts):
            found = [Span.of(text, m.start(), m.end(), "PERSON" if m.group() in PEOPLE else "GPE")
                     for m in NAMES.finditer(text)]
            store.insert_predictions(doc_id, found, "names", "1")
            spans += len(found)
    return spans


def size(path: Path) -> float:
    return (sum(p.stat().st_size for p in path.rglob("*")) if path.is_dir() else path.stat().st_size) / 2**20


def one(db: Path, fmt: str, out: Path) -> None:
    with Store(db, annotator="bench") as store:
        started = time.perf_counter()
        report = export_documents(store, fmt, out, options=WriteOptions(shard_size=SHARD))
        seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{fmt:13} {seconds:6.2f} s {report.documents / seconds:8,.0f} docs/s  {report.spans:8,} spans  "
          f"peak {peak:5.0f} MiB  {size(out):6.1f} MiB written")
    return seconds


def spacy_floor(db: Path, fmt: str, out: Path) -> float:
    """spaCy's own writing of the same Docs, from texts and spans already in memory."""
    import spacy
    from spacy.tokens import DocBin
    from spacy.training import biluo_to_iob, offsets_to_biluo_tags

    with Store(db, annotator="bench") as store:
        data = [(d.text, [(s.start, s.end, s.label) for s in store.layer(d.id) if s.layer == ENTITIES])
                for d in store.iter_documents()]
    started = time.perf_counter()
    if fmt == "spacy":
        nlp = spacy.blank("en")
        out.mkdir(parents=True, exist_ok=True)
        for first in range(0, len(data), SHARD):
            shard = DocBin(attrs=["ORTH", "SPACY", "ENT_IOB", "ENT_TYPE"], store_user_data=True)
            for text, spans in data[first:first + SHARD]:
                doc = nlp.make_doc(text)
                doc.ents = [doc.char_span(s, e, label=label) for s, e, label in spans]
                shard.add(doc)
            shard.to_disk(out / f"{first // SHARD:03d}.spacy")
    elif fmt == "hf":
        hf_floor(spacy.blank("en"), data, out)
    elif fmt in ("uima-xmi", "uima-json"):
        cas_floor(data, fmt, out)
    elif fmt == "webanno":
        nlp = spacy.blank("en")
        nlp.add_pipe("sentencizer")
        out.mkdir(parents=True, exist_ok=True)
        for n, (doc, (text, spans)) in enumerate(zip(nlp.pipe(t for t, _ in data), data)):
            tags = biluo_to_iob(offsets_to_biluo_tags(doc, spans))
            units = [len(text[:t.idx].encode("utf-16-le")) // 2 for t in doc]  # WebAnno counts UTF-16 units
            lines = ["#FORMAT=WebAnno TSV 3.3\n#T_SP=NamedEntity|value\n\n"]
            for k, sent in enumerate(doc.sents, 1):
                words = [t for t in sent if not t.is_space]
                lines.append(f"\n#Text={text[words[0].idx:words[-1].idx + len(words[-1])]}\n")
                lines += [f"{k}-{j}\t{units[t.i]}-{units[t.i] + len(t)}\t{t.text}\t{tags[t.i][2:] or '_'}\n"
                          for j, t in enumerate(words, 1)]
            (out / f"{n:06d}.tsv").write_text("".join(lines), encoding="utf-8")
    elif fmt == "conllu":
        nlp = spacy.blank("en")
        nlp.add_pipe("sentencizer")
        out.mkdir(parents=True, exist_ok=True)
        for n, (doc, (_, spans)) in enumerate(zip(nlp.pipe(t for t, _ in data), data)):
            tags = biluo_to_iob(offsets_to_biluo_tags(doc, spans))
            lines = []
            for k, sent in enumerate(doc.sents, 1):
                words = [t for t in sent if not t.is_space]
                lines.append(f"# sent_id = {k}\n# text = {sent.text}\n")
                for j, t in enumerate(words, 1):
                    misc = ([f"NE={tags[t.i]}"] if tags[t.i] != "O" else []) + ([] if t.whitespace_ else ["SpaceAfter=No"])
                    lines.append(f"{j}\t{t.text}\t_\t_\t_\t_\t_\t_\t_\t{'|'.join(misc) or '_'}\n")
                lines.append("\n")
            (out / f"{n:06d}.conllu").write_text("".join(lines), encoding="utf-8")
    else:
        nlp = spacy.blank("en")
        nlp.add_pipe("sentencizer")
        with out.open("w", encoding="utf-8") as file:
            for doc, (_, spans) in zip(nlp.pipe(t for t, _ in data), data):
                tags = biluo_to_iob(offsets_to_biluo_tags(doc, spans))
                file.write("-DOCSTART- -X- O O\n\n")
                for sent in doc.sents:
                    file.write("\n".join(f"{t.text} {tags[t.i]}" for t in sent if not t.is_space) + "\n\n")
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{'  spaCy alone':13} {seconds:6.2f} s {len(data) / seconds:8,.0f} docs/s  {'':14}  peak {peak:5.0f} MiB")
    return seconds


def hf_floor(nlp, data: list, out: Path) -> None:
    """The plain way to a DatasetDict: every row in memory, one Dataset.from_list, save_to_disk."""
    import datasets
    from spacy.training import biluo_to_iob, offsets_to_biluo_tags

    rows = []
    labels = sorted({label for _, spans in data for _, _, label in spans})
    names = ["O"] + [f"{p}-{label}" for label in labels for p in "BI"]
    for i, (doc, (text, spans)) in enumerate(zip(nlp.pipe(t for t, _ in data), data)):
        tags = biluo_to_iob(offsets_to_biluo_tags(doc, spans))
        words = [t for t in doc if not t.is_space]
        rows.append({"id": i, "text": text, "tokens": [t.text for t in words], "ner_tags": [tags[t.i] for t in words],
                     "token_start": [t.idx for t in words], "token_end": [t.idx + len(t) for t in words],
                     "entities": [{"start": s, "end": e, "label": label} for s, e, label in spans]})
    features = datasets.Features({
        "id": datasets.Value("int64"), "text": datasets.Value("string"), "tokens": datasets.List(datasets.Value("string")),
        "ner_tags": datasets.List(datasets.ClassLabel(names=names)), "token_start": datasets.List(datasets.Value("int64")),
        "token_end": datasets.List(datasets.Value("int64")),
        "entities": datasets.List({"start": datasets.Value("int64"), "end": datasets.Value("int64"),
                                   "label": datasets.Value("string")})})
    datasets.DatasetDict({"train": datasets.Dataset.from_list(rows, features=features)}).save_to_disk(str(out))


def cas_floor(data: list, fmt: str, out: Path) -> None:
    """dkpro-cassis alone: a CAS per document with spaCy's sentences and tokens and the entities."""
    import cassis
    import spacy

    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    ts = cassis.TypeSystem()
    sentence = ts.create_type("de.tudarmstadt.ukp.dkpro.core.api.segmentation.type.Sentence")
    token = ts.create_type("de.tudarmstadt.ukp.dkpro.core.api.segmentation.type.Token")
    entity = ts.create_type("de.tudarmstadt.ukp.dkpro.core.api.ner.type.NamedEntity")
    ts.create_feature(entity, "value", "uima.cas.String")
    out.mkdir(parents=True, exist_ok=True)
    for n, (doc, (text, spans)) in enumerate(zip(nlp.pipe(t for t, _ in data), data)):
        cas = cassis.Cas(typesystem=ts)
        cas.sofa_string = text
        for sent in doc.sents:
            cas.add(sentence(begin=sent.start_char, end=sent.end_char))
        cas.add_all([token(begin=t.idx, end=t.idx + len(t)) for t in doc if not t.is_space])
        cas.add_all([entity(begin=s, end=e, value=label) for s, e, label in spans])
        (out / f"{n:06d}.{fmt[5:]}").write_text(cas.to_xmi() if fmt == "uima-xmi" else cas.to_json(), encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--docs", type=int, default=2000)
    parser.add_argument("--formats", default=",".join(writable()), help="comma-separated, default all that write")
    parser.add_argument("--one", nargs=4, metavar=("KIND", "DB", "FORMAT", "OUT"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        kind, db, fmt, out = args.one
        seconds = (one if kind == "ours" else spacy_floor)(Path(db), fmt, Path(out))
        print(f"SECONDS {seconds}")
        return
    with tempfile.TemporaryDirectory() as folder:
        db = Path(folder) / "bench.db"
        spans = build(db, args.docs)
        print(f"{args.docs:,} documents, {spans:,} spans")
        for fmt in args.formats.split(","):
            out = Path(folder) / f"out-{fmt}{FORMATS[fmt].suffix.strip('/')}"
            ours = run("ours", db, fmt, out)
            if fmt in ("spacy", "conll", "hf", "webanno", "uima-xmi", "uima-json", "conllu"):
                floor = run("floor", db, fmt, Path(folder) / f"floor-{fmt}")
                print(f"{'':13} ratio to spaCy alone {ours / floor:.2f}")


def run(kind: str, db: Path, fmt: str, out: Path) -> float:
    """One measurement in a fresh process; prints its line and returns its seconds."""
    done = subprocess.run([sys.executable, __file__, "--one", kind, str(db), fmt, str(out)], check=True,
                          capture_output=True, text=True)
    lines = done.stdout.strip().splitlines()
    print("\n".join(lines[:-1]))
    return float(lines[-1].split()[1])


if __name__ == "__main__":
    main()
