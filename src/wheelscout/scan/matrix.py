"""The default target matrix of ``wheelscout scan`` and the target x Python columns of a run.

Default: the platforms people port Python to and ask readiness pages about, times the CPython
lines supported at the time of this release plus the newest free-threaded one. A combination a
platform does not host is left out, not marked ``n/a``: iOS and Android are supported by CPython
from 3.13 (PEP 730, PEP 738), and a Pyodide ABI is built for exactly one Python.
"""

from __future__ import annotations

from collections.abc import Sequence

from wheelscout.errors import TargetError
from wheelscout.model.target import OperatingSystem, Target
from wheelscout.scan.model import TargetColumn
from wheelscout.targets import Overrides, make_target

__all__ = ["DEFAULT_PLATFORMS", "DEFAULT_PYTHONS", "columns", "matrix"]

DEFAULT_PLATFORMS: tuple[str, ...] = (
    "win-arm64",
    "win-amd64",
    "linux-x86_64",
    "linux-aarch64",
    "musllinux-x86_64",
    "macos-arm64",
    "ios-arm64",
    "android-arm64",
    "pyemscripten-2026",
)
DEFAULT_PYTHONS: tuple[str, ...] = ("3.11", "3.12", "3.13", "3.14", "3.15", "3.15t")

_MOBILE = (OperatingSystem.IOS, OperatingSystem.ANDROID)


def _hosted(target: Target) -> bool:
    if target.platform.os in _MOBILE:
        return (target.python.major, target.python.minor) >= (3, 13)
    return True


def matrix(
    platforms: Sequence[str] = (),
    pythons: Sequence[str] = (),
    overrides: Overrides | None = None,
) -> list[Target]:
    """Every hosted (platform, Python) pair, platforms first; the defaults where none given.

    A Python a platform is not built for is skipped when the matrix is the default or several
    Pythons were given; a single explicit pair that does not exist is an error, and so is a
    platform given by name that hosts none of the Pythons (a default one is left out).
    """
    explicit = bool(platforms)
    platforms = tuple(platforms) or DEFAULT_PLATFORMS
    pythons = tuple(pythons) or DEFAULT_PYTHONS
    overrides = overrides or Overrides()
    targets: list[Target] = []
    for spelling in platforms:
        if not spelling.strip():
            raise TargetError("empty --target: name a platform such as 'win-arm64'")
        found = []
        for python in pythons:
            try:
                target = make_target(spelling, python, overrides)
            except TargetError:
                if len(pythons) == 1:
                    raise
                continue  # a Pyodide ABI is built for one Python only
            if _hosted(target) or len(pythons) == 1:
                found.append(target)
        if not found and explicit:
            raise TargetError(f"target {spelling!r} hosts none of the Pythons {list(pythons)}")
        targets += found
    return targets


def columns(targets: Sequence[Target]) -> tuple[TargetColumn, ...]:
    """The JSON contract's ``targets``: one entry per target x Python, in matrix order."""
    return tuple(
        TargetColumn(target=t.spelling, platform=t.platform.name, python=t.python.short)
        for t in targets
    )
