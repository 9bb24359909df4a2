"""Meson cross files for the targets a maintainer cross-builds to with meson-python."""

from __future__ import annotations

from wheelscout.errors import InputError
from wheelscout.model.build import GeneratedFile
from wheelscout.model.target import OperatingSystem, Target
from wheelscout.toolchain._arch import canonical_arch

__all__ = ["meson_cross_file"]

# canonical arch -> (Meson cpu_family, cpu, GNU triplet prefix)
_CPU: dict[str, tuple[str, str, str]] = {
    "x86_64": ("x86_64", "x86_64", "x86_64-linux-gnu"),
    "x86": ("x86", "i686", "i686-linux-gnu"),
    "aarch64": ("aarch64", "armv8", "aarch64-linux-gnu"),
    "armv7": ("arm", "armv7l", "arm-linux-gnueabihf"),
    "ppc64le": ("ppc64", "ppc64le", "powerpc64le-linux-gnu"),
    "s390x": ("s390x", "s390x", "s390x-linux-gnu"),
    "riscv64": ("riscv64", "riscv64", "riscv64-linux-gnu"),
}


def meson_cross_file(target: Target) -> GeneratedFile:
    """A Meson cross file for a Windows (MSVC) or Linux (GNU cross compilers) target."""
    arch = canonical_arch(target.platform)
    if arch not in _CPU:
        raise InputError(f"no Meson cross file for architecture {arch!r}")
    family, cpu, triplet = _CPU[arch]
    os = target.platform.os
    if os is OperatingSystem.WINDOWS:
        binaries = "c = 'cl'\ncpp = 'cl'\nar = 'lib'\nwindres = 'rc'\n"
        system = "windows"
        purpose = "MSVC cross build; run inside the matching vcvarsall environment"
    elif os in (OperatingSystem.MANYLINUX, OperatingSystem.MUSLLINUX):
        if os is OperatingSystem.MUSLLINUX:
            triplet = triplet.replace("-gnu", "-musl")
        binaries = "".join(
            f"{tool} = '{triplet}-{program}'\n"
            for tool, program in (
                ("c", "gcc"),
                ("cpp", "g++"),
                ("fortran", "gfortran"),
                ("ar", "ar"),
                ("strip", "strip"),
                ("pkg-config", "pkg-config"),
            )
        )
        system = "linux"
        purpose = f"GNU cross compilers ({triplet}-gcc and friends) must be installed"
    else:
        raise InputError(f"no Meson cross file for target {target.spelling!r}")
    content = (
        f"[binaries]\n{binaries}\n[host_machine]\nsystem = '{system}'\n"
        f"cpu_family = '{family}'\ncpu = '{cpu}'\nendian = 'little'\n"
    )
    name = f"cross-{target.platform.name}.ini"
    return GeneratedFile(name=name, content=content, purpose=purpose)
