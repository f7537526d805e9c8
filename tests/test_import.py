"""Importing articles: each format, the seed header, duplicates, and bad input refused whole."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from annotator.domain import Span, SpanError, check_spans
from annotator.formats import InputError
from annotator.importing import import_paths
from annotator.storage import Store


def dump(store: Store) -> list[str]:
    return list(store.db.conn.iterdump())


def test_seed_articles_keep_their_date_and_lose_the_header(fresh_store: Store, seeds_dir: Path) -> None:
    result = import_paths(fresh_store, [seeds_dir])
    assert len(result.added) == 2
    docs = [fresh_store.document(i) for i in result.added]
    assert [d.meta["date"] for d in docs] == ["2024-01-02", "2025-01-07"]
    assert docs[0].text.startswith("Multiple Russian missiles struck")
    assert "date 2024" not in docs[0].text
    assert docs[0].meta["source"] == "000_93b7e50621229d9a.txt"
    assert docs[0].title == ("Multiple Russian missiles struck the Ukrainian capital, Kyiv, and Kharkiv on Tuesday, "
                             "the Ukrainian officials said.")


def test_header_on_its_own_line(fresh_store: Store, tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("date 2023-05-06\nFirst sentence. Second one.\n", encoding="utf-8")
    doc = fresh_store.document(import_paths(fresh_store, [tmp_path / "a.txt"]).added[0])
    assert (doc.text, doc.date, doc.title) == ("First sentence. Second one.", "2023-05-06", "First sentence.")


def test_text_without_header_is_kept_whole(fresh_store: Store, tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("The dated report said nothing.", encoding="utf-8")
    doc = fresh_store.document(import_paths(fresh_store, [tmp_path]).added[0])
    assert doc.text == "The dated report said nothing." and doc.date is None


def test_jsonl_and_csv(fresh_store: Store, tmp_path: Path) -> None:
    (tmp_path / "a.jsonl").write_text(
        json.dumps({"text": "Kyiv 😀 was hit.", "meta": {"date": "2024-02-02", "url": "u"}}) + "\n\n"
        + json.dumps({"text": "Second article."}) + "\n",
        encoding="utf-8",
    )
    (tmp_path / "b.csv").write_text('text,date\n"Line one, with comma.",2024-03-03\nAnother.,\n', encoding="utf-8")
    result = import_paths(fresh_store, [tmp_path / "a.jsonl", tmp_path / "b.csv"])
    docs = [fresh_store.document(i) for i in result.added]
    assert [d.text for d in docs] == ["Kyiv 😀 was hit.", "Second article.", "Line one, with comma.", "Another."]
    assert docs[0].meta == {"date": "2024-02-02", "url": "u", "source": "a.jsonl:1"}
    assert docs[1].meta["source"] == "a.jsonl:3"
    assert docs[2].date == "2024-03-03" and "date" not in docs[3].meta


def test_reimport_adds_nothing(fresh_store: Store, seeds_dir: Path) -> None:
    import_paths(fresh_store, [seeds_dir])
    again = import_paths(fresh_store, [seeds_dir])
    assert again.added == [] and len(again.duplicates) == 2
    assert fresh_store.count_documents() == 2


BAD_INPUTS = {
    "latin1.txt": (b"caf\xe9 au lait\n", "not UTF-8", 1),
    "binary.txt": (b"abc\n\x00\x01\x02", "binary", 2),
    "empty.txt": (b"  \n", "empty file", None),
    "baddate.txt": (b"date 2024-13-45\nText.", "not a date", 1),
    "malformed.jsonl": (b'{"text": "ok"}\n{"text": oops}\n', "malformed JSON", 2),
    "truncated.jsonl": (b'{"text": "ok"}\n{"text": "cut of', "malformed JSON", 2),
    "notext.jsonl": (b'{"text": "ok"}\n\n{"body": "no text"}\n', 'no string "text"', 3),
    "numbertext.jsonl": (b'{"text": 12}\n', 'no string "text"', 1),
    "array.jsonl": (b'[1, 2]\n', "expected a JSON object", 1),
    "nocolumn.csv": (b"title,body\na,b\n", 'no "text" column', 1),
    "ragged.csv": (b"text,date\nfine,2024-01-01\ntoo,many,cells\n", "cells", 3),
    "quote.csv": (b'text,date\n"unclosed,2024\n', "CSV", 2),
    "utf16.txt": ("Kyiv was hit.".encode("utf-16"), "UTF-16 text; annotator reads UTF-8", 1),
    "utf16nobom.jsonl": ('{"text": "x"}'.encode("utf-16-le"), "looks like UTF-16", 1),
    "surrogate.jsonl": (b'{"text": "ok"}\n{"text": "broken \\ud83d emoji"}\n', "lone surrogate \\ud83d", 2),
    "empty_span.jsonl": (b'{"text": "Kyiv", "spans": [{"start": 2, "end": 2, "label": "GPE"}]}\n', "is empty", 1),
    "number_label.jsonl": (b'{"text": "Kyiv", "label": [[0, 4, 7]]}\n', "a label must be text", 1),
}


@pytest.mark.parametrize("name", sorted(BAD_INPUTS))
def test_bad_input_names_file_and_line_and_changes_nothing(fresh_store: Store, seeds_dir: Path, tmp_path: Path,
                                                           name: str) -> None:
    import_paths(fresh_store, [seeds_dir])
    before = dump(fresh_store)
    content, reason, line = BAD_INPUTS[name]
    good = tmp_path / "0_good.txt"
    good.write_text("A good article that comes first.", encoding="utf-8")
    bad = tmp_path / name
    bad.write_bytes(content)
    with pytest.raises(InputError) as caught:
        import_paths(fresh_store, [good, bad])
    assert caught.value.path == bad and caught.value.line == line
    assert reason in str(caught.value) and str(bad) in str(caught.value)
    assert dump(fresh_store) == before


def test_missing_path(fresh_store: Store, tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        import_paths(fresh_store, [tmp_path / "nope.txt"])


def test_json_lines_may_hold_unicode_line_separators(fresh_store: Store, tmp_path: Path) -> None:
    texts = ["Line\u2028separator", "Paragraph\u2029separator", "Next\x85line", "Windows\r\nline end"]
    (tmp_path / "a.jsonl").write_text("".join(json.dumps({"text": t}, ensure_ascii=False) + "\r\n" for t in texts),
                                      encoding="utf-8", newline="")
    added = import_paths(fresh_store, [tmp_path / "a.jsonl"]).added
    assert [fresh_store.document(i).text for i in added] == texts
    assert [fresh_store.document(i).meta["source"] for i in added] == [f"a.jsonl:{n}" for n in (1, 2, 3, 4)]


def test_csv_cells_longer_than_the_csv_module_default(fresh_store: Store, tmp_path: Path) -> None:
    long = "word " * 40_000  # 200,000 characters
    (tmp_path / "a.csv").write_text(f'text\n"{long}end"\n', encoding="utf-8")
    [doc] = import_paths(fresh_store, [tmp_path / "a.csv"]).added
    assert len(fresh_store.document(doc).text) == 200_003


def test_import_status_sets_every_document(fresh_store: Store, seeds_dir: Path) -> None:
    from annotator.formats import ReadOptions

    added = import_paths(fresh_store, [seeds_dir], options=ReadOptions(status="done")).added
    assert [fresh_store.document(i).status for i in added] == ["done", "done"]


@pytest.mark.parametrize("what", ["file", "folder"])
def test_an_unreadable_file_or_folder_stops_a_folder_import(fresh_store: Store, tmp_path: Path, what: str,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "a.txt").write_text("A readable article.", encoding="utf-8")
    locked = tmp_path / "b" if what == "folder" else tmp_path / "b.txt"
    if what == "folder":
        locked.mkdir()
        (locked / "c.txt").write_text("Hidden article.", encoding="utf-8")
    else:
        locked.write_text("Locked article.", encoding="utf-8")
    locked.chmod(0)
    if os.geteuid() == 0:  # root reads anything: refuse as the system would for anyone else
        real_scandir, real_open = os.scandir, Path.open

        def scandir(path):
            if Path(path) == locked:
                raise PermissionError(13, "Permission denied", str(path))
            return real_scandir(path)

        def open_(self, *args, **kwargs):
            if self == locked:
                raise PermissionError(13, "Permission denied", str(self))
            return real_open(self, *args, **kwargs)

        monkeypatch.setattr(os, "scandir", scandir)
        monkeypatch.setattr(Path, "open", open_)
    try:
        with pytest.raises(InputError) as caught:
            import_paths(fresh_store, [tmp_path])
        assert caught.value.path == locked and "cannot read this" in str(caught.value)
        assert fresh_store.count_documents() == 0
    finally:
        locked.chmod(0o755)


_places = st.lists(st.tuples(st.integers(-2, 14), st.integers(-2, 14), st.sampled_from(["GPE", "ORG", ""])), max_size=6)


@given(text=st.text(alphabet="ab😀\r\n é", min_size=1, max_size=12), places=_places, as_rows=st.lists(st.booleans(), min_size=6))
def test_entities_given_as_rows_are_checked_as_spans_are(text: str, places: list, as_rows: list[bool]) -> None:
    """A reader hands plain entities to the store as rows, the rest as Spans: both are refused
    for the same reasons (out of the text, empty, no label, overlapping), with the same message."""
    rows = [p for p, row in zip(places, as_rows) if row]
    spans = [Span(s, e, label, text[s:e] if 0 <= s <= e else "") for (s, e, label), row in zip(places, as_rows) if not row]
    everything = spans + [Span(s, e, label, text[s:e] if 0 <= s <= e else "") for s, e, label in rows]
    outcomes = []
    for check in (lambda: check_spans(text, spans, rows), lambda: check_spans(text, everything)):
        try:
            check()
            outcomes.append("ok")
        except SpanError as err:
            outcomes.append(str(err))
    assert outcomes[0] == outcomes[1]
