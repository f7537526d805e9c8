"""Model folders a project names are input too: spaCy loading a folder imports none of its code,
and a registered folder that names code, or is not a pipeline at all, is refused in one line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import spacy
from click.testing import CliRunner

from annotator.cli import cli
from annotator.detect.pipeline import load_pipeline
from annotator.domain import NewDocument
from annotator.storage import Store
from annotator.train.models import MODEL_SETTING


def folder_with_code(folder: Path, marker: Path) -> Path:
    """A real spaCy pipeline folder whose config names code.py and which carries an __init__.py;
    either, if imported, leaves ``marker`` behind."""
    spacy.blank("en").to_disk(folder)
    for name in ("code.py", "__init__.py"):
        (folder / name).write_text(f"open({str(marker)!r}, 'a').write({name!r})\n", encoding="utf-8")
    config = (folder / "config.cfg").read_text(encoding="utf-8")
    (folder / "config.cfg").write_text(config.replace("[paths]", '[paths]\ncode = "code.py"'), encoding="utf-8")
    return folder


def test_spacy_loading_a_folder_imports_none_of_its_code(tmp_path: Path) -> None:
    marker = tmp_path / "ran"
    folder = folder_with_code(tmp_path / "model", marker)
    assert "code" in (folder / "config.cfg").read_text(encoding="utf-8")
    load_pipeline(str(folder))  # passed by the person: loaded as spaCy loads it
    assert not marker.exists()


def project_choosing(path: Path, folder: Path) -> Path:
    with Store(path) as store:
        store.add_documents([NewDocument("Floods in Lviv on Monday.")])
        store.register_model("news", str(folder), {"version": "1"})
        store.set_setting(MODEL_SETTING, "news")
    return path


@pytest.mark.parametrize("via", [["detect"], ["detect", "--model", "news"]])
def test_a_registered_model_folder_that_names_code_is_refused_in_one_line(tmp_path: Path, via: list[str]) -> None:
    marker = tmp_path / "ran"
    folder = folder_with_code(tmp_path / "model", marker)
    path = project_choosing(tmp_path / "theirs.db", folder)
    result = CliRunner().invoke(cli, [*via, "--db", str(path)])
    said = [line for line in result.output.splitlines() if "names code" in line]
    assert len(said) == 1 and str(folder) in said[0] and "code.py" in said[0], result.output
    assert not marker.exists()
    if "--model" in via:
        assert result.exit_code != 0


def test_a_registered_model_that_is_not_a_pipeline_folder_is_refused(tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "notes.json").write_text(json.dumps({"x": 1}), encoding="utf-8")
    path = project_choosing(tmp_path / "theirs.db", elsewhere)
    result = CliRunner().invoke(cli, ["detect", "--model", "news", "--db", str(path)])
    assert result.exit_code != 0 and "not a spaCy pipeline folder" in result.output and str(elsewhere) in result.output
