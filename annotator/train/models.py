"""The project's registered models: naming one for detection, and listing them with their scores."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from annotator.detect.model_folder import check_registered
from annotator.storage import Store

MODEL_SETTING = "model"  # the project's setting: the registered model chosen for pre-annotation

# The figures ``annotator models`` shows, in order: (heading, key in the model's scores).
SCORE_COLUMNS = (("entities F1", "ents_f"), ("numbers F1", "spans_numbers_f"))


def resolve_model(store: Store, name_or_path: str | None) -> str | None:
    """The folder of the registered model of this name (refused if it names code: a project file
    may be someone else's, see detect/model_folder.py); anything else (an installed pipeline's
    name, a folder, None for the default) is passed on as given."""
    if not name_or_path:
        return name_or_path
    for model in store.models():
        if model["name"] == name_or_path:
            if not Path(model["path"]).exists():
                raise ValueError(f"the model {name_or_path!r} is registered at {model['path']}, which no longer exists")
            check_registered(name_or_path, Path(model["path"]), store.path)
            return str(model["path"])
    return name_or_path


def chosen_model(store: Store) -> tuple[str | None, str | None]:
    """The registered model chosen for the project (the window's Model menu) as (name, folder),
    or (None, None) for the default; raises ValueError saying why a chosen one cannot be used."""
    name = store.setting(MODEL_SETTING)
    if name is None:
        return None, None
    if name not in {model["name"] for model in store.models()}:
        raise ValueError(f"{name!r} is no longer registered in {store.path.name}")
    return name, resolve_model(store, name)


def model_rows(store: Store) -> list[dict[str, Any]]:
    """One row per registered model, newest first: name, version, trained on, scores, path."""
    rows = []
    for model in reversed(store.models()):
        info = model["info"]
        scores = info.get("scores", {})
        documents = info.get("documents", {})
        rows.append({
            "name": model["name"], "version": info.get("version", ""), "created": model["created"],
            "annotator": info.get("annotator", ""), "base": (info.get("base") or {}).get("name", ""),
            "train": documents.get("train"), "dev": documents.get("dev"), "steps": info.get("max_steps"),
            **{key: scores.get(key) for _, key in SCORE_COLUMNS}, "path": model["path"],
        })
    return rows
