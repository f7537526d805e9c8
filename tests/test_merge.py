"""Merging people's projects: untouched suggestions are not anyone's work, later work is not lost silently."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from annotator.cli import cli
from annotator.domain import NewDocument, Span
from annotator.storage import Store

TEXT = "Alice met Bob in Paris."


def at(word: str, label: str) -> Span:
    start = TEXT.index(word)
    return Span.of(TEXT, start, start + len(word), label)


def project(path: Path, person: str, relabel_bob: bool) -> None:
    """A person's own project: the model's suggestions, corrected (or not looked at)."""
    with Store(path, annotator=person) as store:
        doc = store.add_documents([NewDocument(TEXT)]).added[0]
        store.save_predictions(doc, [at("Alice", "PERSON"), at("Bob", "ORG")], "en_test", "1")
        if relabel_bob:
            bob = next(s for s in store.spans(doc) if s.text == "Bob")
            store.update_span(bob.id, label="PERSON")
            store.set_status(doc, "done")


def merge(*args: str) -> str:
    result = CliRunner().invoke(cli, ["merge", *args])
    assert result.exit_code == 0, result.output
    return result.output


def test_suggestions_nobody_touched_are_not_merged_as_a_persons_annotations(tmp_path: Path) -> None:
    project(tmp_path / "alice.db", "alice", relabel_bob=True)
    project(tmp_path / "bob.db", "bob", relabel_bob=False)
    team = tmp_path / "team.db"
    output = merge(str(tmp_path / "alice.db"), str(tmp_path / "bob.db"), "--into", str(team))
    assert "1 annotation layer(s) added" in output and "1 untouched suggestion layer(s) left out" in output
    with Store(team) as store:
        doc = store.document_ids()[0]
        assert store.annotators(doc) == ["alice"]
        assert [(s.text, s.label) for s in store.spans(doc, annotator="alice")] == [("Alice", "PERSON"), ("Bob", "PERSON")]
        assert [(s.text, s.label) for s in store.predictions(doc)] == [("Alice", "PERSON"), ("Bob", "ORG")]


def test_work_done_after_a_merge_is_reported_then_taken_with_update(tmp_path: Path) -> None:
    alice, team = tmp_path / "alice.db", tmp_path / "team.db"
    project(alice, "alice", relabel_bob=True)
    merge(str(alice), "--into", str(team))
    with Store(alice, annotator="alice") as store:
        store.add_span(1, at("Paris", "GPE"))
    output = merge(str(alice), "--into", str(team))
    assert "0 annotation layer(s) added, 0 already there, 0 updated" in output
    assert "alice's annotations of “Alice met Bob in Paris.” differ from those merged before" in output
    with Store(team) as store:
        assert [s.text for s in store.spans(1, annotator="alice")] == ["Alice", "Bob"]
    output = merge(str(alice), "--into", str(team), "--update")
    assert "1 updated" in output and "differ" not in output
    with Store(team) as store:
        assert [s.text for s in store.spans(1, annotator="alice")] == ["Alice", "Bob", "Paris"]
    assert "1 already there, 0 updated" in merge(str(alice), "--into", str(team), "--update")


def test_a_document_accepted_as_the_model_had_it_counts_in_agreement_after_the_merge(tmp_path: Path) -> None:
    project(tmp_path / "alice.db", "alice", relabel_bob=True)
    with Store(tmp_path / "bob.db", annotator="bob") as bob:
        doc = bob.add_documents([NewDocument(TEXT)]).added[0]
        bob.save_predictions(doc, [at("Alice", "PERSON"), at("Bob", "ORG")], "en_test", "1")
        bob.set_status(doc, "done")  # bob read it and found the suggestions right
    team = tmp_path / "team.db"
    merge(str(tmp_path / "alice.db"), str(tmp_path / "bob.db"), "--into", str(team))
    result = CliRunner().invoke(cli, ["agreement", "--db", str(team), "--json"])
    assert result.exit_code == 0, result.output
    # alice: Alice PERSON, Bob PERSON; bob: Alice PERSON, Bob ORG: one span of two agreed, F1 = 1/2.
    # Tokens Alice met Bob in Paris .  kappa = (5/6 - 1/2) / (1 - 1/2) = 2/3 (as worked out in test_agreement).
    [pair] = json.loads(result.output)
    assert (pair["documents"], pair["span_f1"], pair["kappa"]) == (1, 0.5, 0.6667)


WAR = "Zelenskyy met Blinken in Kyiv, then Odesa."


def war(word: str, label: str) -> Span:
    start = WAR.index(word)
    return Span.of(WAR, start, start + len(word), label)


def test_undo_after_merge_update_never_deletes_the_merged_span_that_took_its_id(qtbot, tmp_path: Path) -> None:
    """alice's "add Kyiv" in team.db remembers span id 2; the update's merge freed it and gave it to
    her merged "Blinken". Ctrl+Z after a restart must leave Blinken alone and say why."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QLabel

    from tests.windows import open_window

    alice, team = tmp_path / "alice.db", tmp_path / "team.db"
    with Store(alice, annotator="alice") as store:
        doc = store.add_documents([NewDocument(WAR)]).added[0]
        store.add_span(doc, war("Zelenskyy", "PERSON"))
    merge(str(alice), "--into", str(team))
    with Store(team, annotator="alice") as store:
        kyiv = store.add_span(1, war("Kyiv", "GPE"))
    with Store(alice, annotator="alice") as store:
        store.add_span(doc, war("Blinken", "PERSON"))
        store.add_span(doc, war("Odesa", "GPE"))
    assert "1 updated" in merge(str(alice), "--into", str(team), "--update")
    with Store(team) as store:
        merged = {s.text: s.id for s in store.spans(1, annotator="alice")}
    assert merged["Blinken"] == kyiv.id  # the id the history remembers is now another span's

    win, store = open_window(qtbot, team, tmp_path / "settings.ini", annotator="alice")
    qtbot.keyClick(win.article, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    said = " | ".join(label.text() for label in win.statusBar().findChildren(QLabel) if label.isVisible())
    assert "cannot undo add GPE 'Kyiv': another change has since taken the place of its span" in said
    assert sorted(s.text for s in store.spans(1)) == ["Blinken", "Odesa", "Zelenskyy"]
    qtbot.keyClick(win.article, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert sorted(s.text for s in store.spans(1)) == ["Blinken", "Odesa", "Zelenskyy"]
    win.close()
    store.close()
