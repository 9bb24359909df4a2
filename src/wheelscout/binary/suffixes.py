"""Extension-module filename suffixes: which ones the interpreter behind a wheel tag imports."""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterable

from packaging.tags import Tag

from wheelscout.binary.policy import parse_linux_tag
from wheelscout.model.platform import PlatformFamily, PlatformTag

__all__ = ["extension_suffixes", "module_suffix", "platform_family"]

_MULTIARCH = {
    "x86_64": "x86_64-linux-gnu",
    "i686": "i386-linux-gnu",
    "aarch64": "aarch64-linux-gnu",
    "armv7l": "arm-linux-gnueabihf",
    "ppc64le": "powerpc64le-linux-gnu",
    "ppc64": "powerpc64-linux-gnu",
    "s390x": "s390x-linux-gnu",
    "riscv64": "riscv64-linux-gnu",
    "loongarch64": "loongarch64-linux-gnu",
}
# The interpreter-specific part of an extension module's name (module names have no dots, but
# some projects ship alternatives like `MPI.mpich.cpython-311-x86_64-linux-gnu.so`).
_TAGGED_SUFFIX = re.compile(r"\.(cpython-[^.]+|abi3|pypy[^.]+|cp\d+t?-[^.]+)\.(so|pyd)$")


# The binary format's platform: Windows (PE), Linux (ELF) or macOS (Mach-O).
_BINARY_PLATFORMS = {
    PlatformFamily.WINDOWS: "windows",
    PlatformFamily.MANYLINUX: "linux",
    PlatformFamily.MUSLLINUX: "linux",
    PlatformFamily.LINUX: "linux",
    PlatformFamily.MACOS: "macos",
}


def platform_family(platform: str) -> str | None:
    """``windows``, ``linux`` or ``macos`` for a platform tag, else ``None``."""
    tag = PlatformTag.parse(platform)
    return _BINARY_PLATFORMS.get(tag.family) if tag is not None else None


def extension_suffixes(tag: Tag) -> frozenset[str] | None:
    """The extension-module suffixes the interpreter behind ``tag`` imports, or ``None`` when
    the tag does not pin them (``py3``, pure or unknown platforms)."""
    family = platform_family(tag.platform)
    if family is None:
        return None
    if tag.abi == "abi3":
        return frozenset({".pyd"} if family == "windows" else {".abi3.so", ".so"})
    if tag.interpreter.startswith("cp") and tag.abi.startswith("cp"):
        return frozenset(_cpython_suffixes(tag, family))
    if tag.interpreter.startswith("pp") and tag.abi.startswith("pypy"):
        return frozenset(_pypy_suffixes(tag, family))
    return None


def _linux_multiarch(platform: str) -> set[str]:
    tag = parse_linux_tag(platform)
    parsed = PlatformTag.parse(platform)
    arch = parsed.arch if parsed is not None else platform
    gnu = _MULTIARCH.get(arch, f"{arch}-linux-gnu")
    if tag is not None and tag.family is PlatformFamily.MUSLLINUX:
        # CPython before 3.13 reported -linux-gnu on musl as well (gh-95855).
        return {gnu, gnu.replace("-gnu", "-musl")}
    return {gnu}


def _cpython_suffixes(tag: Tag, family: str) -> Iterable[str]:
    abi = tag.abi[2:]
    threaded = "t" if abi.endswith("t") else ""
    if family == "windows":
        return {f".cp{tag.interpreter[2:]}{threaded}-{tag.platform}.pyd", ".pyd"}
    stable = set() if threaded else {".abi3.so"}
    if family == "macos":
        return {f".cpython-{abi}-darwin.so", ".so", *stable}
    return {*(f".cpython-{abi}-{m}.so" for m in _linux_multiarch(tag.platform)), ".so", *stable}


def _pypy_suffixes(tag: Tag, family: str) -> Iterable[str]:
    abi = tag.abi.replace("_", "-")
    if family == "windows":
        return {f".{abi}-{tag.platform}.pyd", ".pyd"}
    if family == "macos":
        return {f".{abi}-darwin.so", ".so"}
    return {*(f".{abi}-{m}.so" for m in _linux_multiarch(tag.platform)), ".so"}


def module_suffix(member: str) -> str | None:
    """The interpreter-specific suffix of an extension module's name, or ``None`` when the
    member does not look like one."""
    base = posixpath.basename(member)
    if match := _TAGGED_SUFFIX.search(base):
        return match[0]
    return ".pyd" if base.endswith(".pyd") else None
