"""From resolvelib's result to one verdict per package: install path, reason, who needs it."""

from __future__ import annotations

import collections
import dataclasses
from collections.abc import Sequence

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from resolvelib.resolvers import Result

from wheelscout.classify import TagRanker, parse_file, wheel_kind
from wheelscout.classify.reasons import explain_choice
from wheelscout.model.project import DistFile, NormalizedName
from wheelscout.model.reasons import ReasonCode
from wheelscout.model.target import Target
from wheelscout.model.verdict import PackageVerdict, TargetStatus
from wheelscout.resolve.candidates import Candidate
from wheelscout.resolve.provider import PYTHON, Cand, Req, TargetProvider, Unavailable

__all__ = ["direct_verdict", "status_of", "verdicts"]


def status_of(packages: Sequence[PackageVerdict]) -> TargetStatus:
    """``fails`` when pip would stop on some package (nothing installable), else ``ok``."""
    return "fails" if any(p.install == "none" for p in packages) else "ok"


def _base(key: str | None) -> str | None:
    return None if key is None else key.split("[", 1)[0]


def _paths(result: Result[Req, Cand, str]) -> dict[str, tuple[str, ...]]:
    """One shortest chain from a requested package to each package (breadth first)."""
    paths: dict[str, tuple[str, ...]] = {}
    queue: collections.deque[tuple[str | None, tuple[str, ...]]] = collections.deque()
    for child in result.graph.iter_children(None):
        queue.append((child, ()))
    while queue:
        key, trail = queue.popleft()
        base = _base(key)
        if key is None or base is None or base == PYTHON or base in paths:
            continue
        paths[base] = (*trail, base)
        for child in result.graph.iter_children(key):
            queue.append((child, paths[base]))
    return paths


def verdicts(
    result: Result[Req, Cand, str],
    provider: TargetProvider,
    target: Target,
    roots: Sequence[Requirement],
) -> tuple[PackageVerdict, ...]:
    requested = {canonicalize_name(r.name) for r in roots}
    paths = _paths(result)
    verdicts = []
    for key, candidate in sorted(result.mapping.items()):
        if key == PYTHON or "[" in key:
            continue
        parents = {_base(parent) for parent in result.graph.iter_parents(key)}
        if isinstance(candidate, Unavailable):
            why = provider.why_unavailable(candidate, _final_requirements(result))
            verdict = PackageVerdict(
                name=candidate.name,
                version=None,
                install="none",
                reason=why.text,
                reason_code=why.code,
                dependencies_from="none",
            )
        else:
            assert isinstance(candidate, Candidate)
            verdict = _verdict(candidate, provider, target)
        verdicts.append(
            dataclasses.replace(
                verdict,
                requested=key in requested,
                required_by=tuple(sorted(p for p in parents if p is not None and p != key)),
                path=paths.get(key, (key,)),
            )
        )
    return tuple(verdicts)


def _final_requirements(result: Result[Req, Cand, str]) -> dict[str, list[Req]]:
    return {
        key: [info.requirement for info in criterion.information]
        for key, criterion in result.criteria.items()
    }


def _verdict(candidate: Candidate, provider: TargetProvider, target: Target) -> PackageVerdict:
    choice = candidate.choice
    assert choice.file is not None
    version = str(candidate.version)
    why = explain_choice(candidate.name, version, candidate.release.files, choice, target)
    return PackageVerdict(
        name=candidate.name,
        version=version,
        install=choice.install,
        reason=why.text,
        reason_code=why.code,
        wheel_kind=choice.kind.value if choice.kind else None,
        file=choice.file.file,
        tag=str(choice.tag) if choice.tag else None,
        dependencies_from=provider.dependency_sources.get(candidate.name, "wheel"),
    )


def direct_verdict(req: Requirement, ranker: TagRanker) -> PackageVerdict:
    """``name @ url``: pip takes that file as it is; judge it by its name."""
    assert req.url is not None
    filename = req.url.rsplit("/", 1)[-1].split("#", 1)[0]
    name = NormalizedName(canonicalize_name(req.name))
    parsed = parse_file(DistFile(filename=filename, url=req.url))
    base = PackageVerdict(
        name=name,
        version=None,
        install="build",
        requested=True,
        path=(name,),
        dependencies_from="unknown",
        reason=f"{name} comes from a direct reference to {filename!r}, which pip builds",
        reason_code=ReasonCode.DIRECT_REFERENCE,
    )
    if parsed is None or not parsed.is_wheel:
        return base
    found = ranker.best_tag(parsed.tags)
    if found is None:
        return dataclasses.replace(
            base,
            version=str(parsed.version),
            install="none",
            file=parsed.file,
            reason=f"{name} comes from a direct reference to {filename}, which does not "
            f"install on {ranker.target.platform.name}",
            reason_code=ReasonCode.DIRECT_WHEEL_MISMATCH,
        )
    return dataclasses.replace(
        base,
        version=str(parsed.version),
        install="wheel",
        file=parsed.file,
        tag=str(found[1]),
        wheel_kind=wheel_kind(found[1]).value,
        reason=f"{name} comes from a direct reference to the wheel {filename}",
        reason_code=ReasonCode.DIRECT_WHEEL,
    )
