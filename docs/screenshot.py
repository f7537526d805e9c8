"""Render the README's screenshots: the window on the sample articles, offscreen.

    python docs/screenshot.py            # docs/screenshot.png (1280×800), docs/screenshot-1920.png,
                                         # docs/screenshot-150.png (1280×800 at 150% scaling)
    python docs/screenshot.py OUT.png --size 1440x900 [--scale 1.5]

Qt reads its scale factor when it starts, so each picture is drawn by a process of its own.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

SHOTS = (("docs/screenshot.png", "1280x800", None), ("docs/screenshot-1920.png", "1920x1080", None),
         ("docs/screenshot-150.png", "1280x800", "1.5"))


def render(out: Path, width: int, height: int) -> None:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QSettings

    from annotator.domain import NUMBERS
    from annotator.importing import import_paths
    from annotator.paths import samples_dir
    from annotator.qt.app import application
    from annotator.qt.main_window import MainWindow
    from annotator.storage import Store

    app = application()
    with tempfile.TemporaryDirectory() as folder:
        store = Store(Path(folder) / "samples.db", annotator="reviewer")
        import_paths(store, [samples_dir()])
        window = MainWindow(store, QSettings(str(Path(folder) / "s.ini"), QSettings.Format.IniFormat))
        window.resize(width, height)
        window.show()
        window.workers.wait(120000)
        app.processEvents()
        doc = store.document_ids()[1]
        window.session.open(doc)
        for span in store.spans(doc)[:12]:  # a reviewed beginning: confirmed spans are drawn solid
            if span.layer != NUMBERS:
                store.update_span(span.id, confirmed=True)
        show_links(store, doc)
        window.session.reload_labels()
        window.session.open(doc)
        number = next(s for s in window.session.spans.values() if s.layer == NUMBERS and s.text == "28")
        window.session.select(number)
        app.processEvents()
        window.grab().save(str(out))
        window.close()
        store.close()
    print(f"saved {out}")


def show_links(store: Any, doc: int) -> None:
    """A few document labels (one given, one suggested by a model) and links between the spans found."""
    from annotator.categories import CategoryLabel

    store.categories.add_label(CategoryLabel("relevant", "relevance", "#15803d", "r"))
    store.categories.add_label(CategoryLabel("irrelevant", "relevance", "#6b7280", "i"))
    store.categories.set_group("relevance", exclusive=True)
    store.categories.add_label(CategoryLabel("casualties", colour="#b91c1c", key="k"))
    store.categories.toggle(doc, "relevant")
    store.categories.save_predictions(doc, {"casualties": 0.78}, "sample", "1")
    spans = store.spans(doc)
    by_id = {span.id: span for span in spans}
    for relation in store.relations.of(doc):  # the suggested "28 → COUNTS → drones", confirmed as a person would
        if not relation.confirmed and by_id[relation.head].text == "28" and by_id[relation.child].text == "drones":
            store.relations.update(relation.id, confirmed=True)
    for head_text, child_text, label in (("Ukrainian", "Cherkasy", "LOCATED_IN"),):
        pairs = [(c.start - h.start, h, c) for h in spans if h.text == head_text
                 for c in spans if c.text == child_text and c.start > h.start]
        if pairs:  # the nearest such pair
            _, head, child = min(pairs, key=lambda pair: pair[0])
            store.relations.add(head.id, child.id, label)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("out", nargs="?", type=Path)
    parser.add_argument("--size", default="1280x800")
    parser.add_argument("--scale")
    args = parser.parse_args()
    if args.out is None:
        for out, size, scale in SHOTS:
            command = [sys.executable, __file__, out, "--size", size] + (["--scale", scale] if scale else [])
            subprocess.run(command, check=True)
        return
    if args.scale:
        os.environ["QT_SCALE_FACTOR"] = args.scale
    width, height = (int(n) for n in args.size.split("x"))
    render(args.out, width, height)


if __name__ == "__main__":
    main()
