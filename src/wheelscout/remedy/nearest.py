"""Which versions of a project ship a wheel for one exact target (platform, Python and ABI)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from packaging.specifiers import SpecifierSet
from packaging.tags import Tag
from packaging.version import Version

from wheelscout.classify import ParsedFile, TagRanker
from wheelscout.model.project import DistFile, ProjectPage
from wheelscout.model.target import Target
from wheelscout.remedy._releases import installable, releases, wheel_for

__all__ = [
    "CoverageRow",
    "NearestVersions",
    "VersionWithWheel",
    "coverage",
    "first_version_with_wheel",
    "nearest_wheel_versions",
    "versions_with_wheel",
]


@dataclass(frozen=True, slots=True, kw_only=True)
class VersionWithWheel:
    """A version that installs from a wheel on the target; ``allowed`` by the requirement set."""

    version: Version
    file: DistFile
    tag: Tag
    allowed: bool = True


@dataclass(frozen=True, slots=True, kw_only=True)
class NearestVersions:
    """The closest versions on either side of ``current`` that ship a wheel for the target."""

    current: Version
    newer: VersionWithWheel | None
    older: VersionWithWheel | None


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


def versions_with_wheel(
    page: ProjectPage, target: Target, allowed: SpecifierSet | None = None, *, pre: bool = False
) -> list[VersionWithWheel]:
    """Every version that ships a wheel the target accepts, newest first.

    Yanked files and files whose Requires-Python excludes the target are skipped, as pip skips
    them; prereleases only with ``pre``.
    """
    ranker = TagRanker(target)
    found = []
    for release in releases(page, pre=pre):
        wheel = wheel_for(installable(release.files, target), ranker)
        if wheel is None:
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
