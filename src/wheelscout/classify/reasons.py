"""Reasons for a file choice: the sentence a person reads and the code scripts match, built
from the files a release ships."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from packaging.tags import Tag

from wheelscout.classify import Choice, ParsedFile, WheelKind, builds_here
from wheelscout.model.platform import PlatformFamily, PlatformTag
from wheelscout.model.reasons import Reason, ReasonCode
from wheelscout.model.target import OperatingSystem, Target

__all__ = ["explain_choice", "platform_label", "summarize_platforms"]

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


def _no_wheel(name: str, version: str, files: Sequence[ParsedFile], choice: Choice,
              target: Target) -> Reason:
    """What the release ships instead of a wheel that fits ``target``."""
    wheels = [f for f in files if f.is_wheel]
    where = _target_name(target)
    if choice.refused is not None:
        return Reason(code=ReasonCode.BINARY_NOT_ALLOWED,
                      text=f"{name} {version} has a wheel for {where} "
                      f"({choice.refused.file.filename}), but binaries are not allowed for it "
                      "(--no-binary)")
    if not wheels:
        return Reason(code=ReasonCode.ONLY_SDIST, text=f"{name} {version} ships no wheels at all")
    wrong_python = _wrong_python(wheels, target)
    if wrong_python:
        return Reason(
            code=ReasonCode.WRONG_PYTHON,
            text=f"{name} {version} ships {where} wheels only for {_join(wrong_python)}, "
            f"not for CPython {target.python.short}",
        )
    labels = summarize_platforms(t for f in wheels for t in f.tags)
    same = [label for label in labels if _same_os(label, target)]
    shown = same or labels
    more = "" if same or len(shown) <= 6 else f" and {len(shown) - 6} more"
    return Reason(
        code=ReasonCode.NO_MATCHING_WHEEL,
        text=f"{name} {version} ships wheels for {_join(shown[:6])}{more} but not {where}",
    )


_CROSS = {
    OperatingSystem.IOS: "iOS",
    OperatingSystem.ANDROID: "Android",
    OperatingSystem.EMSCRIPTEN: "Pyodide",
}


def explain_choice(
    name: str, version: str, files: Sequence[ParsedFile], choice: Choice, target: Target
) -> Reason:
    """The reason for ``choice`` among ``files`` (one version's files): its code and sentence.
    A build's code says what the release ships instead of a wheel; a ``none`` one why building
    is no way out."""
    if choice.install == "wheel":
        assert choice.file is not None
        assert choice.tag is not None
        filename = choice.file.file.filename
        if choice.kind is WheelKind.PURE:
            text = f"{name} {version} is pure Python: {filename} installs on any platform"
        elif choice.kind is WheelKind.ABI3:
            text = f"{name} {version} has a stable-ABI (abi3) wheel that fits: {filename}"
        else:
            text = f"{name} {version} has a wheel for {_target_name(target)}: {filename}"
        return Reason(code=ReasonCode.WHEEL, text=text)
    missing = _no_wheel(name, version, files, choice, target)
    if choice.install == "build":
        assert choice.file is not None
        return Reason(code=missing.code, text=f"{missing.text}, so pip builds "
                                              f"{choice.file.file.filename} from source")
    if any(not f.is_wheel for f in files) and not builds_here(target):
        return Reason(
            code=ReasonCode.CANNOT_BUILD_HERE,
            text=f"{missing.text}, and pip cannot build here: {_CROSS[target.platform.os]} "
            "wheels are cross-built by maintainers (e.g. with cibuildwheel)",
        )
    if any(not f.is_wheel for f in files):
        return Reason(code=ReasonCode.BUILD_NOT_ALLOWED,
                      text=f"{missing.text}, and building is not allowed")
    return Reason(code=ReasonCode.NO_SDIST,
                  text=f"{missing.text}, and it has no sdist to build from")
