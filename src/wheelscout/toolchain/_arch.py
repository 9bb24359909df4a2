"""Architecture spellings per toolchain: one canonical name in, each tool's name out."""

from __future__ import annotations

from wheelscout.errors import InputError
from wheelscout.model.platform import PlatformTag
from wheelscout.model.target import OperatingSystem, Platform

__all__ = ["canonical_arch", "rust_targets"]

_ALIASES: dict[str, str] = {
    "amd64": "x86_64",
    "x64": "x86_64",
    "x86_64": "x86_64",
    "win32": "x86",
    "x86": "x86",
    "i386": "x86",
    "i686": "x86",
    "arm64": "aarch64",
    "aarch64": "aarch64",
    "arm64_v8a": "aarch64",
    "armv7l": "armv7",
    "armv7": "armv7",
    "armeabi_v7a": "armv7",
    "ppc64le": "ppc64le",
    "s390x": "s390x",
    "riscv64": "riscv64",
    "universal2": "universal2",
    "wasm32": "wasm32",
}

_RUST: dict[OperatingSystem, dict[str, str]] = {
    OperatingSystem.WINDOWS: {
        "x86_64": "x86_64-pc-windows-msvc",
        "x86": "i686-pc-windows-msvc",
        "aarch64": "aarch64-pc-windows-msvc",
    },
    OperatingSystem.MANYLINUX: {
        "x86_64": "x86_64-unknown-linux-gnu",
        "x86": "i686-unknown-linux-gnu",
        "aarch64": "aarch64-unknown-linux-gnu",
        "armv7": "armv7-unknown-linux-gnueabihf",
        "ppc64le": "powerpc64le-unknown-linux-gnu",
        "s390x": "s390x-unknown-linux-gnu",
        "riscv64": "riscv64gc-unknown-linux-gnu",
    },
    OperatingSystem.MUSLLINUX: {
        "x86_64": "x86_64-unknown-linux-musl",
        "x86": "i686-unknown-linux-musl",
        "aarch64": "aarch64-unknown-linux-musl",
        "armv7": "armv7-unknown-linux-musleabihf",
        "ppc64le": "powerpc64le-unknown-linux-musl",
        "s390x": "s390x-unknown-linux-musl",
        "riscv64": "riscv64gc-unknown-linux-musl",
    },
    OperatingSystem.MACOS: {"x86_64": "x86_64-apple-darwin", "aarch64": "aarch64-apple-darwin"},
    OperatingSystem.ANDROID: {
        "aarch64": "aarch64-linux-android",
        "x86_64": "x86_64-linux-android",
        "armv7": "armv7-linux-androideabi",
        "x86": "i686-linux-android",
    },
    OperatingSystem.EMSCRIPTEN: {"wasm32": "wasm32-unknown-emscripten"},
}


def canonical_arch(platform: Platform) -> str:
    """``x86_64``, ``x86``, ``aarch64``, ``armv7``, ... from however the catalogue spells it."""
    tag = PlatformTag.parse(platform.name)
    spellings = (platform.arch, tag.arch, tag.cpu) if tag is not None else (platform.arch,)
    for spelled in spellings:
        arch = _ALIASES.get(spelled.lower())
        if arch is not None:
            return arch
    if platform.os is OperatingSystem.EMSCRIPTEN:
        return "wasm32"
    raise InputError(f"unknown architecture {platform.arch!r} in platform {platform.name!r}")


def is_ios_simulator(platform: Platform) -> bool:
    return "simulator" in platform.name.lower() or "simulator" in platform.arch.lower()


def rust_targets(platform: Platform) -> tuple[str, ...]:
    """The Rust target triples a build for ``platform`` compiles to (two for universal2)."""
    arch = canonical_arch(platform)
    if platform.os is OperatingSystem.IOS:
        if arch == "x86_64":
            return ("x86_64-apple-ios",)
        return ("aarch64-apple-ios-sim",) if is_ios_simulator(platform) else ("aarch64-apple-ios",)
    table = _RUST.get(platform.os, {})
    if arch == "universal2":
        return (table["aarch64"], table["x86_64"]) if table else ()
    triple = table.get(arch)
    return (triple,) if triple else ()
