"""Replaces pyinstaller-hooks-contrib's spaCy hook, which collects every language and the tests.

spaCy is mostly Cython, so PyInstaller cannot see its imports: every submodule is still taken,
except the test suite and the language packages under ``spacy.lang`` other than English (and
``xx``, the multi-language base spaCy itself imports). ``spacy.registrations`` still imports the
tokenizer factories of ja, ko, th, vi and zh when it fills the registry, so those five small
modules come along (their heavy dependencies are imported only when used, and are not bundled).
Data files: only the configs and templates spaCy reads at run time, not its .pyx/.pxd/.c sources.
"""

import pkgutil
from pathlib import Path

from PyInstaller.utils.hooks import collect_data_files, collect_submodules, copy_metadata, get_package_paths

KEPT_LANGUAGES = {"en", "xx"}
LANG_DIR = Path(get_package_paths("spacy")[1]) / "lang"
DROPPED = {
    f"spacy.lang.{module.name}"
    for module in pkgutil.iter_modules([str(LANG_DIR)])
    if module.ispkg and module.name not in KEPT_LANGUAGES
}


def wanted(name: str) -> bool:
    return not name.startswith("spacy.tests") and ".".join(name.split(".")[:3]) not in DROPPED


hiddenimports = collect_submodules("spacy", filter=wanted)
datas = collect_data_files("spacy", includes=["**/*.cfg", "**/*.jinja", "**/*.yml"], excludes=["tests/**"])
datas += copy_metadata("spacy")
