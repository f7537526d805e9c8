"""Render the README's screenshot: the window on the sample articles, offscreen.

    python docs/screenshot.py [docs/screenshot.png]
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QSettings  # noqa: E402

from annotator.domain import NUMBERS  # noqa: E402
from annotator.importing import import_paths  # noqa: E402
from annotator.paths import samples_dir  # noqa: E402
from annotator.qt.app import application  # noqa: E402
from annotator.qt.main_window import MainWindow  # noqa: E402
from annotator.storage import Store  # noqa: E402


def main(out: Path) -> None:
    app = application()
    with tempfile.TemporaryDirectory() as folder:
        store = Store(Path(folder) / "samples.db", annotator="reviewer")
        import_paths(store, [samples_dir()])
        window = MainWindow(store, QSettings(str(Path(folder) / "s.ini"), QSettings.Format.IniFormat))
        window.resize(1440, 880)
        window.show()
        window.workers.wait(120000)
        app.processEvents()
        doc = store.document_ids()[1]
        window.open_document(doc)
        spans = store.spans(doc)
        for span in spans[:12]:  # a reviewed beginning: confirmed spans are drawn solid
            if span.layer != NUMBERS:
                store.update_span(span.id, confirmed=True)
        window.refresh()
        number = next(s for s in store.spans(doc) if s.layer == NUMBERS and s.text == "28")
        window.article.span_clicked.emit(number)
        app.processEvents()
        window.grab().save(str(out))
        window.close()
        store.close()
    print(f"saved {out}")


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "docs/screenshot.png"))
