"""Does a large project open at once? Prints the time to open the window on N articles.

    python bench/big_project.py [--docs 100000]
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QSettings  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from annotator.domain import NewDocument  # noqa: E402
from annotator.qt.main_window import MainWindow  # noqa: E402
from annotator.storage import Store  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--docs", type=int, default=100_000)
    args = parser.parse_args()
    app = QApplication.instance() or QApplication([])
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "big.db"
        with Store(path, annotator="bench") as store:
            started = time.perf_counter()
            store.add_documents(NewDocument(f"Article {i}: drones struck Kyiv overnight, officials said. " * 20,
                                            {"date": "2025-01-07"}) for i in range(args.docs))
            print(f"imported {args.docs:,} articles in {time.perf_counter() - started:.1f} s "
                  f"({path.stat().st_size / 2**20:.0f} MiB)")
        started = time.perf_counter()
        store = Store(path, annotator="bench")
        window = MainWindow(store, QSettings(str(Path(folder) / "s.ini"), QSettings.Format.IniFormat),
                            detect_on_open=False)
        window.show()
        app.processEvents()
        opened = time.perf_counter() - started
        rows = window.model.rowCount()
        started = time.perf_counter()
        window.table.scrollToBottom()
        window.table.selectRow(args.docs - 1)
        app.processEvents()
        last = time.perf_counter() - started
        started = time.perf_counter()
        window.search.setText("Article 99999")
        window.documents.search_timer.timeout.emit()
        app.processEvents()
        searched = time.perf_counter() - started
        print(f"window open with {rows:,} rows listed: {opened * 1000:.0f} ms")
        print(f"scroll to and open the last article: {last * 1000:.0f} ms")
        print(f"full-text search: {searched * 1000:.0f} ms ({window.model.rowCount()} match)")
        window.close()
        store.close()


if __name__ == "__main__":
    main()
