"""Per-target names the build tools use: wheel tags, Windows arch names, images, identifiers."""

from __future__ import annotations

from wheelscout.errors import InputError
from wheelscout.model.target import OperatingSystem, Target
from wheelscout.toolchain._arch import canonical_arch, is_ios_simulator

__all__ = [
    "DOCKER_PLATFORMS",
    "canonical_host_arch",
    "cibw_arch",
    "cibw_identifier",
    "cibw_platform",
    "interpreter_tag",
    "wheel_tag",
]

# Windows: (VSCMD_ARG_TGT_ARCH and vcvarsall name, distutils plat_name, CMake -A, cibuildwheel).
WINDOWS: dict[str, tuple[str, str, str, str]] = {
    "aarch64": ("arm64", "win-arm64", "ARM64", "ARM64"),
    "x86_64": ("x64", "win-amd64", "x64", "AMD64"),
    "x86": ("x86", "win32", "Win32", "x86"),
}
DOCKER_PLATFORMS: dict[str, str] = {
    "x86_64": "linux/amd64",
    "aarch64": "linux/arm64",
    "x86": "linux/386",
    "ppc64le": "linux/ppc64le",
    "s390x": "linux/s390x",
    "armv7": "linux/arm/v7",
    "riscv64": "linux/riscv64",
}
_HOST_ALIASES = {
    "amd64": "x86_64",
    "x64": "x86_64",
    "arm64": "aarch64",
    "i686": "x86",
    "i386": "x86",
}
_LINUX_ARCH = {"x86": "i686", "armv7": "armv7l"}
_MAC_ARCH = {"aarch64": "arm64"}
_ANDROID_ARCH = {"aarch64": "arm64_v8a", "armv7": "armeabi_v7a"}
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
    lowered = machine.lower()
    return _HOST_ALIASES.get(lowered, lowered)


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
        return WINDOWS[arch][3]
    if os in (OperatingSystem.MANYLINUX, OperatingSystem.MUSLLINUX):
        return _LINUX_ARCH.get(arch, arch)
    if os is OperatingSystem.MACOS:
        return _MAC_ARCH.get(arch, arch)
    if os is OperatingSystem.IOS:
        sdk = (
            "iphonesimulator"
            if is_ios_simulator(target.platform) or arch == "x86_64"
            else "iphoneos"
        )
        return f"{_MAC_ARCH.get(arch, arch)}_{sdk}"
    if os is OperatingSystem.ANDROID:
        return _ANDROID_ARCH.get(arch, arch)
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
