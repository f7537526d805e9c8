"""Next unreviewed where suggestions are least certain (issue 21): each document's uncertainty is
measured from a beam of the NER's parses as it is detected, kept in the project, and Ctrl+U /
Ctrl+Return follow it when the Model menu says so."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st
from PySide6.QtCore import Qt

from annotator.cli import cli
from annotator.detect.pipeline import load_pipeline
from annotator.detect.uncertainty import expected_changes
from annotator.domain import DONE, OPEN, NewDocument
from annotator.learning.queue import ORDER, UNCERTAINTY
from annotator.storage import Store
from annotator.storage.uncertainty import SCALE, rank_name

TEXTS = [
    "The weather was fine.",  # nothing suggested, nothing doubtful: certain
    "Zelenskyy met Blinken in Kyiv on Tuesday.",
    "Apple sold 3 million phones in May.",
    "Kinzhal missiles struck Poltava and Sumy, the Kraken unit said.",
    "Odesa and Kherson were hit overnight, Popko said on Telegram.",
]


def test_measuring_keeps_the_same_suggestions_and_scores_each_document(seeds_dir: Path) -> None:
    texts = [p.read_text(encoding="utf-8") for p in sorted(seeds_dir.glob("*.txt"))] + TEXTS + ["", "   "]
    pipeline = load_pipeline()
    plain = list(pipeline.predict_all(texts))
    measured = list(pipeline.measure_uncertainty().predict_all(texts))
    assert [f.spans for f in measured] == [f.spans for f in plain]  # the person sees what they saw before
    assert [f.uncertainty for f in plain] == [None] * len(texts)
    scores = [f.uncertainty for f in measured]
    assert all(s is not None and s >= 0 for s in scores)
    assert scores[-2:] == [0.0, 0.0] and scores[2] == 0.0  # empty texts, a sentence without names
    assert scores[0] > 1  # the sample article whose names the model gets wrong
    assert next(pipeline.measure_uncertainty(False).predict_all(texts[:1])).uncertainty is None


ENTITY = st.tuples(st.integers(0, 20), st.integers(1, 4), st.sampled_from(["PERSON", "GPE", "ORG"])).map(
    lambda e: (e[0], e[0] + e[1], e[2]))


@given(st.lists(ENTITY, max_size=6, unique_by=lambda e: e[:2]), st.dictionaries(ENTITY, st.floats(0, 1), max_size=8))
def test_uncertainty_is_nought_when_the_beam_agrees_and_grows_with_doubt(suggested, scored) -> None:
    suggested = [e for i, e in enumerate(suggested) if not any(e[0] < o[1] and o[0] < e[1] for o in suggested[:i])]
    assert expected_changes(suggested, dict.fromkeys(suggested, 1.0)) == 0.0  # all sure, nothing else proposed
    score = expected_changes(suggested, scored)
    assert 0 <= score <= len(suggested) + len(scored)
    sure = {**scored, **dict.fromkeys(suggested, 1.0)}
    assert expected_changes(suggested, sure) <= score + 1e-9  # more confidence in what is suggested: never more doubt


def test_scores_are_kept_per_document_and_only_open_ones_are_offered(any_store: Store) -> None:
    fresh_store = any_store  # a file, then a server project
    ids = fresh_store.add_documents([NewDocument(t) for t in TEXTS]).added
    fresh_store.uncertainty.keep([(ids[1], 0.6), (ids[3], 0.4), (ids[4], 0.9), (ids[0], 0.0)])
    fresh_store.uncertainty.keep([(ids[3], 1.2)])  # detected again: replaced
    assert [fresh_store.uncertainty(i) for i in ids] == [0.0, 0.6, None, 1.2, 0.9]
    assert fresh_store.uncertainty.most_uncertain_open(None) == ids[3]
    assert fresh_store.uncertainty.most_uncertain_open(ids[3]) == ids[4]
    fresh_store.set_status(ids[4], DONE)
    assert fresh_store.uncertainty.most_uncertain_open(ids[3]) == ids[1]
    assert fresh_store.uncertainty.most_uncertain_open(ids[1]) == ids[3]
    fresh_store.set_status(ids[3], DONE)
    assert fresh_store.uncertainty.most_uncertain_open(ids[1]) is None  # only certain ones left: the list's order
    fresh_store.set_setting("learning", "off")  # other settings are no documents' scores
    assert fresh_store.uncertainty.most_uncertain_open(None) == ids[1]


@given(st.lists(st.tuples(st.integers(1, 10**9), st.floats(0, 50_000)), unique_by=lambda p: p[0]))
def test_the_kept_rows_order_documents_most_uncertain_first_ties_in_the_lists_order(measured) -> None:
    by_name = sorted(measured, key=lambda p: rank_name(*p))
    assert [d for d, _ in by_name] == [d for d, _ in sorted(measured, key=lambda p: (-round(p[1] * SCALE), p[0]))]


def test_detect_measures_with_the_flag_or_when_the_project_follows_the_order(db_path: Path) -> None:
    runner = CliRunner()
    with Store(db_path, annotator="tester") as store:
        ids = store.add_documents([NewDocument(t) for t in TEXTS]).added
    assert runner.invoke(cli, ["detect", "--db", str(db_path)]).exit_code == 0
    with Store(db_path) as store:
        assert [store.uncertainty(i) for i in ids] == [None] * len(ids)
        assert store.uncertainty.unmeasured_open() == ids
    result = runner.invoke(cli, ["detect", "--all", "--uncertainty", "--db", str(db_path)])
    assert result.exit_code == 0, result.output
    with Store(db_path) as store:
        scores = [store.uncertainty(i) for i in ids]
        assert None not in scores and scores[0] == 0.0 and max(scores) > 0
        assert store.uncertainty.unmeasured_open() == []
        store.uncertainty.keep([(ids[1], 0.0)])
        store.set_setting(ORDER, UNCERTAINTY)
    assert runner.invoke(cli, ["detect", "--all", "--db", str(db_path)]).exit_code == 0  # the project asks for it
    with Store(db_path) as store:
        assert store.uncertainty(ids[1]) == scores[1] > 0
    result = runner.invoke(cli, ["detect", "--uncertainty", "--scheduler", "local:1", "--db", str(db_path)])
    assert result.exit_code == 2 and "--uncertainty is measured here, not on a cluster" in result.output


def ctrl(qtbot, win, key: Qt.Key) -> None:
    qtbot.keyClick(win.article, key, Qt.KeyboardModifier.ControlModifier)


def test_choosing_least_certain_measures_the_open_documents_and_next_unreviewed_follows_it(
        make_window, qtbot, db_path: Path) -> None:
    with Store(db_path, annotator="tester") as store:
        ids = store.add_documents([NewDocument(t) for t in TEXTS]).added
    assert CliRunner().invoke(cli, ["detect", "--db", str(db_path)]).exit_code == 0  # detected before, not measured
    store = Store(db_path, annotator="tester")
    win = make_window(store)
    win.session.open(ids[0])
    win.queue.action.trigger()  # disagreement first: the two choices exclude each other
    win.queue.uncertain.trigger()
    assert win.queue.uncertain.isChecked() and not win.queue.action.isChecked()
    assert win.status.message.text() == "Next unreviewed goes first where suggestions are least certain."
    qtbot.waitUntil(lambda: not win.status.workers.running, timeout=120_000)
    assert win.status.message.text() == f"Measured how sure the model is of {len(ids)} documents."
    scores = {i: store.uncertainty(i) for i in ids}
    assert None not in scores.values()
    expected = sorted((i for i in ids if scores[i] > 0 and i != ids[0]), key=lambda i: (-scores[i], i))
    assert len(expected) >= 3

    ctrl(qtbot, win, Qt.Key.Key_U)
    assert win.session.doc_id == expected[0]
    ctrl(qtbot, win, Qt.Key.Key_Return)  # done: on to the next least certain
    assert win.session.doc_id == expected[1] and store.document(expected[0]).status == DONE
    ctrl(qtbot, win, Qt.Key.Key_Return)
    assert win.session.doc_id == expected[2]
    win.close()
    store.close()

    store = Store(db_path, annotator="tester")  # kept in the project
    win = make_window(store)
    assert win.queue.uncertain.isChecked() and not win.queue.action.isChecked()
    assert [store.document(i).status for i in expected[:2]] == [DONE, DONE] and store.document(ids[0]).status == OPEN
    win.queue.uncertain.trigger()  # off: the list's order
    assert win.status.message.text() == "Next unreviewed follows the list." and store.setting(ORDER) is None
    win.close()
    store.close()
