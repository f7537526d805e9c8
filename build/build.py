"""Build the desktop bundle: ``python3 build/build.py`` makes dist/annotator/ (one folder).

Run it with the Python that has annotator's dependencies and PyInstaller installed
(``pip install -e ".[build]"``). Prints the build time and the bundle's size at the end.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import time
from pathlib import Path

BUILD_DIR = Path(__file__).resolve().parent
ROOT = BUILD_DIR.parent
MiB = 2**20


def folder_size(folder: Path) -> int:
    return sum(f.stat().st_size for f in folder.rglob("*") if f.is_file() and not f.is_symlink())


def build(dist: Path, work: Path, clean: bool = False) -> Path:
    """Run PyInstaller on build/annotator.spec; returns the bundle folder."""
    command = [sys.executable, "-m", "PyInstaller", "--noconfirm", "--log-level", "WARN",
               "--distpath", str(dist), "--workpath", str(work), str(BUILD_DIR / "annotator.spec")]
    if clean:
        command.insert(3, "--clean")
    subprocess.run(command, check=True, cwd=ROOT)
    return dist / "annotator"


def has_debug_info(library: Path) -> bool:
    sections = subprocess.run(["readelf", "-S", "-W", str(library)], capture_output=True, text=True)
    return ".debug_info" in sections.stdout


def strip_debug_info(bundle: Path) -> int:
    """Remove the debug sections spaCy's Cython modules (and some Pythons) ship: ~150 MiB.

    Only libraries that carry debug info are touched, with ``strip --strip-debug``, which keeps
    the symbol tables; full stripping corrupts the wheels' patched libraries. Returns bytes saved.
    """
    if not (shutil.which("strip") and shutil.which("readelf")):
        print("strip/readelf (binutils) not found: the bundle keeps its debug info")
        return 0
    before = folder_size(bundle)
    for library in bundle.rglob("*.so*"):
        if library.is_file() and not library.is_symlink() and has_debug_info(library):
            subprocess.run(["strip", "--strip-debug", str(library)], check=True)
    return before - folder_size(bundle)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dist", type=Path, default=ROOT / "dist", help="where the bundle goes (default: dist/)")
    parser.add_argument("--work", type=Path, default=BUILD_DIR / "work", help="PyInstaller's work files")
    parser.add_argument("--clean", action="store_true", help="ignore PyInstaller's cache")
    args = parser.parse_args()
    started = time.perf_counter()
    bundle = build(args.dist, args.work, args.clean)
    saved = strip_debug_info(bundle)
    minutes, seconds = divmod(time.perf_counter() - started, 60)
    print(f"built {bundle} in {int(minutes)} min {seconds:.0f} s; size {folder_size(bundle) / MiB:.0f} MiB "
          f"({saved / MiB:.0f} MiB of debug info stripped); start it with {bundle / 'annotator'}")


if __name__ == "__main__":
    main()
