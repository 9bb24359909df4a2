"""Files that appear whole or not at all: a temp name beside the target, fsync, rename.

A run killed half way leaves at most a hidden ``.wheelscout-*.part`` file, which no installer
takes for a distribution (it ends in neither ``.whl`` nor ``.tar.gz``) and the next run removes.
The temp file is created with ``O_EXCL`` (and ``O_NOFOLLOW``), and the rename replaces whatever
directory entry has the final name, a planted symlink included, instead of writing through it.
"""

from __future__ import annotations

import contextlib
import os
import secrets
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

__all__ = ["PREFIX", "atomic_writer", "remove_stale", "write_atomic"]

PREFIX = ".wheelscout-"
_SUFFIX = ".part"
_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(
    os, "O_BINARY", 0
)


def _create_temp(directory: Path, name: str) -> tuple[int, Path]:
    while True:
        path = directory / f"{PREFIX}{name}.{secrets.token_hex(4)}{_SUFFIX}"
        try:
            return os.open(path, _FLAGS, 0o644), path
        except FileExistsError:  # pragma: no cover - 32 random bits collided
            continue


@contextlib.contextmanager
def atomic_writer(path: Path) -> Iterator[BinaryIO]:
    """Write ``path`` through a temp file that becomes ``path`` only when the block succeeds;
    on any exception the temp file is removed and ``path`` is left as it was."""
    fd, temp = _create_temp(path.parent, path.name)
    try:
        with os.fdopen(fd, "wb") as stream:
            yield stream
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            temp.unlink()
        raise
    _sync_directory(path.parent)


def write_atomic(path: Path, data: bytes) -> None:
    """``data`` at ``path``, all or nothing (see :func:`atomic_writer`)."""
    with atomic_writer(path) as stream:
        stream.write(data)


def remove_stale(directory: Path) -> int:
    """Remove temp files an earlier, killed run left in ``directory``; returns how many."""
    removed = 0
    for entry in directory.glob(f"{PREFIX}*{_SUFFIX}"):
        with contextlib.suppress(FileNotFoundError):
            entry.unlink()
            removed += 1
    return removed


def _sync_directory(directory: Path) -> None:
    # The rename is durable only once the directory entry is on disk (POSIX); Windows has no
    # directory handles to fsync and its rename is already ordered.
    if os.name != "posix":
        return
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
