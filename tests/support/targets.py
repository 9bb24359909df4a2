"""Targets built by hand for the toolchain tests (the catalogue is tested elsewhere)."""

from __future__ import annotations

from wheelscout.model.target import OperatingSystem, Platform, Python, Target


def target(
    name: str,
    os: OperatingSystem,
    arch: str,
    version: tuple[int, ...] | None = None,
    python: str = "3.12",
) -> Target:
    free_threaded = python.endswith("t")
    major, minor = (int(part) for part in python.rstrip("t").split("."))
    return Target(
        spelling=name,
        platform=Platform(name=name, os=os, arch=arch, version=version),
        python=Python(major=major, minor=minor, micro=0, free_threaded=free_threaded),
        tags=(),
        markers={},
    )


WIN_ARM64 = target("win_arm64", OperatingSystem.WINDOWS, "arm64")
WIN_AMD64 = target("win_amd64", OperatingSystem.WINDOWS, "amd64")
WIN32 = target("win32", OperatingSystem.WINDOWS, "x86")
MANYLINUX_AARCH64 = target("manylinux_2_28_aarch64", OperatingSystem.MANYLINUX, "aarch64", (2, 28))
MANYLINUX_X86_64 = target("manylinux_2_17_x86_64", OperatingSystem.MANYLINUX, "x86_64", (2, 17))
MUSLLINUX_X86_64 = target("musllinux_1_2_x86_64", OperatingSystem.MUSLLINUX, "x86_64", (1, 2))
MACOS_ARM64 = target("macosx_11_0_arm64", OperatingSystem.MACOS, "arm64", (11, 0))
MACOS_UNIVERSAL2 = target("macosx_10_13_universal2", OperatingSystem.MACOS, "universal2", (10, 13))
IOS_DEVICE = target("ios_13_0_arm64_iphoneos", OperatingSystem.IOS, "arm64", (13, 0), "3.13")
ANDROID_ARM64 = target("android_24_arm64_v8a", OperatingSystem.ANDROID, "arm64_v8a", (24,), "3.13")
PYODIDE = target("pyodide_2024_0_wasm32", OperatingSystem.EMSCRIPTEN, "wasm32", (2024, 0))
