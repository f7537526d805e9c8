"""Assignment (issue 25): documents given to people round-robin (``annotator assign --to alice,bob
--overlap 2``), each person's next document from their own queue, and progress per person in
``stats``; on a project file and on a server project."""

from __future__ import annotations

import json
import shutil
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st
from PySide6.QtCore import Qt
from windows import open_window

from annotator.assignment import spread
from annotator.cli import cli
from annotator.domain import DONE, NewDocument
from annotator.storage import Store
from annotator.storage.schema import SCHEMA_VERSION

TEXT = "Zelenskyy met Blinken in Kyiv on Tuesday."
OLD = Path(__file__).parent / "data" / "old_projects"


@given(docs=st.lists(st.integers(1, 10**6), unique=True, max_size=60),
       people=st.lists(st.text(min_size=1, max_size=8), unique=True, min_size=1, max_size=7), data=st.data())
def test_each_document_goes_to_overlap_different_people_and_everyone_gets_a_fair_share(docs, people, data) -> None:
    overlap = data.draw(st.integers(1, len(people)))
    pairs = spread(docs, people, overlap)
    by_doc: dict[int, list[str]] = {}
    for doc_id, who in pairs:
        by_doc.setdefault(doc_id, []).append(who)
    assert list(by_doc) == docs  # in the list's order, every one of them
    assert all(len(set(given)) == len(given) == overlap for given in by_doc.values())
    shares = Counter(who for _, who in pairs)
    shares.update(dict.fromkeys(people, 0))  # someone given nothing counts as 0
    assert max(shares.values()) - min(shares.values()) <= 1
    assert sum(shares.values()) == len(docs) * overlap


def cli_ok(*args: str) -> str:
    result = CliRunner().invoke(cli, list(args))
    assert result.exit_code == 0, result.output
    return result.output


def test_assign_on_the_command_line_and_progress_per_person_in_stats(any_project: Path | str) -> None:
    db = str(any_project)
    with Store(any_project, annotator="tester") as store:
        ids = store.add_documents([NewDocument(f"{TEXT} ({n})") for n in range(5)]).added
        store.set_status(ids[0], DONE)
    said = cli_ok("assign", "--to", "alice,bob,carol", "--overlap", "2", "--db", db)
    assert said.strip() == "Assigned 5 documents, each to 2 of 3 people: alice 4, bob 3, carol 3"
    figures = json.loads(cli_ok("stats", "--json", "--db", db))["assignments"]
    assert figures == [{"annotator": "alice", "assigned": 4, "done": 1, "open": 3, "skipped": 0},
                       {"annotator": "bob", "assigned": 3, "done": 1, "open": 2, "skipped": 0},
                       {"annotator": "carol", "assigned": 3, "done": 0, "open": 3, "skipped": 0}]
    table = cli_ok("stats", "--db", db)
    assert "Assignments" in table and any(line.split() == ["alice", "4", "1", "3", "0"] for line in table.splitlines())

    # open documents reassigned to two others replace their earlier assignment; the done one keeps its
    said = cli_ok("assign", "--to", "dan,erin", "--status", "open", "--db", db)
    assert said.strip() == "Assigned 4 documents, each to 1 of 2 people: dan 2, erin 2"
    figures = json.loads(cli_ok("stats", "--json", "--db", db))["assignments"]
    assert {f["annotator"]: f["assigned"] for f in figures} == {"alice": 1, "bob": 1, "dan": 2, "erin": 2}

    with Store(any_project, annotator="tester") as store:
        more = store.add_documents([NewDocument(f"{TEXT} (new {n})") for n in range(2)]).added
    said = cli_ok("assign", "--to", "frank", "--only-unassigned", "--db", db)
    assert said.strip() == "Assigned 2 documents, each to 1 of 1 person: frank 2"
    with Store(any_project, annotator="frank") as store:
        assert store.next_assigned(None) == more[0] and store.next_assigned(more[0]) == more[1]


@pytest.mark.parametrize(("args", "said"), [
    (["--to", "alice,bob", "--overlap", "3"], "Error: --overlap 3 is more than the 2 people given (--to alice,bob)"),
    (["--to", " , "], "Error: Invalid value for '--to': name at least one person (--to alice,bob)"),
    (["--to", "alice,alice"], "Error: a person is named twice in alice, alice"),
])
def test_a_wrong_assignment_is_one_line_and_assigns_nothing(db_path: Path, args: list[str], said: str) -> None:
    with Store(db_path, annotator="tester") as store:
        store.add_documents([NewDocument(TEXT)])
    result = CliRunner().invoke(cli, ["assign", *args, "--db", str(db_path)])
    assert result.exit_code != 0 and result.output.strip().splitlines()[-1] == said
    assert json.loads(cli_ok("stats", "--json", "--db", str(db_path)))["assignments"] == []


def test_an_old_project_gets_assignments(db_path: Path) -> None:
    """A project made by the code of schema 7 (tests/data/old_projects) is migrated to 12 and can be assigned."""
    shutil.copy(OLD / "schema7.db", db_path)
    cli_ok("assign", "--to", "alice", "--db", str(db_path))
    with Store(db_path, annotator="alice") as store:
        assert store.schema_version == SCHEMA_VERSION == 12
        assigned = store.assignments.progress()[0]["assigned"]
        assert assigned == len(store.document_ids()) > 0


def test_ctrl_u_and_ctrl_return_follow_the_persons_own_queue(qtbot, db_path: Path, tmp_path: Path) -> None:
    with Store(db_path, annotator="tester") as store:
        ids = store.add_documents([NewDocument(f"{TEXT} ({n})") for n in range(7)]).added
    cli_ok("assign", "--to", "alice,bob", "--db", str(db_path))  # alice: 1st, 3rd, 5th, 7th; bob the others
    win, store = open_window(qtbot, db_path, tmp_path / "alice.ini", annotator="alice")
    win.session.open(ids[0])
    ctrl = Qt.KeyboardModifier.ControlModifier
    qtbot.keyClick(win.article, Qt.Key.Key_U, ctrl)
    assert win.session.doc_id == ids[2]
    qtbot.keyClick(win.article, Qt.Key.Key_Return, ctrl)  # done: on to her next
    assert win.session.doc_id == ids[4] and store.document(ids[2]).status == DONE
    qtbot.keyClick(win.article, Qt.Key.Key_Return, ctrl)
    assert win.session.doc_id == ids[6]
    qtbot.keyClick(win.article, Qt.Key.Key_Return, ctrl)  # from her last one, back to her first open one
    assert win.session.doc_id == ids[0]
    qtbot.keyClick(win.article, Qt.Key.Key_Return, ctrl)  # none of hers left open: the list's next open one
    assert win.session.doc_id == ids[1]
    win.close()
    store.close()
