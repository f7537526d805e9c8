"""Help ▸ Check project: ``annotator check`` in a worker (its own connection, a progress bar and
Cancel), its report in a message box. Checking only reads; repairing is left to the command,
where the person sees each line before deciding."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QWidget

from annotator.qt.status_line import StatusLine


def check_project_in_worker(parent: QWidget, path: Path, status: StatusLine) -> None:
    from annotator.storage.check import Report, check_project

    def work(progress: Callable[[int, int], None], cancelled: Callable[[], bool]) -> Any:
        return check_project(path, progress=progress, cancelled=cancelled)

    def finished(report: Report) -> None:
        lines = report.problems + report.notes
        if report.problems:
            found = "\n".join(f"• {line}" for line in lines)
            text = (f"{path.name}: {len(report.problems)} kind(s) of problem found.\n\n{found}\n\n"
                    f"To rebuild what can be rebuilt: annotator check --db \"{path}\" --repair")
            icon = QMessageBox.Icon.Warning
        else:
            text = "\n".join([f"{path.name}: no problems found.", *lines])
            icon = QMessageBox.Icon.Information
        box = QMessageBox(icon, "Check project", text, parent=parent)
        box.setTextFormat(Qt.TextFormat.PlainText)  # article texts and file names are data, never markup
        box.exec()

    status.run("Checking the project", work, finished, "Check stopped")

