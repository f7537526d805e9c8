"""Write docs/cli.md, the command-line reference, from the click commands' own help.

The reference is never edited by hand: change a command's docstring or an option's help, then run

    python docs/make_cli_reference.py          # rewrite docs/cli.md
    python docs/make_cli_reference.py --check  # exit 1 if docs/cli.md is stale (tests/test_docs.py does this)

It walks ``annotator.cli.cli`` recursively (every command and subcommand the group lists, however
many are added), so a new command or option appears here without touching this script.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import click

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # the annotator of this tree, not an installed one

from annotator.cli import cli  # noqa: E402

OUT = ROOT / "docs" / "cli.md"
WIDTH = 100  # help is wrapped at a fixed width, whatever the terminal, so the file is the same everywhere

INTRO = """# Command-line reference

Generated from the commands' own `--help` by `python docs/make_cli_reference.py`; do not edit by
hand (`tests/test_docs.py` fails when this file is stale). The guide pages say what the commands
are for: see the [documentation index](README.md).
"""


def walk(command: click.Command, path: list[str], parent: click.Context | None = None) -> Iterator[tuple[list[str], str]]:
    """Each command under ``command``, depth first, with its help text as ``annotator ... --help`` prints it."""
    settings = {**command.context_settings, "terminal_width": WIDTH, "max_content_width": WIDTH}
    ctx = click.Context(command, info_name=path[-1], parent=parent, **settings)
    yield path, command.get_help(ctx)
    if isinstance(command, click.Group):
        for name in command.list_commands(ctx):
            sub = command.get_command(ctx, name)
            if sub is not None and not sub.hidden:
                yield from walk(sub, [*path, name], ctx)


def anchor(path: list[str]) -> str:
    """GitHub's anchor of a ``## annotator x y`` heading."""
    return "-".join(path).lower()


def render() -> str:
    """The whole of docs/cli.md."""
    commands = list(walk(cli, ["annotator"]))
    parts = [INTRO, "## Commands\n"]
    parts += [f"- [`{' '.join(path)}`](#{anchor(path)})" for path, _ in commands]
    parts.append("")
    for path, text in commands:
        parts += [f"## {' '.join(path)}\n", "```", text.rstrip(), "```\n"]
    return "\n".join(parts)


def main(argv: list[str]) -> int:
    text = render()
    if "--check" in argv:
        if not OUT.exists() or OUT.read_text(encoding="utf-8") != text:
            print(f"{OUT.relative_to(ROOT)} is stale: run python docs/make_cli_reference.py", file=sys.stderr)
            return 1
        return 0
    OUT.write_text(text, encoding="utf-8")
    print(f"wrote {OUT.relative_to(ROOT)} ({len(text.splitlines())} lines)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
