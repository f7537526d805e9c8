"""Which errors the user causes or meets, the one line that says each, and where a bug's details go.

The command line and the window share it: a user's error is its own line and nothing else; anything
else is a bug, whose traceback is appended to the error log in the user's data folder, never printed.
"""

from __future__ import annotations

import traceback
from datetime import datetime
from pathlib import Path

from annotator.paths import error_log_path


def user_errors() -> tuple[type[BaseException], ...]:
    """What the user's files, disk or input cause (not our bugs): shown as one line, no traceback.

    ``KeyError``/``ValueError`` are what the Store raises for a name or value that does not exist
    or fit (``no document 7``, ``unknown status``); ``--debug`` shows the traceback of any of them.
    """
    from annotator.domain import SpanError
    from annotator.formats import InputError
    from annotator.storage import StoreError

    return (StoreError, InputError, SpanError, OSError, KeyError, ValueError)


def failure_line(err: BaseException) -> str:
    """One line saying what failed and, for a file, which."""
    if isinstance(err, OSError) and err.filename is not None:
        message = f"{err.filename}: {err.strerror or err}"
    elif isinstance(err, KeyError) and err.args:
        message = str(err.args[0])
    else:
        message = str(err) or type(err).__name__
    return " ".join(message.split())


def log_details(error: BaseException, log: Path | None = None) -> str:
    """Append ``error``'s traceback to the error log; `` (details in LOG)``, or "" if the log cannot be written."""
    log = log or error_log_path()
    try:
        log.parent.mkdir(parents=True, exist_ok=True)
        with log.open("a", encoding="utf-8") as out:
            out.write(f"--- {datetime.now().isoformat(timespec='seconds')}\n")
            out.writelines(traceback.format_exception(type(error), error, error.__traceback__))
    except OSError:
        return ""
    return f" (details in {log})"
