"""Setup steps: what a build needs on one target, and how to install it there.

The steps are data (``setup-steps.json``, each with its source); this module only picks the
ones a ``BuildRequirements`` calls for and fills in the target's names (Rust triple, Visual
Studio component, manylinux image, deployment target, package names).
"""

from __future__ import annotations

import dataclasses
import functools
import json
import string
from collections.abc import Mapping
from importlib import resources
from typing import Any

from wheelscout.model.build import BuildRequirements, Language, LibraryNeed, SetupStep, Tool
from wheelscout.model.platform import PlatformFamily, PlatformTag
from wheelscout.model.target import OperatingSystem, Platform, Target
from wheelscout.sdist.libraries import library_info
from wheelscout.toolchain._arch import arch_info, canonical_arch, rust_targets, tag_arch

__all__ = [
    "deployment_target",
    "for_target",
    "linux_image",
    "linux_image_tag",
    "setup_steps",
    "target_os",
]

_FAMILIES: dict[OperatingSystem, str] = {
    OperatingSystem.WINDOWS: "windows",
    OperatingSystem.MANYLINUX: "manylinux",
    OperatingSystem.MUSLLINUX: "musllinux",
    OperatingSystem.MACOS: "macos",
    OperatingSystem.IOS: "ios",
    OperatingSystem.ANDROID: "android",
    OperatingSystem.EMSCRIPTEN: "emscripten",
}
# The glibc floors pypa/manylinux publishes images for, newest first.
_MANYLINUX_IMAGES = ((2, 34), (2, 28), (2, 17))
_DEFAULT_MACOS = "11.0"


@functools.cache
def _table() -> dict[str, dict[str, dict[str, Any]]]:
    text = resources.files(__package__).joinpath("setup-steps.json").read_text("utf-8")
    families: dict[str, dict[str, dict[str, Any]]] = json.loads(text)["families"]
    return families


_OS_NAMES: dict[OperatingSystem, str] = {
    OperatingSystem.WINDOWS: "windows",
    OperatingSystem.MANYLINUX: "linux",
    OperatingSystem.MUSLLINUX: "linux",
    OperatingSystem.MACOS: "macos",
    OperatingSystem.IOS: "ios",
    OperatingSystem.ANDROID: "android",
    OperatingSystem.EMSCRIPTEN: "emscripten",
}


def target_os(target: Target) -> str | None:
    """The operating system a library's ``platforms`` are matched against; ``None`` when the
    host's platform name says nothing known."""
    os = _os_of(target.platform)
    return _OS_NAMES.get(os) if os is not None else None


def _os_of(platform: Platform) -> OperatingSystem | None:
    """The platform's OS; for the host, the one its best platform tag names."""
    if platform.os is not OperatingSystem.HOST:
        return platform.os
    tag = PlatformTag.parse(platform.name)
    return OperatingSystem.of_family(tag.family) if tag is not None else None


def _builds_there(platforms: tuple[str, ...], os_name: str | None) -> bool:
    if not platforms or os_name is None or os_name in platforms:
        return True
    return "unix" in platforms and os_name != "windows"


def for_target(requirements: BuildRequirements, target: Target) -> BuildRequirements:
    """``requirements`` without the libraries a build on ``target``'s OS never looks for
    (psutil's kstat is Solaris-only, its pdh Windows-only)."""
    os_name = target_os(target)
    kept = tuple(need for need in requirements.native_libraries
                 if _builds_there(need.platforms, os_name))
    if len(kept) == len(requirements.native_libraries):
        return requirements
    return dataclasses.replace(requirements, native_libraries=kept)


def setup_steps(requirements: BuildRequirements, target: Target) -> tuple[SetupStep, ...]:
    """The steps that make ``requirements`` buildable on ``target``; ``()`` for a pure build.
    Libraries only another OS's build looks for are left out."""
    if requirements.pure or not requirements.languages:
        return ()
    requirements = for_target(requirements, target)
    os = _os_of(target.platform)
    family = _FAMILIES.get(os) if os is not None else None
    if family is None:
        return (_host_note(),)
    values = _values(target.platform, family)
    languages = requirements.language_set
    steps = [_step(family, "compiler", values, _compiled_names(requirements))]
    if Language.FORTRAN in languages:
        steps.extend(_fortran_steps(family, values))
    if Language.RUST in languages:
        steps.append(_step(family, "rust", values, ("Rust",)))
    if Language.CUDA in languages:
        steps.append(_cuda_note())
    tools = requirements.tool_set
    if Tool.CMAKE in tools:
        steps.append(_step(family, "cmake", values, ("CMake",)))
    if Tool.PKG_CONFIG in tools and requirements.native_libraries:
        steps.append(_step(family, "pkg-config", values, ("pkg-config",)))
    if family == "windows" and any(lib.name == "llvm" for lib in requirements.native_libraries):
        steps.append(_step(family, "clang", values, ("llvm",)))
    steps.extend(_library_step(family, values, need) for need in requirements.native_libraries)
    return tuple(steps)


def _compiled_names(requirements: BuildRequirements) -> tuple[str, ...]:
    # Rust needs the platform's C toolchain too, as its linker.
    return tuple(
        "Rust (linker)" if need.language is Language.RUST else need.language.value
        for need in requirements.languages
    )


def _fortran_steps(family: str, values: Mapping[str, str]) -> list[SetupStep]:
    if family == "windows" and values["arch"] == "aarch64":
        return [
            _step(family, "fortran-aarch64", values, ("Fortran",)),
            _step(family, "clang", values, ("Fortran",)),
        ]
    return [_step(family, "fortran", values, ("Fortran",))]


def _library_step(family: str, values: Mapping[str, str], need: LibraryNeed) -> SetupStep:
    info = library_info(need.name)
    filled = dict(values, library=need.name, library_source="")
    if info is not None:
        filled.update(info.packages)
        filled["package"] = info.packages.get("vcpkg", "")
        filled["library_source"] = info.source
    step = _step(family, "library", filled, (need.name,))
    optional = " (optional)" if need.optional else ""
    if info is None:
        return SetupStep(
            kind="note",
            summary=f"{need.name}: find its development files for this target{optional}",
            needed_for=(need.name,),
        )
    return SetupStep(
        kind=step.kind,
        summary=step.summary + optional,
        needed_for=step.needed_for,
        commands=step.commands,
        components=step.components,
        source=step.source,
    )


def _step(
    family: str, need: str, values: Mapping[str, str], needed_for: tuple[str, ...]
) -> SetupStep:
    raw = _table()[family][need]
    return SetupStep(
        kind=raw["kind"],
        summary=_fill(raw["summary"], values),
        needed_for=needed_for,
        commands=tuple(
            _fill(command, values)
            for command in raw.get("commands", ())
            if _complete(command, values)
        ),
        components=tuple(_fill(item, values) for item in raw.get("components", ())),
        source=_fill(raw.get("source", ""), values),
    )


def _complete(template: str, values: Mapping[str, str]) -> bool:
    """A command whose package is unknown for this manager (empty) is left out."""
    fields = [name for _, name, _, _ in string.Formatter().parse(template) if name]
    return all(values.get(name) for name in fields)


def _fill(template: str, values: Mapping[str, str]) -> str:
    return template.format_map(_Defaulting(values))


class _Defaulting(dict[str, str]):
    def __missing__(self, key: str) -> str:
        return f"<{key}>"


def _values(platform: Platform, family: str) -> dict[str, str]:
    arch = canonical_arch(platform)
    info = arch_info(arch)
    image = linux_image(platform)
    if image is None and family in ("manylinux", "musllinux"):
        # The host target: the image of the current defaults for its architecture.
        image_arch = tag_arch(arch, "linux")
        image = f"manylinux_2_28_{image_arch}"
        image = image if family == "manylinux" else f"musllinux_1_2_{image_arch}"
    windows = info.windows if info is not None else None
    return {
        "arch": arch,
        "rust_targets": " ".join(rust_targets(platform)) or "<no Rust target>",
        "vs_tools_component": "Microsoft.VisualStudio.Component.VC.Tools."
        + (windows.vs_component if windows else "x86.x64"),
        "vs_arch_name": windows.vs_arch_name if windows else "x64/x86",
        "vcpkg_triplet": (windows.vcpkg if windows else arch) + "-windows",
        "image": image or "<none>",
        "deployment_target": deployment_target(platform),
    }


def linux_image(platform: Platform) -> str | None:
    """The pypa/manylinux image building wheels for ``platform`` (``manylinux_2_28_aarch64``)."""
    tag = linux_image_tag(platform)
    # pypa/manylinux names the images of the aliased floors by the alias (manylinux2014).
    return None if tag is None else tag.legacy_alias or str(tag)


def linux_image_tag(platform: Platform) -> PlatformTag | None:
    """The platform tag of :func:`linux_image`'s image, ``None`` off Linux."""
    image_arch = tag_arch(canonical_arch(platform), "linux")
    version = platform.version or _version_from_name(platform.name)
    if platform.os is OperatingSystem.MUSLLINUX:
        musl = (1, 2) if (version or (1, 2)) >= (1, 2) else (1, 1)
        return PlatformTag(family=PlatformFamily.MUSLLINUX, version=musl, arch=image_arch)
    if platform.os is not OperatingSystem.MANYLINUX:
        return None
    floor = version or (2, 17)
    glibc = next((image for image in _MANYLINUX_IMAGES if floor >= image), (2, 17))
    return PlatformTag(family=PlatformFamily.MANYLINUX, version=glibc, arch=image_arch)


def _version_from_name(name: str) -> tuple[int, ...] | None:
    tag = PlatformTag.parse(name)
    linux = (PlatformFamily.MANYLINUX, PlatformFamily.MUSLLINUX)
    return tag.version if tag is not None and tag.family in linux else None


def deployment_target(platform: Platform) -> str:
    """``MACOSX_DEPLOYMENT_TARGET`` (or the iOS one) for ``platform``: ``14.0``."""
    version = platform.version
    if not version:
        tag = PlatformTag.parse(platform.name)
        apple = (PlatformFamily.MACOS, PlatformFamily.IOS)
        version = tag.version if tag is not None and tag.family in apple else None
    if not version:
        return _DEFAULT_MACOS
    major, *rest = version
    return f"{major}.{rest[0] if rest else 0}"


def _host_note() -> SetupStep:
    return SetupStep(
        kind="note",
        summary="the host target: resolve it to a concrete platform for setup steps",
        needed_for=(),
    )


def _cuda_note() -> SetupStep:
    return SetupStep(
        kind="install",
        summary="The CUDA toolkit (nvcc) for this target",
        needed_for=("CUDA",),
        source="https://developer.nvidia.com/cuda-downloads",
    )
