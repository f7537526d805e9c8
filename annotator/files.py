"""Files and folders written whole or not at all: built beside their target under a hidden
partial name, flushed to disk, and renamed into place only when complete. A failed, cancelled or
killed writer leaves the previous file (or folder) as it was; its partial is removed by the
failure, or by the next writer of the same target after a kill."""

from __future__ import annotations

import ctypes
import errno
import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

_PARTIAL = ".partial-"


def partial_of(target: Path) -> Path:
    """Where ``target`` is built: beside it (same file system, so the rename is atomic), hidden."""
    return target.with_name(f".{target.name}{_PARTIAL}{os.getpid()}")


class Replacement:
    """A target being rewritten: write to :attr:`path` (a file, or a folder made there), then
    :meth:`commit` puts it in place, or :meth:`discard` drops it."""

    def __init__(self, target: Path, folder: bool = False) -> None:
        self.target = Path(target)
        self.target.parent.mkdir(parents=True, exist_ok=True)
        for stale in self.target.parent.glob(f".{_glob_escape(self.target.name)}{_PARTIAL}*"):
            if not _alive(stale.name.rsplit(_PARTIAL, 1)[-1]):
                _remove(stale)  # left by a writer that was killed
        self.path = partial_of(self.target)
        _remove(self.path)
        if folder:
            self.path.mkdir()

    def commit(self, replace: bool = True) -> None:
        """Flush what was written to disk, then rename it onto the target in one step (a folder
        replacing a folder, or a file becoming a folder of shards: the two are exchanged, then the
        old one removed). Without ``replace`` a target that appeared meanwhile is kept and this fails."""
        try:
            _sync_tree(self.path)
            if not replace and self.target.exists():
                raise FileExistsError(errno.EEXIST, "another run made it meanwhile", str(self.target))
            if self.target.exists() and not self.target.is_symlink() and (self.target.is_dir() or self.path.is_dir()):
                if not _exchange(self.path, self.target):
                    old = self.target.with_name(self.path.name + "-old")
                    os.rename(self.target, old)
                    os.rename(self.path, self.target)
                    self.path = old
                _remove(self.path)
            else:
                os.replace(self.path, self.target)
            _sync_dir(self.target.parent)
        except OSError as err:
            self.discard()
            raise failed(err, self.target) from None

    def discard(self) -> None:
        _remove(self.path)

    def final(self, written: Path) -> Path:
        """Where a path written under :attr:`path` is once committed."""
        return self.target / Path(written).relative_to(self.path) if Path(written) != self.path else self.target


@contextmanager
def replacing(target: Path, folder: bool = False) -> Iterator[Path]:
    """Write the block's path; it replaces ``target`` when the block ends without an error."""
    replacement = Replacement(target, folder)
    try:
        yield replacement.path
    except OSError as err:
        replacement.discard()
        raise failed(err, replacement.target) from None
    except BaseException:
        replacement.discard()
        raise
    replacement.commit()


def write_text(target: Path, text: str) -> None:
    """``Path.write_text`` whole or not at all."""
    with replacing(target) as path:
        path.write_text(text, encoding="utf-8")


def failed(err: OSError, target: Path) -> OSError:
    """An error while writing a partial, told as the target's: ``OUT: File too large (OUT left as it was)``."""
    if err.filename is not None and Path(err.filename) != target and _PARTIAL not in Path(err.filename).name:
        return err  # about another file (a folder that cannot be made, a file read): told as it is
    reason = err.strerror or str(err)
    return OSError(err.errno, f"{reason} (nothing written; {target.name} left as it was)", str(target))


def _alive(pid: str) -> bool:
    try:
        os.kill(int(pid), 0)
    except (ValueError, ProcessLookupError):
        return False
    except PermissionError:
        return True
    return int(pid) != os.getpid()


def _glob_escape(name: str) -> str:
    return "".join(f"[{c}]" if c in "*?[" else c for c in name)


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        path.unlink(missing_ok=True)


def _sync_tree(path: Path) -> None:
    if path.is_dir():
        for folder, _, files in os.walk(path):
            for name in files:
                _sync_file(Path(folder) / name)
            _sync_dir(Path(folder))
    else:
        _sync_file(path)


def _sync_file(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _sync_dir(path: Path) -> None:
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:  # a folder that cannot be opened (Windows): its entries are flushed with it
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths in one step (Linux's renameat2 RENAME_EXCHANGE); False where it cannot."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd, rename_exchange = -100, 2
    if renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange) == 0:
        return True
    if ctypes.get_errno() in (errno.EINVAL, errno.ENOSYS):  # the file system does not exchange
        return False
    raise OSError(ctypes.get_errno(), os.strerror(ctypes.get_errno()), str(b))
