"""Meson cross files for the targets a maintainer cross-builds to with meson-python."""

from __future__ import annotations

from wheelscout.errors import InputError
from wheelscout.model.build import GeneratedFile
from wheelscout.model.target import OperatingSystem, Target
from wheelscout.toolchain._arch import arch_info, canonical_arch

__all__ = ["meson_cross_file"]

def meson_cross_file(target: Target) -> GeneratedFile:
    """A Meson cross file for a Windows (MSVC) or Linux (GNU cross compilers) target."""
    arch = canonical_arch(target.platform)
    info = arch_info(arch)
    if info is None or info.meson is None:
        raise InputError(f"no Meson cross file for architecture {arch!r}")
    family, cpu, triplet = info.meson
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
