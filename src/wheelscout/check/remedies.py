"""``check``'s remedies: a wheels-only resolution per target, its diff from the run's own, a
``remedy`` object per package that builds or cannot install, and constraints files."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet
from packaging.utils import canonicalize_name

from wheelscout.atomic import write_atomically
from wheelscout.errors import InputError
from wheelscout.model.verdict import CheckReport, PackageVerdict, TargetResult

if TYPE_CHECKING:
    from wheelscout.index import BlockingIndexClient
    from wheelscout.model.project import ProjectPage
    from wheelscout.model.remedy import BinaryPlan
    from wheelscout.resolve import ResolveOptions, Resolver

__all__ = ["Remedies", "compute", "specifiers", "write_constraints"]


@dataclass(frozen=True, slots=True, kw_only=True)
class Remedies:
    """Per target (same order as the results): the result, its ``binary_plan`` attached."""

    results: tuple[TargetResult, ...]

    @property
    def plans(self) -> tuple[BinaryPlan | None, ...]:
        """The plan per target, or ``None`` when not computed."""
        return tuple(r.binary_plan for r in self.results)


def specifiers(requirements: Sequence[Requirement], constraints: Sequence[Requirement],
               markers: Mapping[str, str]) -> dict[str, SpecifierSet]:
    """The requirement set's own specifier per project (requirements and constraints whose
    markers hold on the target)."""
    env = {**markers, "extra": ""}
    found: dict[str, SpecifierSet] = {}
    for req in (*requirements, *constraints):
        if req.marker is not None and not req.marker.evaluate(env):
            continue
        name = canonicalize_name(req.name)
        found[name] = found.get(name, SpecifierSet()) & req.specifier
    return found


def _needs_plan(result: TargetResult, forced: bool) -> bool:
    return forced or result.status != "ok" or any(v.install != "wheel" for v in result.packages)


def compute(
    client: BlockingIndexClient,
    resolver: Resolver,
    requirements: Sequence[Requirement],
    constraints: Sequence[Requirement],
    options: ResolveOptions,
    results: Sequence[TargetResult],
    *,
    every_target: bool = False,
) -> Remedies:
    """Resolve wheels-only where needed and attach a remedy to every build/none verdict;
    ``every_target`` plans even targets where everything is a wheel."""
    wanted = [_needs_plan(r, every_target) for r in results]
    binary_options = dataclasses.replace(options, mode="only-binary")

    def wheels_only(result: TargetResult) -> TargetResult:
        if options.mode == "only-binary":
            return result
        return resolver.resolve(requirements, result.target, binary_options, constraints)

    # Side by side, as check resolves its targets: pages and metadata are already fetched.
    todo = [r for r, w in zip(results, wanted, strict=True) if w]
    with ThreadPoolExecutor(max_workers=max(1, min(8, len(todo)))) as pool:
        binaries = iter(list(pool.map(wheels_only, todo)))
    updated = [
        _remedied(client, result, next(binaries), requirements, constraints) if want else result
        for result, want in zip(results, wanted, strict=True)
    ]
    return Remedies(results=tuple(updated))


def _remedied(
    client: BlockingIndexClient,
    result: TargetResult,
    binary: TargetResult,
    requirements: Sequence[Requirement],
    constraints: Sequence[Requirement],
) -> TargetResult:
    from wheelscout.remedy.plan import binary_plan, plan_remedies

    allowed = specifiers(requirements, constraints, result.target.markers)
    names = [v.name for v in result.packages if v.install != "wheel"]
    client.prefetch_projects(names)  # side by side; the resolution read most of them already
    pages: dict[str, ProjectPage | None] = {str(n): client.project(n) for n in names}
    limits = {n: allowed.get(n, SpecifierSet()) & _from_dependents(client, result, n)
              for n in names}
    remedies = plan_remedies(result, binary, pages, {n: s for n, s in limits.items() if s})
    packages = tuple(
        dataclasses.replace(v, remedy=remedies[v.name])
        if v.name in remedies else v
        for v in result.packages
    )
    # The wheels-only pass may meet broken releases the main one never reached (it backtracks
    # further): the target's warnings name them too.
    warnings = tuple(dict.fromkeys((*result.warnings, *binary.warnings)))
    return dataclasses.replace(result, packages=packages, warnings=warnings,
                               binary_plan=binary_plan(result, binary, allowed))


def _from_dependents(client: BlockingIndexClient, result: TargetResult,
                     name: str) -> SpecifierSet:
    """The specifiers ``name``'s dependents put on it, read from their wheels' metadata (already
    fetched by the resolution, so no new requests); dependents that build are skipped, since
    reading an sdist's metadata may mean downloading it."""
    from wheelscout.remedy.plan import dependents_specifier

    by_name: dict[str, PackageVerdict] = {v.name: v for v in result.packages}
    verdict = by_name[name]
    combined = SpecifierSet()
    for parent in verdict.required_by:
        found = by_name.get(parent)
        if found is None or found.install != "wheel" or found.file is None:
            continue
        requires = client.metadata(found.file).requires_dist
        combined &= dependents_specifier(name, requires, result.target.markers)
    return combined


def write_constraints(directory: Path, report: CheckReport) -> CheckReport:
    """Write one constraints file per planned target; ``report`` with each written plan
    naming its file (``binary_plan.constraints_file``)."""
    from wheelscout.remedy.plan import constraints_filename, constraints_text

    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(f"cannot create --write-constraints directory {str(directory)!r}: "
                         f"{exc.strerror}") from None
    results = []
    for result in report.results:
        plan = result.binary_plan
        if plan is not None:
            path = directory / constraints_filename(plan.target)
            write_atomically(path, constraints_text(plan))
            plan = dataclasses.replace(plan, constraints_file=str(path))
            result = dataclasses.replace(result, binary_plan=plan)
        results.append(result)
    return dataclasses.replace(report, results=tuple(results))
