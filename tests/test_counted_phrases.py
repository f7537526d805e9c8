"""A counted noun phrase (a COUNTED span, the end of a COUNTS link) is not an entity: no model
learns it as one, the spaCy DocBin keeps it out of ``doc.ents`` (in its own span group, so it
comes back with its link), and NER scores leave it out while the links' scores count it."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner
from spacy.tokens import DocBin

from annotator.cli import cli
from annotator.counts import COUNTED, COUNTS
from annotator.domain import ENTITIES, NUMBERS, NewDocument, Span
from annotator.export import export_documents
from annotator.importing import import_paths
from annotator.relations import Link
from annotator.storage import Store
from annotator.train.data import label_summary, labelled_documents

TEXT = "Russia reported 38,000 military casualties near Bakhmut."


def at(word: str, label: str, **fields) -> Span:
    start = TEXT.index(word)
    return Span.of(TEXT, start, start + len(word), label, **fields)


NUMBER = at("38,000", "CARDINAL", layer=NUMBERS, value=38000.0, kind="cardinal", unit="casualties")
PHRASE = at("military casualties", COUNTED)
PLACE = at("Bakhmut", "GPE")


def project(db: Path) -> int:
    """A done document: a number COUNTS its counted noun phrase, beside a place; the model
    suggested the same."""
    with Store(db, annotator="gold") as store:
        [doc] = store.add_documents([NewDocument(TEXT)]).added
        number, phrase, _ = (store.add_span(doc, s) for s in (NUMBER, PHRASE, PLACE))
        assert number.id is not None and phrase.id is not None
        store.relations.add(number.id, phrase.id, COUNTS)
        store.insert_predictions(doc, [NUMBER, PHRASE, PLACE], "m", "1")
        store.relations.save_predictions(doc, [Link(NUMBER, PHRASE, COUNTS)], "m", "1")
        store.set_status(doc, "done")
    return doc


def test_training_data_holds_no_counted_phrase(db_path: Path) -> None:
    project(db_path)
    with Store(db_path, annotator="gold") as store:
        [labelled] = labelled_documents(store, "gold")
    assert [(s.text, s.label) for s in labelled.spans if s.layer == ENTITIES] == [("Bakhmut", "GPE")]
    assert label_summary([labelled])[ENTITIES] == ["GPE"]


def test_the_docbin_export_keeps_it_out_of_the_entities_and_brings_it_back_with_its_link(db_path: Path,
                                                                                         tmp_path: Path) -> None:
    project(db_path)
    out = tmp_path / "gold.spacy"
    with Store(db_path, annotator="gold") as store:
        export_documents(store, "spacy", out)
    from annotator.detect.pipeline import make_doc

    [doc] = DocBin().from_disk(out).get_docs(make_doc("").vocab)
    assert [(e.text, e.label_) for e in doc.ents] == [("Bakhmut", "GPE")]
    assert [(s.text, s.label_) for s in doc.spans["counted"]] == [("military casualties", COUNTED)]
    with Store(tmp_path / "back.db", annotator="gold") as back:
        [doc_id] = import_paths(back, [out]).added
        assert {(s.text, s.label) for s in back.spans(doc_id)} == {("38,000", "CARDINAL"), ("military casualties", COUNTED),
                                                                   ("Bakhmut", "GPE")}
        assert [(link.head.text, link.label, link.child.text) for link in back.relations.links(doc_id)] == [
            ("38,000", COUNTS, "military casualties")]


def test_ner_scores_leave_it_out_and_the_links_count_it(db_path: Path) -> None:
    project(db_path)
    result = CliRunner().invoke(cli, ["evaluate", "--db", str(db_path), "--annotator", "gold", "--json"])
    assert result.exit_code == 0, result.output
    figures = json.loads(result.output)
    entities = figures["scores"]["exact"]["entities"]
    assert set(entities["labels"]) == {"GPE"} and entities["overall"]["tp"] == 1
    assert figures["relations"]["exact"]["overall"]["tp"] == 1


def test_the_conll_export_tags_no_counted_phrase(db_path: Path, tmp_path: Path) -> None:
    project(db_path)
    with Store(db_path, annotator="gold") as store:
        export_documents(store, "conll", tmp_path / "gold.conll")
    tags = [line.split()[-1] for line in (tmp_path / "gold.conll").read_text(encoding="utf-8").splitlines()
            if line.strip() and not line.startswith("-DOCSTART-")]
    assert sorted({t for t in tags if t != "O"}) == ["B-GPE"]


def test_the_conllu_export_names_no_counted_phrase(db_path: Path, tmp_path: Path) -> None:
    project(db_path)
    with Store(db_path, annotator="gold") as store:
        export_documents(store, "conllu", tmp_path / "gold")
    [file] = (tmp_path / "gold").glob("*.conllu")
    written = file.read_text(encoding="utf-8")
    assert "Bakhmut" in written and "GPE" in written and COUNTED not in written


def test_the_hf_dataset_holds_no_counted_phrase(db_path: Path, tmp_path: Path) -> None:
    import datasets

    project(db_path)
    with Store(db_path, annotator="gold") as store:
        export_documents(store, "hf", tmp_path / "ds")
    train = datasets.load_from_disk(str(tmp_path / "ds"))["train"]
    assert train.features["ner_tags"].feature.names == ["O", "B-GPE", "I-GPE"]
    assert [e["label"] for e in train[0]["entities"]] == ["GPE"]
