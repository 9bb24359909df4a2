"""Candidates for one project on one target, as pip's finder would list them.

Pure: takes the parsed files of a project page and a target, returns versions newest first, each
with the one file pip would take. Also says, when nothing is left, why.
"""

from __future__ import annotations

import threading
from collections import OrderedDict, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from packaging.specifiers import SpecifierSet
from packaging.version import Version

from wheelscout.classify import (
    BinaryPolicy,
    Choice,
    ParsedFile,
    TagRanker,
    builds_here,
    choose,
    parse_files,
    python_allows,
)
from wheelscout.classify.reasons import explain_choice
from wheelscout.model.project import NormalizedName, ProjectPage
from wheelscout.model.reasons import Reason, ReasonCode

__all__ = [
    "Candidate",
    "Release",
    "applicable_files",
    "group_releases",
    "is_pinned",
    "list_candidates",
    "page_releases",
    "why_empty",
]


@dataclass(frozen=True, slots=True, kw_only=True)
class Release:
    """All files of one version of a project."""

    name: NormalizedName
    version: Version
    files: tuple[ParsedFile, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class Candidate:
    """One version of a project (with extras, maybe) and the file pip would install it from."""

    name: NormalizedName
    version: Version
    extras: frozenset[str]
    choice: Choice
    release: Release

    @property
    def key(self) -> str:
        return _key(self.name, self.extras)


def _key(name: str, extras: Iterable[str]) -> str:
    extras = sorted(extras)
    return f"{name}[{','.join(extras)}]" if extras else name


def group_releases(name: NormalizedName, files: Sequence[ParsedFile]) -> list[Release]:
    """Releases newest first (page order kept within a release)."""
    by_version: dict[Version, list[ParsedFile]] = defaultdict(list)
    for parsed in files:
        by_version[parsed.version].append(parsed)
    return [
        Release(name=name, version=v, files=tuple(by_version[v]))
        for v in sorted(by_version, reverse=True)
    ]


# Pages parsed into releases, by page object: the index client hands every caller of a run the
# same page object, so every target, the wheels-only pass, remedies and explain share one parse.
# The page is kept with its releases (an id is only unique while its object lives); the oldest
# are let go past _PARSED_PAGES, which bounds what a long-lived process holds.
_PARSED: OrderedDict[tuple[int, str], tuple[ProjectPage, list[Release]]] = OrderedDict()
_PARSED_LOCK = threading.Lock()
_PARSED_PAGES = 512


def page_releases(page: ProjectPage, name: str | None = None) -> list[Release]:
    """The releases of project ``name`` (default: the page's) on ``page``, newest first.

    Parsed once per page object, whichever thread asks first; the list is shared: don't change it.
    """
    wanted = NormalizedName(name or page.name)
    key = (id(page), wanted)
    with _PARSED_LOCK:  # parsing holds the GIL anyway: serialising it costs nothing
        hit = _PARSED.get(key)
        if hit is not None and hit[0] is page:
            _PARSED.move_to_end(key)
            return hit[1]
        releases = group_releases(wanted, parse_files(page.files, wanted))
        _PARSED[key] = (page, releases)
        while len(_PARSED) > _PARSED_PAGES:
            _PARSED.popitem(last=False)
        return releases


def is_pinned(specifier: SpecifierSet) -> bool:
    """pip's rule (PEP 592): ``==`` without a wildcard, or ``===``, may select yanked files."""
    return any(
        spec.operator == "===" or (spec.operator == "==" and not spec.version.endswith(".*"))
        for spec in specifier
    )


def _allowed_versions(
    releases: Sequence[Release], specifier: SpecifierSet, pre: bool
) -> list[Release]:
    allowed = set(
        specifier.filter((r.version for r in releases), prereleases=True if pre else None)
    )
    return [r for r in releases if r.version in allowed]


def _usable_files(release: Release, ranker: TagRanker, allow_yanked: bool) -> list[ParsedFile]:
    return [
        f
        for f in release.files
        if python_allows(f.file.requires_python, ranker.target)
        and (allow_yanked or f.file.yanked is None)
    ]


def _applicable_files(
    release: Release, ranker: TagRanker, policy: BinaryPolicy
) -> list[ParsedFile]:
    """The files pip's finder lists as candidates: Python, format and tags fit; yanked kept."""
    return [
        f
        for f in release.files
        if python_allows(f.file.requires_python, ranker.target)
        and (
            (not policy.no_binary and ranker.best_tag(f.tags) is not None)
            if f.is_wheel
            else not policy.only_binary and builds_here(ranker.target)
        )
    ]


def applicable_files(
    releases: Sequence[Release], ranker: TagRanker, policy: BinaryPolicy
) -> dict[Version, list[ParsedFile]]:
    """Per version, the files pip's finder would list on the ranker's target."""
    return {r.version: _applicable_files(r, ranker, policy) for r in releases}


def list_candidates(
    releases: Sequence[Release],
    specifier: SpecifierSet,
    ranker: TagRanker,
    policy: BinaryPolicy,
    *,
    extras: frozenset[str] = frozenset(),
    pre: bool = False,
    applicable: Mapping[Version, Sequence[ParsedFile]] | None = None,
) -> list[Candidate]:
    """Candidates in the order pip tries them: newest first, and with ``--prefer-binary``
    every version that has a usable wheel before any version that would build.

    ``applicable`` is :func:`applicable_files` for the same releases, ranker and policy, for
    callers that list one project many times (the resolver does, once per round it visits).
    """
    # pip filters versions (pre-releases only when no final release is left) and decides
    # "all yanked" over the files its finder accepted for the target, not over every file:
    # a final release without a usable file does not hide a pre-release that has one.
    if applicable is None:
        applicable = applicable_files(releases, ranker, policy)
    matching = _allowed_versions([r for r in releases if applicable[r.version]], specifier, pre)
    all_yanked = all(f.file.yanked is not None for r in matching for f in applicable[r.version])
    allow_yanked = all_yanked and is_pinned(specifier)
    found = []
    for release in matching:
        usable = [f for f in applicable[release.version] if allow_yanked or f.file.yanked is None]
        choice = choose(usable, ranker, policy)
        if choice.install != "none":
            found.append(
                Candidate(
                    name=release.name,
                    version=release.version,
                    extras=extras,
                    choice=choice,
                    release=release,
                )
            )
    if policy.prefer_binary:
        found.sort(key=lambda c: c.choice.install != "wheel")  # stable: newest first in each
    return found


def why_empty(
    name: str,
    releases: Sequence[Release],
    specifier: SpecifierSet,
    ranker: TagRanker,
    policy: BinaryPolicy,
    pre: bool = False,
) -> Reason:
    """Why :func:`list_candidates` found nothing: the reason of a ``none`` verdict."""
    target = ranker.target
    if not releases:
        return Reason(code=ReasonCode.NO_FILES,
                      text=f"{name} has no files that pip can use on the index")
    matching = _allowed_versions(releases, specifier, pre)
    wanted = f"{name}{specifier}" if str(specifier) else name
    if not matching:
        return Reason(
            code=ReasonCode.NO_MATCHING_VERSION,
            text=f"no release of {name} matches {wanted} (newest is {releases[0].version})",
        )
    newest = matching[0]
    if all(all(f.file.yanked is not None for f in r.files) for r in matching):
        reasons = {f.file.yanked for r in matching for f in r.files if f.file.yanked}
        because = f" (yanked: {'; '.join(sorted(reasons))})" if reasons else ""
        return Reason(code=ReasonCode.YANKED, text=f"every release of {wanted} is yanked"
                      f"{because}, and the requirement does not pin one")
    if all(not python_allows(f.file.requires_python, target) for r in matching for f in r.files):
        spec = next((f.file.requires_python for f in newest.files if f.file.requires_python), "")
        return Reason(
            code=ReasonCode.REQUIRES_PYTHON,
            text=f"every release of {wanted} requires a newer or older Python "
            f"({name} {newest.version}: Requires-Python {spec}) than {target.python.full}",
        )
    usable = _usable_files(newest, ranker, allow_yanked=False) or list(newest.files)
    choice = choose(usable, ranker, policy)
    if choice.install == "none":
        return explain_choice(name, str(newest.version), usable, choice, target)
    return Reason(code=ReasonCode.NO_INSTALLABLE_RELEASE,
                  text=f"no release of {wanted} installs on {target.platform.name}")
