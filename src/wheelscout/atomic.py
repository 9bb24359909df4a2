"""Files written whole or not at all, never through a planted symlink.

A crash, a full disk or Ctrl-C leaves the old file or none, never half of one: the text goes to
a new temporary file beside the target, created with ``O_EXCL`` under a random name (so a
symlink planted at a predictable name is never followed), then ``os.replace`` swaps it in (which
replaces a symlink at the target itself rather than writing through it). Temporary files still
open when the process is interrupted are removed by :func:`remove_partial_files`.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from wheelscout.errors import InputError

__all__ = ["remove_partial_files", "write_atomically"]

_PARTIAL: set[str] = set()  # temporary files of writes in progress


def write_atomically(path: Path, text: str) -> None:
    """Replace ``path`` with ``text`` (UTF-8) all at once; one-line :class:`InputError` when the
    directory cannot be written."""
    try:
        handle, partial = tempfile.mkstemp(
            dir=path.parent, prefix=f".{path.name}.", suffix=".partial"
        )
    except OSError as exc:
        raise InputError(f"cannot write {str(path)!r}: {exc.strerror}") from None
    _PARTIAL.add(partial)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(text)
        os.replace(partial, path)
    except OSError as exc:
        raise InputError(f"cannot write {str(path)!r}: {exc.strerror}") from None
    finally:
        if os.path.lexists(partial):
            os.unlink(partial)
        _PARTIAL.discard(partial)


def remove_partial_files() -> None:
    """Delete the temporary files of writes still in progress (called on an interrupt)."""
    for partial in list(_PARTIAL):
        with contextlib.suppress(OSError):
            os.unlink(partial)
