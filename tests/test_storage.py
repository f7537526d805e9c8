"""The project store: spans checked on write, durable, undoable, predictions kept apart."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from annotator.domain import ENTITIES, NUMBERS, NewDocument, Span, SpanError
from annotator.storage import SCHEMA_VERSION, Store, StoreError, UndoRefused

TEXT = "In Kyiv 🇺🇦 officials said 38,000 𝔰𝔬𝔩𝔡𝔦𝔢𝔯𝔰 and Zelenskyy’s aides met."


def add_doc(store: Store, text: str = TEXT) -> int:
    return store.add_documents([NewDocument(text)]).added[0]


def span(text: str, word: str, label: str, **fields) -> Span:
    start = text.index(word)
    return Span.of(text, start, start + len(word), label, **fields)


def test_spans_with_non_bmp_text_survive_close_and_reopen(any_project: Path) -> None:
    with Store(any_project, annotator="ann") as store:
        doc = add_doc(store)
        store.add_span(doc, span(TEXT, "Zelenskyy", "PERSON"))
        store.add_span(doc, span(TEXT, "38,000", "NUMBER", layer=NUMBERS, value=38000, kind="cardinal", unit="soldiers"))
    with Store(any_project, annotator="ann") as store:
        spans = store.spans(doc)
        assert [(s.text, s.label, s.layer) for s in spans] == [("38,000", "NUMBER", NUMBERS), ("Zelenskyy", "PERSON", ENTITIES)]
        for s in spans:
            assert store.document(doc).text[s.start : s.end] == s.text
        assert spans[0].value == 38000 and spans[0].unit == "soldiers"
        assert spans[1].start == TEXT.index("Zelenskyy") == 46  # Python characters; UTF-16 would say 56


def test_overlapping_entities_are_refused_but_numbers_may_overlap(any_store: Store) -> None:
    doc = add_doc(any_store)
    any_store.add_span(doc, span(TEXT, "38,000 𝔰𝔬𝔩𝔡𝔦𝔢𝔯𝔰", "QUANTITY"))
    with pytest.raises(SpanError, match="overlaps the entity '38,000 𝔰𝔬𝔩𝔡𝔦𝔢𝔯𝔰'"):
        any_store.add_span(doc, span(TEXT, "38,000", "CARDINAL"))
    any_store.add_span(doc, span(TEXT, "38,000", "NUMBER", layer=NUMBERS, value=38000.0, kind="cardinal"))
    assert len(any_store.spans(doc)) == 2


@pytest.mark.parametrize(
    "bad, message",
    [
        (Span(5, 3, "GPE", "x"), "outside the text"),
        (Span(3, 3000, "GPE", "x"), "outside the text"),
        (Span(3, 7, "GPE", "Kiev"), "the text there is 'Kyiv'"),
        (Span(3, 7, "", "Kyiv"), "no label"),
        (Span(3, 7, "GPE", "Kyiv", layer="other"), "unknown layer"),
    ],
)
def test_spans_that_do_not_fit_are_refused(any_store: Store, bad: Span, message: str) -> None:
    doc = add_doc(any_store)
    with pytest.raises(SpanError, match=message):
        any_store.add_span(doc, bad)
    assert any_store.spans(doc) == []


def test_undo_and_redo_survive_a_restart(any_project: Path) -> None:
    with Store(any_project, annotator="ann") as store:
        doc = add_doc(store)
        kyiv = store.add_span(doc, span(TEXT, "Kyiv", "GPE"))
        store.update_span(kyiv.id, label="LOC")
        store.set_status(doc, "done")
    with Store(any_project, annotator="ann") as store:
        assert store.undo().action == "mark done"
        assert store.document(doc).status == "open"
        assert store.undo().action == "relabel GPE→LOC 'Kyiv'"
        assert [s.label for s in store.spans(doc)] == ["GPE"]
        store.undo()
        assert store.spans(doc) == [] and not store.can_undo()
    with Store(any_project, annotator="ann") as store:
        store.redo()
        store.redo()
        assert [(s.text, s.label) for s in store.spans(doc)] == [("Kyiv", "LOC")]
        store.add_span(doc, span(TEXT, "Zelenskyy", "PERSON"))  # a new edit ends the redo chain
        assert not store.can_redo()
        assert store.document(doc).status == "open"


def test_undo_is_per_annotator_and_history_says_who(any_project: Path) -> None:
    alice, bob = Store(any_project, annotator="alice"), Store(any_project, annotator="bob")
    doc = add_doc(alice)
    alice.add_span(doc, span(TEXT, "Kyiv", "GPE"))
    bob.add_span(doc, span(TEXT, "Kyiv", "LOC"))
    bob.undo()
    assert [s.label for s in alice.spans(doc)] == ["GPE"] and bob.spans(doc) == []
    history = alice.history(doc)
    assert [(e.annotator, e.action, e.state) for e in history] == [
        ("bob", "add LOC 'Kyiv'", "undone"),
        ("alice", "add GPE 'Kyiv'", "done"),
    ]
    alice.close(), bob.close()


def test_predictions_are_kept_apart_and_never_clobber_edits(any_store: Store) -> None:
    doc = add_doc(any_store)
    model = [span(TEXT, "Kyiv", "GPE"), span(TEXT, "Zelenskyy", "ORG")]
    assert any_store.save_predictions(doc, model, "en_test", "1.0")
    suggested = any_store.spans(doc)
    assert [(s.label, s.origin, s.confirmed) for s in suggested] == [("GPE", "model", False), ("ORG", "model", False)]
    any_store.update_span(suggested[1].id, label="PERSON")
    # Running the model again keeps the person's correction.
    assert not any_store.save_predictions(doc, model, "en_test", "1.0")
    assert [s.label for s in any_store.spans(doc)] == ["GPE", "PERSON"]
    assert [s.label for s in any_store.predictions(doc)] == ["GPE", "ORG"]
    assert any_store.prediction_models() == [("en_test", "1.0")]


def test_accept_and_clear_suggestions_are_one_undoable_edit_each(any_store: Store) -> None:
    doc = add_doc(any_store)
    any_store.save_predictions(doc, [span(TEXT, "Kyiv", "GPE"), span(TEXT, "Zelenskyy", "PERSON")], "m", "1")
    assert any_store.accept_suggestions(doc) == 2
    assert all(s.confirmed for s in any_store.spans(doc))
    any_store.undo()
    assert not any(s.confirmed for s in any_store.spans(doc))
    assert any_store.clear_suggestions(doc) == 2 and any_store.spans(doc) == []
    any_store.undo()
    assert len(any_store.spans(doc)) == 2


def test_labels_rename_rekey_and_remove(any_store: Store) -> None:
    doc = add_doc(any_store)
    any_store.add_span(doc, span(TEXT, "Kyiv", "GPE"))
    any_store.update_label("GPE", new_name="PLACE", colour="#123456", key="k")
    assert any_store.label("PLACE").colour == "#123456" and any_store.label("GPE") is None
    assert [s.label for s in any_store.spans(doc)] == ["PLACE"]
    with pytest.raises(ValueError, match="already used by PLACE"):
        any_store.update_label("PERSON", key="k")
    assert any_store.remove_label("PLACE") == 1 and any_store.spans(doc) == []


def test_document_list_pages_filters_and_searches(any_store: Store) -> None:
    ids = any_store.add_documents(
        [NewDocument(f"Article {i} about {'Kyiv' if i % 2 else 'Kharkiv'}.") for i in range(10)]).added
    any_store.set_status(ids[3], "done")
    any_store.add_span(ids[1], span("Article 1 about Kyiv.", "Kyiv", "GPE"))
    page = any_store.list_documents(offset=2, limit=3)
    assert [d.id for d in page] == ids[2:5] and page[0].title == "Article 2 about Kharkiv."
    assert any_store.count_documents(status="done") == 1
    assert [d.id for d in any_store.list_documents(label="GPE")] == [ids[1]]
    assert any_store.list_documents(label="GPE")[0].span_count == 1
    assert any_store.count_documents(search="kyiv") == 5
    assert any_store.count_documents(search='"Kyiv OR') == 0  # user input is never FTS syntax
    assert any_store.position_of(ids[4]) == 4 and any_store.position_of(ids[5], search="kyiv") == 2
    assert any_store.position_of(ids[4], search="kyiv") is None and any_store.position_of(ids[3], status="done") == 0


def test_database_settings(fresh_store: Store) -> None:
    db = fresh_store.db
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert fresh_store.schema_version == SCHEMA_VERSION


def test_a_newer_schema_is_refused_not_damaged(db_path: Path) -> None:
    Store(db_path).close()
    with Store(db_path) as store:
        store.db.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    before = db_path.read_bytes()
    with pytest.raises(StoreError, match="newer annotator") as err:
        Store(db_path)
    assert str(db_path) in str(err.value) and "\n" not in str(err.value)
    assert db_path.read_bytes() == before


def test_resolved_dates_travel_with_spans_through_edits_undo_and_copies(any_store: Store) -> None:
    text = "Talks resumed on 2 January 2024 in Kyiv."
    doc = add_doc(any_store, text)
    when = span(text, "2 January 2024", "DATE", resolved="2024-01-02")
    any_store.save_predictions(doc, [when], "m", "1")
    assert [s.resolved for s in any_store.predictions(doc)] == ["2024-01-02"]
    stored = any_store.spans(doc)[0]
    assert stored.resolved == "2024-01-02"
    any_store.update_span(stored.id, resolved="2024-01")  # the person's correction: their layer only
    assert any_store.spans(doc)[0].resolved == "2024-01"
    assert any_store.predictions(doc)[0].resolved == "2024-01-02"
    any_store.undo()
    assert any_store.spans(doc)[0].resolved == "2024-01-02"
    any_store.copy_layer(doc, "tester")
    assert any_store.spans(doc)[0].resolved == "2024-01-02"


def test_models_registry_replaces_by_name(any_store: Store) -> None:
    any_store.register_model("news", "/models/a", {"f1": 0.8})
    any_store.register_model("news", "/models/b", {"f1": 0.9})
    any_store.register_model("base", "/models/c", {})
    models = {m["name"]: m for m in any_store.models()}
    assert set(models) == {"news", "base"}
    assert models["news"]["path"] == "/models/b" and models["news"]["info"] == {"f1": 0.9}
    assert models["news"]["created"]


def test_counts_label_counts_summary_and_keyset_pages(any_store: Store) -> None:
    texts = [f"Article {i} about Kyiv and Lviv." for i in range(7)]
    ids = any_store.add_documents([NewDocument(t) for t in texts]).added
    any_store.set_status(ids[0], "done")
    any_store.set_status(ids[1], "skipped")
    any_store.add_span(ids[2], span(texts[2], "Kyiv", "GPE"))
    any_store.add_span(ids[2], span(texts[2], "Lviv", "GPE"))
    any_store.add_span(ids[2], span(texts[2], "Article", "ORG"))
    assert any_store.counts() == {"documents": 7, "status": {"open": 5, "done": 1, "skipped": 1}}
    assert any_store.label_counts(ids[2]) == {"GPE": 2, "ORG": 1}
    assert any_store.label_counts(ids[3]) == {}
    row = any_store.summary(ids[2])
    assert (row.id, row.title, row.status, row.span_count) == (ids[2], texts[2], "open", 3)
    first = any_store.list_documents(limit=3)
    second = any_store.list_documents(limit=3, after_id=first[-1].id)
    third = any_store.list_documents(limit=3, after_id=second[-1].id)
    assert [d.id for d in first + second + third] == ids
    assert [d.id for d in any_store.list_documents(status="open", after_id=ids[2], limit=10)] == ids[3:]


def test_a_schema_1_project_is_upgraded_and_keeps_its_spans(db_path: Path) -> None:
    from annotator.storage.connection import Connection
    from annotator.storage.schema import _MIGRATIONS

    old = Connection(db_path)  # what annotator 1 wrote: no marks, no resolved dates, no counters
    old.trust_schema()  # made here by our own migration
    with old.write():
        _MIGRATIONS[1](old)
        old.execute("PRAGMA user_version = 1")
        old.execute("INSERT INTO documents VALUES (1, 'h', ?, 't', NULL, '{}', 'done', 'x', 'x')", [TEXT])
        old.execute("INSERT INTO annotations (doc_id, layer, start, [end], label, text, origin, annotator, created, updated) "
                    "VALUES (1, 'entities', 3, 7, 'GPE', 'Kyiv', 'human', 'ann', 'x', 'x')")
    old.close()
    with Store(db_path, annotator="ann") as store:
        assert store.schema_version == SCHEMA_VERSION
        assert [(s.text, s.resolved) for s in store.spans(1)] == [("Kyiv", None)]
        assert store.models() == []
        assert store.counts()["status"]["done"] == 1
        assert store.stats()["spans"] == [{"layer": "entities", "label": "GPE", "origin": "human", "count": 1}]


def scanned_stats(store: Store) -> dict:
    """The figures the counters must agree with, by scanning every row."""
    db = store.db
    return {
        "status": dict(db.execute("SELECT status, count(*) FROM documents GROUP BY status").fetchall()),
        "spans": sorted(db.execute("SELECT layer, label, origin, count(*) FROM annotations GROUP BY 1, 2, 3").fetchall()),
        "predictions": sorted(db.execute(
            "SELECT model, model_version, layer, count(*) FROM predictions GROUP BY 1, 2, 3").fetchall()),
        "annotators": [r[0] for r in db.execute("SELECT DISTINCT annotator FROM annotations ORDER BY 1")],
    }


def counted_stats(store: Store) -> dict:
    stats = store.stats()
    return {
        "status": {k: v for k, v in stats["status"].items() if v},
        "spans": sorted((s["layer"], s["label"], s["origin"], s["count"]) for s in stats["spans"]),
        "predictions": sorted((p["model"], p["version"], p["layer"], p["count"]) for p in stats["predictions"]),
        "annotators": stats["annotators"],
    }


def test_counters_agree_with_a_full_scan_after_every_kind_of_write(any_project: Path) -> None:
    store, other = Store(any_project, annotator="ann"), Store(any_project, annotator="bob")
    texts = [f"Officials in Kyiv said {i} drones hit Lviv." for i in range(4)]
    ids = store.add_documents([NewDocument(t, spans=[span(t, "Kyiv", "GPE", origin="import")], status="done" if i else "open")
                               for i, t in enumerate(texts)]).added

    def import_inside_a_transaction() -> None:  # not staged: joins the caller's transaction
        late = "Kyiv and Lviv again."
        with store.transaction():
            store.add_documents([NewDocument(late, spans=[span(late, "Lviv", "GPE", origin="import")])])

    steps = [
        import_inside_a_transaction,
        lambda: store.save_predictions(ids[0], [span(texts[0], "Lviv", "GPE"), span(texts[0], "Kyiv", "LOC")], "m", "1"),
        lambda: store.save_predictions(ids[0], [span(texts[0], "Lviv", "LOC")], "m", "1"),
        lambda: store.add_span(ids[1], span(texts[1], "Lviv", "GPE")),
        lambda: store.update_span(store.spans(ids[1])[0].id, label="LOC"),
        lambda: store.delete_span(store.spans(ids[2])[0].id),
        lambda: store.undo(),
        lambda: store.redo(),
        lambda: store.set_status(ids[0], "skipped"),
        lambda: other.start_layer(ids[0]),
        lambda: other.accept_suggestions(ids[0]),
        lambda: store.clear_suggestions(ids[0]),
        lambda: store.copy_layer(ids[0], "bob"),
        lambda: store.update_label("LOC", new_name="PLACE"),
        lambda: store.remove_label("GPE"),
        lambda: store.insert_layer(ids[3], "carol", [span(texts[3], "Lviv", "PLACE")]),
    ]
    for step in steps:
        step()
        assert counted_stats(store) == scanned_stats(store)
    assert store.counts()["documents"] == 5
    store.close(), other.close()


def test_an_import_keeps_each_spans_fields_and_a_quoted_annotator_name(any_project: Path) -> None:
    """Imports put what spans share into the statement itself: names with quotes must survive."""
    text = "Officials in Kyiv said 38 drones hit Lviv."
    spans = [span(text, "Kyiv", "GPE", origin="import"), span(text, "Lviv", "GPE", annotator="d'Arcy", confirmed=False),
             span(text, "38", "CARDINAL", layer=NUMBERS, value=38.0, kind="cardinal", approx=True, unit="drones",
                  origin="import")]
    with Store(any_project, annotator="O'Brien") as store:
        doc = store.add_documents([NewDocument(text, spans=spans)]).added[0]
        mine = sorted(store.layer(doc, "O'Brien"), key=lambda s: s.start)
        assert [s.as_new() for s in mine] == [spans[0].with_(annotator="O'Brien"),
                                                    spans[2].with_(annotator="O'Brien")]
        assert [(s.text, s.confirmed) for s in store.layer(doc, "d'Arcy")] == [("Lviv", False)]
        assert counted_stats(store) == scanned_stats(store)


def test_an_import_failing_late_leaves_nothing_behind(any_store: Store) -> None:
    good = [NewDocument(f"Article {i} from Kyiv.", spans=[span(f"Article {i} from Kyiv.", "Kyiv", "CITY")])
            for i in range(1200)]  # several chunks go in before the bad one
    bad = NewDocument("Kyiv again.", spans=[Span(0, 4, "GPE", "Kiev")], source="news.jsonl", line=1201)
    with pytest.raises(SpanError, match=r"news\.jsonl, line 1201: .*the text there is 'Kyiv'"):
        any_store.add_documents([*good, bad])
    db = any_store.db
    assert db.one("SELECT count(*) FROM documents") == 0 and db.one("SELECT count(*) FROM annotations") == 0
    assert db.one("SELECT count(*) FROM pending_docs") == 0 and any_store.label("CITY") is None
    assert any_store.counts()["documents"] == 0 and any_store.stats()["spans"] == []


def test_undo_and_redo_follow_a_renamed_label_and_refuse_a_removed_one(any_store: Store) -> None:
    doc = add_doc(any_store)
    kyiv = any_store.add_span(doc, span(TEXT, "Kyiv", "GPE"))
    any_store.undo()
    any_store.update_label("GPE", new_name="PLACE")
    assert any_store.redo().action == "add GPE 'Kyiv'"
    assert [(s.text, s.label) for s in any_store.spans(doc)] == [("Kyiv", "PLACE")]

    any_store.update_span(kyiv.id, label="PERSON")  # relabel, then the old label goes
    any_store.remove_label("PLACE")
    with pytest.raises(UndoRefused, match="cannot undo relabel PLACE→PERSON 'Kyiv': the label PLACE was removed since"):
        any_store.undo()
    assert [(s.text, s.label) for s in any_store.spans(doc)] == [("Kyiv", "PERSON")]  # nothing changed
    assert any_store.can_undo()


def test_history_names_what_a_change_became(any_store: Store) -> None:
    doc = add_doc(any_store)
    number = any_store.add_span(doc, span(TEXT, "38,000", "NUMBER", layer=NUMBERS, value=38000, kind="cardinal"))
    org = any_store.add_span(doc, span(TEXT, "Zelenskyy", "ORG"))
    any_store.update_span(org.id, label="PERSON")
    any_store.update_span(number.id, value=38500)
    assert [e.action for e in any_store.history(doc)[:2]] == [
        "change value 38,000→38,500 '38,000'", "relabel ORG→PERSON 'Zelenskyy'"]  # numbers as everywhere (descriptions.number)


def test_the_list_and_the_counts_read_one_documents_spans_not_a_labels(fresh_store: Store) -> None:
    """Query plans: filtering the list by label, or counting a document's labels, must look up
    the document's spans, never every span of the label in the project."""
    where, params = fresh_store.documents.where("open", "GPE", None)
    plans = {
        "list": fresh_store.db.execute(f"EXPLAIN QUERY PLAN SELECT d.id FROM documents d{where}", params).fetchall(),
        "label counts": fresh_store.db.execute(
            "EXPLAIN QUERY PLAN SELECT label, count(*) FROM annotations WHERE doc_id = 1 AND annotator = 'x' GROUP BY label"
        ).fetchall(),
    }
    for name, plan in plans.items():
        steps = " / ".join(row[3] for row in plan)
        assert "annotations_label" not in steps and "annotations_doc" in steps, (name, steps)
        assert "SCAN a " not in steps and "SCAN annotations" not in steps, (name, steps)


def test_undo_never_touches_another_persons_span_that_took_a_freed_id(db_path: Path) -> None:
    alice, bob = Store(db_path, annotator="alice"), Store(db_path, annotator="bob")
    doc = add_doc(alice)
    kyiv = alice.add_span(doc, span(TEXT, "Kyiv", "GPE"))
    alice.delete_span(kyiv.id)
    bobs = bob.add_span(doc, span(TEXT, "Zelenskyy", "PERSON"))
    assert bobs.id == kyiv.id  # SQLite gave the freed id to Bob's new span (a server's sequence never does)
    with pytest.raises(UndoRefused, match="cannot undo delete GPE 'Kyiv'"):
        alice.undo()
    assert [(s.text, s.label) for s in bob.spans(doc)] == [("Zelenskyy", "PERSON")]
    assert alice.spans(doc) == []
    alice.close(), bob.close()


WORDS_TEXT = "Officials in Kyiv said 38 drones hit Lviv while Zelenskyy met Ukrenergo crews."
WORD_SPANS = [(m.start(), m.end()) for m in __import__("re").finditer(r"\S+", WORDS_TEXT)]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=st.lists(st.tuples(st.sampled_from(["add", "relabel", "resize", "delete", "undo", "redo", "status",
                                                 "rename", "remove", "accept", "predict"]),
                                st.integers(0, len(WORD_SPANS) - 1), st.sampled_from(["GPE", "ORG", "PERSON"])),
                      max_size=25))
def test_any_sequence_of_edits_keeps_spans_on_their_text_and_counters_exact(tmp_path: Path, steps) -> None:
    path = Path(tempfile.mkdtemp(dir=tmp_path)) / "project.db"  # a fresh project per example
    with Store(path, annotator="ann") as store:
        doc = add_doc(store, WORDS_TEXT)
        for op, at, label in steps:
            start, end = WORD_SPANS[at]
            mine = store.spans(doc)
            try:
                if op == "add":
                    store.add_span(doc, Span.of(WORDS_TEXT, start, end, label))
                elif op in ("relabel", "resize", "delete") and mine:
                    target = mine[at % len(mine)]
                    if op == "relabel":
                        store.update_span(target.id, label=label)
                    elif op == "resize":
                        store.update_span(target.id, start=start, end=end)
                    else:
                        store.delete_span(target.id)
                elif op in ("undo", "redo"):
                    getattr(store, op)()
                elif op == "status":
                    store.set_status(doc, ["open", "done", "skipped"][at % 3])
                elif op == "rename" and store.label(label):
                    store.update_label(label, new_name=label + "X")
                elif op == "remove":
                    store.remove_label(label)
                elif op == "accept":
                    store.accept_suggestions(doc)
                elif op == "predict":
                    store.save_predictions(doc, [Span.of(WORDS_TEXT, start, end, label)], "m", "1")
            except (SpanError, StoreError, ValueError):
                pass  # refused (overlap, a removed label, a taken name): refusals change nothing
            for s in store.spans(doc):
                assert WORDS_TEXT[s.start:s.end] == s.text
            assert counted_stats(store) == scanned_stats(store)


def fts_is_consistent(store: Store) -> bool:
    """FTS5's own check of the search index against the documents' text."""
    try:
        store.db.execute("INSERT INTO documents_fts (documents_fts, rank) VALUES ('integrity-check', 1)")
    except StoreError:
        return False
    return True


def test_search_finds_imported_articles_however_they_came_in(fresh_store: Store) -> None:
    fresh_store.add_documents([NewDocument(f"Shelling near Kherson, report {i}.") for i in range(3)])
    with fresh_store.transaction():  # inside a caller's transaction: not staged
        fresh_store.add_documents([NewDocument("Talks in Geneva resumed.")])
    bad = NewDocument("Drones over Odesa.", spans=[Span(0, 6, "X", "Drone!")], source="bad.jsonl", line=2)
    with pytest.raises(SpanError):
        fresh_store.add_documents([NewDocument("Drones seen near Odesa port."), bad])
    assert fresh_store.count_documents(search="kherson") == 3
    assert fresh_store.count_documents(search="geneva") == 1
    assert fresh_store.count_documents(search="odesa") == 0  # the failed import left nothing behind
    assert fts_is_consistent(fresh_store)


def test_an_import_fills_the_search_index_in_bulk_not_per_article(fresh_store: Store) -> None:
    """Writing the index article by article (a trigger per row) made FTS5 flush its terms for every
    article: 4x the cost of one statement per chunk (bench/import_speed.py)."""
    statements: list[str] = []
    fresh_store.db.conn.set_trace_callback(statements.append)
    fresh_store.add_documents([NewDocument(f"Article {i} on the grain corridor.") for i in range(50)])
    fresh_store.db.conn.set_trace_callback(None)
    assert sum("INSERT INTO documents_fts (rowid" in s for s in statements) == 1
    assert fresh_store.count_documents(search="corridor") == 50 and fts_is_consistent(fresh_store)


def test_a_schema_5_project_keeps_its_search_index(db_path: Path) -> None:
    from annotator.storage.connection import Connection
    from annotator.storage.schema import _MIGRATIONS, APPLICATION_ID

    old = Connection(db_path)  # what annotator 5 wrote: the index filled by a trigger
    old.trust_schema()  # made here by our own migrations
    with old.write():
        for step in range(1, 6):
            _MIGRATIONS[step](old)
        old.execute("PRAGMA user_version = 5")
        old.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        old.execute("INSERT INTO documents VALUES (1, 'h', 'Floods in Lviv.', 't', NULL, '{}', 'open', 'x', 'x')")
    old.close()
    with Store(db_path, annotator="ann") as store:
        assert store.schema_version == SCHEMA_VERSION
        store.add_documents([NewDocument("Floods reach Lviv suburbs.")])
        assert store.count_documents(search="lviv") == 2 and fts_is_consistent(store)


def test_a_label_renamed_while_an_import_runs_keeps_counts_true(any_project: Path) -> None:
    """The import's spans, still invisible, keep the name their file gave; when it ends they are
    counted under it and the label is made again. Before, the rename changed those rows too, and
    the counters (taken from the file) counted spans of a label no row carried."""
    with Store(any_project, annotator="ann") as store, Store(any_project, annotator="ann") as other:
        doc = add_doc(store)
        store.add_span(doc, span(TEXT, "Kyiv", "GPE"))

        def articles():
            for i in range(1500):
                if i == 1200:  # the first chunks are stored, not yet published
                    assert store.db.one("SELECT count(*) FROM pending_docs") > 0
                    other.update_label("GPE", new_name="PLACE")
                text = f"Shelling in Kherson, report {i}."
                yield NewDocument(text, entities=[(12, 19, "GPE")])

        store.add_documents(articles())
        assert {r["label"]: r["count"] for r in store.stats()["spans"]} == {"PLACE": 1, "GPE": 1500}
        assert scanned_stats(store)["spans"] == [("entities", "GPE", "import", 1500), ("entities", "PLACE", "human", 1)]
        assert store.label("GPE") is not None and store.count_documents(label="GPE") == 1500


def test_renaming_a_label_nobody_used_does_not_read_the_spans(fresh_store: Store) -> None:
    doc = add_doc(fresh_store)
    fresh_store.add_span(doc, span(TEXT, "Kyiv", "GPE"))
    statements: list[str] = []
    fresh_store.db.conn.set_trace_callback(statements.append)
    fresh_store.update_label("NORP", new_name="GROUP")
    fresh_store.remove_label("FAC")
    fresh_store.db.conn.set_trace_callback(None)
    assert not [s for s in statements if "annotations" in s and "span_counts" not in s]
    fresh_store.update_label("GPE", new_name="PLACE")
    assert [s.label for s in fresh_store.spans(doc)] == ["PLACE"]


def test_after_an_import_deleting_a_document_still_removes_its_spans(fresh_store: Store) -> None:
    """Imports skip the per-row foreign-key lookup (each span's document is added alongside it);
    the project's other writes keep it, whether the import succeeded or failed."""
    bad = NewDocument("Drones over Odesa.", spans=[Span(0, 6, "X", "Drone!")], source="bad.jsonl", line=2)
    with pytest.raises(SpanError):
        fresh_store.add_documents([NewDocument("Kyiv at night.", entities=[(0, 4, "GPE")]), bad])
    [doc] = fresh_store.add_documents([NewDocument("Kyiv at night.", entities=[(0, 4, "GPE")])]).added
    assert fresh_store.db.one("PRAGMA foreign_keys") == 1
    fresh_store.db.execute("DELETE FROM documents WHERE id = ?", [doc])
    assert fresh_store.db.one("SELECT count(*) FROM annotations") == 0
