"""The resolvelib provider: pip's resolution rules, bound to one target.

All knowledge of packaging lives here and in :mod:`wheelscout.resolve.candidates`; resolvelib
only searches. Markers and Requires-Python are evaluated for the *target*, never the host.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol, TypeAlias

from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet
from packaging.utils import canonicalize_name
from packaging.version import Version
from resolvelib.providers import AbstractProvider
from resolvelib.structs import RequirementInformation

from wheelscout.classify import BinaryPolicy, ParsedFile, TagRanker
from wheelscout.model.project import NormalizedName
from wheelscout.model.reasons import Reason, ReasonCode
from wheelscout.model.verdict import DependencySource
from wheelscout.resolve.candidates import (
    Candidate,
    Release,
    applicable_files,
    list_candidates,
    why_empty,
)

__all__ = [
    "PYTHON",
    "Broken",
    "Cand",
    "Causes",
    "Dependencies",
    "Finder",
    "PythonCandidate",
    "PythonRequirement",
    "Req",
    "TargetProvider",
    "Unavailable",
    "requirement_key",
    "split_extras",
]

PYTHON = "<python>"
# pip 26 promotes a project to be decided first once it has been an unpinned backtrack cause
# this many times (provider.py, _CONFLICT_PRIORITY_THRESHOLD).
_CONFLICT_PRIORITY_THRESHOLD = 5
# Versions whose metadata is read ahead once resolvelib walks down a project's list.
_READ_AHEAD = 16


@dataclass(frozen=True, slots=True, kw_only=True)
class PythonRequirement:
    """A Requires-Python, as a requirement on the virtual ``<python>`` package."""

    specifier: SpecifierSet
    owner: str


@dataclass(frozen=True, slots=True, kw_only=True)
class PythonCandidate:
    version: Version


@dataclass(frozen=True, slots=True, kw_only=True)
class Unavailable:
    """Stands in for a project with nothing installable, so the rest can still be reported."""

    name: NormalizedName
    extras: frozenset[str]
    reason: Reason

    @property
    def key(self) -> str:
        return self.name if not self.extras else f"{self.name}[{','.join(sorted(self.extras))}]"


Req: TypeAlias = Requirement | PythonRequirement
Cand: TypeAlias = Candidate | PythonCandidate | Unavailable
Causes: TypeAlias = Collection[RequirementInformation[Req, Cand]]


@dataclass(frozen=True, slots=True, kw_only=True)
class Dependencies:
    """What a candidate's metadata says it needs, where that was read, and what went wrong
    on the way (files skipped before a working one was found)."""

    requires: tuple[Requirement, ...]
    requires_python: SpecifierSet | None
    source: DependencySource
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class Broken:
    """A candidate whose metadata cannot be used (invalid, unreadable, not its own): pip
    skips such a version with a warning, and so does the provider."""

    warning: str


class Finder(Protocol):
    """What the provider needs from the index side (the :class:`Resolver` implements it)."""

    def releases(self, name: NormalizedName) -> Sequence[Release] | None: ...
    def dependencies(self, candidate: Candidate) -> Dependencies | Broken: ...
    def prefetch(self, candidates: Sequence[Candidate]) -> None: ...
    def prefetch_projects(self, names: Iterable[str]) -> None: ...
    def when_project(self, name: str, job: Callable[[], object]) -> None: ...
    def when_dependencies(self, candidate: Candidate, job: Callable[[], object]) -> None: ...


def requirement_key(req: Requirement) -> str:
    name = canonicalize_name(req.name)
    return (
        f"{name}[{','.join(sorted(canonicalize_name(e) for e in req.extras))}]"
        if req.extras
        else name
    )


def split_extras(req: Requirement) -> list[Requirement]:
    """pip's split: ``a[x]>=1`` is required as ``a>=1`` and ``a[x]>=1``, so the base's
    specifier is known before any extras candidate is pinned (factory.py,
    ``SpecifierWithoutExtrasRequirement``)."""
    if not req.extras or not req.specifier:
        return [req]
    base = Requirement(str(req))
    base.extras = set()
    return [base, req]


def _base_name(key: str) -> NormalizedName:
    return NormalizedName(key.split("[", 1)[0])


def _extras(key: str) -> frozenset[str]:
    return frozenset(key[:-1].split("[", 1)[1].split(",")) if "[" in key else frozenset()


class TargetProvider(AbstractProvider[Req, Cand, str]):
    """pip's rules for one target; ``placeholders`` names projects allowed to be unavailable."""

    def __init__(
        self,
        finder: Finder,
        ranker: TagRanker,
        policy: Callable[[str], BinaryPolicy],
        *,
        constraints: Mapping[str, SpecifierSet],
        pre: bool,
        placeholders: Mapping[str, Reason] | None = None,
        user_requested: Mapping[str, int] | None = None,
        warnings: dict[str, None] | None = None,
    ) -> None:
        self.finder = finder
        self.ranker = ranker
        self.target = ranker.target
        self.policy = policy
        self._constraints = constraints
        self._pre = pre
        self.placeholders: dict[str, Reason] = dict(placeholders or {})
        self._user_requested = dict(user_requested or {})
        self._conflict_counts: defaultdict[str, int] = defaultdict(int)
        self._conflict_promoted: set[str] = set()
        self.empty: dict[str, SpecifierSet] = {}
        # Projects whose every matching version was skipped as broken, and the warnings.
        self.broken: set[str] = set()
        self.warnings: dict[str, None] = {} if warnings is None else warnings
        # Who required whom (by name), first requirement text kept: the chains of a conflict.
        self.edges: dict[str, dict[str, str]] = defaultdict(dict)
        self.dependency_sources: dict[str, DependencySource] = {}
        self._python = PythonCandidate(version=Version(self.target.python.full))
        # find_matches lists a project once per round that visits it: judge its files once.
        self._applicable: dict[tuple[str, BinaryPolicy], dict[Version, list[ParsedFile]]] = {}
        self._satisfied: dict[tuple[int, int], tuple[Requirement, Candidate, bool]] = {}
        self._found: dict[tuple[str, SpecifierSet], list[Candidate]] = {}
        self._dependencies: dict[tuple[str, Version], list[Req]] = {}
        self._specs: dict[tuple[object, ...], tuple[tuple[Req, ...], SpecifierSet]] = {}
        self._matches: dict[
            tuple[str, SpecifierSet, frozenset[Version]], list[Cand] | Callable[[], Iterator[Cand]]
        ] = {}
        # Projects with nothing installable in any release on the target, and why.
        self.absent: dict[str, Reason] = {}
        self.absent_checked: set[str] = set()
        self._warmed: set[tuple[str, Version]] = set()  # candidates whose dependencies are warm
        self._warming: set[str] = set()  # requirements whose likely pin is being read

    def identify(self, requirement_or_candidate: Req | Cand) -> str:
        if isinstance(requirement_or_candidate, PythonRequirement | PythonCandidate):
            return PYTHON
        if isinstance(requirement_or_candidate, Requirement):
            return requirement_key(requirement_or_candidate)
        return requirement_or_candidate.key

    def narrow_requirement_selection(
        self,
        identifiers: Iterable[str],
        resolutions: Mapping[str, Cand],
        candidates: Mapping[str, Iterator[Cand]],
        information: Mapping[str, Iterator[RequirementInformation[Req, Cand]]],
        backtrack_causes: Sequence[RequirementInformation[Req, Cand]],
    ) -> Iterable[str]:
        """pip 26's narrowing: Requires-Python alone first, then the current backtrack causes
        (requirement and parent), then projects promoted for repeatedly conflicting."""
        causes: set[str] = set()
        for info in backtrack_causes:
            names = [self.identify(info.requirement)]
            if info.parent is not None:
                names.append(self.identify(info.parent))
            for name in names:
                causes.add(name)
                if name not in resolutions:
                    self._conflict_counts[name] += 1
                    if self._conflict_counts[name] >= _CONFLICT_PRIORITY_THRESHOLD:
                        self._conflict_promoted.add(name)
        current: list[str] = []
        promoted: list[str] = []
        for identifier in identifiers:
            if identifier == PYTHON:
                return [identifier]
            if identifier in causes:
                current.append(identifier)
            elif identifier in self._conflict_promoted:
                promoted.append(identifier)
        return current or promoted or identifiers

    def get_preference(
        self,
        identifier: str,
        resolutions: Mapping[str, Cand],
        candidates: Mapping[str, Iterator[Cand]],
        information: Mapping[str, Iterator[RequirementInformation[Req, Cand]]],
        backtrack_causes: Sequence[RequirementInformation[Req, Cand]],
    ) -> Any:
        """pip 26's key, field for field: promoted, direct, pinned, upper-bounded, the user's
        order, has any specifier, name. A base required by its own extras candidate counts as
        direct (pip requires it through an ``ExplicitRequirement``)."""
        direct = False
        operators: list[tuple[str, str]] = []
        for info in information[identifier]:
            req = info.requirement
            if not isinstance(req, Requirement):
                continue  # a Requires-Python: pip's lookup gives no specifier for it
            parent = info.parent
            if isinstance(parent, Candidate) and parent.extras and parent.name == identifier:
                direct = True
                continue
            operators += [(spec.operator, spec.version) for spec in req.specifier]
        pinned = any(op[:2] == "==" and "*" not in ver for op, ver in operators)
        upper = any(op in ("<", "<=", "~=") or (op == "==" and "*" in ver) for op, ver in operators)
        return (
            identifier not in self._conflict_promoted,
            not direct,
            not pinned,
            not upper,
            self._user_requested.get(identifier, math.inf),
            not operators,
            identifier,
        )

    def _specifier(
        self, identifier: str, requirements: Mapping[str, Iterable[Req]]
    ) -> SpecifierSet:
        # resolvelib asks again for every dependency of every pin it tries (jupyterlab on
        # win32: 700,000 find_matches in 3,300 rounds) with the same requirement objects:
        # combine each set of them once. The entry keeps them alive, so their ids stay theirs.
        base = _base_name(identifier)
        keys = (identifier,) if identifier == base else (identifier, base)
        reqs = tuple(r for key in keys for r in requirements.get(key, ()))
        memo = (identifier, *map(id, reqs))
        if memo not in self._specs:
            spec = SpecifierSet()
            for req in reqs:
                spec &= req.specifier
            if base in self._constraints:
                spec &= self._constraints[base]
            self._specs[memo] = (reqs, spec)
        return self._specs[memo][1]

    def why_unavailable(
        self, candidate: Unavailable, requirements: Mapping[str, Iterable[Req]]
    ) -> Reason:
        """Why ``candidate`` has nothing installable under the *final* requirements on it.

        The placeholder's own reason was written from a failed attempt, whose requirements can
        come from versions of its parents the resolution later left (psycopg 3.2.0 pinned
        ``psycopg-binary==3.2.0.dev1``; the psycopg finally chosen pins ``==3.3.9``).
        """
        releases = self.finder.releases(candidate.name)
        if not releases or candidate.name in self.broken:
            return candidate.reason
        spec = self._specifier(candidate.key, requirements)
        policy = self.policy(candidate.name)
        reason = why_empty(candidate.name, releases, spec, self.ranker, policy, self._pre)
        if candidate.name in self.absent and len(releases) > 1:
            everywhere = f"; no release of {candidate.name} installs on {self.target.platform.name}"
            reason = Reason(code=reason.code, text=reason.text + everywhere)
        return reason

    def _candidates(
        self, identifier: str, name: NormalizedName, spec: SpecifierSet
    ) -> list[Candidate]:
        # Backtracking asks for the same identifier and specifier over and over (psycopg[binary]
        # on win_arm64 walks 60 psycopg releases: 54,000 find_matches calls); list it once.
        key = (identifier, spec)
        if key not in self._found:
            releases = self.finder.releases(name) or []
            policy = self.policy(name)
            if (name, policy) not in self._applicable:
                self._applicable[name, policy] = applicable_files(releases, self.ranker, policy)
            self._found[key] = list_candidates(
                releases,
                spec,
                self.ranker,
                policy,
                extras=_extras(identifier),
                pre=self._pre,
                applicable=self._applicable[name, policy],
            )
        return self._found[key]

    def find_matches(
        self,
        identifier: str,
        requirements: Mapping[str, Iterator[Req]],
        incompatibilities: Mapping[str, Iterator[Cand]],
    ) -> list[Cand] | Callable[[], Iterator[Cand]]:
        tried = list(incompatibilities.get(identifier, ()))
        if identifier == PYTHON:
            python = self._python.version
            ok = all(r.specifier.contains(python, prereleases=True) for r in requirements[PYTHON])
            # Candidates resolvelib already rejected must not come back, or it loops forever.
            return [self._python] if ok and self._python not in tried else []
        name = _base_name(identifier)
        unavailable = self._unavailable(identifier, name)
        if unavailable is not None:
            return unavailable
        spec = self._specifier(identifier, requirements)
        bad = frozenset(c.version for c in tried if isinstance(c, Candidate))
        memo = (identifier, spec, bad)
        if memo not in self._matches:
            self._matches[memo] = self._list_matches(identifier, name, spec, bad)
        return self._matches[memo]

    def _list_matches(
        self, identifier: str, name: NormalizedName, spec: SpecifierSet, bad: frozenset[Version]
    ) -> list[Cand] | Callable[[], Iterator[Cand]]:
        found = self._candidates(identifier, name, spec)
        if not found:
            self.empty[name] = spec
            if name in self.placeholders:
                return [
                    Unavailable(
                        name=name, extras=_extras(identifier), reason=self.placeholders[name]
                    )
                ]
        matches = [c for c in found if c.version not in bad]
        # Once versions have been rejected, resolvelib walks down the list: read ahead.
        self.finder.prefetch(matches[: _READ_AHEAD if bad else 1])
        return self._working(identifier, spec, matches)

    def _unavailable(self, identifier: str, name: NormalizedName) -> list[Cand] | None:
        """``None`` when the project has something installable in some release; else what
        pip's finder would give (nothing, so dependents backtrack to versions that do not need
        it), or the stand-in once a failed pass named it a placeholder.

        Whether anything is installable is decided once per project (``absent``), whatever
        the specifier, so the resolver never lists its versions again.
        """
        if name not in self.absent_checked:
            releases = self.finder.releases(name)
            if releases is None:
                reason: Reason | None = Reason(
                    code=ReasonCode.NOT_FOUND, text=f"{name} was not found on any configured index"
                )
            elif not self._candidates(name, name, SpecifierSet()):
                policy = self.policy(name)
                reason = why_empty(name, releases, SpecifierSet(), self.ranker, policy, self._pre)
            else:
                reason = None
            self.absent_checked.add(name)
            if reason is not None:
                self.absent[name] = reason
        if name not in self.absent:
            return None
        if name not in self.placeholders:
            self.empty[name] = SpecifierSet()
            return []
        return [Unavailable(name=name, extras=_extras(identifier), reason=self.absent[name])]

    def _working(
        self, identifier: str, spec: SpecifierSet, matches: list[Candidate]
    ) -> Callable[[], Iterator[Cand]]:
        """The matches whose metadata can be used; the others are skipped with a warning, as
        pip skips a version with invalid metadata. Lazy: metadata is read as resolvelib walks,
        and each candidate is checked once however often resolvelib walks the list again."""
        name = _base_name(identifier)
        pending = list(matches)
        ok: list[Cand] = []

        def walk() -> Iterator[Cand]:
            index = 0
            while True:
                if index < len(ok):  # append-only: every walk sees the same order
                    yield ok[index]
                    index += 1
                    continue
                if not pending:
                    break
                if len(ok) or len(pending) < len(matches):  # walking down: read ahead
                    self.finder.prefetch(pending[:_READ_AHEAD])
                candidate = pending.pop(0)
                deps = self.finder.dependencies(candidate)
                if isinstance(deps, Broken):
                    self.warnings[deps.warning] = None
                else:
                    ok.append(candidate)
            if not ok and len(matches):
                self.broken.add(name)
                self.empty[name] = spec
                if name in self.placeholders:
                    reason = self.placeholders[name]
                    yield Unavailable(name=name, extras=_extras(identifier), reason=reason)

        return walk

    def is_satisfied_by(self, requirement: Req, candidate: Cand) -> bool:
        if isinstance(requirement, PythonRequirement):
            return isinstance(candidate, PythonCandidate) and requirement.specifier.contains(
                candidate.version, prereleases=True
            )
        if isinstance(candidate, Unavailable):
            return True
        if not isinstance(candidate, Candidate):
            return False
        # resolvelib re-checks every pin against every requirement each round (jupyter: 130,000
        # calls per run); each pair is answered once. The entry holds both objects, so their
        # ids cannot be reused while the entry exists.
        key = (id(requirement), id(candidate))
        if key not in self._satisfied:
            ok = requirement.specifier.contains(candidate.version, prereleases=True)
            self._satisfied[key] = (requirement, candidate, ok)
        return self._satisfied[key][2]

    def _marker_ok(self, req: Requirement, extra: str) -> bool:
        if req.marker is None:
            return True
        return req.marker.evaluate({**self.target.markers, "extra": extra})

    def get_dependencies(self, candidate: Cand) -> list[Req]:
        if isinstance(candidate, PythonCandidate | Unavailable):
            return []
        key = (candidate.key, candidate.version)
        if key not in self._dependencies:
            self._dependencies[key] = self._requirements_of(candidate)
        return list(self._dependencies[key])

    def _requirements_of(self, candidate: Candidate) -> list[Req]:
        deps = self.finder.dependencies(candidate)
        if isinstance(deps, Broken):  # resolvelib pins only what _working let through
            return []
        self.warnings.update(dict.fromkeys(deps.warnings))
        if not candidate.extras:
            self.dependency_sources[candidate.name] = deps.source
        result: list[Req] = []
        if deps.requires_python is not None and str(deps.requires_python):
            result.append(PythonRequirement(specifier=deps.requires_python, owner=candidate.name))
        if candidate.extras:
            # The extras candidate pins its base to the same version, then adds the extras' needs.
            result.append(Requirement(f"{candidate.name}=={candidate.version}"))
        wanted = self._wanted(candidate, deps)
        for req in wanted:
            self.edges[candidate.name].setdefault(
                canonicalize_name(req.name), f"{candidate.name} {candidate.version} requires {req}"
            )
            result.extend(split_extras(req))
        self.warm(wanted)
        return result

    def warm(self, requirements: Iterable[Requirement]) -> None:
        """Start reading, for each requirement, its page and then the metadata of the version
        it will most likely pin: the roots' reads all leave at once, where resolvelib's first
        round would otherwise wait for each root's metadata before it asks for the next."""
        for req in requirements:
            if (key := str(req)) in self._warming:
                continue  # resolvelib asks for a candidate's dependencies again and again
            self._warming.add(key)
            name = canonicalize_name(req.name)
            self.finder.when_project(name, lambda req=req: self._warm(req))  # type: ignore[misc]

    def _wanted(self, candidate: Candidate, deps: Dependencies) -> list[Requirement]:
        if candidate.extras:
            return [
                r
                for r in deps.requires
                if r.marker is not None and any(self._marker_ok(r, e) for e in candidate.extras)
            ]
        return [r for r in deps.requires if self._marker_ok(r, "")]

    def _warm(self, req: Requirement) -> None:
        """Once its page is here, start reading the metadata of the version a new requirement
        will most likely pin, so that the lazy reads of :meth:`_working` find it waiting."""
        name = NormalizedName(canonicalize_name(req.name))
        if self.finder.releases(name) is None:
            return
        spec = req.specifier & self._constraints.get(name, SpecifierSet())
        likely = self._candidates(requirement_key(req), name, spec)[:1]
        self.finder.prefetch(likely)
        for candidate in likely:  # and, once its metadata is here, its dependencies' pages
            self.finder.when_dependencies(
                candidate, lambda c=candidate: self._warm_dependencies(c)  # type: ignore[misc]
            )

    def _warm_dependencies(self, candidate: Candidate) -> None:
        key = (candidate.key, candidate.version)
        if key in self._warmed:  # once each: a dependency cycle must not warm forever
            return
        self._warmed.add(key)
        deps = self.finder.dependencies(candidate)
        if not isinstance(deps, Broken):
            self.warm(self._wanted(candidate, deps))
