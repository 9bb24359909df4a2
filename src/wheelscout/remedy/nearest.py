"""Which versions of a project ship a wheel for one exact target (platform, Python and ABI)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from packaging.specifiers import SpecifierSet
from packaging.tags import Tag
from packaging.version import InvalidVersion, Version

from wheelscout.classify import ParsedFile, TagRanker
from wheelscout.model.project import DistFile, ProjectPage
from wheelscout.model.remedy import NearestVersions, VersionWithWheel
from wheelscout.model.target import Target
from wheelscout.remedy._releases import installable, releases, wheel_for

__all__ = [
    "CoverageRow",
    "coverage",
    "first_version_with_wheel",
    "is_placeholder",
    "nearest_to_specifier",
    "nearest_wheel_versions",
    "versions_with_wheel",
]

# A wheel this small carries metadata and no code: a name reservation (polars-runtime-32 0.0.0
# is 1,286 bytes: METADATA, WHEEL, RECORD, one empty file). The smallest real one-module wheels
# on PyPI are above 1.5 KB.
PLACEHOLDER_BYTES = 1400

_LOWER = frozenset({">=", ">", "==", "~=", "==="})
_UPPER = frozenset({"<", "<="})


@dataclass(frozen=True, slots=True, kw_only=True)
class CoverageRow:
    """One version in a coverage table: does it install from a wheel on the target?

    ``excluded`` says why a version is not installable at all (every file yanked, or
    Requires-Python excludes the target's Python); then ``has_wheel`` is false.
    """

    version: Version
    has_wheel: bool
    file: DistFile | None = None
    tag: Tag | None = None
    has_sdist: bool = False
    excluded: str | None = None


def is_placeholder(version: Version, file: DistFile | None = None) -> bool:
    """A release that only holds a name: version 0 (``0.0.0``, ``0.0.0a0``, ``0.0.0.dev0``) or
    a wheel too small to carry code. Never offered as a fix."""
    if not any(version.release):
        return True
    return file is not None and file.size is not None and file.size < PLACEHOLDER_BYTES


def versions_with_wheel(
    page: ProjectPage, target: Target, allowed: SpecifierSet | None = None, *, pre: bool = False
) -> list[VersionWithWheel]:
    """Every version that ships a wheel the target accepts, newest first.

    Yanked files and files whose Requires-Python excludes the target are skipped, as pip skips
    them; prereleases only with ``pre``; placeholder releases (:func:`is_placeholder`) too.
    """
    ranker = TagRanker(target)
    found = []
    for release in releases(page, pre=pre):
        wheel = wheel_for(installable(release.files, target), ranker)
        if wheel is None or is_placeholder(release.version, wheel[0].file):
            continue
        ok = allowed is None or allowed.contains(release.version, prereleases=True)
        found.append(VersionWithWheel(version=release.version, file=wheel[0].file,
                                      tag=wheel[1], allowed=ok))
    return found


def nearest_wheel_versions(
    page: ProjectPage,
    target: Target,
    current: Version,
    allowed: SpecifierSet | None = None,
    *,
    pre: bool = False,
) -> NearestVersions:
    """The nearest newer and older versions than ``current`` with a wheel for ``target``.

    ``allowed`` is what the requirement set admits for this project (``None``: anything);
    each answer says whether it is allowed, so a caller can say "2.3.0 has one, your pin
    forbids it".
    """
    found = versions_with_wheel(page, target, allowed, pre=pre or current.is_prerelease)
    newer = [v for v in found if v.version > current]
    older = [v for v in found if v.version < current]
    return NearestVersions(current=current, newer=newer[-1] if newer else None,
                           older=older[0] if older else None)


def nearest_to_specifier(
    page: ProjectPage, target: Target, allowed: SpecifierSet, *, pre: bool = False
) -> NearestVersions | None:
    """The nearest versions with a wheel around a specifier that no release meets.

    ``numpy>=3`` when the newest numpy is 2.5.5: the requirement sits above every release, so
    the nearest older version is the newest with a wheel (2.5.5 itself when it has one), not
    the one below the newest. A lower bound (``>=``, ``>``, ``==``, ``~=``) is the position;
    else an upper bound (``<``, ``<=``); ``None`` when the specifier has neither.
    """
    lower = [v for s in allowed if s.operator in _LOWER and (v := _version(s.version))]
    upper = [v for s in allowed if s.operator in _UPPER and (v := _version(s.version))]
    if not lower and not upper:
        return None
    pivot = max(lower) if lower else min(upper)
    found = versions_with_wheel(page, target, allowed, pre=pre or pivot.is_prerelease)
    # A version equal to the pivot is outside the specifier: below a lower bound's reach
    # (``>3`` excludes 3) or at an upper bound's (``<1`` excludes 1).
    newer = [v for v in found if v.version > pivot or (not lower and v.version == pivot)]
    older = [v for v in found if v.version < pivot or (lower and v.version == pivot)]
    return NearestVersions(current=pivot, newer=newer[-1] if newer else None,
                           older=older[0] if older else None)


def _version(text: str) -> Version | None:
    try:
        return Version(text.removesuffix(".*"))
    except InvalidVersion:
        return None


def first_version_with_wheel(
    page: ProjectPage, target: Target, *, pre: bool = False
) -> VersionWithWheel | None:
    """The oldest version that shipped a wheel for ``target``, or ``None`` if none ever did."""
    found = versions_with_wheel(page, target, pre=pre)
    return found[-1] if found else None


def coverage(
    page: ProjectPage, target: Target, last_n: int = 10, *, pre: bool = False
) -> list[CoverageRow]:
    """The newest ``last_n`` versions, newest first, each with the wheel that fits or none."""
    ranker = TagRanker(target)
    rows = []
    for release in releases(page, pre=pre)[:last_n]:
        usable = installable(release.files, target)
        wheel = wheel_for(usable, ranker)
        rows.append(CoverageRow(
            version=release.version,
            has_wheel=wheel is not None,
            file=wheel[0].file if wheel else None,
            tag=wheel[1] if wheel else None,
            has_sdist=any(not f.is_wheel for f in usable),
            excluded=None if usable else _why_excluded(release.files, target),
        ))
    return rows


def _why_excluded(files: Sequence[ParsedFile], target: Target) -> str:
    if all(f.file.yanked is not None for f in files):
        return "yanked"
    spec = next((f.file.requires_python for f in files if f.file.requires_python), "")
    return f"Requires-Python {spec} excludes {target.python.full}"
