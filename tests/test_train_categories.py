"""Training document labels: ``annotator train`` learns them with spaCy's text classifier beside
NER when the done documents carry them, and detection with that model then suggests them
(kept apart from people's labels, scored by ``evaluate``)."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from annotator.categories import CategoryLabel
from annotator.cli import cli
from annotator.domain import NUMBERS
from annotator.storage import Store
from annotator.train.synthetic import labelled_news


def run(db: Path, *args: str) -> str:
    result = CliRunner().invoke(cli, ["--db", str(db), "--annotator", "tester", *args], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


def test_document_labels_are_learnt_and_then_suggested(tmp_path: Path) -> None:
    db = tmp_path / "project.db"
    with Store(db, annotator="tester") as store:
        ids = store.add_documents(labelled_news(30, seed=3)).added
        for name in ("weapons", "casualties"):
            store.categories.add_label(CategoryLabel(name, "topic"))
        gold = {}
        for doc_id in ids:  # what the article reports, from its numbers' labels
            labels = {s.label for s in store.spans(doc_id, layer=NUMBERS)}
            gold[doc_id] = {name for name in ("weapons", "casualties") if name.upper() in labels}
            store.categories.set_labels(doc_id, sorted(gold[doc_id]))
    said = run(db, "train", "--output", str(tmp_path / "models" / "news"), "--max-steps", "60")
    assert "Registered as 'news'" in said
    meta = json.loads((tmp_path / "models" / "news" / "v1" / "model-best" / "meta.json").read_text())
    assert meta["annotator"]["labels"]["categories"] == ["casualties", "weapons"]
    assert "textcat_multilabel" in meta["pipeline"]
    run(db, "detect", "--all", "--model", "news")
    with Store(db, annotator="tester") as store:
        suggested = {doc_id: {s.label for s in store.categories.suggestions(doc_id) if s.score >= 0.5} for doc_id in ids}
        assert all({s.label for s in store.categories.suggestions(doc_id)} == {"weapons", "casualties"} for doc_id in ids)
        assert {r["label"] for r in store.stats()["category_predictions"]} == {"weapons", "casualties"}
        assert all({c.label for c in store.categories.of(d)} == gold[d] for d in ids)  # people's labels untouched
        for doc_id in ids:
            store.set_status(doc_id, "done")
    right = sum(suggested[d] == gold[d] for d in ids)
    assert right / len(ids) > 0.6, (right, len(ids))
    figures = json.loads(run(db, "evaluate", "--json"))
    assert figures["categories"]["overall"]["f1"] > 0.6
