"""A Hugging Face ``datasets`` DatasetDict, saved to disk (write only): the form token
classification starts from, as conll2003 on the Hub has it.

Each row: ``id``, ``text``, ``tokens`` as spaCy tokenized the text (white-space tokens left
out), ``ner_tags`` as a ``ClassLabel`` sequence of IOB2 names (``O``, then ``B-``/``I-`` of each
label, sorted), the tokens' character offsets (``token_start``, ``token_end``, code points) and
the entities themselves (``entities``: start, end, label), so nothing is lost to the tokens. A
span that cuts a token is reported and left out of the tags, never moved.

Streaming: rows go to a JSON Lines file beside the target as they come; at the end ``datasets``
reads it (Arrow, in pieces), casts the tags to their ClassLabel and saves the DatasetDict in a
folder beside OUT that is renamed into place when whole. With ``--split`` the writers of
``train`` and ``dev`` share one label list and one DatasetDict (OUT, splits ``train`` and
``dev``); without, OUT holds the split ``train``. ``datasets`` is an optional extra
(``pip install 'annotator[hf]'``), imported only here.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from pathlib import Path
from typing import Any

from annotator.domain import Document, Span
from annotator.formats import WriteOptions
from annotator.formats.writing import aligned, ner_entities

MISSING = "the hf format needs the datasets package: pip install 'annotator[hf]' (or pip install datasets)"


def _datasets() -> Any:
    try:
        import datasets
    except ImportError:
        raise ValueError(MISSING) from None
    return datasets


class Writer:
    """One split's rows; the last writer of an export to close saves the DatasetDict."""

    def __init__(self, path: Path, options: WriteOptions) -> None:
        _datasets()  # refuse at once, before any document is read
        self.path, self.options = path, options
        self.group: list[Writer] = options.shared.setdefault("hf", [])
        self.group.append(self)
        self.closed = False
        self.labels: set[str] = set()
        self.work = Path(tempfile.mkdtemp(prefix=".hf-", dir=path.parent))
        self.rows = (self.work / "rows.jsonl").open("w", encoding="utf-8")

    @property
    def target(self) -> Path:
        """The DatasetDict's folder: OUT, or OUT (the parent) of a split's writer."""
        return self.path.parent if len(self.group) > 1 else self.path

    def write(self, doc: Document, spans: list[Span], problems: list[str]) -> int:
        from annotator.detect.pipeline import make_doc

        sdoc = make_doc(doc.text)
        tags = ["O"] * len(sdoc)
        entities = []
        for span in ner_entities(spans):
            found = aligned(sdoc, doc, span, problems)
            if found is None:
                continue
            entities.append({"start": span.start, "end": span.end, "label": span.label})
            self.labels.add(span.label)
            tags[found.start] = "B-" + span.label
            for i in range(found.start + 1, found.end):
                tags[i] = "I-" + span.label
        kept = [(t.text, t.idx, tags[t.i]) for t in sdoc if not t.is_space]
        row = {"id": doc.id, "text": doc.text, "tokens": [w for w, _, _ in kept], "ner_tags": [g for _, _, g in kept],
               "token_start": [i for _, i, _ in kept], "token_end": [i + len(w) for w, i, _ in kept],
               "entities": entities}
        self.rows.write(json.dumps(row, ensure_ascii=False) + "\n")
        return len(entities)

    def close(self) -> list[Path]:
        self.rows.close()
        self.closed = True
        if not all(w.closed for w in self.group):
            return []
        try:
            _save(self.group, self.target)
        finally:
            for writer in self.group:
                shutil.rmtree(writer.work, ignore_errors=True)
        return [self.target]


def _save(group: list[Writer], target: Path) -> None:
    datasets = _datasets()
    labels = sorted(set().union(*(w.labels for w in group)))
    names = ["O"] + [f"{prefix}-{label}" for label in labels for prefix in "BI"]
    plain = datasets.Features({
        "id": datasets.Value("int64"), "text": datasets.Value("string"), "tokens": datasets.List(datasets.Value("string")),
        "ner_tags": datasets.List(datasets.Value("string")), "token_start": datasets.List(datasets.Value("int64")),
        "token_end": datasets.List(datasets.Value("int64")),
        "entities": datasets.List({"start": datasets.Value("int64"), "end": datasets.Value("int64"),
                                   "label": datasets.Value("string")}),
    })
    parts = {}
    for writer in group:
        split = writer.path.name if len(group) > 1 else "train"
        rows = writer.work / "rows.jsonl"
        if rows.stat().st_size == 0:
            part = datasets.Dataset.from_dict({k: [] for k in plain}, features=plain)
        else:
            part = datasets.Dataset.from_json(str(rows), features=plain, cache_dir=str(writer.work / "cache"))
        parts[split] = part.cast_column("ner_tags", datasets.List(datasets.ClassLabel(names=names)))
    building = Path(tempfile.mkdtemp(prefix=".hf-out-", dir=target.parent))
    try:
        datasets.DatasetDict(parts).save_to_disk(str(building / "d"))
        _replace(target, building / "d")
    finally:
        shutil.rmtree(building, ignore_errors=True)


def _replace(target: Path, built: Path) -> None:
    """Put the whole dataset at ``target``: an empty folder or an earlier dataset is replaced;
    a folder holding anything else is refused (nothing of it is touched)."""
    if target.exists():
        inside = [p for p in target.iterdir() if not p.name.startswith(".hf-")]
        if inside and not (target / "dataset_dict.json").exists():
            raise ValueError(f"{target}: this folder holds other files; export the dataset to a new or empty folder")
        shutil.rmtree(target)
    built.rename(target)
