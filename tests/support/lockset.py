"""A small index with platform-specific dependencies, for ``lock`` and ``download`` tests.

``app`` needs ``winonly`` on Windows, ``linuxonly`` on Linux (by marker) and ``native``, which
has wheels for win_arm64 and manylinux aarch64 only (and an sdist); ``buildme`` has only an
sdist. Wheels are tagged for the Python running the tests, so that uv and pip (which check the
interpreter's own version against a lock's ``requires-python``) can install them.
"""

from __future__ import annotations

import sys
from pathlib import Path

from tests.support.indexgen import Built, Release, write_index

__all__ = ["LINUX", "PYTHON", "WINDOWS", "write_lockset"]

PYTHON = f"{sys.version_info.major}.{sys.version_info.minor}"
_CP = f"cp{sys.version_info.major}{sys.version_info.minor}"
# (wheelscout target, uv --python-platform, pip --platform values)
WINDOWS = ("win-arm64", "aarch64-pc-windows-msvc", ("win_arm64",))
LINUX = (
    "linux-aarch64",
    "aarch64-manylinux_2_28",
    ("manylinux_2_28_aarch64", "manylinux_2_17_aarch64", "manylinux2014_aarch64"),
)


def write_lockset(root: Path, *, wrong_hash: tuple[str, ...] = ()) -> dict[str, Built]:
    """Write the index under ``root``; returns the built files by name."""
    native_tags = (
        f"{_CP}-{_CP}-win_arm64",
        f"{_CP}-{_CP}-manylinux_2_17_aarch64.manylinux2014_aarch64",
    )
    return write_index(
        root,
        [
            Release(
                "app",
                "1.0",
                requires_dist=(
                    'winonly; sys_platform == "win32"',
                    'linuxonly; sys_platform == "linux"',
                    "native>=1",
                ),
                padding=64 * 1024,
            ),
            Release("winonly", "1.0"),
            Release("linuxonly", "1.0"),
            Release("native", "1.0", tags=native_tags, sdist=True, padding=32 * 1024),
            Release("buildme", "2.0", tags=(), sdist=True),
        ],
        wrong_hash=wrong_hash,
    )
