"""Whether a model folder that the project names may be loaded without asking the person.

A project's registry (``annotator train`` writes it) and its chosen-model setting name folders, and
a project file may come from someone else. spaCy 3.8 loading a folder reads ``config.cfg``,
``meta.json`` and the weights (JSON and msgpack) and imports nothing from it: neither a
``[paths] code`` file nor an ``__init__.py`` (tests/test_model_folders.py checks it). Still, a folder
that names code expects it to run, so one reached through the project is refused in one line
instead of loaded half-working; a folder the person passes with ``--model`` is theirs to judge.
"""

from __future__ import annotations

import configparser
from pathlib import Path


class ModelFolderError(ValueError):
    """A model folder the project names that will not be loaded (said in one line)."""


def code_named(folder: Path) -> list[str]:
    """The Python code a model folder names or carries: ``[paths] code`` and ``[code]`` in its
    config, and ``.py`` files at its top (a packaged pipeline's ``__init__.py``)."""
    named = sorted(p.name for p in folder.glob("*.py"))
    config = configparser.ConfigParser(interpolation=None, strict=False)
    try:
        config.read(folder / "config.cfg", encoding="utf-8")
    except (configparser.Error, UnicodeDecodeError):
        return [*named, "config.cfg (unreadable)"]
    code = config.get("paths", "code", fallback="null").strip().strip('"')
    if code not in ("", "null", "None"):
        named.append(code)
    if config.has_section("code"):
        named += [value.strip().strip('"') for value in config["code"].values()]
    return named


def check_registered(name: str, folder: Path, project: Path) -> None:
    """Refuse a registered model's folder that is not a spaCy pipeline or that names code."""
    if not (folder / "config.cfg").is_file() or not (folder / "meta.json").is_file():
        raise ModelFolderError(f"the model {name!r} registered in {project.name} is at {folder}, "
                               "which is not a spaCy pipeline folder (no config.cfg and meta.json); not loaded")
    code = code_named(folder)
    if code:
        raise ModelFolderError(f"the model {name!r} registered in {project.name} ({folder}) names code to import "
                               f"({', '.join(code)}); annotator never runs a model folder's code: not loaded "
                               "(pass the folder with --model if you trust it)")
