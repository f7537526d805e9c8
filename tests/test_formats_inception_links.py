"""Document labels and relations in INCEpTION's formats, both ways: WebAnno TSV 3.3 (a custom
relation layer on the named entities, written on its target's first token with its source as
``1-2[3_4]``; a custom ``DocumentLabel`` span layer on the first token) and UIMA CAS XMI/JSON (a
relation type with ``Governor`` and ``Dependent``; a document metadata layer ``DocumentLabel``)."""

from __future__ import annotations

from pathlib import Path

import cassis
import pytest

from annotator.domain import DONE, NewDocument, Span
from annotator.export import export_documents
from annotator.formats import ReadOptions
from annotator.importing import import_paths
from annotator.storage import Store

TEXT = "Zelenskyy 😀 visited New York. Odesa was quiet."
NE = "de.tudarmstadt.ukp.dkpro.core.api.ner.type.NamedEntity"


def at(word: str, label: str) -> Span:
    return Span.of(TEXT, TEXT.index(word), TEXT.index(word) + len(word), label)


def relations(store: Store) -> list[tuple[str, str, str]]:
    return sorted((link.head.text, link.label, link.child.text) for d in store.document_ids()
                  for link in store.relations.links(d))


def categories(store: Store) -> list[str]:
    return [c.label for d in store.document_ids() for c in store.categories.of(d)]


def filled(store: Store) -> None:
    store.add_documents([NewDocument(TEXT, status=DONE, spans=[at("Zelenskyy", "PER"), at("New York", "LOC"), at("Odesa", "LOC")],
                                     links=[(0, 1, "VISITED"), (1, 0, "HOSTED"), (2, 1, "NEAR")], categories=["war", "travel"])])


WANT = [("New York", "HOSTED", "Zelenskyy"), ("Odesa", "NEAR", "New York"), ("Zelenskyy", "VISITED", "New York")]


def test_inceptions_relation_and_document_label_columns_come_in(tmp_path: Path, fresh_store: Store) -> None:
    tsv = tmp_path / "a.tsv"
    tsv.write_text("#FORMAT=WebAnno TSV 3.3\n"
                   f"#T_SP={NE}|identifier|value\n"
                   "#T_SP=webanno.custom.DocumentLabel|value\n"
                   f"#T_RL=webanno.custom.Relation|label|BT_{NE}\n\n\n"
                   "#Text=Zelenskyy visited New York.\n"
                   "1-1\t0-9\tZelenskyy\t*\tPER\twar\t_\t_\n"
                   "1-2\t10-17\tvisited\t_\t_\t_\t_\t_\n"
                   "1-3\t18-21\tNew\t*[1]\tLOC[1]\t_\tVISITED|NEAR\t1-1[0_1]|1-2[0_1]\n"
                   "1-4\t22-26\tYork\t*[1]\tLOC[1]\t_\t_\t_\n"
                   "1-5\t26-27\t.\t_\t_\t_\t_\t_\n", encoding="utf-8")
    options = ReadOptions()
    import_paths(fresh_store, [tsv], options=options)
    assert relations(fresh_store) == [("Zelenskyy", "VISITED", "New York")]
    assert categories(fresh_store) == ["war"]
    [warning] = options.warnings  # NEAR's source (1-2, "visited") is no named entity
    assert "1 relation(s) not imported" in warning and "line 10" in warning and "NEAR" in warning


def test_tsv_we_write_holds_the_layers_inception_shows_and_comes_back(tmp_path: Path, fresh_store: Store) -> None:
    filled(fresh_store)
    report = export_documents(fresh_store, "webanno", tmp_path / "out")
    assert report.problems == []
    [tsv] = (tmp_path / "out").glob("*.tsv")
    lines = tsv.read_text(encoding="utf-8").splitlines()
    assert lines[1:4] == [f"#T_SP={NE}|identifier|value", "#T_SP=webanno.custom.DocumentLabel|value",
                          f"#T_RL=webanno.custom.Relation|label|BT_{NE}"]
    rows = {line.split("\t")[2]: line.split("\t")[3:] for line in lines if line[:1].isdigit()}
    assert rows["Zelenskyy"] == ["*", "PER", "war[2]|travel[3]", "HOSTED", "1-4[1_0]"]  # New York is 1-4 and 1-5, id 1
    assert rows["New"] == ["*[1]", "LOC[1]", "_", "VISITED|NEAR", "1-1[0_1]|2-1[0_1]"]
    assert rows["York"][3:] == ["_", "_"]  # on the target's first token only
    with Store(tmp_path / "b.db") as back:
        import_paths(back, [tmp_path / "out"])
        assert relations(back) == WANT and categories(back) == ["war", "travel"]


@pytest.mark.parametrize("fmt, suffix", [("uima-xmi", ".xmi"), ("uima-json", ".json")])
def test_cas_we_write_holds_relations_and_document_labels_and_they_come_back(tmp_path: Path, fresh_store: Store,
                                                                             fmt: str, suffix: str) -> None:
    filled(fresh_store)
    assert export_documents(fresh_store, fmt, tmp_path / "out").problems == []
    [written] = (tmp_path / "out").glob(f"*{suffix}")
    with written.open("rb") as file:
        if suffix == ".xmi":
            with (tmp_path / "out" / "TypeSystem.xml").open("rb") as types:
                cas = cassis.load_cas_from_xmi(file, typesystem=cassis.load_typesystem(types))
        else:
            cas = cassis.load_cas_from_json(file)
    assert sorted((r.Governor.get_covered_text(), r.label, r.Dependent.get_covered_text())
                  for r in cas.select("webanno.custom.Relation")) == WANT
    assert [d.value for d in cas.select("webanno.custom.DocumentLabel")] == ["war", "travel"]
    with Store(tmp_path / "b.db") as back:
        import_paths(back, [tmp_path / "out"], fmt)
        assert relations(back) == WANT and categories(back) == ["war", "travel"]


def test_a_cas_made_as_inception_makes_it_brings_its_relation_and_label(tmp_path: Path, fresh_store: Store) -> None:
    """A project's own layer names: a relation layer ``Link`` (feature ``value``) on the named
    entities, a document metadata layer ``DocumentLabel``; a dependency between tokens is counted."""
    types = cassis.load_dkpro_core_typesystem()
    link = types.create_type("webanno.custom.Link", supertypeName="uima.tcas.Annotation")
    types.create_feature(link, "Governor", NE)
    types.create_feature(link, "Dependent", NE)
    types.create_feature(link, "value", "uima.cas.String")
    label = types.create_type("webanno.custom.DocumentLabel", supertypeName="uima.cas.AnnotationBase")
    types.create_feature(label, "value", "uima.cas.String")
    cas = cassis.Cas(typesystem=types)
    cas.sofa_string = TEXT
    ne = types.get_type(NE)
    person, place = (ne(begin=TEXT.index(w), end=TEXT.index(w) + len(w), value=v) for w, v in (("Zelenskyy", "PER"),
                                                                                                ("New York", "LOC")))
    cas.add_all([person, place, link(begin=place.begin, end=place.end, Governor=person, Dependent=place, value="VISITED"),
                 label(value="war")])
    (tmp_path / "a.xmi").write_text(cas.to_xmi(), encoding="utf-8")
    (tmp_path / "TypeSystem.xml").write_text(types.to_xml(), encoding="utf-8")  # beside it, as INCEpTION exports
    import_paths(fresh_store, [tmp_path / "a.xmi"])
    assert relations(fresh_store) == [("Zelenskyy", "VISITED", "New York")] and categories(fresh_store) == ["war"]
