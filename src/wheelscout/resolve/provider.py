"""The resolvelib provider: pip's resolution rules, bound to one target.

All knowledge of packaging lives here and in :mod:`wheelscout.resolve.candidates`; resolvelib
only searches. Markers and Requires-Python are evaluated for the *target*, never the host.
"""

from __future__ import annotations

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
    "Cand",
    "Causes",
    "Dependencies",
    "Finder",
    "PythonCandidate",
    "PythonRequirement",
    "Req",
    "TargetProvider",
    "Unavailable",
]

PYTHON = "<python>"


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
    reason: str

    @property
    def key(self) -> str:
        return self.name if not self.extras else f"{self.name}[{','.join(sorted(self.extras))}]"


Req: TypeAlias = Requirement | PythonRequirement
Cand: TypeAlias = Candidate | PythonCandidate | Unavailable
Causes: TypeAlias = Collection[RequirementInformation[Req, Cand]]


@dataclass(frozen=True, slots=True, kw_only=True)
class Dependencies:
    """What a candidate's metadata says it needs, and where that was read."""

    requires: tuple[Requirement, ...]
    requires_python: SpecifierSet | None
    source: DependencySource


class Finder(Protocol):
    """What the provider needs from the index side (the :class:`Resolver` implements it)."""

    def releases(self, name: NormalizedName) -> Sequence[Release] | None: ...
    def dependencies(self, candidate: Candidate) -> Dependencies: ...
    def prefetch(self, candidates: Sequence[Candidate]) -> None: ...
    def prefetch_projects(self, names: Iterable[str]) -> None: ...


def requirement_key(req: Requirement) -> str:
    name = canonicalize_name(req.name)
    return (
        f"{name}[{','.join(sorted(canonicalize_name(e) for e in req.extras))}]"
        if req.extras
        else name
    )


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
        placeholders: Mapping[str, str] | None = None,
    ) -> None:
        self.finder = finder
        self.ranker = ranker
        self.target = ranker.target
        self.policy = policy
        self._constraints = constraints
        self._pre = pre
        self.placeholders: dict[str, str] = dict(placeholders or {})
        self.empty: dict[str, SpecifierSet] = {}
        self.dependency_sources: dict[str, DependencySource] = {}
        self._python = PythonCandidate(version=Version(self.target.python.full))
        # find_matches lists a project once per round that visits it: judge its files once.
        self._applicable: dict[tuple[str, BinaryPolicy], dict[Version, list[ParsedFile]]] = {}
        self._satisfied: dict[tuple[int, int], tuple[Requirement, Candidate, bool]] = {}
        self._found: dict[tuple[str, SpecifierSet], list[Candidate]] = {}
        self._dependencies: dict[tuple[str, Version], list[Req]] = {}

    def identify(self, requirement_or_candidate: Req | Cand) -> str:
        if isinstance(requirement_or_candidate, PythonRequirement | PythonCandidate):
            return PYTHON
        if isinstance(requirement_or_candidate, Requirement):
            return requirement_key(requirement_or_candidate)
        return requirement_or_candidate.key

    def get_preference(
        self,
        identifier: str,
        resolutions: Mapping[str, Cand],
        candidates: Mapping[str, Iterator[Cand]],
        information: Mapping[str, Iterator[RequirementInformation[Req, Cand]]],
        backtrack_causes: Sequence[RequirementInformation[Req, Cand]],
    ) -> Any:
        infos = list(information[identifier])
        pinned = any(
            isinstance(i.requirement, Requirement)
            and any(s.operator in ("==", "===") for s in i.requirement.specifier)
            for i in infos
        )
        cause = any(self.identify(c.requirement) == identifier for c in backtrack_causes)
        requested = any(i.parent is None for i in infos)
        return (identifier != PYTHON, not pinned, not cause, not requested, identifier)

    def _specifier(
        self, identifier: str, requirements: Mapping[str, Iterable[Req]]
    ) -> SpecifierSet:
        spec = SpecifierSet()
        base = _base_name(identifier)
        keys = {identifier, base}
        for key in keys:
            for req in requirements.get(key, ()):
                spec &= req.specifier
        if base in self._constraints:
            spec &= self._constraints[base]
        return spec

    def why_unavailable(
        self, candidate: Unavailable, requirements: Mapping[str, Iterable[Req]]
    ) -> str:
        """Why ``candidate`` has nothing installable under the *final* requirements on it.

        The placeholder's own reason was written from a failed attempt, whose requirements can
        come from versions of its parents the resolution later left (psycopg 3.2.0 pinned
        ``psycopg-binary==3.2.0.dev1``; the psycopg finally chosen pins ``==3.3.9``).
        """
        releases = self.finder.releases(candidate.name)
        if not releases:
            return candidate.reason
        spec = self._specifier(candidate.key, requirements)
        policy = self.policy(candidate.name)
        return why_empty(candidate.name, releases, spec, self.ranker, policy, self._pre)

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
    ) -> list[Cand]:
        tried = list(incompatibilities.get(identifier, ()))
        if identifier == PYTHON:
            python = self._python.version
            ok = all(r.specifier.contains(python, prereleases=True) for r in requirements[PYTHON])
            # Candidates resolvelib already rejected must not come back, or it loops forever.
            return [self._python] if ok and self._python not in tried else []
        name = _base_name(identifier)
        spec = self._specifier(identifier, requirements)
        bad = {c.version for c in tried if isinstance(c, Candidate)}
        found = self._candidates(identifier, name, spec)
        if not found:
            self.empty[name] = spec
            if name in self.placeholders:
                return [
                    Unavailable(
                        name=name, extras=_extras(identifier), reason=self.placeholders[name]
                    )
                ]
        matches: list[Cand] = [c for c in found if c.version not in bad]
        self.finder.prefetch([c for c in matches[:1] if isinstance(c, Candidate)])
        return matches

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
        if not candidate.extras:
            self.dependency_sources[candidate.name] = deps.source
        result: list[Req] = []
        if deps.requires_python is not None and str(deps.requires_python):
            result.append(PythonRequirement(specifier=deps.requires_python, owner=candidate.name))
        if candidate.extras:
            # The extras candidate pins its base to the same version, then adds the extras' needs.
            result.append(Requirement(f"{candidate.name}=={candidate.version}"))
            wanted = [
                r
                for r in deps.requires
                if r.marker is not None and any(self._marker_ok(r, e) for e in candidate.extras)
            ]
        else:
            wanted = [r for r in deps.requires if self._marker_ok(r, "")]
        result.extend(wanted)
        self.finder.prefetch_projects(canonicalize_name(r.name) for r in wanted)
        return result
