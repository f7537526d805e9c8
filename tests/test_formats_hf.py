"""``export --format hf``: a DatasetDict that ``datasets.load_from_disk`` reads, with spaCy's
tokens, IOB2 ``ner_tags`` as a ClassLabel (as conll2003 on the Hub), the text and offsets."""

from __future__ import annotations

import sys
from pathlib import Path

import datasets
import pytest
from click.testing import CliRunner

from annotator.cli import cli
from annotator.detect.pipeline import make_doc
from annotator.domain import NewDocument, Span
from annotator.export import export_documents
from annotator.storage import Store

TEXTS = [("Zelenskyy met Blinken in Kyiv 😀 on Monday.", [("Zelenskyy", "PER"), ("Kyiv", "LOC")]),
         ("The Ministry of Defence said\n\n38,000 drones hit Kharkiv.", [("Ministry of Defence", "ORG"), ("Kharkiv", "LOC")]),
         ("Odesa 🇺🇦 was quiet.", [("Odesa", "LOC")]),
         ("Nothing to see here.", [])]


def filled(store: Store) -> None:
    docs = []
    for text, words in TEXTS:
        spans = [Span.of(text, text.index(w), text.index(w) + len(w), label) for w, label in words]
        docs.append(NewDocument(text, spans=spans, status="done"))
    store.add_documents(docs)


def test_the_dataset_loads_with_spacy_tokens_and_iob2_class_labels(tmp_path: Path, fresh_store: Store) -> None:
    filled(fresh_store)
    report = export_documents(fresh_store, "hf", tmp_path / "ds")
    assert report.files == [tmp_path / "ds"] and report.spans == 5
    loaded = datasets.load_from_disk(str(tmp_path / "ds"))
    assert list(loaded) == ["train"]
    train = loaded["train"]
    names = train.features["ner_tags"].feature.names
    assert names == ["O", "B-LOC", "I-LOC", "B-ORG", "I-ORG", "B-PER", "I-PER"]
    first = train[0]
    assert first["tokens"] == [t.text for t in make_doc(TEXTS[0][0]) if not t.is_space]
    assert [names[i] for i in first["ner_tags"]] == ["B-PER", "O", "O", "O", "B-LOC", "O", "O", "O", "O"]
    ministry = train[1]
    tagged = [(w, names[t]) for w, t in zip(ministry["tokens"], ministry["ner_tags"]) if t]
    assert tagged == [("Ministry", "B-ORG"), ("of", "I-ORG"), ("Defence", "I-ORG"), ("Kharkiv", "B-LOC")]
    assert "\n\n" not in ministry["tokens"]  # white space is no token
    for row in train:  # the offsets are the text's (code points)
        assert [row["text"][a:b] for a, b in zip(row["token_start"], row["token_end"])] == row["tokens"]
        assert [row["text"][e["start"]:e["end"]] for e in row["entities"]] == [w for w, _ in TEXTS[row["id"] - 1][1]]


def test_split_gives_train_and_dev_with_one_label_list(tmp_path: Path, db_path: Path) -> None:
    with Store(db_path) as store:
        filled(store)
    result = CliRunner().invoke(cli, ["export", "--format", "hf", str(tmp_path / "ds"), "--split", "0.5", "--seed", "1",
                                      "--db", str(db_path)])
    assert result.exit_code == 0, result.output
    loaded = datasets.load_from_disk(str(tmp_path / "ds"))
    assert sorted(loaded) == ["dev", "train"] and len(loaded["train"]) + len(loaded["dev"]) == 4
    assert loaded["train"].features["ner_tags"] == loaded["dev"].features["ner_tags"]
    assert not [p for p in tmp_path.rglob(".hf-*")]  # no work files left behind


def test_without_datasets_the_export_says_what_to_install(tmp_path: Path, db_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    with Store(db_path) as store:
        filled(store)
    monkeypatch.setitem(sys.modules, "datasets", None)  # as if it were not installed
    result = CliRunner().invoke(cli, ["export", "--format", "hf", str(tmp_path / "ds"), "--db", str(db_path)])
    assert result.exit_code == 1 and len(result.output.strip().splitlines()) == 1
    assert "the hf format needs the datasets package: pip install 'annotator[hf]'" in result.output
    assert not (tmp_path / "ds").exists()


def test_a_folder_of_other_files_is_not_overwritten(tmp_path: Path, fresh_store: Store) -> None:
    filled(fresh_store)
    (tmp_path / "ds").mkdir()
    (tmp_path / "ds" / "notes.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(ValueError, match="which no export writes"):
        export_documents(fresh_store, "hf", tmp_path / "ds")
    assert (tmp_path / "ds" / "notes.txt").read_text(encoding="utf-8") == "mine"
    export_documents(fresh_store, "hf", tmp_path / "new")
    export_documents(fresh_store, "hf", tmp_path / "new")  # an earlier dataset is replaced
    assert len(datasets.load_from_disk(str(tmp_path / "new"))["train"]) == 4
