"""Platform tags as a type: ``manylinux_2_28_aarch64`` is (manylinux, (2, 28), aarch64).

The one parser of platform tags every layer shares (targets, classify, remedy, binary,
toolchain), so the legacy manylinux aliases, the macOS arch groups and the mobile and WebAssembly
spellings are written down once. ``packaging.tags`` produces the tag lists an interpreter
accepts (and wheelscout uses it for them) but has no public reader of one platform tag: its
manylinux/musllinux parsers are private and tied to probing the host. This module only reads and
writes single tags. A tag it does not know (``freebsd_...``, a garbled name) parses to ``None``:
callers keep the raw string then.
"""

from __future__ import annotations

import enum
import functools
from collections.abc import Mapping
from dataclasses import dataclass

__all__ = [
    "LEGACY_MANYLINUX",
    "MACOS_ARCH_GROUPS",
    "PlatformFamily",
    "PlatformTag",
]


class PlatformFamily(enum.Enum):
    """The part of a platform tag before its version; the value is the tag's spelling."""

    ANY = "any"
    WINDOWS = "win"
    LINUX = "linux"  # a local build (linux_x86_64), never on an index
    MANYLINUX = "manylinux"  # PEP 600: glibc (major, minor)
    MUSLLINUX = "musllinux"  # PEP 656: musl (major, minor)
    MACOS = "macosx"  # macOS (major, minor)
    IOS = "ios"  # PEP 730: iOS (major, minor); arch is <cpu>_<sdk>
    ANDROID = "android"  # PEP 738: API level (level,); arch is the Android ABI
    PYODIDE = "pyodide"  # Pyodide ABI (year, patch), before PEP 783 named it
    PYEMSCRIPTEN = "pyemscripten"  # PEP 783: ABI (year, patch)
    EMSCRIPTEN = "emscripten"  # packaging's Emscripten tag: (major, minor, micro)

    @property
    def version_parts(self) -> int:
        """How many numbers follow the family in a tag: 2 for ``macosx_14_0_arm64``."""
        return _VERSION_PARTS[self]


_VERSION_PARTS = {
    PlatformFamily.ANY: 0,
    PlatformFamily.WINDOWS: 0,
    PlatformFamily.LINUX: 0,
    PlatformFamily.MANYLINUX: 2,
    PlatformFamily.MUSLLINUX: 2,
    PlatformFamily.MACOS: 2,
    PlatformFamily.IOS: 2,
    PlatformFamily.ANDROID: 1,
    PlatformFamily.PYODIDE: 2,
    PlatformFamily.PYEMSCRIPTEN: 2,
    PlatformFamily.EMSCRIPTEN: 3,
}

# PEP 600's aliases: the tags manylinux had before it was versioned by glibc.
LEGACY_MANYLINUX: Mapping[str, tuple[int, int]] = {
    "manylinux1": (2, 5),
    "manylinux2010": (2, 12),
    "manylinux2014": (2, 17),
}

# The CPUs a macOS multi-architecture tag stands for (the groups distutils and wheel name;
# packaging.tags spells fat3 as fat32). A single-CPU tag stands for itself.
MACOS_ARCH_GROUPS: Mapping[str, frozenset[str]] = {
    "universal2": frozenset({"arm64", "x86_64"}),
    "intel": frozenset({"i386", "x86_64"}),
    "fat": frozenset({"i386", "ppc"}),
    "fat3": frozenset({"i386", "ppc", "x86_64"}),
    "fat32": frozenset({"i386", "ppc", "x86_64"}),
    "fat64": frozenset({"ppc64", "x86_64"}),
    "universal": frozenset({"i386", "ppc", "ppc64", "x86_64"}),
}
_MACOS_CPUS = frozenset({"arm64", "x86_64", "i386", "ppc", "ppc64"})
# Python's int() refuses thousands of digits; no real tag has a part this long.
_MAX_DIGITS = 40


@dataclass(frozen=True, slots=True, kw_only=True)
class PlatformTag:
    """One platform tag: ``family``, its ``version`` (as many numbers as the family takes,
    ``()`` for Windows, ``linux`` and ``any``) and ``arch`` as the tag spells it (``arm64``,
    ``aarch64``, ``universal2``, ``arm64_iphoneos``, ``arm64_v8a``; ``win32`` for 32-bit
    Windows; ``""`` for ``any``).

    The legacy aliases parse to their PEP 600 form: ``manylinux2014_x86_64`` and
    ``manylinux_2_17_x86_64`` are the same tag (see :attr:`legacy_alias`).
    """

    family: PlatformFamily
    version: tuple[int, ...] = ()
    arch: str = ""

    @staticmethod
    def parse(tag: str) -> PlatformTag | None:
        """``manylinux2014_x86_64`` -> (manylinux, (2, 17), x86_64); ``None`` for an unknown or
        malformed tag."""
        return _parse(tag)

    def __str__(self) -> str:
        if self.family is PlatformFamily.ANY:
            return "any"
        if self.family is PlatformFamily.WINDOWS and self.arch == "win32":
            return "win32"
        return "_".join((self.family.value, *map(str, self.version), self.arch))

    @property
    def without_arch(self) -> str:
        """``manylinux_2_17``, ``macosx_14_0``: the family and version, the floor the tag names
        (an auditwheel policy, maturin's ``--compatibility``)."""
        return "_".join((self.family.value, *map(str, self.version)))

    @property
    def cpu(self) -> str:
        """The CPU in ``arch``: ``arm64`` for ``arm64_iphoneos`` (iOS appends the SDK, PEP 730),
        ``arch`` itself for every other family."""
        if self.family is PlatformFamily.IOS:
            return self.arch.rpartition("_")[0] or self.arch
        return self.arch

    @property
    def legacy_alias(self) -> str | None:
        """``manylinux2014_x86_64`` for ``manylinux_2_17_x86_64``; ``None`` without an alias."""
        if self.family is not PlatformFamily.MANYLINUX:
            return None
        name = _LEGACY_BY_VERSION.get(self.version)
        return f"{name}_{self.arch}" if name else None

    @property
    def cpu_arches(self) -> frozenset[str]:
        """The macOS CPUs a tag stands for: both for ``universal2``, one for ``arm64``; empty
        for other families and unknown macOS arches."""
        if self.family is not PlatformFamily.MACOS:
            return frozenset()
        group = MACOS_ARCH_GROUPS.get(self.arch)
        if group is not None:
            return group
        return frozenset({self.arch}) if self.arch in _MACOS_CPUS else frozenset()


_LEGACY_BY_VERSION: dict[tuple[int, ...], str] = {
    version: name for name, version in LEGACY_MANYLINUX.items()
}
_BY_PREFIX = {family.value: family for family in PlatformFamily}


@functools.lru_cache(maxsize=4096)
def _parse(tag: str) -> PlatformTag | None:
    # A page repeats the same few platforms across thousands of files: parse each once.
    if tag == "any":
        return PlatformTag(family=PlatformFamily.ANY)
    if tag == "win32":
        return PlatformTag(family=PlatformFamily.WINDOWS, arch="win32")
    head, _, rest = tag.partition("_")
    if head in LEGACY_MANYLINUX:
        return _tag(PlatformFamily.MANYLINUX, LEGACY_MANYLINUX[head], rest)
    family = _BY_PREFIX.get(head)
    if family is None or family is PlatformFamily.ANY:
        return None
    return _versioned(family, rest)


def _versioned(family: PlatformFamily, rest: str) -> PlatformTag | None:
    parts = rest.split("_", family.version_parts)
    if len(parts) <= family.version_parts:
        return None
    numbers = parts[: family.version_parts]
    if not all(n.isascii() and n.isdigit() and len(n) <= _MAX_DIGITS for n in numbers):
        return None
    return _tag(family, tuple(int(n) for n in numbers), parts[-1])


def _tag(family: PlatformFamily, version: tuple[int, ...], arch: str) -> PlatformTag | None:
    if not _is_arch(arch) or (family is PlatformFamily.WINDOWS and arch == "win32"):
        return None
    return PlatformTag(family=family, version=version, arch=arch)


def _is_arch(arch: str) -> bool:
    # The word characters the tag grammar allows (packaging lowercases and turns '-' and '.'
    # into '_'); a leading or trailing '_' would not survive a round trip.
    return arch.isidentifier() and not arch.startswith("_") and not arch.endswith("_")
