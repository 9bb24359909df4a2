"""What a target is: a platform plus a Python interpreter, with its ranked tags and markers."""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass

from packaging.tags import Tag

from wheelscout.model.platform import PlatformFamily

__all__ = ["OperatingSystem", "Platform", "Python", "Target"]


class OperatingSystem(enum.Enum):
    WINDOWS = "windows"
    MANYLINUX = "manylinux"
    MUSLLINUX = "musllinux"
    MACOS = "macos"
    IOS = "ios"
    ANDROID = "android"
    EMSCRIPTEN = "emscripten"
    HOST = "host"

    @property
    def tag_families(self) -> frozenset[PlatformFamily]:
        """The platform tag families of wheels built for this OS (any architecture); empty for
        the host, whose OS only its own tags tell."""
        return _TAG_FAMILIES.get(self, frozenset())

    @classmethod
    def of_family(cls, family: PlatformFamily) -> OperatingSystem | None:
        """The OS whose wheels carry ``family``; for a local ``linux_<arch>`` build, glibc."""
        return next((os for os in cls if family in os.tag_families), None)


_TAG_FAMILIES = {
    OperatingSystem.WINDOWS: frozenset({PlatformFamily.WINDOWS}),
    # A local linux_<arch> build runs on the libc it was built against, glibc or musl.
    OperatingSystem.MANYLINUX: frozenset({PlatformFamily.MANYLINUX, PlatformFamily.LINUX}),
    OperatingSystem.MUSLLINUX: frozenset({PlatformFamily.MUSLLINUX, PlatformFamily.LINUX}),
    OperatingSystem.MACOS: frozenset({PlatformFamily.MACOS}),
    OperatingSystem.IOS: frozenset({PlatformFamily.IOS}),
    OperatingSystem.ANDROID: frozenset({PlatformFamily.ANDROID}),
    OperatingSystem.EMSCRIPTEN: frozenset(
        {PlatformFamily.PYODIDE, PlatformFamily.PYEMSCRIPTEN, PlatformFamily.EMSCRIPTEN}
    ),
}


@dataclass(frozen=True, slots=True, kw_only=True)
class Platform:
    """One platform in the catalogue.

    ``name`` is canonical: the best platform tag an interpreter there accepts (``win_arm64``,
    ``manylinux_2_28_aarch64``, ``macosx_14_0_arm64``). ``version`` is the OS-side floor that
    shapes the tag list: glibc or musl (major, minor), macOS or iOS (major, minor), the Android
    API level (level,), or the Emscripten ABI (year, patch).
    """

    name: str
    os: OperatingSystem
    arch: str
    version: tuple[int, ...] | None = None
    description: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class Python:
    """A CPython release line such as ``3.12`` or the free-threaded ``3.13t``."""

    major: int
    minor: int
    micro: int
    free_threaded: bool = False

    @property
    def short(self) -> str:
        """``3.12`` or ``3.13t``: the spelling users type."""
        return f"{self.major}.{self.minor}{'t' if self.free_threaded else ''}"

    @property
    def nodot(self) -> str:
        return f"{self.major}{self.minor}"

    @property
    def full(self) -> str:
        return f"{self.major}.{self.minor}.{self.micro}"


@dataclass(frozen=True, slots=True, kw_only=True)
class Target:
    """A platform and a Python, with what an installer there would accept.

    ``tags`` is ranked best first, exactly as pip ranks them on that interpreter; ``markers`` is
    the PEP 508 environment that interpreter reports.
    """

    spelling: str
    platform: Platform
    python: Python
    tags: tuple[Tag, ...]
    markers: Mapping[str, str]

    @property
    def label(self) -> str:
        """Short human label, e.g. ``win_arm64/cp312``."""
        return (
            f"{self.platform.name}/cp{self.python.nodot}{'t' if self.python.free_threaded else ''}"
        )
