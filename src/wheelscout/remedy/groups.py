"""A release's files grouped by platform, Python and ABI, and the sentence that sums them up:
"wheels for win_amd64 and win32, cp39-cp312 and pp39; none for win_arm64; sdist
numpy-1.26.2.tar.gz"."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from packaging.tags import Tag

from wheelscout.classify import ParsedFile
from wheelscout.classify.reasons import platform_label
from wheelscout.model.target import Target

__all__ = ["FileGroups", "PlatformGroup", "describe_groups", "group_files", "python_label",
           "python_span"]

_DASH = "\u2013"  # an en dash: "cp39\u2013cp312" reads as a range
_PLAIN_CP = re.compile(r"^cp(\d)(\d+)$")
_LABEL_ORDER = re.compile(r"^([a-z]+)(\d)(\d*)")


@dataclass(frozen=True, slots=True, kw_only=True)
class PlatformGroup:
    """The wheels of one platform (versions folded: ``manylinux aarch64``, ``macOS arm64``)."""

    platform: str
    pythons: tuple[str, ...]
    files: tuple[str, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class FileGroups:
    """A release's wheels by platform, its sdists, and the Pythons it has for the target."""

    wheels: tuple[PlatformGroup, ...]
    sdists: tuple[str, ...]
    target_platform: str
    target_pythons: tuple[str, ...]


def python_label(tag: Tag) -> str:
    """``cp312-cp312`` -> ``cp312``, ``cp313-cp313t`` -> ``cp313t``, ``cp311-abi3`` kept whole,
    ``pp310-pypy310_pp73`` -> ``pp310``, ``py3-none`` -> ``py3``."""
    if tag.abi == "none" or tag.abi.startswith("pypy") or tag.interpreter.startswith("pp"):
        return tag.interpreter
    if tag.abi.startswith(tag.interpreter):
        return tag.abi
    return f"{tag.interpreter}-{tag.abi}"


def _order(label: str) -> tuple[int, int, int, str]:
    match = _LABEL_ORDER.match(label)
    if match is None:
        return (9, 0, 0, label)
    family = {"cp": 0, "py": 1, "pp": 2}.get(match[1], 3)
    return (family, int(match[2]), int(match[3] or 0), label)


def python_span(labels: Iterable[str]) -> str:
    """Python labels for a person: a run of plain CPython versions becomes one range."""
    ordered = sorted(set(labels), key=_order)
    plain = [label for label in ordered if _PLAIN_CP.match(label)]
    rest = [label for label in ordered if label not in plain]
    minors = [int(_PLAIN_CP.match(label)[2]) for label in plain]  # type: ignore[index]
    contiguous = len(plain) >= 3 and minors == list(range(minors[0], minors[0] + len(minors)))
    head = [f"{plain[0]}{_DASH}{plain[-1]}"] if contiguous else plain
    return _join([*head, *rest])


def _join(items: Sequence[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def group_files(files: Sequence[ParsedFile], target: Target) -> FileGroups:
    """Group one release's files; ``target_pythons`` are those a wheel for the target's own
    platforms (or ``any``) carries."""
    groups: dict[str, tuple[list[str], list[str]]] = {}
    accepted = {t.platform for t in target.tags}
    on_target: set[str] = set()
    for parsed in (f for f in files if f.is_wheel):
        for tag in sorted(parsed.tags, key=str):
            label = platform_label(tag.platform)
            pythons, names = groups.setdefault(label, ([], []))
            pythons.append(python_label(tag))
            names.append(parsed.file.filename)
            if tag.platform in accepted or tag.platform == "any":
                on_target.add(python_label(tag))
    wheels = tuple(
        PlatformGroup(platform=label,
                      pythons=tuple(sorted(set(pythons), key=_order)),
                      files=tuple(dict.fromkeys(names)))
        for label, (pythons, names) in groups.items()
    )
    return FileGroups(
        wheels=wheels,
        sdists=tuple(f.file.filename for f in files if not f.is_wheel),
        target_platform=target.platform.name,
        target_pythons=tuple(sorted(on_target, key=_order)),
    )


def describe_groups(groups: FileGroups) -> str:
    """One line: which platforms and Pythons have wheels, what the target gets, the sdist."""
    parts = []
    if groups.wheels:
        platforms = [g.platform for g in groups.wheels]
        shown = platforms[:8] + ([f"{len(platforms) - 8} more"] if len(platforms) > 8 else [])
        pythons = python_span(p for g in groups.wheels for p in g.pythons)
        parts.append(f"wheels for {_join(shown)}, {pythons}")
    else:
        parts.append("no wheels")
    if groups.wheels and not groups.target_pythons:
        parts.append(f"none for {groups.target_platform}")
    elif groups.target_pythons:
        parts.append(f"for {groups.target_platform}: {python_span(groups.target_pythons)}")
    if groups.sdists:
        parts.append("sdist " + ", ".join(groups.sdists))
    else:
        parts.append("no sdist")
    return "; ".join(parts)
