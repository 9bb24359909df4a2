"""Resolve a requirement set for one target as pip would there, and give each package a verdict.

``Resolver(source)`` is shared by every target of a run, so each project page and metadata file
is fetched once; ``source`` is any :class:`~wheelscout.resolve.source.ProjectSource` (the
blocking index client, or plain data in tests). ``Resolver.resolve(requirements, target,
options)`` returns a :class:`~wheelscout.model.verdict.TargetResult`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import resolvelib
from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet
from packaging.utils import canonicalize_name

from wheelscout.classify import BinaryPolicy, TagRanker
from wheelscout.inputs import ALL, LocalProject, Mode
from wheelscout.model.project import DistFile, NormalizedName
from wheelscout.model.target import Target
from wheelscout.model.verdict import Conflict, PackageVerdict, TargetResult, TargetStatus
from wheelscout.resolve.candidates import Candidate, Release, page_releases, why_empty
from wheelscout.resolve.dependencies import read_dependencies
from wheelscout.resolve.direct import (
    DirectDependencies,
    attach_direct,
    read_direct,
    roots_for,
)
from wheelscout.resolve.explain import explain_conflict
from wheelscout.resolve.provider import (
    Broken,
    Causes,
    Dependencies,
    TargetProvider,
    requirement_key,
    split_extras,
)
from wheelscout.resolve.source import ProjectSource
from wheelscout.resolve.verdicts import direct_verdict, status_of, verdicts

__all__ = ["OnPin", "ProjectSource", "ResolveOptions", "Resolver", "status_of"]

#: Called as the resolver pins a project on a target (progress; must be quick and thread-safe).
OnPin = Callable[[Target, str], None]


class _PinReporter(resolvelib.BaseReporter):  # type: ignore[type-arg]
    """resolvelib's reporter hooks, forwarded as (target, project name) for progress."""

    def __init__(self, target: Target, on_pin: OnPin) -> None:
        self._target, self._on_pin = target, on_pin

    def adding_requirement(self, requirement: object, parent: object) -> None:
        name = getattr(requirement, "name", None)
        if isinstance(name, str):
            self._on_pin(self._target, canonicalize_name(name))

    def pinning(self, candidate: object) -> None:
        name = getattr(candidate, "name", None)
        if isinstance(name, str):
            self._on_pin(self._target, name)

log = logging.getLogger("wheelscout.resolve")

# pip 26's limit (resolution/resolvelib/resolver.py): past it pip raises ResolutionTooDeep.
_MAX_ROUNDS = 200_000
# Placeholder passes each add a project with nothing installable in the versions the
# requirements allow; a requirement set has far fewer such projects than this.
_MAX_PLACEHOLDER_PASSES = 64


@dataclass(frozen=True, slots=True, kw_only=True)
class ResolveOptions:
    """pip's knobs: the install mode, pre-releases, and per-project format control."""

    mode: Mode = "default"
    pre: bool = False
    no_binary: frozenset[str] = field(default_factory=frozenset)
    only_binary: frozenset[str] = field(default_factory=frozenset)

    def policy(self, name: str) -> BinaryPolicy:
        only = self.mode == "only-binary" or ALL in self.only_binary or name in self.only_binary
        no = not only and (ALL in self.no_binary or name in self.no_binary)
        return BinaryPolicy(
            only_binary=only, no_binary=no, prefer_binary=self.mode == "prefer-binary"
        )


class Resolver:
    """Resolves for any number of targets over one shared project source."""

    def __init__(
        self, client: ProjectSource, local: Sequence[LocalProject] = ()
    ) -> None:
        self._client = client
        self._local = {project.url: project for project in local}
        self._direct: dict[str, DirectDependencies] = {}
        self._releases: dict[str, list[Release] | None] = {}
        self._deps: dict[tuple[str, str], Dependencies | Broken] = {}

    # -- Finder protocol ------------------------------------------------------------------
    def releases(self, name: NormalizedName) -> list[Release] | None:
        if name not in self._releases:
            page = self._client.project(name)
            self._releases[name] = None if page is None else page_releases(page, name)
        return self._releases[name]

    def prefetch(self, candidates: Sequence[Candidate]) -> None:
        self._client.prefetch([f for c in candidates if (f := _metadata_file(c)) is not None])

    def prefetch_projects(self, names: Iterable[str]) -> None:
        self._client.prefetch_projects(n for n in names if n not in self._releases)

    def when_project(self, name: str, job: Callable[[], object]) -> None:
        self._client.when_project(name, lambda: _quietly(job))

    def when_dependencies(self, candidate: Candidate, job: Callable[[], object]) -> None:
        # Only a wheel: its dependencies are one read, done by the time ``job`` runs, so the
        # client's thread never waits for another (an sdist may try several files).
        chosen = candidate.choice.file
        if chosen is not None and chosen.is_wheel:
            self._client.when_metadata(chosen.file, lambda: _quietly(job))

    def dependencies(self, candidate: Candidate) -> Dependencies | Broken:
        chosen = candidate.choice.file
        assert chosen is not None
        key = (candidate.name, chosen.file.filename)
        if key not in self._deps:
            self._deps[key] = read_dependencies(self._client.metadata, candidate)
        return self._deps[key]

    # -- resolution -----------------------------------------------------------------------
    def resolve(
        self,
        requirements: Sequence[Requirement],
        target: Target,
        options: ResolveOptions = ResolveOptions(),
        constraints: Sequence[Requirement] = (),
        on_pin: OnPin | None = None,
    ) -> TargetResult:
        """Resolve ``requirements`` for ``target``; never raises for an unresolvable set.
        ``on_pin`` hears each project as the resolution reaches it (progress)."""
        reporter = resolvelib.BaseReporter() if on_pin is None else _PinReporter(target, on_pin)
        ranker = TagRanker(target)
        env = {**target.markers, "extra": ""}
        roots = [r for r in requirements if r.marker is None or r.marker.evaluate(env)]
        direct = [r for r in roots if r.url]
        roots = [r for r in roots if not r.url]
        # Direct references' dependencies resolve like any root, but are not the user's.
        directs = [self._direct_dependencies(r) for r in direct]
        asked: set[str] = {canonicalize_name(r.name) for r in roots}
        requested = _user_requested(roots)
        user_roots, roots = roots, [*roots, *roots_for(direct, directs, env)]
        limits = _constraint_specifiers(constraints, env)
        self.prefetch_projects(canonicalize_name(r.name) for r in roots)
        placeholders: dict[str, str] = {}
        warnings: dict[str, None] = {  # from every pass: the first one walks the furthest
            f"the dependencies of {d.name} are unknown: {d.unknown_because}": None
            for d in directs if d.unknown_because
        }
        for _ in range(_MAX_PLACEHOLDER_PASSES):
            provider = TargetProvider(
                self,
                ranker,
                options.policy,
                constraints=limits,
                pre=options.pre,
                placeholders=placeholders,
                user_requested=requested,
                warnings=warnings,
            )
            provider.warm(roots)
            try:
                result = resolvelib.Resolver(provider, reporter).resolve(
                    _root_requirements(roots), max_rounds=_MAX_ROUNDS
                )
            except resolvelib.ResolutionImpossible as exc:
                # pip would stop here. To still report the rest, let the projects with
                # nothing installable stand in as 'none' and resolve again.
                found = {**provider.absent, **self._unavailable(exc.causes, provider, options)}
                if not found or found.keys() <= placeholders.keys():
                    detail = explain_conflict(exc.causes, target, provider.edges, roots)
                    return self._result(
                        target, options, provider, "unresolvable", (), detail.message, detail
                    )
                placeholders.update(found)
                continue
            except resolvelib.ResolutionTooDeep:
                message = _too_deep(placeholders, provider.absent)
                return self._result(target, options, provider, "unresolvable", (), message)
            packages = verdicts(result, provider, target, user_roots)
            packages = attach_direct(
                packages, [direct_verdict(r, ranker) for r in direct], directs, asked,
                target.python.full,
            )
            return self._result(target, options, provider, status_of(packages), packages)
        message = (
            f"more than {_MAX_PLACEHOLDER_PASSES} projects have nothing installable in the "
            f"versions required: {', '.join(sorted(placeholders))}"
        )
        return self._result(target, options, provider, "unresolvable", (), message)

    @staticmethod
    def _result(
        target: Target,
        options: ResolveOptions,
        provider: TargetProvider,
        status: TargetStatus,
        packages: tuple[PackageVerdict, ...],
        message: str | None = None,
        detail: Conflict | None = None,
    ) -> TargetResult:
        return TargetResult(
            target=target,
            status=status,
            packages=packages,
            mode=options.mode,
            conflict=message,
            conflict_detail=detail,
            warnings=tuple(provider.warnings),  # shared by every pass of this resolution
        )

    def _direct_dependencies(self, requirement: Requirement) -> DirectDependencies:
        # Read once per run: every target shares the answer (markers are decided later).
        assert requirement.url is not None
        if requirement.url not in self._direct:
            self._direct[requirement.url] = read_direct(requirement, self._client, self._local)
        return self._direct[requirement.url]

    def _unavailable(
        self, causes: Causes, provider: TargetProvider, options: ResolveOptions
    ) -> dict[str, str]:
        """Projects among the failure's causes that have nothing installable in the versions
        their requirements allow (or whose every such version is broken)."""
        found: dict[str, str] = {}
        for cause in causes:
            req = cause.requirement
            if not isinstance(req, Requirement):
                continue
            name = NormalizedName(canonicalize_name(req.name))
            if name not in provider.empty:
                continue
            releases = self.releases(name)
            if releases is None:
                found[name] = f"{name} was not found on any configured index"
                continue
            if name in provider.broken:
                wanted = f"{name}{provider.empty[name]}"
                found[name] = (
                    f"every release of {wanted} that would install has unusable metadata "
                    "(see the warnings), and pip skips such releases"
                )
                continue
            gap = _gap(causes, name, releases, options.pre, provider.empty[name])
            if gap is None:
                continue  # each requirement alone could be met, not together: a conflict
            found[name] = why_empty(
                name, releases, gap, provider.ranker, options.policy(name), options.pre
            )
        return found


def _too_deep(placeholders: Mapping[str, str], absent: Mapping[str, str]) -> str:
    if placeholders:  # pip already failed, on the first pass; this one went on without them
        return (
            f"pip fails: nothing installable for {', '.join(sorted(placeholders))}; resolving "
            f"the rest without them gave up after {_MAX_ROUNDS:,} rounds"
        )
    message = f"gave up after {_MAX_ROUNDS:,} resolution rounds, pip's own limit"
    if absent:
        message += f"; nothing installable for {', '.join(sorted(absent))}"
    return message


def _quietly(job: Callable[[], object]) -> None:
    # A warm-up is only a head start: its faults surface again when the resolver asks.
    try:
        job()
    except Exception as exc:
        log.debug("background fetch failed: %s", exc)


def _user_requested(roots: Sequence[Requirement]) -> dict[str, int]:
    """pip's ``user_requested``: each root's position, keyed as pip keys it (the base name
    when the requirement is split, else the name with its extras)."""
    requested: dict[str, int] = {}
    for index, req in enumerate(roots):
        first = split_extras(req)[0]
        requested.setdefault(requirement_key(first), index)
    return requested


def _root_requirements(roots: Sequence[Requirement]) -> list[Requirement]:
    """pip's root list: split as :func:`split_extras`, requirements with extras last."""
    split = [r for req in roots for r in split_extras(req)]
    return sorted(split, key=lambda r: bool(r.extras))


def _gap(
    causes: Causes, name: str, releases: Sequence[Release], pre: bool, combined: SpecifierSet
) -> SpecifierSet | None:
    """The specifier to explain a missing project by, or ``None`` for a genuine conflict.

    A requirement that no release meets on its own is a gap ("no release matches"); so is one
    whose matching releases have nothing installable. Requirements that each match something,
    but nothing together, conflict.
    """
    versions = [r.version for r in releases]
    prereleases = True if pre else None
    specs = [
        c.requirement.specifier
        for c in causes
        if isinstance(c.requirement, Requirement) and canonicalize_name(c.requirement.name) == name
    ]
    for spec in specs:
        if not list(spec.filter(versions, prereleases=prereleases)):
            return spec
    if list(combined.filter(versions, prereleases=prereleases)):
        return combined
    return None


def _metadata_file(candidate: Candidate) -> DistFile | None:
    """The file whose metadata stands for the candidate: its wheel, else any wheel of it."""
    chosen = candidate.choice.file
    if chosen is None:
        return None
    if chosen.is_wheel or chosen.file.core_metadata is not None:
        return chosen.file
    wheels = [f for f in candidate.release.files if f.is_wheel]
    return wheels[0].file if wheels else chosen.file


def _constraint_specifiers(
    constraints: Sequence[Requirement], env: Mapping[str, str]
) -> dict[str, SpecifierSet]:
    limits: dict[str, SpecifierSet] = {}
    for req in constraints:
        if req.marker is not None and not req.marker.evaluate(dict(env)):
            continue
        name = canonicalize_name(req.name)
        limits[name] = limits.get(name, SpecifierSet()) & req.specifier
    return limits
