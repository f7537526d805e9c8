"""UIMA CAS, INCEpTION's own formats, both ways through dkpro-cassis (the DKPro project's Python
library): CAS XMI (``.xmi``, its type system in a ``TypeSystem.xml`` beside it) and CAS JSON
(``.json`` whose object holds ``%TYPES`` and ``%FEATURE_STRUCTURES``; told apart from Label
Studio's files by content). One document a file.

Offsets: UIMA counts UTF-16 units in the file; cassis converts them to code points and back,
so they land on the same words with no flag.
Read: the text (the sofa) and the named entities (``…ner.type.NamedEntity`` and its subtypes,
``Location``, ``Person``…), labelled by their ``value``, else by the subtype's name. Stacked
entities are reported (the first kept); other annotation types are counted, not imported. An
XMI without a type system beside it is read with DKPro Core's.
Write: a folder of ``NNNNNN.xmi`` with one ``TypeSystem.xml``, or of ``NNNNNN.json``: the text,
spaCy's sentences and tokens as DKPro ``Sentence`` and ``Token``, the entities as
``NamedEntity`` with their label in ``value``. ``dkpro-cassis`` is the optional extra ``inception``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from annotator.domain import ENTITIES, Document, LinkRow, NewDocument, Span
from annotator.formats import InputError, ReadOptions, WriteOptions, links, open_binary
from annotator.formats.spans import Found
from annotator.formats.webanno import DOCUMENT_LABEL, NAMED_ENTITY, RELATION, Mention, keep_first_of_stacked

SENTENCE = "de.tudarmstadt.ukp.dkpro.core.api.segmentation.type.Sentence"
TOKEN = "de.tudarmstadt.ukp.dkpro.core.api.segmentation.type.Token"
MISSING = ("UIMA CAS files need the dkpro-cassis package: pip install 'annotator[inception]' "
           "(or pip install dkpro-cassis)")


def _cassis() -> Any:
    try:
        import cassis
    except ImportError:
        raise ValueError(MISSING) from None
    return cassis


def read_xmi(path: Path, options: ReadOptions) -> Iterator[NewDocument]:
    cassis = _cassis()
    beside = next((p for p in (path.with_name("TypeSystem.xml"), path.with_name("typesystem.xml")) if p.exists()), None)
    try:
        if beside is not None:
            with open_binary(beside) as file:
                typesystem = cassis.load_typesystem(file)
        else:
            typesystem = cassis.load_dkpro_core_typesystem()
        with open_binary(path) as file:
            cas = cassis.load_cas_from_xmi(file, typesystem=typesystem, lenient=True)
    except InputError:
        raise
    except Exception as err:  # lxml's syntax errors, cassis's type errors: the file is not what it says
        raise InputError(path, f"not a UIMA CAS XMI that can be read ({_first_line(err)})") from None
    yield _document(path, cas, options)


def read_json(path: Path, options: ReadOptions) -> Iterator[NewDocument]:
    cassis = _cassis()
    try:
        with open_binary(path) as file:
            cas = cassis.load_cas_from_json(file, lenient=True)
    except RecursionError:
        from annotator.formats import TOO_DEEP

        raise InputError(path, TOO_DEEP) from None
    except Exception as err:  # malformed JSON, unknown types: the file is not what it says
        raise InputError(path, f"not a UIMA CAS JSON that can be read ({_first_line(err)})") from None
    yield _document(path, cas, options)


def is_cas_json(head: bytes) -> bool:
    """A JSON object of UIMA CAS JSON's shape (its first keys are ``%TYPES`` or ``%FEATURE_STRUCTURES``)."""
    start = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    return start.startswith(b"{") and (b'"%TYPES"' in head or b'"%FEATURE_STRUCTURES"' in head)


def _first_line(err: BaseException) -> str:
    return (str(err).strip().splitlines() or [type(err).__name__])[0][:120]


def _document(path: Path, cas: Any, options: ReadOptions) -> NewDocument:
    text = cas.sofa_string
    if not isinstance(text, str) or not text.strip():
        raise InputError(path, "the CAS holds no text (an empty sofa)")
    typesystem = cas.typesystem
    mentions: dict[int, Mention] = {}  # by the annotation's id()
    relations: list[Any] = []
    others: Counter[str] = Counter()
    entity = typesystem.get_type(NAMED_ENTITY) if typesystem.contains_type(NAMED_ENTITY) else None
    for annotation in (getattr(cas, "select_all_annotations", None) or cas.select_all)():
        kind = annotation.type.name
        if entity is not None and typesystem.subsumes(entity, annotation.type):
            value = getattr(annotation, "value", None)
            label = value if isinstance(value, str) and value.strip() else kind.rsplit(".", 1)[-1]
            mentions[id(annotation)] = Mention(label, annotation.begin, annotation.end, f"annotation {annotation.xmiID}")
        elif entity is not None and _joins(annotation, entity, typesystem):
            relations.append(annotation)
        elif kind not in ("uima.tcas.DocumentAnnotation", SENTENCE, TOKEN):  # the segmentation is no annotation
            others[kind.rsplit(".", 1)[-1]] += 1
    found = Found(path, None, text)
    placed = keep_first_of_stacked(found, list(mentions.values()), options)
    rows: list[LinkRow] = []
    for relation in relations:
        head, child = (mentions.get(id(getattr(relation, end))) for end in ("Governor", "Dependent"))
        if head is None or child is None or id(head) not in placed or id(child) not in placed:
            others["relation(s) whose end was not imported"] += 1
        else:
            rows.append((placed[id(head)], placed[id(child)], _label(relation, ("label", "value")) or links.UNLABELLED))
    if others:
        options.warn(path, "not imported: " + ", ".join(f"{n} {kind}" for kind, n in sorted(others.items()))
                     + " (a project holds entity spans; the named entities were imported)")
    return NewDocument(text=text, meta={"source": path.name}, spans=found.spans, entities=found.entities, source=str(path),
                       categories=_categories(cas), links=list(dict.fromkeys(rows)))


def _joins(annotation: Any, entity: Any, typesystem: Any) -> bool:
    """An annotation of a relation layer on the named entities: its Governor and Dependent are ones."""
    ends = [getattr(annotation, end, None) for end in ("Governor", "Dependent")]
    return all(end is not None and hasattr(end, "type") and typesystem.subsumes(entity, end.type) for end in ends)


def _label(fs: Any, features: tuple[str, ...]) -> str | None:
    """The first of ``features`` that holds a name."""
    for feature in features:
        value = getattr(fs, feature, None)
        if isinstance(value, str) and value.strip():
            return value
    return None


def _categories(cas: Any) -> list[str]:
    """The document labels: the ``value`` of each annotation of a document metadata layer named
    ``DocumentLabel`` (INCEpTION's document-level layers have no place in the text)."""
    names = [t.name for t in cas.typesystem.get_types() if t.name.endswith(".DocumentLabel")]
    found = [_label(fs, ("value",)) for name in names for fs in cas.select(name)]
    return list(dict.fromkeys(name for name in found if name))


def _typesystem() -> Any:
    """DKPro's Sentence, Token and NamedEntity (value, identifier): what INCEpTION needs, and no more."""
    cassis = _cassis()
    typesystem = cassis.TypeSystem()
    typesystem.create_type(SENTENCE, supertypeName="uima.tcas.Annotation")
    typesystem.create_type(TOKEN, supertypeName="uima.tcas.Annotation")
    entity = typesystem.create_type(NAMED_ENTITY, supertypeName="uima.tcas.Annotation")
    typesystem.create_feature(entity, "value", "uima.cas.String")
    typesystem.create_feature(entity, "identifier", "uima.cas.String")
    relation = typesystem.create_type(RELATION, supertypeName="uima.tcas.Annotation")
    typesystem.create_feature(relation, "Governor", NAMED_ENTITY)
    typesystem.create_feature(relation, "Dependent", NAMED_ENTITY)
    typesystem.create_feature(relation, "label", "uima.cas.String")
    label = typesystem.create_type(DOCUMENT_LABEL, supertypeName="uima.cas.AnnotationBase")
    typesystem.create_feature(label, "value", "uima.cas.String")
    return typesystem


class XmiWriter:
    """A folder of CAS XMI files and their TypeSystem.xml."""

    suffix = ".xmi"

    def __init__(self, path: Path, options: WriteOptions) -> None:
        self.path, self.options = path, options
        self.typesystem = _typesystem()
        path.mkdir(parents=True, exist_ok=True)
        if self.suffix == ".xmi":
            (path / "TypeSystem.xml").write_text(self.typesystem.to_xml(), encoding="utf-8")

    def write(self, doc: Document, spans: list[Span], problems: list[str], extra: links.Extra = links.NOTHING) -> int:
        from annotator.detect.pipeline import make_sentences

        cassis = _cassis()
        cas = cassis.Cas(typesystem=self.typesystem)
        cas.sofa_string = doc.text
        get = self.typesystem.get_type
        sentence, token, entity = get(SENTENCE), get(TOKEN), get(NAMED_ENTITY)
        sdoc = make_sentences(doc.text)
        for sent in sdoc.sents:
            words = [t for t in sent if not t.is_space]
            if words:
                cas.add(sentence(begin=words[0].idx, end=words[-1].idx + len(words[-1])))
                cas.add_all([token(begin=t.idx, end=t.idx + len(t)) for t in words])
        kept = {s.key(): entity(begin=s.start, end=s.end, value=s.label) for s in spans if s.layer == ENTITIES}
        cas.add_all(list(kept.values()))
        relation = get(RELATION)
        cas.add_all([relation(begin=link.child.start, end=link.child.end, Governor=kept[link.head.key()],
                              Dependent=kept[link.child.key()], label=link.label)
                     for link in links.kept_links(doc, extra, [s for s in spans if s.key() in kept], problems)])
        cas.add_all([get(DOCUMENT_LABEL)(value=name) for name in extra.categories])
        target = self.path / f"{doc.id:06d}{self.suffix}"
        target.write_text(cas.to_xmi() if self.suffix == ".xmi" else cas.to_json(), encoding="utf-8")
        return len(kept)

    def close(self) -> list[Path]:
        return [self.path]


class JsonWriter(XmiWriter):
    """A folder of CAS JSON files (each carries its type system)."""

    suffix = ".json"
