"""The facts table: one row per number, what it counts, where and when, from the command line."""

from __future__ import annotations

import csv
from pathlib import Path

from click.testing import CliRunner

from annotator.cli import cli
from annotator.domain import DONE, NUMBERS, NewDocument, Span
from annotator.storage import Store

TEXT = ("On Monday Russia launched 28 drones at Odesa, officials in Kyiv said. "
        "In Kharkiv, 5 people were hurt on 2 March.")


def at(word: str, label: str, nth: int = 0, **fields: object) -> Span:
    start = -1
    for _ in range(nth + 1):
        start = TEXT.index(word, start + 1)
    return Span.of(TEXT, start, start + len(word), label, **fields)


def test_each_number_gets_a_row_with_what_it_counts_where_and_when(db_path: Path, tmp_path: Path) -> None:
    spans = [at("28", "NUMBER", layer=NUMBERS, value=28.0, kind="cardinal", unit="drones"),
             at("drones", "WEAPON"), at("Odesa", "GPE"), at("Kyiv", "GPE"), at("Monday", "DATE", resolved="2024-01-01"),
             at("5", "CASUALTIES", layer=NUMBERS, value=5.0, kind="cardinal", unit="people"), at("Kharkiv", "GPE"),
             at("2 March", "DATE", resolved="2024-03-02")]
    with Store(db_path) as store:
        # 28 COUNTS drones, drones LOCATED_IN Odesa: the linked place, not Kyiv of the same sentence
        store.add_documents([NewDocument(TEXT, status=DONE, spans=spans, categories=["attack"],
                                         links=[(0, 1, "COUNTS"), (1, 2, "LOCATED_IN")])])
    out = tmp_path / "facts.csv"
    result = CliRunner().invoke(cli, ["export", "--format", "facts", str(out), "--db", str(db_path)])
    assert result.exit_code == 0, result.output
    with out.open(encoding="utf-8", newline="") as file:
        rows = list(csv.DictReader(file))
    assert [(r["number"], r["value"], r["kind"], r["counts"], r["counts_label"], r["place"], r["date"], r["date_resolved"],
             r["document_labels"]) for r in rows] == [
        ("28", "28.0", "cardinal", "drones", "WEAPON", "Odesa", "Monday", "2024-01-01", "attack"),
        ("5", "5.0", "cardinal", "", "", "Kharkiv", "2 March", "2024-03-02", "attack")]  # its own sentence's place and date
    first = rows[0]
    assert TEXT[int(first["start"]):int(first["end"])] == "28"
    assert TEXT[int(first["sentence_start"]):int(first["sentence_end"])].startswith("On Monday")
    assert not list(tmp_path.glob("*.tmp*"))  # nothing left beside it
