"""The import graph of annotator/, read from the source (every import, lazy or for type checking
only, counts): no circle of imports, and no module importing from a layer above its own. The
libraries each layer may use are test_layering.py's rules; this file is about annotator's own modules."""

from __future__ import annotations

import ast
from graphlib import CycleError, TopologicalSorter
from pathlib import Path

from test_layering import PACKAGE, modules

# The layers, bottom first: a module may import from its own layer and those below it. A module is
# in the layer of the longest prefix that names it; a new module named by none is refused until placed.
LAYERS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("domain", ("annotator.domain", "annotator.labels", "annotator.relations", "annotator.categories",
                "annotator.tokens", "annotator.days", "annotator.date_rules", "annotator.dates", "annotator.counts",
                "annotator.facts", "annotator.paths", "annotator.files", "annotator.learning.strings",
                "annotator.learning.suggest", "annotator.descriptions", "annotator.assignment", "annotator.answers")),
    ("storage", ("annotator.storage",)),
    ("work", ("annotator.detect", "annotator.formats", "annotator.learning", "annotator.importing", "annotator.export",
              "annotator.project", "annotator.review", "annotator.train")),
    ("session", ("annotator.session", "annotator.session_links", "annotator.session_events", "annotator.write_queue",
                 "annotator.open_document", "annotator.span_edits", "annotator.status_edits", "annotator.undo_redo",
                 "annotator.outside_changes", "annotator.failures")),
    ("window", ("annotator.qt",)),
    ("entry", ("annotator.__main__", "annotator.cli", "annotator.commands", "annotator.selftest")),
)


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


NAMES = {module_name(path): path for path in modules()}


def owner(name: str) -> str:
    """The module of ours that an imported name lives in (``annotator.x.y`` may be a name in ``annotator.x``)."""
    while name not in NAMES:
        name = name.rpartition(".")[0]
    return name


def imports_of(name: str) -> set[str]:
    """The modules of ours that module ``name`` imports, anywhere in it."""
    path = NAMES[name]
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join([*package.split(".")[: len(package.split(".")) - node.level + 1], *filter(None, [base])])
            targets = [f"{base}.{alias.name}" for alias in node.names]
        else:
            continue
        found |= {owner(t) for t in targets if t == "annotator" or t.startswith("annotator.")}
    return found - {name}


GRAPH = {name: imports_of(name) for name in NAMES}


def layer(name: str) -> int:
    if name == "annotator":  # the package itself: its version
        return 0
    matches = [(len(prefix), rank) for rank, (_, prefixes) in enumerate(LAYERS) for prefix in prefixes
               if name == prefix or name.startswith(prefix + ".")]
    assert matches, f"{name} is in no layer: add it to LAYERS"
    return max(matches)[1]


def test_the_graph_is_read() -> None:
    assert "annotator.storage" in GRAPH["annotator.session"]
    assert "annotator.qt.main_window" in GRAPH["annotator.qt.app"]
    assert "annotator.domain" in GRAPH["annotator.formats.offsets"]  # imported for type checking only: counted too
    assert layer("annotator.storage.store") < layer("annotator.session") < layer("annotator.qt.app") < layer("annotator.cli")


# A circle through an import made inside a function (so that it does not fail at load time), in
# storage, which other work is making into parts: listed until it is untied, so that no new circle
# comes in meanwhile; untied, it must leave the list.
KNOWN_CIRCLES = (
    {"annotator.storage.schema", "annotator.storage.expected_schema"},  # the expected schema runs the migrations
)


def circles(graph: dict[str, set[str]]) -> list[set[str]]:
    """The modules that import one another round a circle, one set per circle found (cut, then looked for again)."""
    graph = {name: set(targets) for name, targets in graph.items()}
    found: list[set[str]] = []
    while True:
        try:
            tuple(TopologicalSorter(graph).static_order())  # a generator: the circle is found as it is read
            return found
        except CycleError as error:
            circle = error.args[1]
            found.append(set(circle))
            graph[circle[-1]].discard(circle[-2])  # each one there is imported by the next


def test_no_module_imports_itself_round_a_circle() -> None:
    assert circles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [{"a", "b", "c"}]  # the finder finds
    new = [" -> ".join(sorted(c)) for c in circles(GRAPH) if c not in KNOWN_CIRCLES]
    assert new == [], f"import circles: {new}"
    untied = [c for c in KNOWN_CIRCLES if c not in circles(GRAPH)]
    assert untied == [], f"untied: take them off KNOWN_CIRCLES: {untied}"


def test_no_module_imports_from_a_layer_above_its_own() -> None:
    upward = [f"{name} ({LAYERS[layer(name)][0]}) imports {target} ({LAYERS[layer(target)][0]})"
              for name, targets in GRAPH.items() for target in sorted(targets) if layer(target) > layer(name)]
    assert upward == []
