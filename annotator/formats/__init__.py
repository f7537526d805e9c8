"""Reading documents (and any annotations they carry) from files, one module per format.

Readers yield :class:`~annotator.domain.NewDocument` and raise :class:`InputError` naming the
file and line of the first problem; the caller stores everything in one transaction, so a bad
file imports nothing.
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable, Iterable, Iterator

from annotator.domain import NewDocument


class InputError(Exception):
    """Bad input: the message names the file, and the line where there is one."""

    def __init__(self, path: Path | str, message: str, line: int | None = None) -> None:
        self.path, self.line, self.reason = Path(path), line, message
        where = f"{path}, line {line}" if line else str(path)
        super().__init__(f"{where}: {message}")


Reader = Callable[[Path], Iterator[NewDocument]]


def _readers() -> dict[str, Reader]:
    from annotator.formats import conll, csvfile, docbin, jsonl, text

    return {"txt": text.read, "jsonl": jsonl.read, "csv": csvfile.read, "conll": conll.read, "spacy": docbin.read}


FORMATS = ("txt", "jsonl", "csv", "conll", "spacy")


def format_of(path: Path) -> str | None:
    """The format a file's extension names; None for files that an import walk passes over."""
    suffix = path.suffix.lower().lstrip(".")
    return {"txt": "txt", "text": "txt", "jsonl": "jsonl", "ndjson": "jsonl", "csv": "csv", "conll": "conll",
            "iob": "conll", "bio": "conll", "bilou": "conll", "spacy": "spacy"}.get(suffix)


def files_in(paths: Iterable[Path | str]) -> Iterator[Path]:
    """The files named, with folders walked in name order (files of unknown kinds skipped)."""
    for path in map(Path, paths):
        if path.is_dir():
            yield from (p for p in sorted(path.rglob("*")) if p.is_file() and format_of(p))
        elif path.exists():
            yield path
        else:
            raise InputError(path, "no such file or folder")


def read_paths(paths: Iterable[Path | str], fmt: str | None = None) -> Iterator[NewDocument]:
    readers = _readers()
    for path in files_in(paths):
        name = fmt or format_of(path)
        if name not in readers:
            raise InputError(path, f"unknown file type {path.suffix!r} (expected one of: {', '.join(sorted(readers))})")
        yield from readers[name](path)


def read_text_file(path: Path) -> str:
    """A whole file as text, refusing binary, non-UTF-8 and empty files with the line at fault."""
    data = path.read_bytes()
    if b"\x00" in data:
        raise InputError(path, "binary file (contains NUL bytes), not text", data[: data.index(b"\x00")].count(b"\n") + 1)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = data[: err.start].count(b"\n") + 1
        raise InputError(path, f"not UTF-8 text (byte 0x{data[err.start]:02x} at offset {err.start})", line) from None
    if not text.strip():
        raise InputError(path, "empty file")
    return text
