"""Files written whole or not at all, never through a planted symlink.

A crash, a full disk or Ctrl-C leaves the old file or none, never half of one: the bytes go to
a new temporary file beside the target, created with ``O_EXCL`` (and ``O_NOFOLLOW``) under a
random name (so a symlink planted at a predictable name is never followed), are flushed to disk,
then ``os.replace`` swaps it in (which replaces a symlink at the target itself rather than
writing through it). Temporary files still open when the process is interrupted are removed by
:func:`remove_partial_files`; those of a process that was killed are hidden
``.<name>.<8 hex>.partial`` files, which no installer takes for a distribution (the name ends
in neither ``.whl`` nor ``.tar.gz``) and :func:`remove_stale` clears.
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from wheelscout.errors import InputError

__all__ = ["atomic_writer", "remove_partial_files", "remove_stale", "write_atomically"]

_PARTIAL: set[str] = set()  # temporary files of writes in progress
_STALE = re.compile(r"^\..+\.[0-9a-f]{8}\.partial$")
_FLAGS = (
    os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0)
)


@contextlib.contextmanager
def atomic_writer(path: Path) -> Iterator[BinaryIO]:
    """A binary stream that becomes ``path`` when the block ends without an exception; on any
    exception the temporary file is removed and ``path`` is left as it was. ``OSError`` is
    raised as is (a download reports it for one file; :func:`write_atomically` makes it a
    one-line error)."""
    handle, partial = _create(path)
    _PARTIAL.add(partial)
    try:
        with os.fdopen(handle, "wb") as stream:
            yield stream
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(partial, path)
    finally:
        if os.path.lexists(partial):
            os.unlink(partial)
        _PARTIAL.discard(partial)
    _sync_directory(path.parent)


def write_atomically(path: Path, text: str) -> None:
    """Replace ``path`` with ``text`` (UTF-8) all at once; one-line :class:`InputError` when the
    directory cannot be written."""
    try:
        with atomic_writer(path) as stream:
            stream.write(text.encode("utf-8"))
    except OSError as exc:
        raise InputError(f"cannot write {str(path)!r}: {exc.strerror}") from None


def remove_partial_files() -> None:
    """Delete the temporary files of writes still in progress (called on an interrupt)."""
    for partial in list(_PARTIAL):
        with contextlib.suppress(OSError):
            os.unlink(partial)


def remove_stale(directory: Path) -> int:
    """Remove the temporary files a killed run left in ``directory``; returns how many."""
    removed = 0
    for entry in directory.iterdir():
        if _STALE.match(entry.name) and str(entry) not in _PARTIAL:
            with contextlib.suppress(FileNotFoundError):
                entry.unlink()
                removed += 1
    return removed


def _create(path: Path) -> tuple[int, str]:
    # Not tempfile.mkstemp: its files are 0600, and a wheelhouse or lock is meant to be read by
    # others (the umask still applies).
    while True:
        partial = str(path.parent / f".{path.name}.{secrets.token_hex(4)}.partial")
        try:
            return os.open(partial, _FLAGS, 0o644), partial
        except FileExistsError:  # pragma: no cover - 32 random bits collided
            continue


def _sync_directory(directory: Path) -> None:
    # The rename is durable only once the directory entry is on disk (POSIX); Windows has no
    # directory handles to fsync and orders its renames itself.
    if os.name != "posix":
        return
    handle = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(handle)
    finally:
        os.close(handle)
