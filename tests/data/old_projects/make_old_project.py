"""Make a small project with the annotator of an older commit (run with that commit's code first on
the path): a few documents with spans, edits (one undone), a status, a setting and predictions
where that version has them. Writes PROJECT and PROJECT's manifest (.json): what the old code
itself reads back, which the test compares with what today's code reads after migrating.

    git worktree add /tmp/old 22458a1
    PYTHONPATH=/tmp/old python tests/data/old_projects/make_old_project.py schema1.db
"""

import json
import sys
from pathlib import Path

from annotator.domain import NewDocument, Span
from annotator.storage import Store  # a module in the first releases, a package since schema 3

TEXTS = [
    "Zelenskyy met Blinken in Kyiv on Tuesday.",
    "About 300 drones hit Odesa overnight, officials said.",
    "Nothing to label here.",
]


def main(path: Path) -> None:
    store = Store(path, annotator="alice")
    first = TEXTS[0]
    docs = [
        NewDocument(first, {"title": "Meeting"}, spans=[Span.of(first, 0, 9, "PERSON"), Span.of(first, 25, 29, "GPE")]),
        NewDocument(TEXTS[1], {"title": "Drones"}),
        NewDocument(TEXTS[2], {"title": "Empty"}),
    ]
    ids = store.add_documents(docs).added
    a, b, _ = ids
    if hasattr(store, "save_predictions"):
        store.save_predictions(b, [Span.of(TEXTS[1], 38, 47, "NORP", origin="model")], "en_core_web_sm", "3.8.0")
    elif hasattr(store, "insert_predictions"):
        store.insert_predictions(b, [Span.of(TEXTS[1], 38, 47, "NORP", origin="model")], "en_core_web_sm", "3.8.0")
    added = store.add_span(a, Span.of(first, 14, 21, "PERSON"))
    store.update_span(added.id, label="ORG")
    store.add_span(b, Span.of(TEXTS[1], 0, 16, "WEAPONS", layer="numbers", value=300.0, kind="cardinal", approx=True,
                              unit="drones"))
    store.add_span(b, Span.of(TEXTS[1], 21, 26, "GPE"))
    store.undo()  # the GPE "Odesa": undone, still in the history
    store.set_status(a, "done")
    settings = {}
    if hasattr(store, "set_setting"):
        store.set_setting("model", "en_core_web_sm")
        settings["model"] = store.setting("model")
    manifest = {
        "schema": store.schema_version,
        "documents": [
            {"title": d.title, "text": d.text, "status": d.status,
             "spans": sorted([s.annotator, s.layer, s.start, s.end, s.label, s.text, s.value] for s in store.spans(d.id))}
            for d in store.iter_documents()
        ],
        "edits": [[e.action, e.state] for e in sorted(store.history(), key=lambda e: e.id)],
        "settings": settings,
    }
    store.close()
    path.with_suffix(".json").write_text(json.dumps(manifest, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
