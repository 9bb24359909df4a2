"""The target catalogue: turn what a user types into a :class:`~wheelscout.model.target.Target`.

Accepted platform spellings: friendly names (``win-arm64``, ``linux-aarch64``), raw platform tags
(``win_arm64``, ``manylinux_2_28_aarch64``, ``macosx_14_0_arm64``), uv's ``--python-platform``
triples (``aarch64-pc-windows-msvc``) and ``host``. Python spellings: ``3.12``, ``3.12.4``,
``3.13t``, ``cp313t``.
"""

from __future__ import annotations

import difflib
import functools
import re
from dataclasses import dataclass, replace

from wheelscout.errors import TargetError
from wheelscout.limits import MAX_PLATFORM_VERSION
from wheelscout.model.platform import PlatformFamily, PlatformTag
from wheelscout.model.target import OperatingSystem, Platform, Python, Target
from wheelscout.targets.catalogue import (
    DEFAULT_VERSIONS,
    EMSCRIPTEN_ABIS,
    FAMILIES,
    GLIBC_DEFAULT_BY_ARCH,
    PYTHON_LINES,
    Family,
)
from wheelscout.targets.markers import marker_environment
from wheelscout.targets.tags import oldest_glibc, platform_tags, target_tags
from wheelscout.targets.uv_triples import UV_TRIPLES

__all__ = [
    "FAMILIES",
    "UV_TRIPLES",
    "Overrides",
    "darwin_release",
    "make_target",
    "parse_platform",
    "parse_python",
    "platform_tags",
    "target_tags",
]

_PYTHON_RE = re.compile(
    r"^(?:cp|py|python)?(?P<major>3)\.?(?P<minor>\d{1,2})(?:\.(?P<micro>\d{1,4}))?(?P<t>t)?$"
)
_MIN_PYTHON, _MAX_PYTHON = min(PYTHON_LINES), max(PYTHON_LINES)


@dataclass(frozen=True, slots=True, kw_only=True)
class Overrides:
    """OS floors a user set on the command line; they apply to spellings that do not fix one."""

    glibc: tuple[int, int] | None = None
    musl: tuple[int, int] | None = None
    macos: tuple[int, int] | None = None
    ios: tuple[int, int] | None = None
    android_api: int | None = None

    def for_os(self, os: OperatingSystem) -> tuple[int, ...] | None:
        return {
            OperatingSystem.MANYLINUX: self.glibc,
            OperatingSystem.MUSLLINUX: self.musl,
            OperatingSystem.MACOS: self.macos,
            OperatingSystem.IOS: self.ios,
            OperatingSystem.ANDROID: (self.android_api,) if self.android_api else None,
        }.get(os)


def parse_python(spelling: str) -> Python:
    """``3.12`` / ``3.12.4`` / ``3.13t`` / ``cp313t`` -> :class:`Python`; TargetError otherwise."""
    match = _PYTHON_RE.match(spelling.strip().lower())
    if not match:
        raise TargetError(
            f"unknown Python {spelling!r}: expected a version such as '3.12', '3.12.4' or '3.13t'"
        )
    line = (int(match["major"]), int(match["minor"]))
    if not _MIN_PYTHON <= line <= _MAX_PYTHON:
        raise TargetError(
            f"unsupported Python {spelling!r}: wheelscout knows CPython "
            f"{_MIN_PYTHON[0]}.{_MIN_PYTHON[1]} to {_MAX_PYTHON[0]}.{_MAX_PYTHON[1]}"
        )
    free_threaded = match["t"] is not None
    if free_threaded and line < (3, 13):
        raise TargetError(f"unsupported Python {spelling!r}: free-threaded builds start at 3.13t")
    micro = int(match["micro"]) if match["micro"] is not None else 0
    return Python(major=line[0], minor=line[1], micro=micro, free_threaded=free_threaded)


def _norm(name: str) -> str:
    return name.strip().lower().replace("_", "-")


# The latest ABI of each WebAssembly line answers to the line's bare name.
_LATEST = {"pyodide": "pyodide-2025", "pyemscripten": "pyemscripten-2026"}


@functools.cache
def _index(families: tuple[Family, ...]) -> tuple[dict[str, Family], dict[str, Family]]:
    # Every name and alias of the catalogue normalized, and the names as written; built on
    # first use from whatever FAMILIES holds, so a catalogue entry is all a target needs here.
    spellings = {
        _norm(alias): family for family in families for alias in (family.name, *family.aliases)
    }
    spellings.update({line: spellings[name] for line, name in _LATEST.items() if name in spellings})
    return spellings, {family.name: family for family in families}


def _by_name(name: str) -> Family:
    return _index(FAMILIES)[1][name]

_VERSION_NAMES = {
    OperatingSystem.MANYLINUX: "glibc version",
    OperatingSystem.MUSLLINUX: "musl version",
    OperatingSystem.MACOS: "macOS version",
    OperatingSystem.IOS: "iOS version",
    OperatingSystem.ANDROID: "Android API level",
}


def _family_for(os: OperatingSystem, arch: str) -> Family | None:
    for family in FAMILIES:
        if family.os is os and family.arch == arch:
            return family
    return None


def _from_raw_tag(text: str) -> tuple[Family, tuple[int, ...] | None] | None:
    tag = PlatformTag.parse(text)
    os = OperatingSystem.of_family(tag.family) if tag is not None else None
    if tag is None or os is None:
        if any(len(part) > len(str(MAX_PLATFORM_VERSION)) for part in _numbers(text)):
            raise _too_large(text)  # a part too long for a number at all
        return None
    if os is OperatingSystem.EMSCRIPTEN:
        if tag.arch != "wasm32":
            return None
        return _emscripten_family(text), None  # a year and a patch, not a floor
    if any(part > MAX_PLATFORM_VERSION for part in tag.version):
        raise _too_large(text)
    family = _family_for(os, tag.arch)
    return (family, tag.version or None) if family else None


def _numbers(text: str) -> list[str]:
    return [part for part in text.split("_") if part.isdigit()]


def _too_large(tag: str) -> TargetError:
    return TargetError(
        f"invalid version in {tag!r}: every part must be at most {MAX_PLATFORM_VERSION}"
    )


def _emscripten_family(tag: str) -> Family:
    year_patch = tag.split("_")[1:3]
    for name, abi in EMSCRIPTEN_ABIS.items():
        if [str(abi.year), str(abi.patch)] == year_patch:
            return _by_name(name)
    raise TargetError(
        f"unknown WebAssembly ABI {tag!r}: known are "
        + ", ".join(abi.tags[0] for abi in EMSCRIPTEN_ABIS.values())
    )


def _all_spellings() -> list[str]:
    return [*(f.name for f in FAMILIES), *(a for f in FAMILIES for a in f.aliases), *UV_TRIPLES]


def _unknown(spelling: str) -> TargetError:
    close = difflib.get_close_matches(spelling.lower(), _all_spellings(), n=3, cutoff=0.6)
    hint = f"; did you mean {' or '.join(repr(c) for c in close)}?" if close else ""
    return TargetError(
        f"unknown target {spelling!r}{hint} (see 'wheelscout targets' for the catalogue)"
    )


def _lookup(spelling: str) -> tuple[Family, tuple[int, ...] | None, bool]:
    """The family, the OS version the spelling implies, and whether the spelling names that
    version itself (``manylinux_2_28_aarch64``, ``x86_64-manylinux_2_31``): only then does
    it beat ``--glibc``/``--macos``/... (a triple such as ``aarch64-apple-darwin`` only
    implies uv's default)."""
    text = spelling.strip()
    if text.lower() in UV_TRIPLES:
        name, version = UV_TRIPLES[text.lower()]
        return _by_name(name), version, "manylinux" in text.lower()
    family = _index(FAMILIES)[0].get(_norm(text))
    if family is not None:
        return family, None, False
    found = _from_raw_tag(text.lower())
    if found is None:
        raise _unknown(spelling)
    return found[0], found[1], found[1] is not None


def _platform(family: Family, version: tuple[int, ...] | None) -> Platform:
    os, arch = family.os, family.arch
    if os is OperatingSystem.EMSCRIPTEN:
        abi = EMSCRIPTEN_ABIS[family.name]
        return Platform(name=abi.tags[0], os=os, arch=arch, description=family.description)
    if os is OperatingSystem.WINDOWS:
        name = str(PlatformTag(family=PlatformFamily.WINDOWS, arch=arch))
        return Platform(name=name, os=os, arch=arch, description=family.description)
    if version is None:
        version = GLIBC_DEFAULT_BY_ARCH.get(arch) if os is OperatingSystem.MANYLINUX else None
        version = version or DEFAULT_VERSIONS[os]
    platform = Platform(name="", os=os, arch=arch, version=version, description=family.description)
    return replace(platform, name=platform_tags(platform)[_primary_index(os)])


def _primary_index(os: OperatingSystem) -> int:
    # Linux lists linux_<arch> first (local builds rank highest); the canonical name is the
    # manylinux/musllinux tag after it.
    return 1 if os in (OperatingSystem.MANYLINUX, OperatingSystem.MUSLLINUX) else 0


def _check_version(spelling: str, os: OperatingSystem, version: tuple[int, ...]) -> None:
    if any(part > MAX_PLATFORM_VERSION for part in version):
        # The tag list grows with the version (one tag per older release): bound it.
        shown = ".".join(str(part) for part in version)
        if len(shown) > 40:
            shown = shown[:37] + "..."
        raise TargetError(
            f"invalid {_VERSION_NAMES[os]} {shown!r} in {spelling!r}: every part must be at "
            f"most {MAX_PLATFORM_VERSION}"
        )
    if os is OperatingSystem.MANYLINUX and (version[0] != 2 or version[1] < 5):
        raise TargetError(f"invalid glibc version in {spelling!r}: manylinux needs glibc 2.5+")
    if os is OperatingSystem.MACOS and not (version >= (10, 4)):
        raise TargetError(f"invalid macOS version in {spelling!r}: expected 10.4 or newer")
    if os is OperatingSystem.IOS and version < (12, 0):
        raise TargetError(f"invalid iOS version in {spelling!r}: expected 12.0 or newer")
    if os is OperatingSystem.ANDROID and version[0] < 16:
        raise TargetError(f"invalid Android API level in {spelling!r}: expected 16 or higher")


def parse_platform(spelling: str, overrides: Overrides | None = None) -> Platform:
    """Resolve a non-host platform spelling to a catalogue :class:`Platform`."""
    family, version, named = _lookup(spelling)
    if not named and overrides is not None:
        version = overrides.for_os(family.os) or version
    if version is not None:
        _check_version(spelling, family.os, version)
        oldest = oldest_glibc(family.arch)
        if family.os is OperatingSystem.MANYLINUX and version < oldest:
            raise TargetError(
                f"invalid glibc version in {spelling!r}: manylinux wheels for {family.arch} "
                f"start at glibc {oldest[0]}.{oldest[1]}"
            )
    return _platform(family, version)


def _family_of(platform: Platform) -> Family:
    family = _family_for(platform.os, platform.arch)
    if platform.os is OperatingSystem.EMSCRIPTEN:
        family = _emscripten_family(platform.name)
    assert family is not None
    return family


# CPython supports iOS (PEP 730) and Android (PEP 738) from 3.13 on.
_MOBILE_PYTHON = {
    OperatingSystem.IOS: "iOS (PEP 730)",
    OperatingSystem.ANDROID: "Android (PEP 738)",
}


def _check_python(spelling: str, platform: Platform, py: Python) -> None:
    if platform.os in _MOBILE_PYTHON and (py.major, py.minor) < (3, 13):
        raise TargetError(
            f"target {spelling!r} needs Python 3.13 or newer: CPython supports "
            f"{_MOBILE_PYTHON[platform.os]} from 3.13 on, not {py.major}.{py.minor}"
        )


def darwin_release(macos: tuple[int, ...] | None) -> str:
    """``platform.release()`` on a macOS version: the Darwin kernel version.

    Darwin's major is macOS's plus 9 from macOS 11 (Big Sur, Darwin 20) on, and 10.x's minor
    plus 4 before (10.15 Catalina is Darwin 19). Minor releases are not derivable; ``.0.0``.
    """
    if not macos:
        return ""
    major = macos[0] + 9 if macos[0] >= 11 else macos[1] + 4
    return f"{major}.0.0"


def make_target(spelling: str, python: str, overrides: Overrides | None = None) -> Target:
    """Build the :class:`Target` for a platform spelling and a Python spelling."""
    if spelling.strip().lower() == "host":
        from wheelscout.targets.host import host_target

        return host_target(python)
    platform = parse_platform(spelling, overrides)
    py = parse_python(python)
    family = _family_of(platform)
    _check_python(spelling, platform, py)
    if platform.os is OperatingSystem.EMSCRIPTEN:
        abi = EMSCRIPTEN_ABIS[family.name]
        if (py.major, py.minor) != abi.python or py.free_threaded:
            raise TargetError(
                f"target {spelling!r} is built for Python {abi.python[0]}.{abi.python[1]} only, "
                f"not {python!r}"
            )
        plats = list(abi.tags)
        release = abi.emscripten
    else:
        plats = platform_tags(platform)
        release = darwin_release(platform.version) if platform.os is OperatingSystem.MACOS else ""
    markers = marker_environment(platform, py, machine=family.machine, release=release)
    return Target(
        spelling=spelling,
        platform=platform,
        python=py,
        tags=tuple(target_tags(py, plats)),
        markers=markers,
    )
