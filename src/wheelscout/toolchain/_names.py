"""Per-target names the build tools use: wheel tags, Windows arch names, images, identifiers."""

from __future__ import annotations

from wheelscout.errors import InputError
from wheelscout.model.target import OperatingSystem, Target
from wheelscout.toolchain._arch import (
    WindowsNames,
    arch_info,
    canonical_arch,
    is_ios_simulator,
    spelled_arch,
    tag_arch,
)

__all__ = [
    "canonical_host_arch",
    "cibw_arch",
    "cibw_identifier",
    "cibw_platform",
    "docker_platform",
    "interpreter_tag",
    "wheel_tag",
    "windows_names",
]

_CIBW_PLATFORM = {
    OperatingSystem.WINDOWS: "windows",
    OperatingSystem.MANYLINUX: "linux",
    OperatingSystem.MUSLLINUX: "linux",
    OperatingSystem.MACOS: "macos",
    OperatingSystem.IOS: "ios",
    OperatingSystem.ANDROID: "android",
    OperatingSystem.EMSCRIPTEN: "pyodide",
}


def canonical_host_arch(machine: str) -> str:
    """``platform.machine()`` spellings (``AMD64``, ``arm64``) to ``x86_64``/``aarch64``."""
    return spelled_arch(machine) or machine.lower()


def windows_names(arch: str) -> WindowsNames:
    """The Windows toolchains' names for a canonical arch; ``InputError`` off Windows' arches."""
    info = arch_info(arch)
    if info is None or info.windows is None:
        raise InputError(f"no Windows toolchain builds for architecture {arch!r}")
    return info.windows


def docker_platform(arch: str) -> str:
    """``docker run --platform`` for a canonical arch, ``""`` when unknown."""
    info = arch_info(arch)
    return info.docker if info is not None else ""


def interpreter_tag(target: Target) -> str:
    """``cp312`` or ``cp313t``."""
    return f"cp{target.python.nodot}{'t' if target.python.free_threaded else ''}"


def wheel_tag(target: Target) -> str:
    """``cp312-win_arm64``: the part of the extension suffix setuptools needs on Windows."""
    return f"{interpreter_tag(target)}-{target.platform.name}"


def cibw_platform(target: Target) -> str:
    platform = _CIBW_PLATFORM.get(target.platform.os)
    if platform is None:
        raise InputError(f"cibuildwheel has no platform for target {target.spelling!r}")
    return platform


def cibw_arch(target: Target) -> str:
    """The ``archs`` value cibuildwheel takes for the target."""
    arch = canonical_arch(target.platform)
    os = target.platform.os
    if os is OperatingSystem.WINDOWS:
        return windows_names(arch).cibuildwheel
    if os in (OperatingSystem.MANYLINUX, OperatingSystem.MUSLLINUX):
        return tag_arch(arch, "linux")
    if os is OperatingSystem.MACOS:
        return tag_arch(arch, "macos")
    if os is OperatingSystem.IOS:
        sdk = (
            "iphonesimulator"
            if is_ios_simulator(target.platform) or arch == "x86_64"
            else "iphoneos"
        )
        return f"{tag_arch(arch, 'ios')}_{sdk}"
    if os is OperatingSystem.ANDROID:
        return tag_arch(arch, "android")
    return "wasm32"


def cibw_identifier(target: Target) -> str:
    """cibuildwheel's build identifier, e.g. ``cp312-win_arm64``, ``cp313-manylinux_aarch64``."""
    os = target.platform.os
    tag = interpreter_tag(target)
    arch = cibw_arch(target)
    if os is OperatingSystem.WINDOWS:
        return f"{tag}-{target.platform.name}"
    if os is OperatingSystem.MANYLINUX:
        return f"{tag}-manylinux_{arch}"
    if os is OperatingSystem.MUSLLINUX:
        return f"{tag}-musllinux_{arch}"
    if os is OperatingSystem.MACOS:
        return f"{tag}-macosx_{arch}"
    if os is OperatingSystem.IOS:
        return f"{tag}-ios_{arch}"
    if os is OperatingSystem.ANDROID:
        return f"{tag}-android_{arch}"
    return f"{tag}-pyodide_wasm32"
