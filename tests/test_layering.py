"""The architecture rules, enforced: which package may import Qt, SQLite and spaCy."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "annotator"


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def modules() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py") if "seeds" not in p.parts)


# library -> the only places (relative to annotator/) allowed to import it
ALLOWED = {
    "PySide6": ("qt/",),
    "shiboken6": ("qt/",),
    "sqlite_utils": ("storage/",),
    "sqlite3": ("storage/",),
    "spacy": ("detect/",),
    "thinc": ("detect/",),
}


@pytest.mark.parametrize("library", sorted(ALLOWED))
def test_library_is_imported_only_where_allowed(library: str) -> None:
    offenders = [
        str(path.relative_to(PACKAGE))
        for path in modules()
        if library in imported_modules(path)
        and not str(path.relative_to(PACKAGE)).startswith(ALLOWED[library])
    ]
    assert offenders == []


def test_the_domain_stands_alone() -> None:
    assert imported_modules(PACKAGE / "domain.py") <= {"__future__", "collections", "hashlib", "dataclasses", "enum", "itertools",
                                                        "operator", "typing"}
