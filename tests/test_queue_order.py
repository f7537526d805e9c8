"""Next unreviewed where the models disagree most (Model menu, kept in the project): Ctrl+U and
Ctrl+Return go first to the open documents a retrained model and the one before it label most
differently, then on in the list's order."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st
from PySide6.QtCore import Qt

from annotator.domain import DONE, OPEN, NewDocument, Span
from annotator.learning.queue import disagreement, keep_scores, scores
from annotator.storage import Store

TEXT = "Zelenskyy met Blinken in Kyiv on Tuesday."


def project(db: Path) -> list[int]:
    """Six open documents; the models disagreed on the 5th most, then the 2nd, then the 4th."""
    with Store(db, annotator="tester") as store:
        ids = store.add_documents([NewDocument(f"{TEXT} ({n})") for n in range(6)]).added
        keep_scores(store, {ids[4]: 0.9, ids[1]: 0.5, ids[3]: 0.2, ids[5]: 0.0})
    return ids


def ctrl(qtbot, win, key: Qt.Key) -> None:
    qtbot.keyClick(win.article, key, Qt.KeyboardModifier.ControlModifier)


def test_next_unreviewed_goes_where_the_models_disagree_most_then_down_the_list(make_window, qtbot, db_path: Path) -> None:
    ids = project(db_path)
    store = Store(db_path, annotator="tester")
    win = make_window(store)
    assert not win.queue.action.isChecked()  # off by default: the list's order
    win.session.open(ids[0])
    ctrl(qtbot, win, Qt.Key.Key_U)
    assert win.session.doc_id == ids[1]

    win.queue.action.trigger()
    assert win.status.message.text() == "Next unreviewed goes first where the models disagree most."
    win.session.open(ids[0])
    ctrl(qtbot, win, Qt.Key.Key_U)
    assert win.session.doc_id == ids[4]
    ctrl(qtbot, win, Qt.Key.Key_Return)  # done: on to the next most disagreed
    assert win.session.doc_id == ids[1] and store.document(ids[4]).status == DONE
    ctrl(qtbot, win, Qt.Key.Key_Return)
    assert win.session.doc_id == ids[3]
    ctrl(qtbot, win, Qt.Key.Key_Return)  # none left with a disagreement: the list's order
    assert win.session.doc_id == ids[5]
    assert [store.document(i).status for i in ids] == [OPEN, DONE, OPEN, DONE, DONE, OPEN]
    win.close()
    store.close()

    store = Store(db_path, annotator="tester")  # kept in the project
    win = make_window(store)
    assert win.queue.action.isChecked()
    win.close()
    store.close()


def spans(places: list[tuple[int, int, str]]) -> list[Span]:
    return [Span(start, start + length, label, "x" * length) for start, length, label in places]


PLACES = st.lists(st.tuples(st.integers(0, 30), st.integers(1, 5), st.sampled_from(["PERSON", "GPE", "ORG"])), max_size=8)


@given(PLACES, PLACES)
def test_disagreement_is_nought_for_the_same_suggestions_one_for_none_shared_and_symmetric(
        a: list[tuple[int, int, str]], b: list[tuple[int, int, str]]) -> None:
    first, second = spans(a), spans(b)
    assert disagreement(first, first) == 0.0
    assert disagreement(first, second) == disagreement(second, first)
    shared = {(s.start, s.end, s.label) for s in first} & {(s.start, s.end, s.label) for s in second}
    assert (disagreement(first, second) == 1.0) == (not shared and bool(first or second))


def test_a_hand_edited_setting_gives_no_order_rather_than_a_failure(fresh_store: Store) -> None:
    fresh_store.set_setting("queue_disagreement", "[1, 2")
    assert scores(fresh_store) == {}
