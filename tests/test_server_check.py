"""``annotator check [--repair]`` on a project on a PostgreSQL server: the same checks of what
annotator relies on as on a file (each kind of damage made by hand with psycopg, found and
named with its count), --repair rebuilds counters, the search index and what dead imports
left, and one note says what is not checked there (PostgreSQL's own storage and the schema)."""

from __future__ import annotations

import psycopg
import pytest
from click.testing import CliRunner

from annotator.cli import cli
from annotator.domain import NewDocument, Span
from annotator.storage import Store

TEXTS = ["Zelenskyy met Blinken in Kyiv on Tuesday.", "About 300 drones hit Odesa overnight, officials said."]
NOTE = "not checked (the server's owner checks those); everything else was"


def project(url: str) -> str:
    with Store(url, annotator="alice") as store:
        first, second = store.add_documents([NewDocument(t) for t in TEXTS]).added
        store.add_span(first, Span.of(TEXTS[0], 25, 29, "GPE"))
        store.add_span(first, Span.of(TEXTS[0], 0, 9, "PERSON"))
        store.add_span(second, Span.of(TEXTS[1], 21, 26, "GPE"))
    return url


def by_hand(url: str, *statements: str) -> None:
    """Another program's write on the server, not ours."""
    with psycopg.connect(url, autocommit=True) as conn:
        for statement in statements:
            conn.execute(statement.encode())


def check(url: str, *more: str) -> tuple[int, list[str]]:
    result = CliRunner().invoke(cli, ["check", "--db", url, *more])
    return result.exit_code, result.output.strip().splitlines()


def test_a_sound_server_project_passes_and_says_what_it_did_not_check(server_project: str) -> None:
    url = project(server_project)
    code, lines = check(url)
    assert code == 0, lines
    assert lines[-1] == f"{url}: no problems found in what was checked"
    assert [line for line in lines[:-1]] == [f"{url}: on a server, PostgreSQL's own storage and the schema's tables and "
                                             f"triggers are {NOTE}"]


DAMAGE: dict[str, tuple[list[str], str]] = {
    "span text": (["UPDATE annotations SET text = 'Lviv' WHERE text = 'Kyiv'"],
                  "1 of a person's spans have a text other than their document's at their offsets"),
    "span outside": (['UPDATE annotations SET start = 400, "end" = 405 WHERE text = \'Odesa\''],
                     "1 of a person's spans lie outside their document's text"),
    "overlap": (["INSERT INTO annotations (doc_id, layer, start, \"end\", label, text, origin, annotator, created, updated) "
                 "SELECT id, 'entities', 25, 32, 'LOC', 'Kyiv on', 'human', 'alice', 'x', 'x' FROM documents "
                 "WHERE text LIKE 'Zelenskyy%'"],
                "1 of a person's entities overlap another of the same person"),
    "counters": (["UPDATE span_counts SET n = n + 5", "UPDATE status_counts SET n = 7"], "counters differ from a recount"),
    "search index": (["DELETE FROM documents_fts WHERE rowid = (SELECT min(id) FROM documents)"],
                     "the full-text index does not match the documents"),
    "history": (["DELETE FROM annotations WHERE text = 'Zelenskyy'"],
                "1 history entries name a span that is no longer there"),
    "unreadable history": (["UPDATE edits SET changes = '[{\"op\": ' WHERE id = (SELECT min(id) FROM edits)"],
                           "1 history entries cannot be read"),
    "leftover": (["INSERT INTO documents (hash, text, title, created, updated) VALUES ('h', 'half imported', 't', 'x', 'x')",
                  "INSERT INTO pending_docs SELECT id, 42 FROM documents WHERE hash = 'h'"],
                 "1 invisible document of no import"),
}


@pytest.mark.parametrize("kind", list(DAMAGE))
def test_each_kind_of_damage_on_the_server_is_found_and_named(server_project: str, kind: str) -> None:
    url = project(server_project)
    statements, line = DAMAGE[kind]
    by_hand(url, *statements)
    code, lines = check(url)
    assert code == 1, lines
    assert any(line in found and found.startswith(url) for found in lines), lines


@pytest.mark.parametrize("kind", ["counters", "search index", "leftover"])
def test_repair_on_the_server_rebuilds_what_can_be_rebuilt(server_project: str, kind: str) -> None:
    url = project(server_project)
    by_hand(url, *DAMAGE[kind][0])
    code, lines = check(url, "--repair")
    assert code == 0 and lines[-1] == f"{url}: no problems found in what was checked", lines
    assert any(line.startswith("repaired: ") for line in lines)
    assert check(url)[0] == 0
    with Store(url, annotator="alice") as store:
        assert store.stats()["documents"] == 2 and store.count_documents(search="odesa") == 1
        assert sorted(s.text for s in store.spans(store.document_ids()[0])) == ["Kyiv", "Zelenskyy"]


def test_the_windows_help_menu_checks_a_server_project(qtbot, make_window, server_project: str) -> None:
    from test_window_check import checked_from_the_help_menu

    url = project(server_project)
    by_hand(url, "UPDATE span_counts SET n = 9")
    store = Store(url, annotator="tester")
    win = make_window(store)
    said = checked_from_the_help_menu(qtbot, win)
    assert len(said) == 1 and "counters differ from a recount" in said[0] and "--repair" in said[0], said
    assert "not checked (the server's owner checks those)" in said[0]
    win.close()
    store.close()


def test_a_server_project_from_a_newer_annotator_is_left_unchecked_in_one_line(server_project: str) -> None:
    url = project(server_project)
    by_hand(url, "UPDATE annotator_schema SET version = 99")
    code, lines = check(url, "--repair")
    assert code == 0 and f"{url}: schema 99, from a newer annotator: nothing was checked" in lines, lines
