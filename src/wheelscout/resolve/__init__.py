"""Resolve a requirement set for one target as pip would there, and give each package a verdict.

``Resolver(client)`` is shared by every target of a run, so each project page and metadata file
is fetched once; ``Resolver.resolve(requirements, target, options)`` returns a
:class:`~wheelscout.model.verdict.TargetResult`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import resolvelib
from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet
from packaging.utils import canonicalize_name

from wheelscout.classify import BinaryPolicy, ParsedFile, TagRanker, parse_files
from wheelscout.index import BlockingIndexClient
from wheelscout.inputs import ALL, LocalProject, Mode
from wheelscout.model.metadata import CoreMetadata
from wheelscout.model.project import DistFile, NormalizedName
from wheelscout.model.target import Target
from wheelscout.model.verdict import TargetResult
from wheelscout.resolve.candidates import Candidate, Release, group_releases, why_empty
from wheelscout.resolve.direct import (
    DirectDependencies,
    attach_direct,
    read_direct,
    roots_for,
)
from wheelscout.resolve.explain import explain_conflict
from wheelscout.resolve.provider import Causes, Dependencies, TargetProvider
from wheelscout.resolve.verdicts import direct_verdict, verdicts

__all__ = ["OnPin", "ResolveOptions", "Resolver"]

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

_MAX_ROUNDS = 20_000
_MAX_PLACEHOLDER_PASSES = 8


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
    """Resolves for any number of targets over one shared index client."""

    def __init__(
        self, client: BlockingIndexClient, local: Sequence[LocalProject] = ()
    ) -> None:
        self._client = client
        self._local = {project.url: project for project in local}
        self._direct: dict[str, DirectDependencies] = {}
        self._releases: dict[str, list[Release] | None] = {}
        self._deps: dict[tuple[str, str], Dependencies] = {}

    # -- Finder protocol ------------------------------------------------------------------
    def releases(self, name: NormalizedName) -> list[Release] | None:
        if name not in self._releases:
            page = self._client.project(name)
            self._releases[name] = (
                None if page is None else group_releases(name, parse_files(page.files, name))
            )
        return self._releases[name]

    def prefetch(self, candidates: Sequence[Candidate]) -> None:
        self._client.prefetch([f for c in candidates if (f := _metadata_file(c)) is not None])

    def prefetch_projects(self, names: Iterable[str]) -> None:
        self._client.prefetch_projects(n for n in names if n not in self._releases)

    def dependencies(self, candidate: Candidate) -> Dependencies:
        chosen = candidate.choice.file
        assert chosen is not None
        key = (candidate.name, chosen.file.filename)
        if key not in self._deps:
            self._deps[key] = self._read_dependencies(candidate, chosen)
        return self._deps[key]

    def _read_dependencies(self, candidate: Candidate, chosen: ParsedFile) -> Dependencies:
        if chosen.is_wheel:
            return _deps(self._client.metadata(chosen.file), "wheel")
        if chosen.file.core_metadata is not None:
            meta = self._client.metadata(chosen.file)
            if meta.is_trusted("requires-dist"):
                return _deps(meta, "sdist")
        wheel = _metadata_file(candidate)
        if wheel is not None and wheel is not chosen.file:
            # Another wheel of the same version: the same Requires-Dist in practice, and far
            # cheaper than downloading the sdist. The report marks it as inferred.
            return _deps(self._client.metadata(wheel), "inferred")
        meta = self._client.metadata(chosen.file)
        if meta.is_trusted("requires-dist"):
            return _deps(meta, "sdist")
        return Dependencies(requires=(), requires_python=meta.requires_python, source="unknown")

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
        directs = [self._direct_dependencies(r) for r in direct]
        requested: set[str] = {canonicalize_name(r.name) for r in roots}
        user_roots, roots = roots, [*roots, *roots_for(direct, directs, env)]
        limits = _constraint_specifiers(constraints, env)
        self.prefetch_projects(canonicalize_name(r.name) for r in roots)
        placeholders: dict[str, str] = {}
        for _ in range(_MAX_PLACEHOLDER_PASSES):
            provider = TargetProvider(
                self,
                ranker,
                options.policy,
                constraints=limits,
                pre=options.pre,
                placeholders=placeholders,
            )
            try:
                result = resolvelib.Resolver(provider, reporter).resolve(
                    roots, max_rounds=_MAX_ROUNDS
                )
            except resolvelib.ResolutionImpossible as exc:
                found = self._unavailable(exc.causes, provider, options)
                if not found or found.keys() <= placeholders.keys():
                    return TargetResult(
                        target=target,
                        status="unresolvable",
                        mode=options.mode,
                        conflict=explain_conflict(exc.causes, target),
                    )
                placeholders.update(found)
                continue
            except resolvelib.ResolutionTooDeep:
                return TargetResult(
                    target=target,
                    status="unresolvable",
                    mode=options.mode,
                    conflict=f"gave up after {_MAX_ROUNDS} resolution rounds (pip would too)",
                )
            packages = verdicts(result, provider, target, user_roots)
            packages = attach_direct(
                packages, [direct_verdict(r, ranker) for r in direct], directs, requested,
                target.python.full,
            )
            return TargetResult(target=target, status="ok", packages=packages, mode=options.mode)
        raise AssertionError("unreachable: placeholder passes exhausted")

    def _direct_dependencies(self, requirement: Requirement) -> DirectDependencies:
        # Read once per run: every target shares the answer (markers are decided later).
        assert requirement.url is not None
        if requirement.url not in self._direct:
            self._direct[requirement.url] = read_direct(requirement, self._client, self._local)
        return self._direct[requirement.url]

    def _unavailable(
        self, causes: Causes, provider: TargetProvider, options: ResolveOptions
    ) -> dict[str, str]:
        """Projects among the failure's causes that have nothing installable at all."""
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
            gap = _gap(causes, name, releases, options.pre, provider.empty[name])
            if gap is None:
                continue  # each requirement alone could be met, not together: a conflict
            found[name] = why_empty(
                name, releases, gap, provider.ranker, options.policy(name), options.pre
            )
        return found


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


def _deps(meta: CoreMetadata, source: str) -> Dependencies:
    return Dependencies(
        requires=tuple(meta.requires_dist),
        requires_python=meta.requires_python,
        source=source,  # type: ignore[arg-type]
    )


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
