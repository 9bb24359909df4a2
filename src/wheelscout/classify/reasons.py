"""One-sentence reasons a person understands, built from the files a release ships."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from packaging.tags import Tag

from wheelscout.classify import Choice, ParsedFile, WheelKind, builds_here
from wheelscout.model.platform import PlatformFamily, PlatformTag
from wheelscout.model.target import OperatingSystem, Target

__all__ = ["describe_choice", "platform_label", "summarize_platforms"]

# Families whose versions fold away in a label, and how the label names them.
_FOLDED = {
    PlatformFamily.MANYLINUX: "manylinux",
    PlatformFamily.MUSLLINUX: "musllinux",
    PlatformFamily.MACOS: "macOS",
    PlatformFamily.IOS: "iOS",
    PlatformFamily.ANDROID: "Android",
}

_OS_OF_LABEL = (
    ("win", OperatingSystem.WINDOWS),
    ("manylinux", OperatingSystem.MANYLINUX),
    ("musllinux", OperatingSystem.MUSLLINUX),
    ("macOS", OperatingSystem.MACOS),
    ("iOS", OperatingSystem.IOS),
    ("Android", OperatingSystem.ANDROID),
)


def platform_label(platform: str) -> str:
    """Fold versions out of a platform tag: ``manylinux_2_17_x86_64`` -> ``manylinux x86_64``."""
    tag = PlatformTag.parse(platform)
    if tag is None or tag.family not in _FOLDED:
        return platform
    return f"{_FOLDED[tag.family]} {tag.arch}"


def _join(items: Sequence[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def summarize_platforms(tags: Iterable[Tag]) -> list[str]:
    """Distinct platform labels, in first-seen order, ``any`` excluded."""
    return list(dict.fromkeys(platform_label(t.platform) for t in tags if t.platform != "any"))


def _same_os(label: str, target: Target) -> bool:
    return any(label.startswith(prefix) and os is target.platform.os for prefix, os in _OS_OF_LABEL)


def _target_name(target: Target) -> str:
    return target.platform.name


def _wrong_python(files: Sequence[ParsedFile], target: Target) -> list[str]:
    """Interpreter/ABI pairs of wheels built for the target's platform but another Python."""
    platforms = {t.platform for t in target.tags}
    found = {
        f"{t.interpreter}-{t.abi}"
        for f in files
        for t in f.tags
        if t.platform in platforms and t.platform != "any"
    }
    return sorted(found)


def _no_wheel_phrase(name: str, version: str, files: Sequence[ParsedFile], target: Target) -> str:
    wheels = [f for f in files if f.is_wheel]
    where = _target_name(target)
    if not wheels:
        return f"{name} {version} ships no wheels at all"
    wrong_python = _wrong_python(wheels, target)
    if wrong_python:
        return (
            f"{name} {version} ships {where} wheels only for {_join(wrong_python)}, "
            f"not for CPython {target.python.short}"
        )
    labels = summarize_platforms(t for f in wheels for t in f.tags)
    same = [label for label in labels if _same_os(label, target)]
    shown = same or labels
    more = "" if same or len(shown) <= 6 else f" and {len(shown) - 6} more"
    return f"{name} {version} ships wheels for {_join(shown[:6])}{more} but not {where}"


_CROSS = {
    OperatingSystem.IOS: "iOS",
    OperatingSystem.ANDROID: "Android",
    OperatingSystem.EMSCRIPTEN: "Pyodide",
}


def describe_choice(
    name: str, version: str, files: Sequence[ParsedFile], choice: Choice, target: Target
) -> str:
    """The reason sentence for ``choice`` among ``files`` (one version's files)."""
    if choice.install == "wheel":
        assert choice.file is not None
        assert choice.tag is not None
        filename = choice.file.file.filename
        if choice.kind is WheelKind.PURE:
            return f"{name} {version} is pure Python: {filename} installs on any platform"
        if choice.kind is WheelKind.ABI3:
            return f"{name} {version} has a stable-ABI (abi3) wheel that fits: {filename}"
        return f"{name} {version} has a wheel for {_target_name(target)}: {filename}"
    if choice.install == "build":
        assert choice.file is not None
        return (
            f"{_no_wheel_phrase(name, version, files, target)}, "
            f"so pip builds {choice.file.file.filename} from source"
        )
    if any(not f.is_wheel for f in files) and not builds_here(target):
        return (
            f"{_no_wheel_phrase(name, version, files, target)}, and pip cannot build here: "
            f"{_CROSS[target.platform.os]} wheels are cross-built by maintainers "
            "(e.g. with cibuildwheel)"
        )
    if any(not f.is_wheel for f in files):
        return f"{_no_wheel_phrase(name, version, files, target)}, and building is not allowed"
    return f"{_no_wheel_phrase(name, version, files, target)}, and it has no sdist to build from"
