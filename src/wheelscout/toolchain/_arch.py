"""Architecture names per toolchain: one canonical name in, each tool's name out.

The names are data (``arches.json``, with its sources), read once on first use; this module
only finds a platform's entry and picks the name a tool wants.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from typing import Any

from wheelscout.errors import InputError
from wheelscout.model.platform import PlatformTag
from wheelscout.model.target import OperatingSystem, Platform

__all__ = [
    "Arch",
    "ArchTable",
    "WindowsNames",
    "arch_info",
    "canonical_arch",
    "parse_arches",
    "rust_targets",
    "spelled_arch",
    "tag_arch",
]


@dataclass(frozen=True, slots=True, kw_only=True)
class WindowsNames:
    """What the Windows toolchains call an architecture (see ``arches.json``)."""

    vs: str
    plat_name: str
    cmake: str
    cibuildwheel: str
    vcpkg: str
    vs_component: str
    vs_arch_name: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Arch:
    """One CPU architecture and its names: ``name`` is canonical (``aarch64``, ``x86``)."""

    name: str
    spellings: tuple[str, ...]
    tag: Mapping[str, str]
    rust: Mapping[str, tuple[str, ...]]
    docker: str = ""
    meson: tuple[str, str, str] | None = None
    windows: WindowsNames | None = None

    def tag_arch(self, group: str) -> str:
        """The arch as ``group``'s (``linux``, ``macos``, ``ios``, ``android``) tags spell it."""
        return self.tag.get(group, self.name)


@dataclass(frozen=True, slots=True, kw_only=True)
class ArchTable:
    """Every architecture of ``arches.json``, by canonical name and by any spelling."""

    by_name: Mapping[str, Arch]
    by_spelling: Mapping[str, str]


def parse_arches(text: str) -> ArchTable:
    """The architectures of an ``arches.json`` document."""
    entries = json.loads(text)["arches"]
    by_name = {name: _arch(name, entry) for name, entry in entries.items()}
    by_spelling = {
        spelled: arch.name for arch in by_name.values() for spelled in (arch.name, *arch.spellings)
    }
    return ArchTable(by_name=by_name, by_spelling=by_spelling)


@functools.cache
def _table() -> ArchTable:
    return parse_arches(resources.files(__package__).joinpath("arches.json").read_text("utf-8"))


def _arch(name: str, entry: dict[str, Any]) -> Arch:
    meson, windows = entry.get("meson"), entry.get("windows")
    return Arch(
        name=name,
        spellings=tuple(entry.get("spellings", ())),
        tag=dict(entry.get("tag", {})),
        rust={os: tuple(triples) for os, triples in entry["rust"].items()},
        docker=entry.get("docker", ""),
        meson=(meson[0], meson[1], meson[2]) if meson else None,
        windows=WindowsNames(**windows) if windows else None,
    )


def arch_info(name: str) -> Arch | None:
    """The entry for a canonical arch name, ``None`` for one the data does not know."""
    return _table().by_name.get(name)


def spelled_arch(spelling: str) -> str | None:
    """The canonical name for any spelling (``AMD64``, ``arm64_v8a``, ``i686``), else ``None``."""
    return _table().by_spelling.get(spelling.lower())


def tag_arch(arch: str, group: str) -> str:
    """A canonical arch as ``group``'s tags spell it (``i686`` on ``linux``), itself when the
    data has no other spelling."""
    info = arch_info(arch)
    return info.tag_arch(group) if info is not None else arch


def canonical_arch(platform: Platform) -> str:
    """``x86_64``, ``x86``, ``aarch64``, ``armv7``, ... from however the catalogue spells it."""
    tag = PlatformTag.parse(platform.name)
    spellings = (platform.arch, tag.arch, tag.cpu) if tag is not None else (platform.arch,)
    for spelled in spellings:
        arch = spelled_arch(spelled)
        if arch is not None:
            return arch
    if platform.os is OperatingSystem.EMSCRIPTEN:
        return "wasm32"
    raise InputError(f"unknown architecture {platform.arch!r} in platform {platform.name!r}")


def is_ios_simulator(platform: Platform) -> bool:
    return "simulator" in platform.name.lower() or "simulator" in platform.arch.lower()


def rust_targets(platform: Platform) -> tuple[str, ...]:
    """The Rust target triples a build for ``platform`` compiles to (two for universal2)."""
    arch = arch_info(canonical_arch(platform))
    os = platform.os.value
    if platform.os is OperatingSystem.IOS and is_ios_simulator(platform):
        os = "ios-simulator"
    return arch.rust.get(os, ()) if arch is not None else ()
