"""CoNLL-U both ways: the text put together as INCEpTION's reader (DKPro Core's ConllUReader) does
(tokens joined by a space unless ``SpaceAfter=No``, sentences by a line end), ours coming back
exactly through ``SpacesAfter``; entities in MISC where spaCy's own converter reads them; bad
lines refused with the file and line."""

from __future__ import annotations

import tempfile
from pathlib import Path

from click.testing import CliRunner
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from spacy.training.converters import conllu_to_docs

from annotator.cli import cli
from annotator.domain import DONE, Document, NewDocument, Span
from annotator.export import export_documents
from annotator.formats import FORMATS, InputError, ReadOptions, WriteOptions, lines_in_blocks, lines_of
from annotator.importing import import_paths
from annotator.storage import Store

CONLLU = FORMATS["conllu"]
TEXT = ("  Zelenskyy met Blinken in Kyiv-based talks.\r\nThe 😀 family 👨\u200d👩\u200d👧 in 🇺🇦 flew.\u2028"
        "Cafe\u0301  \tx|y\\z. ")

# As INCEpTION writes a document (ConllUWriter): sentence id and text comments, POS and lemmas,
# SpaceAfter=No only inside a sentence; one entity tag added in MISC as spaCy reads them.
INCEPTION = """# sent_id = 1
# text = They buy books.
1\tThey\tthey\tPRON\tPRN\tCase=Nom\t2\tnsubj\t_\t_
2\tbuy\tbuy\tVERB\tVB\t_\t0\troot\t_\t_
3\tbooks\tbook\tNOUN\tNNS\tNumber=Plur\t2\tdobj\t_\tSpaceAfter=No
4\t.\t.\tPUNCT\t.\t_\t2\tpunct\t_\t_

# newpar id = 2
# sent_id = 2
# text = Kyiv's 🇺🇦 flag.
1-2\tKyiv's\t_\t_\t_\t_\t_\t_\t_\t_
1\tKyiv\tKyiv\tPROPN\tNNP\t_\t4\tnmod\t_\tNE=B-GPE
2\t's\t's\tPART\tPOS\t_\t1\tcase\t_\t_
3\t🇺🇦\t_\t_\t_\t_\t_\t_\t_\t_
3.1\tgone\t_\t_\t_\t_\t_\t_\t_\t_
4\tflag\tflag\tNOUN\tNN\t_\t0\troot\t_\tSpaceAfter=No
5\t.\t.\tPUNCT\t.\t_\t4\tpunct\t_\t_
"""


def spans_of(text: str, *words: tuple[str, str]) -> list[Span]:
    return [Span.of(text, text.index(w), text.index(w) + len(w), label) for w, label in words]


def written(folder: Path, text: str, spans: list[Span], doc_id: int = 7) -> tuple[Path, list[str]]:
    problems: list[str] = []
    writer = CONLLU.writer(folder / "out", WriteOptions())
    writer.write(Document(doc_id, text, "title", {}, DONE, "hash", "", ""), spans, problems)
    return folder / "out" / f"{doc_id:06d}.conllu", problems


def read(path: Path) -> list[NewDocument]:
    return list(CONLLU.read(path, ReadOptions()))


def test_inception_file_comes_in_as_inceptions_reader_puts_it_together(tmp_path: Path, fresh_store: Store) -> None:
    (tmp_path / "doc.conllu").write_text(INCEPTION, encoding="utf-8")
    import_paths(fresh_store, [tmp_path / "doc.conllu"], options=ReadOptions())
    [doc_id] = fresh_store.document_ids()
    # a space between words, none after SpaceAfter=No, a paragraph's blank line between sentences;
    # the range 1-2 gives the text "Kyiv's", the empty node 3.1 none
    assert fresh_store.document(doc_id).text == "They buy books.\n\nKyiv's 🇺🇦 flag."
    assert [(s.text, s.label) for s in fresh_store.layer(doc_id)] == [("Kyiv's", "GPE")]


def test_our_text_comes_back_exactly_with_emoji_and_every_white_space(tmp_path: Path) -> None:
    spans = spans_of(TEXT, ("Zelenskyy", "PERSON"), ("Kyiv", "GPE"), ("👨\u200d👩\u200d👧 in 🇺🇦", "MISC"),
                     ("Cafe\u0301  \tx|y", "ORG"))
    path, problems = written(tmp_path, TEXT, spans)
    assert problems == []
    lines = path.read_text(encoding="utf-8").split("\n")
    assert lines[:3] == ["# newdoc id = 7", "# sent_id = 1", "# text = Zelenskyy met Blinken in Kyiv-based talks."]
    assert "1\tZelenskyy\t_\t_\t_\t_\t_\t_\t_\tNE=B-PERSON|SpacesBefore=\\s\\s" in lines
    assert "5\tKyiv\t_\t_\t_\t_\t_\t_\t_\tNE=B-GPE|SpaceAfter=No" in lines  # cut off "-based": the entity stays whole
    assert "9\t.\t_\t_\t_\t_\t_\t_\t_\tSpacesAfter=\\r\\n" in lines
    assert any(line.split("\t")[1:2] == ["👨\u200d👩\u200d👧"] for line in lines)  # a family is one token
    assert any(line.split("\t")[1:2] == ["🇺🇦"] for line in lines)
    [doc] = read(path)
    assert doc.text == TEXT
    assert [(s.start, s.end, s.label, s.text) for s in doc.spans] == [(s.start, s.end, s.label, s.text) for s in spans]


def test_spacys_converter_reads_the_entities_we_write(tmp_path: Path) -> None:
    text = "Zelenskyy met Antony Blinken in Kyiv on Monday.\nOdesa was quiet."
    spans = spans_of(text, ("Zelenskyy", "PERSON"), ("Antony Blinken", "PERSON"), ("Kyiv", "GPE"), ("Odesa", "GPE"))
    path, _ = written(tmp_path, text, spans)
    docs = list(conllu_to_docs(path.read_text(encoding="utf-8"), n_sents=10, no_print=True))
    assert [(e.text, e.label_) for d in docs for e in d.ents] == [(s.text, s.label) for s in spans]


def test_a_sentence_never_ends_inside_an_entity_and_bad_labels_are_reported(tmp_path: Path) -> None:
    text = "He met Mr. Smith. Then left."
    spans = spans_of(text, ("Mr. Smith", "PERSON"), ("Then", "two words"))
    path, problems = written(tmp_path, text, spans)
    [problem] = problems
    assert "two words" in problem and "left out of CoNLL-U" in problem
    [doc] = read(path)
    assert doc.text == text and [(s.text, s.label) for s in doc.spans] == [("Mr. Smith", "PERSON")]


def test_bad_lines_are_refused_with_file_and_line(tmp_path: Path, db_path: Path) -> None:
    cases = {
        "1\tKyiv\t_\t_\t_\t_\t_\t_\t_\n": "line 2: a word line has 10 columns apart by tabs; this one has 9",
        "2\tKyiv\t_\t_\t_\t_\t_\t_\t_\t_\n": "line 2: word id 2 where 1 was expected",
        "x\tKyiv\t_\t_\t_\t_\t_\t_\t_\t_\n": "line 2: the id 'x' is not a number",
        "1\tKyiv\t_\t_\t_\t_\t_\t_\t_\tNE=X-GPE\n": "line 2: unknown entity tag 'X-GPE' in MISC",
        "1\tKyiv\t_\t_\t_\t_\t_\t_\t_\tSpacesAfter=\\q\n": "line 2: unknown escape \\q",
    }
    for n, (line, message) in enumerate(cases.items()):
        path = tmp_path / f"bad{n}.conllu"
        path.write_text("# sent_id = 1\n" + line, encoding="utf-8")
        result = CliRunner().invoke(cli, ["import", str(path), "--no-detect", "--db", str(db_path)])
        assert result.exit_code != 0
        assert f"{path}, {message}" in result.output and "Traceback" not in result.output
    with Store(db_path) as store:
        assert store.document_ids() == []


def test_export_and_import_through_the_commands(tmp_path: Path, db_path: Path) -> None:
    with Store(db_path, annotator="a") as store:
        store.add_documents([NewDocument(TEXT, status=DONE, spans=spans_of(TEXT, ("Kyiv", "GPE")))])
        report = export_documents(store, "conllu", tmp_path / "out")
    assert report.documents == 1 and report.spans == 1
    other = tmp_path / "b.db"
    result = CliRunner().invoke(cli, ["import", str(tmp_path / "out"), "--no-detect", "--db", str(other)])
    assert result.exit_code == 0, result.output
    with Store(other) as store:  # as the command opened it: the same person
        [doc_id] = store.document_ids()
        assert store.document(doc_id).text == TEXT
        assert [(s.text, s.label) for s in store.layer(doc_id)] == [("Kyiv", "GPE")]


PIECES = ["Kyiv", "Zelenskyy", "😀", "👨\u200d👩\u200d👧", "🇺🇦", "cafe\u0301", "N\u0303ato", "38,000", "U.S.", "x|y",
          "a\\b", "_", "#1", "\ufeffKyiv", "Mr.", "it's", "(Odesa)", "мир"]
GAPS = [" ", " ", " ", "", "  ", "\n", "\r\n", "\n\n", "\t", "\u2028", "\u00a0", "\x85", ". ", ", "]


@st.composite
def documents(draw: st.DrawFn) -> tuple[str, list[tuple[int, int, str]]]:
    """Texts of words and gaps, some runs of words (never over white space at an end) labelled."""
    words = draw(st.lists(st.sampled_from(PIECES), min_size=1, max_size=14))
    gaps = draw(st.lists(st.sampled_from(GAPS), min_size=len(words) + 1, max_size=len(words) + 1))
    parts, places, at = [gaps[0]], [], len(gaps[0])
    for word, gap in zip(words, gaps[1:]):
        places.append((at, at + len(word)))
        parts += [word, gap]
        at += len(word) + len(gap)
    text = "".join(parts)
    spans, i = [], 0
    while i < len(places):
        if draw(st.booleans()):
            j = draw(st.integers(i, min(i + 2, len(places) - 1)))
            spans.append((places[i][0], places[j][1], draw(st.sampled_from(["GPE", "PERSON", "ORG"]))))
            i = j + 1
        i += 1
    return text, spans


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents())
@example(("Mr. Smith left.\u2028x", [(0, 9, "PERSON")]))
def test_any_text_and_entities_come_back_exactly(case: tuple[str, list[tuple[int, int, str]]]) -> None:
    text, places = case
    spans = [Span.of(text, a, b, label) for a, b, label in places]
    with tempfile.TemporaryDirectory() as folder:
        path, problems = written(Path(folder), text, spans)
        assert problems == []
        [doc] = read(path)
    assert doc.text == text
    assert [(s.start, s.end, s.label) for s in doc.spans] == places


def test_a_file_of_several_documents_is_parted_by_newdoc(tmp_path: Path) -> None:
    word = "1\t{}\t_\t_\t_\t_\t_\t_\t_\t_\n"
    (tmp_path / "two.conllu").write_text("# newdoc id = a\n" + word.format("Kyiv") + "\n# newdoc id = b\n"
                                         + word.format("Odesa"), encoding="utf-8")
    assert [d.text for d in read(tmp_path / "two.conllu")] == ["Kyiv", "Odesa"]
    (tmp_path / "none.conllu").write_text("# just a comment\n\n", encoding="utf-8")
    try:
        read(tmp_path / "none.conllu")
    except InputError as err:
        assert "no word lines" in str(err)
    else:
        raise AssertionError("a file without words was read")


@settings(max_examples=80, deadline=None)
@given(st.lists(st.text(st.sampled_from("ab😀é\r\u2028\t "), max_size=9), max_size=8), st.booleans(), st.integers(1, 12))
def test_a_file_read_a_block_at_a_time_gives_the_lines_read_one_at_a_time(lines: list[str], end: bool, block: int) -> None:
    """CoNLL-U's reader decodes a block of whole lines at a time; a block may end anywhere."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "f.conllu"
        path.write_bytes(("\n".join(lines) + ("\n" if end else "")).encode("utf-8"))
        if path.stat().st_size and any(line.strip() for line in lines):
            assert list(lines_in_blocks(path, block)) == list(lines_of(path))
