"""Search on a server project finds what it finds in a project file: accents on Latin letters and
case are folded the same way (FTS5's unicode61 on a file; the same folding around PostgreSQL's
tsvector on the server, whatever the server's locale), and a NUL typed or pasted separates words
on both, in the store and in the window's list."""

from __future__ import annotations

import pytest

from annotator.domain import NewDocument
from annotator.storage import Store

TEXTS = ["Talks in ZÜRICH and the café of Kyiv's mayor; ΑΘΗΝΑ naïve",
         "Zurich cafe naive Athens",
         "Łódź ØRESUND straße MOSCOW МОСКВА"]
# what a project file finds (documents matched), the server must find the same
FOUND = {"zürich": 2, "ZURICH": 2, "café": 2, "cafe": 2, "CAFÉ": 2, "αθηνα": 1, "Αθήνα": 0, "naive": 2, "naïve": 2,
         "kyiv\x00cafe": 1, "kyiv\x00\x00": 1, "\x00": 0, "é": 0, "straße": 1, "москва": 1, "Москва": 1, "lodz": 0}


def test_accented_words_and_a_nul_find_the_same_documents_on_a_file_and_on_a_server(any_store: Store) -> None:
    any_store.add_documents([NewDocument(t) for t in TEXTS])
    found = {query: any_store.count_documents(search=query) for query in FOUND}
    assert found == FOUND
    listed_ids = [d.id for d in any_store.list_documents(search="ZURICH")]
    assert len(listed_ids) == 2 and listed_ids == list(any_store.matching_ids(search="zürich"))


def titles(win) -> list[str]:
    """The titles the document list shows (its third column)."""
    model = win.documents.model
    return sorted(model.index(row, 2).data() for row in range(model.rowCount()))


@pytest.fixture
def server_window(make_window, server_project: str):
    with Store(server_project, annotator="tester") as store:
        store.add_documents([NewDocument(t, {"title": t[:12]}) for t in TEXTS])
    store = Store(server_project, annotator="tester")
    win = make_window(store)
    yield win
    win.close()
    store.close()


def test_the_windows_search_box_on_a_server_folds_accents_and_takes_a_nul_as_a_space(qtbot, server_window) -> None:
    win = server_window
    win.documents.search.setFocus()
    win.documents.search.insert("zürich")  # as an input method types it (QTest's keys are ASCII only)
    qtbot.waitUntil(lambda: win.documents.model.search == "zürich" and win.documents.model.rowCount() == 2)
    assert titles(win) == ["Talks in ZÜR", "Zurich cafe "]
    win.documents.search.setText("Kyiv\x00CAFE")  # as pasted: the NUL separates two words
    qtbot.waitUntil(lambda: win.documents.model.rowCount() == 1 and win.documents.model.search is not None
                    and win.documents.model.search.startswith("Kyiv"))
    assert titles(win) == ["Talks in ZÜR"]
    assert win.status.message.text() == ""
