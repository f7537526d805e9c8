"""The README's two set-up commands, checked against what the program needs on a fresh machine.

A new user runs the README's commands as written (as root, or as a user with sudo); these tests
check that the Debian packages they install cover every system library Qt's X11 (xcb) platform
plugin loads, that CI runs exactly the README's test command, and that emoji are drawn in colour
(a colour emoji font is part of the set-up).
"""

from __future__ import annotations

import re
import shlex
import subprocess
from pathlib import Path

import PySide6
from PySide6.QtGui import QColor, QFont
from PySide6.QtWidgets import QLabel

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
XCB_PLUGIN = Path(PySide6.__file__).parent / "Qt" / "plugins" / "platforms" / "libqxcb.so"


def readme_commands() -> list[str]:
    """The shell commands of the README's "Set up" section, in order."""
    section = README.split("## Set up", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```\n(.+?)\n```", section)


def apt_packages(command: str) -> list[str]:
    """The packages an ``apt-get install`` in the command names."""
    words = shlex.split(command.split("apt-get install", 1)[1].split("&&", 1)[0])
    return [w for w in words if not w.startswith("-")]


def with_dependencies(packages: list[str]) -> set[str]:
    """The packages and everything they depend on, as apt resolves it on this machine."""
    out = subprocess.run(
        ["apt-cache", "depends", "--recurse", "--no-recommends", "--no-suggests", "--no-conflicts",
         "--no-breaks", "--no-replaces", "--no-enhances", *packages],
        capture_output=True, text=True, check=True,
    ).stdout
    names = {line.strip().split(":")[0] for line in out.splitlines() if line and not line[0].isspace()}
    names |= {re.sub(r"[<>]", "", line.split(":", 1)[1]).strip().split(":")[0]
              for line in out.splitlines() if "Depends:" in line}
    return names


def owner(library: Path) -> str:
    """The Debian package that installed a library file."""
    out = subprocess.run(["dpkg", "-S", f"*/{library.name}"], capture_output=True, text=True, check=True).stdout
    return out.split(":", 1)[0]


def test_there_are_two_commands_that_work_as_root_and_with_sudo() -> None:
    install, test = readme_commands()
    for command in (install, test):
        # "$S" is sudo where it exists and nothing as root on a machine without sudo.
        assert command.startswith("S=$(command -v sudo); $S apt-get update && $S apt-get install -y ")
        assert apt_packages(command) == apt_packages(install)
        subprocess.run(["bash", "-n", "-c", command], check=True)  # it parses as written
    assert install.endswith(".venv/bin/pip install . && .venv/bin/annotator")
    # the lint and type gate before the tests, from the versions the test extra pins
    assert test.endswith('.venv/bin/pip install -e ".[test]" && .venv/bin/ruff check . && .venv/bin/mypy '
                         '&& .venv/bin/python -m pytest')


def test_ci_runs_exactly_the_readme_test_command() -> None:
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert readme_commands()[1] in ci.splitlines()


def test_every_package_can_be_installed_from_the_archive() -> None:
    packages = apt_packages(readme_commands()[0])
    policy = subprocess.run(["apt-cache", "policy", *packages], capture_output=True, text=True, check=True).stdout
    candidates = dict(re.findall(r"^(\S+):\n(?:  .*\n)*?  Candidate: (\S+)", policy, re.M))
    assert {p: candidates.get(p, "(none)") != "(none)" for p in packages} == {p: True for p in packages}


def test_the_packages_cover_every_library_of_qts_xcb_plugin() -> None:
    ldd = subprocess.run(["ldd", str(XCB_PLUGIN)], capture_output=True, text=True, check=True).stdout
    missing = sorted({line.split()[0] for line in ldd.splitlines() if "not found" in line})
    assert missing == [], f"the xcb plugin cannot load: {missing} not installed"
    system = {Path(m) for m in re.findall(r"=> (/\S+)", ldd)
              if not m.startswith(str(Path(PySide6.__file__).parent))}
    covered = with_dependencies(apt_packages(readme_commands()[0]))
    uncovered = sorted({owner(lib) for lib in system} - covered)
    assert uncovered == [], f"the README's apt-get line does not install {uncovered}"


def test_emoji_are_drawn_in_colour(qtbot) -> None:
    label = QLabel("🇺🇦 🚀 👍")
    font = QFont(label.font())
    font.setPointSize(28)
    label.setFont(font)
    label.resize(300, 80)
    qtbot.addWidget(label)
    label.show()
    qtbot.waitExposed(label)
    image = label.grab().toImage()
    coloured = sum(
        1
        for x in range(image.width())
        for y in range(image.height())
        if (c := QColor(image.pixel(x, y))).hsvSaturation() > 80 and c.value() > 60
    )
    # Without a colour emoji font Qt draws empty boxes: black and grey, no saturated pixel.
    assert coloured > 500
