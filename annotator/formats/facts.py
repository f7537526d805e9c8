"""The facts table (``annotator export --format facts out.csv``): one CSV row per number, with
what it counts, where and when (:mod:`annotator.facts`); spreadsheet-safe cells as :mod:`csvfile`
writes them. Export only: it is a view of the project, not a way back in."""

from __future__ import annotations

import csv
from pathlib import Path

from annotator.domain import Document, Span
from annotator.facts import COLUMNS, facts, row
from annotator.formats import WriteOptions
from annotator.formats.csvfile import neutralised
from annotator.formats.links import NOTHING, Extra
from annotator.formats.writing import FileWriter


class Writer(FileWriter):
    def __init__(self, path: Path, options: WriteOptions) -> None:
        super().__init__(path, options)
        self.csv = csv.writer(self.file)
        self.csv.writerow(COLUMNS)

    def write(self, doc: Document, spans: list[Span], problems: list[str], extra: Extra = NOTHING) -> int:
        from annotator.detect.pipeline import make_sentences

        sentences = [(s.start_char, s.end_char) for s in make_sentences(doc.text).sents]
        found = facts(spans, extra.links, sentences)
        self.csv.writerows([neutralised(c) for c in row(doc.id, doc.title, fact, extra.categories)] for fact in found)
        return len(found)
