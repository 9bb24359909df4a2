"""From a ``check`` result to a readiness cell: pure, no IO."""

from __future__ import annotations

from dataclasses import replace

from packaging.utils import canonicalize_name

from wheelscout.model.project import NormalizedName
from wheelscout.model.remedy import BinaryPlan
from wheelscout.model.target import Target
from wheelscout.model.verdict import PackageVerdict, TargetResult
from wheelscout.scan.applicability import NotApplicable
from wheelscout.scan.model import Cell, CellCode, Own, Tree

__all__ = [
    "cell_from_result", "error_cell", "not_applicable_cell", "not_found_cell", "with_fallback",
]


def not_applicable_cell(target: Target, why: NotApplicable) -> Cell:
    return Cell(target=target.spelling, python=target.python.short, tree="n/a", own="n/a",
                blockers=(), reason=why.reason, code=why.code)


def not_found_cell(target: Target, name: str) -> Cell:
    return Cell(target=target.spelling, python=target.python.short, tree="none", own="none",
                blockers=(name,), reason=f"the index has no project named {name}",
                code=CellCode.NOT_FOUND)


def error_cell(target: Target, name: str, message: str) -> Cell:
    return Cell(target=target.spelling, python=target.python.short, tree="none", own="none",
                blockers=(name,), reason=f"{name} could not be checked: {message}",
                code=CellCode.ERROR)


def with_fallback(cell: Cell, newest: str | None) -> Cell:
    """Say so when pip takes an older release than the newest on this target (Requires-Python,
    yanked files or a missing sdist make it fall back): readiness pages that read the newest
    release's file names miss this."""
    if newest is None or cell.version is None or cell.version == newest:
        return cell
    return replace(cell, reason=f"{cell.reason} (pip falls back to {cell.version} here, "
                   f"not the newest {newest})")


def _conflicting(result: TargetResult, name: str) -> tuple[str, ...]:
    """The packages at the root of the conflict (the structured explanation), else the project."""
    detail = result.conflict_detail
    found = [canonicalize_name(p) for p in (detail.packages if detail else ()) if p != "python"]
    return tuple(dict.fromkeys(found)) or (name,)


def _tree(packages: tuple[PackageVerdict, ...]) -> Tree:
    installs = {v.install for v in packages}
    if "none" in installs:
        return "none"
    return "build" if "build" in installs else "wheels"


def _own(verdict: PackageVerdict) -> Own:
    if verdict.install == "wheel":
        return verdict.wheel_kind or "platform"
    return verdict.install


def _nearest(plan: BinaryPlan | None, name: str) -> str | None:
    if plan is None or plan.status not in ("moves", "no-change"):
        return None
    return dict(plan.pins).get(name)


def _fix(plan: BinaryPlan | None, name: str) -> tuple[str, ...]:
    if _nearest(plan, name) is None:
        return ()
    assert plan is not None
    return tuple(f"{m.name}=={m.after}" for m in plan.moves
                 if m.after is not None and m.after_install == "wheel")


def cell_from_result(name: NormalizedName, result: TargetResult, plan: BinaryPlan | None) -> Cell:
    """The cell of project ``name`` (the one requested) from its resolution on one target and
    the wheels-only plan (``None`` where everything already installs from wheels)."""
    target = result.target
    if result.status == "unresolvable":
        conflict = (result.conflict or result.status).rstrip(".")
        return Cell(target=target.spelling, python=target.python.short, tree="none",
                    own="none", blockers=_conflicting(result, name),
                    reason=f"pip cannot resolve {name} here: {conflict}",
                    code=CellCode.UNRESOLVABLE, nearest=_nearest(plan, name))
    own = next((v for v in result.packages if v.name == name), None)
    if own is None:  # the requirement's marker dropped it: handled as n/a before resolving
        own = next(v for v in result.packages if v.requested)
    blockers = tuple(v.name for v in result.packages if v.install != "wheel")
    tree = _tree(result.packages)
    code, reason = _explain(own, result.packages, blockers)
    return Cell(target=target.spelling, python=target.python.short, tree=tree, own=_own(own),
                blockers=blockers, reason=reason, code=code,
                version=own.version, nearest=None if tree == "wheels" else _nearest(plan, name),
                fix=() if tree == "wheels" else _fix(plan, name), packages=len(result.packages),
                build_needs=_build_needs(result.packages))


def _build_needs(packages: tuple[PackageVerdict, ...]) -> tuple[str, ...]:
    """What each source build of the tree needs, when ``--inspect-builds`` read its sdist."""
    found = []
    for verdict in packages:
        if verdict.install == "build" and verdict.build is not None and verdict.build.summary:
            found.append(f"{verdict.name}: {verdict.build.summary}")
    return tuple(found)


def _explain(own: PackageVerdict, packages: tuple[PackageVerdict, ...],
             blockers: tuple[str, ...]) -> tuple[CellCode, str]:
    if own.install != "wheel":
        code = CellCode.OWN_BUILDS if own.install == "build" else CellCode.OWN_NONE
        return code, own.reason.rstrip(".")
    others = len(packages) - 1
    kind = own.wheel_kind or "platform"
    if not blockers:
        tail = (f" and its {others} dependenc{'y' if others == 1 else 'ies'}" if others
                else "")
        wheel = "a pure-Python wheel" if kind == "pure" else f"an {kind} wheel" \
            if kind == "abi3" else "a platform wheel"
        return CellCode.READY, (f"{own.name} {own.version} installs from {wheel}{tail} "
                                f"from wheels" if tail else
                                f"{own.name} {own.version} installs from {wheel}")
    by_name: dict[str, PackageVerdict] = {v.name: v for v in packages}
    first = by_name[blockers[0]]
    more = f" (and {len(blockers) - 1} more)" if len(blockers) > 1 else ""
    verb = "builds from source" if first.install == "build" else "cannot install"
    code = CellCode.DEPENDENCY_NONE if any(by_name[b].install == "none" for b in blockers) \
        else CellCode.DEPENDENCY_BUILDS
    return code, (f"{own.name} {own.version} is a wheel but its dependency {first.name}{more} "
                  f"{verb}: {first.reason.rstrip('.')}")
