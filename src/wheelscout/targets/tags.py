"""Ranked compatibility tags for a target, built from ``packaging.tags`` with explicit arguments.

Nothing here looks at the host: the platform and the Python are arguments. The order is the one
``packaging.tags.sys_tags()`` produces on a real interpreter of that kind, which is the order pip
and uv rank wheels by.
"""

from __future__ import annotations

from collections.abc import Iterator

from packaging import tags as ptags

from wheelscout.model.platform import PlatformFamily, PlatformTag
from wheelscout.model.target import OperatingSystem, Platform, Python

__all__ = ["oldest_glibc", "platform_tags", "target_tags"]

# glibc majors before 2 never carried manylinux wheels; minors of glibc 2 run up to the floor.
_X86 = {"x86_64", "i686"}


def oldest_glibc(arch: str) -> tuple[int, int]:
    """The oldest glibc with manylinux wheels for ``arch``: 2.5 on x86, 2.17 elsewhere."""
    return (2, 5) if arch in _X86 else (2, 17)


def _manylinux_platforms(arch: str, floor: tuple[int, ...]) -> Iterator[str]:
    # Mirrors packaging._manylinux.platform_tags for a glibc that is `floor`, without probing
    # the host: every glibc 2.x from the floor down to the oldest, legacy aliases after the tag
    # they alias.
    for minor in range(floor[1], oldest_glibc(arch)[1] - 1, -1):
        tag = PlatformTag(family=PlatformFamily.MANYLINUX, version=(2, minor), arch=arch)
        yield str(tag)
        if tag.legacy_alias:
            yield tag.legacy_alias


def _linux_archs(arch: str) -> list[str]:
    # A 32-bit Arm userland on an ARMv8 CPU reports armv8l and also runs armv7l wheels.
    return {"armv8l": ["armv8l", "armv7l"]}.get(arch, [arch])


def _local(arch: str) -> str:
    # linux_<arch>: a local build, which installers on Linux rank first.
    return str(PlatformTag(family=PlatformFamily.LINUX, arch=arch))


def platform_tags(platform: Platform) -> list[str]:
    """The platform tags an interpreter on ``platform`` accepts, best first."""
    os, arch, version = platform.os, platform.arch, platform.version
    if os is OperatingSystem.WINDOWS:
        return [str(PlatformTag(family=PlatformFamily.WINDOWS, arch=arch))]
    if os is OperatingSystem.MANYLINUX:
        assert version is not None
        archs = _linux_archs(arch)
        return [
            *(_local(a) for a in archs),
            *(tag for a in archs for tag in _manylinux_platforms(a, version)),
        ]
    if os is OperatingSystem.MUSLLINUX:
        assert version is not None
        archs = _linux_archs(arch)
        musl = [
            str(PlatformTag(family=PlatformFamily.MUSLLINUX, version=(version[0], m), arch=a))
            for a in archs
            for m in range(version[1], -1, -1)
        ]
        return [*(_local(a) for a in archs), *musl]
    if os is OperatingSystem.MACOS:
        assert version is not None
        return list(ptags.mac_platforms((version[0], version[1]), arch))
    if os is OperatingSystem.IOS:
        assert version is not None
        return list(ptags.ios_platforms((version[0], version[1]), arch))
    if os is OperatingSystem.ANDROID:
        assert version is not None
        return list(ptags.android_platforms(version[0], arch))
    if os is OperatingSystem.EMSCRIPTEN:
        return [platform.name]
    raise ValueError(f"no tag rule for {platform.os!r}")  # HOST is handled by the caller


def _abis(python: Python) -> list[str]:
    return [f"cp{python.nodot}{'t' if python.free_threaded else ''}"]


def _keep(tag: ptags.Tag, python: Python) -> bool:
    # The free-threaded stable ABI (abi3t, PEP 803) starts at 3.15: packaging also offers
    # cp3X-abi3t for older minors "in principle", but no such wheel can exist for 3.13t/3.14t.
    if tag.abi != "abi3t":
        return True
    return int(tag.interpreter[2:]) >= 315 and (python.major, python.minor) >= (3, 15)


def target_tags(python: Python, platforms: list[str]) -> list[ptags.Tag]:
    """CPython tags for ``python`` on ``platforms``, ranked as ``sys_tags()`` ranks them."""
    version = (python.major, python.minor)
    ranked = [
        *ptags.cpython_tags(version, _abis(python), platforms),
        *ptags.compatible_tags(version, f"cp{python.nodot}", platforms),
    ]
    return [tag for tag in ranked if _keep(tag, python)]
