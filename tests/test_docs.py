"""The documentation a user reads: the CLI reference is the commands' own help as they are now,
every command, option and window key the program has is explained in a guide page, and every
link in README.md and docs/ leads somewhere."""

from __future__ import annotations

import importlib.util
import re
import sys
import unicodedata
from pathlib import Path

import click
import pytest
from PySide6.QtGui import QKeySequence

from annotator.cli import cli
from annotator.domain import NewDocument
from annotator.labels import DEFAULT_LABELS
from annotator.qt.commands import article_rows
from annotator.relations import DEFAULT_RELATION_LABELS
from annotator.storage import Store

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
REFERENCE = DOCS / "cli.md"
# The pages a person reads to learn a task; the generated reference does not count as explaining anything.
GUIDE = sorted(p for p in DOCS.glob("*.md") if p != REFERENCE)
MARKDOWN = [ROOT / "README.md", *sorted(DOCS.glob("*.md"))]


def guide_text() -> str:
    return "\n".join(p.read_text(encoding="utf-8") for p in GUIDE)


def reference_script():
    spec = importlib.util.spec_from_file_location("make_cli_reference", DOCS / "make_cli_reference.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def commands(command: click.Command = cli, path: tuple[str, ...] = ("annotator",),
             parent: click.Context | None = None) -> list[tuple[tuple[str, ...], click.Command]]:
    """Every command and subcommand of ``annotator``, however deep."""
    ctx = click.Context(command, info_name=path[-1], parent=parent)
    found = [(path, command)]
    if isinstance(command, click.Group):
        for name in command.list_commands(ctx):
            sub = command.get_command(ctx, name)
            if sub is not None and not sub.hidden:
                found += commands(sub, (*path, name), ctx)
    return found


def test_the_cli_reference_is_the_commands_help_as_it_is_now() -> None:
    script = reference_script()
    assert REFERENCE.read_text(encoding="utf-8") == script.render(), \
        "docs/cli.md is stale: run python docs/make_cli_reference.py"


def test_the_cli_reference_holds_every_command_and_option() -> None:
    text = REFERENCE.read_text(encoding="utf-8")
    for path, command in commands():
        assert f"## {' '.join(path)}\n" in text
        for param in command.params:
            for opt in param.opts:
                if opt.startswith("-"):
                    assert opt in text, f"{' '.join(path)} {opt}"


@pytest.mark.parametrize("path", [" ".join(p) for p, _ in commands()[1:]])
def test_every_command_is_explained_in_a_guide_page(path: str) -> None:
    assert f"`{path}" in guide_text(), f"no guide page in docs/ explains `{path}`"


def long_options() -> list[str]:
    names = {opt for _, command in commands() for param in command.params
             for opt in (*param.opts, *param.secondary_opts) if opt.startswith("--") and opt != "--help"}
    return sorted(names)


@pytest.mark.parametrize("option", long_options())
def test_every_option_is_explained_in_a_guide_page(option: str) -> None:
    assert re.search(re.escape(option) + r"(?![\w-])", guide_text()), f"no guide page in docs/ explains {option}"


@pytest.fixture
def project(db_path: Path) -> Path:
    with Store(db_path, annotator="tester") as store:
        store.add_documents([NewDocument("Zelenskyy spoke in Kyiv on Tuesday.")])
    return db_path


def menu_actions(window) -> list[tuple[str, list[str]]]:
    """Every item of the window's menus (submenus too), as its text and its keys."""
    found: list[tuple[str, list[str]]] = []

    def walk(menu) -> None:
        for action in menu.actions():
            if action.isSeparator():
                continue
            text = action.text().replace("&", "").rstrip("…")
            keys = [k.toString(QKeySequence.SequenceFormat.PortableText) for k in action.shortcuts()]
            found.append((text, keys))
            if action.menu() is not None:
                walk(action.menu())

    for top in window.menuBar().actions():
        walk(top.menu())
    return found


def test_every_menu_item_and_its_keys_are_in_the_window_page(window) -> None:
    page = (DOCS / "window.md").read_text(encoding="utf-8")
    items = menu_actions(window)
    assert len(items) > 20  # the menus were really read
    missing = [text for text, _ in items if text not in page]
    missing += [f"{text}: {key}" for text, keys in items for key in keys if key not in page]
    assert missing == [], f"docs/window.md does not explain {missing}"


def test_every_key_typed_in_the_article_is_in_the_window_page() -> None:
    page = (DOCS / "window.md").read_text(encoding="utf-8")
    missing = [keys for keys, _ in article_rows() if f"| {keys} |" not in page]
    assert missing == [], f"docs/window.md's keys table lacks {missing}"


def test_every_default_label_key_is_in_the_window_page() -> None:
    page = (DOCS / "window.md").read_text(encoding="utf-8")
    labels = [*DEFAULT_LABELS, *DEFAULT_RELATION_LABELS]
    missing = [f"{label.key} {label.name}" for label in labels if label.key and f"| `{label.key}` | {label.name} |" not in page]
    assert missing == [], f"docs/window.md's default keys table lacks {missing}"


def anchors(page: Path) -> set[str]:
    """The anchors GitHub makes of a page's headings."""
    found = set()
    for heading in re.findall(r"^#{1,6} (.+)$", page.read_text(encoding="utf-8"), flags=re.MULTILINE):
        slug = "".join(c for c in heading.lower() if c in " -_" or unicodedata.category(c)[0] in "LN")
        found.add(slug.replace(" ", "-"))
    return found


def links(page: Path) -> list[str]:
    """The relative targets of a page's Markdown links and images (outside code)."""
    text = re.sub(r"```.*?```", "", page.read_text(encoding="utf-8"), flags=re.DOTALL)
    text = re.sub(r"`[^`\n]*`", "", text)
    return [t for t in re.findall(r"\]\(([^)\s]+)\)", text) if not re.match(r"[a-z]+:", t)]


@pytest.mark.parametrize("page", MARKDOWN, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_relative_link_resolves(page: Path) -> None:
    broken = []
    for target in links(page):
        file, _, anchor = target.partition("#")
        goal = (page.parent / file).resolve() if file else page
        if not goal.exists() or (anchor and goal.suffix == ".md" and anchor not in anchors(goal)):
            broken.append(target)
    assert broken == [], f"{page.name}: links that lead nowhere: {broken}"


def test_the_readme_stays_short_and_links_every_guide_page() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert len(readme.splitlines()) <= 120, "the README is one or two screenfuls; details go to docs/"
    unlinked = [p.name for p in GUIDE if p.name != "README.md" and f"docs/{p.name}" not in readme
                and p.name not in (DOCS / "README.md").read_text(encoding="utf-8")]
    assert unlinked == []
