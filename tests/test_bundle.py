"""The desktop package: the self-test, the icon and desktop entry, and the PyInstaller bundle."""

from __future__ import annotations

import configparser
import os
import re
import struct
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication

from annotator import selftest
from annotator.qt.app import application
from annotator.qt.main_window import MainWindow

ROOT = Path(__file__).resolve().parent.parent
RESOURCES = ROOT / "resources"
CHECKS = ["resources", "spaCy model", "temporary database", "import the samples", "detection", "Qt",
          "window renders offscreen", "edit through the window", "review panel", "reopen the database",
          "export a DocBin"]
# Output that means something is broken or missing, whatever the exit status says.
TROUBLE = re.compile(r"Traceback|Error|FAIL|[Ww]arning|[Cc]ould not|[Cc]annot|not found|[Nn]o such file|missing")


def run_self_test(command: list[str], **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*command, "--self-test"], capture_output=True, text=True, timeout=300,
                          env={**env, "QT_QPA_PLATFORM": "offscreen", "LANG": "C.UTF-8"})


def assert_all_checks_passed(result: subprocess.CompletedProcess[str]) -> None:
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    for check in CHECKS:
        assert re.search(rf"^ok +{re.escape(check)}: ", result.stdout, re.M), f"no 'ok  {check}' in:\n{output}"
    assert "all checks passed" in result.stdout
    trouble = [line for line in output.splitlines() if TROUBLE.search(line)]
    assert trouble == []
    assert "propagateSizeHints" not in output  # Qt's offscreen notice is kept out of the report


def test_self_test_passes_from_source(tmp_path: Path) -> None:
    """``annotator --self-test`` in a fresh process, as a user would run it after installing."""
    env = {"PATH": os.environ["PATH"], "HOME": str(tmp_path), "PYTHONPATH": str(ROOT)}
    assert_all_checks_passed(run_self_test([sys.executable, "-m", "annotator"], **env))


def test_self_test_names_what_failed_and_exits_non_zero(tmp_path: Path, monkeypatch, qapp) -> None:
    monkeypatch.setattr(selftest, "samples_dir", lambda: tmp_path)
    lines: list[str] = []

    assert selftest.run_self_test(echo=lines.append) == 1

    assert any(line.startswith(f"FAIL resources: FileNotFoundError: no sample articles (*.txt) in {tmp_path} ")
               for line in lines)
    assert "FAIL import the samples: not run, because the resources check failed" in lines
    assert any(line.startswith("ok  spaCy model: ") for line in lines)
    assert lines[-1].endswith("check(s) failed")


def test_desktop_entry_starts_the_annotator_command_with_its_icon() -> None:
    entry = configparser.ConfigParser(interpolation=None)
    entry.optionxform = str  # keys are case-sensitive
    entry.read(RESOURCES / "annotator.desktop", encoding="utf-8")
    desktop = entry["Desktop Entry"]

    assert desktop["Type"] == "Application"
    assert desktop["Exec"].split()[0] == "annotator"  # the console script and the bundle's executable
    assert desktop["Terminal"] == "false"
    icon = RESOURCES / f"{desktop['Icon']}.png"
    header = icon.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n"
    assert struct.unpack(">II", header[16:24]) == (256, 256)


def test_the_window_shows_the_application_icon(qtbot, fresh_store, tmp_path: Path) -> None:
    application()
    window = MainWindow(fresh_store, QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat),
                        detect_on_open=False)
    qtbot.addWidget(window)
    window.show()

    assert window.windowIcon().cacheKey() == QApplication.windowIcon().cacheKey()  # the application's icon
    shown = premultiplied(window.windowIcon().pixmap(256, 256).toImage())
    drawn = premultiplied(QImage(str(RESOURCES / "annotator.png")))
    assert len(shown) == len(drawn) == 256 * 256 * 4
    # Qt premultiplies alpha on the way, rounding by the CPU's instruction set: a unit or two on
    # semi-transparent edges. Anything else (another picture, a scaled or blank one) is far more.
    assert max(abs(a - b) for a, b in zip(shown, drawn)) <= 2
    assert sum(drawn[3::4]) > 256 * 256 * 255 // 4  # and the picture is there, not a transparent square


def premultiplied(image: QImage) -> bytes:
    """The image's channels, alpha premultiplied (what is drawn), one byte each, row after row."""
    assert not image.isNull()
    image = image.convertToFormat(QImage.Format.Format_ARGB32_Premultiplied)
    return b"".join(bytes(image.constScanLine(y))[: image.width() * 4] for y in range(image.height()))


@pytest.mark.slow
def test_bundle_builds_and_passes_its_self_test_without_python(tmp_path: Path, server_project: str) -> None:
    """Build dist/annotator/ with PyInstaller (into a temporary folder) and run the frozen app.

    Its environment has no Python on PATH, no PYTHONPATH/PYTHONHOME and a bare HOME, as on a
    machine without Python; the self-test also checks every library loads from the bundle.
    """
    build = subprocess.run([sys.executable, str(ROOT / "build" / "build.py"), "--dist", str(tmp_path / "dist"),
                            "--work", str(tmp_path / "work")], capture_output=True, text=True, timeout=1200)
    assert build.returncode == 0, build.stdout + build.stderr
    executable = tmp_path / "dist" / "annotator" / "annotator"
    assert executable.is_file()

    result = run_self_test([str(executable)], PATH="/nonexistent", HOME=str(tmp_path))

    assert_all_checks_passed(result)
    assert re.search(r"^ok +bundle: Python [\d.]+ and .* load from ", result.stdout, re.M), result.stdout
    # a project on a server, from the bundle: its psycopg and libpq (the machine has neither)
    stats = subprocess.run([str(executable), "stats", "--db", server_project], capture_output=True, text=True,
                           timeout=300, env={"PATH": "/nonexistent", "HOME": str(tmp_path), "LANG": "C.UTF-8"})
    assert stats.returncode == 0 and "0 documents" in stats.stdout, stats.stdout + stats.stderr
