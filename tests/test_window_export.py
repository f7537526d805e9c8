"""File → Export: each format's own options (Label Studio predictions, spaCy shard size), driven by keys."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox

from annotator.domain import NewDocument, Span
from annotator.formats import FORMATS, ReadOptions
from annotator.qt.export_dialog import ExportDialog
from annotator.qt.main_window import MainWindow
from annotator.storage import Store

TEXTS = [f"Zelenskyy spoke in Kyiv on day {i}." for i in range(3)]


@pytest.fixture
def project(db_path: Path) -> Path:
    with Store(db_path, annotator="tester") as store:
        store.add_documents([NewDocument(text) for text in TEXTS])
        for doc_id, text in zip(store.document_ids(), TEXTS):
            store.add_span(doc_id, Span.of(text, 0, 9, "PERSON"))
            store.set_status(doc_id, "done")
    return db_path


def dialog_for(qtbot, window: MainWindow, fmt: str) -> ExportDialog:
    dialog = ExportDialog(window.store, window.status, window.settings, window)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.format.setFocus()
    qtbot.keyClicks(dialog.format, fmt)  # a closed combo box picks the item typed
    assert dialog.format.currentText() == fmt
    return dialog


def export(qtbot, window: MainWindow, dialog: ExportDialog, out: Path) -> None:
    dialog.path.setText(str(out))
    qtbot.mouseClick(dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "Exported 3 documents" in window.status.message.text(), timeout=60_000)


def test_label_studio_spans_go_out_as_predictions_when_chosen(qtbot, window: MainWindow, tmp_path: Path) -> None:
    dialog = dialog_for(qtbot, window, "labelstudio")
    assert dialog.spans_as.isVisible() and not dialog.shard_size.isVisible()
    qtbot.keyClick(dialog.spans_as, Qt.Key.Key_Down)
    assert dialog.spans_as.currentText().startswith("predictions")
    export(qtbot, window, dialog, tmp_path / "tasks.json")
    tasks = json.loads((tmp_path / "tasks.json").read_text(encoding="utf-8"))
    assert len(tasks) == 3
    for task in tasks:
        assert not task.get("annotations")
        [prediction] = task["predictions"]
        [region] = prediction["result"]
        assert (region["value"]["text"], region["value"]["labels"]) == ("Zelenskyy", ["PERSON"])


def test_label_studio_spans_go_out_as_annotations_by_default(qtbot, window: MainWindow, tmp_path: Path) -> None:
    dialog = dialog_for(qtbot, window, "labelstudio")
    export(qtbot, window, dialog, tmp_path / "tasks.json")
    tasks = json.loads((tmp_path / "tasks.json").read_text(encoding="utf-8"))
    assert all(len(task["annotations"]) == 1 and not task.get("predictions") for task in tasks)


def test_spacy_shard_size_makes_a_folder_of_shards(qtbot, window: MainWindow, tmp_path: Path) -> None:
    dialog = dialog_for(qtbot, window, "spacy")
    assert dialog.shard_size.isVisible() and not dialog.spans_as.isVisible()
    dialog.shard_size.setFocus()
    qtbot.keyClick(dialog.shard_size, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(dialog.shard_size, "2")
    assert dialog.shard_size.value() == 2
    export(qtbot, window, dialog, tmp_path / "train.spacy")
    assert sorted(p.name for p in (tmp_path / "train.spacy").iterdir()) == ["000.spacy", "001.spacy"]
    docs = [doc for shard in ("000.spacy", "001.spacy")
            for doc in FORMATS["spacy"].read(tmp_path / "train.spacy" / shard, ReadOptions())]
    assert [d.text for d in docs] == TEXTS
    # a plain entity may come back as a row (start, end, label) instead of a Span
    assert all([(s.text, s.label) for s in d.spans] + [(d.text[a:b], label) for a, b, label in d.entities]
               == [("Zelenskyy", "PERSON")] for d in docs)
