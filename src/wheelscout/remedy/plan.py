"""A binary-only plan for one target: how a wheels-only resolution differs from the default one,
what cannot be had as a wheel and why, and the constraints file that makes installers agree.

Pure: takes two :class:`~wheelscout.model.verdict.TargetResult` records (the caller resolves)
and project pages (the caller fetches).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import replace

from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet
from packaging.utils import canonicalize_name
from packaging.version import InvalidVersion, Version

from wheelscout.model.project import ProjectPage
from wheelscout.model.remedy import (
    BinaryPlan,
    Blocked,
    NearestVersions,
    PackageRemedy,
    PinMove,
    PlanStatus,
    VersionWithWheel,
)
from wheelscout.model.target import Target
from wheelscout.model.verdict import PackageVerdict, TargetResult
from wheelscout.remedy._releases import releases
from wheelscout.remedy.nearest import (
    first_version_with_wheel,
    is_placeholder,
    nearest_to_specifier,
    nearest_wheel_versions,
    versions_with_wheel,
)

__all__ = [
    "binary_plan",
    "constraints_filename",
    "constraints_text",
    "dependents_specifier",
    "package_remedy",
    "plan_remedies",
]

def _by_name(result: TargetResult) -> dict[str, PackageVerdict]:
    return {v.name: v for v in result.packages}


def _moves(default: TargetResult, binary: TargetResult) -> list[PinMove]:
    before, after = _by_name(default), _by_name(binary)
    moves = []
    for name in sorted(before.keys() | after.keys()):
        old, new = before.get(name), after.get(name)
        pair = ((old.version, old.install) if old else (None, None),
                (new.version, new.install) if new else (None, None))
        if pair[0] != pair[1]:
            moves.append(PinMove(name=name, before=pair[0][0], after=pair[1][0],
                                 before_install=pair[0][1], after_install=pair[1][1]))
    return moves


def _chain(verdict: PackageVerdict, spec: SpecifierSet | None) -> str:
    wanted = f"{verdict.name}{spec}" if spec else verdict.name
    if verdict.requested or len(verdict.path) <= 1:
        return f"you asked for {wanted}: {verdict.reason}"
    return f"{' -> '.join(verdict.path)}: {verdict.reason}"


def binary_plan(
    default: TargetResult,
    binary: TargetResult,
    allowed: Mapping[str, SpecifierSet] | None = None,
) -> BinaryPlan:
    """Diff the default resolution against the wheels-only one for the same target;
    ``allowed`` (the requirement set's own specifiers by name) words the chains."""
    allowed = allowed or {}
    if binary.status == "unresolvable":
        return BinaryPlan(target=binary.target, status="unresolvable",
                          conflict=binary.conflict, moves=tuple(_moves(default, binary)))
    blocked = tuple(Blocked(name=v.name, chain=_chain(v, allowed.get(v.name)))
                    for v in binary.packages if v.install != "wheel")
    pins = tuple((v.name, v.version) for v in binary.packages
                 if v.install == "wheel" and v.version is not None)
    moves = tuple(_moves(default, binary))
    status: PlanStatus = "blocked" if blocked else "moves" if moves else "no-change"
    return BinaryPlan(target=binary.target, status=status, moves=moves, blocked=blocked,
                      pins=pins)


def constraints_filename(target: Target) -> str:
    """``constraints-win_arm64-cp312.txt``: one file per target."""
    abi = f"cp{target.python.nodot}{'t' if target.python.free_threaded else ''}"
    return f"constraints-{target.platform.name}-{abi}.txt"


def constraints_text(plan: BinaryPlan) -> str:
    """A constraints file for ``pip install -c`` and ``uv pip install -c``.

    ``--only-binary :all:`` is an option pip and uv both honour inside requirement and
    constraint files, so the file alone makes them refuse sdists; the pins keep them on the
    versions the wheels-only resolution found.
    """
    lines = [
        f"# wheelscout binary-only constraints for {plan.target.label}",
        "# use: pip install -c THIS_FILE ...  or  uv pip install -c THIS_FILE ...",
        "--only-binary :all:",
    ]
    lines += [f"{name}=={version}" for name, version in plan.pins]
    if plan.conflict:
        lines.append(f"# unresolvable with wheels only: {plan.conflict}")
    lines += [f"# no wheel: {b.chain}" for b in plan.blocked]
    return "\n".join(lines) + "\n"


def _current(verdict: PackageVerdict, page: ProjectPage,
             allowed: SpecifierSet | None) -> Version | None:
    try:
        if verdict.version is not None:
            return Version(verdict.version)
    except InvalidVersion:
        return None
    versions = [r.version for r in releases(page, pre=False)]
    matching = [v for v in versions if allowed is None or allowed.contains(v)]
    if matching or versions:
        return (matching or versions)[0]
    return None


def _any_release(page: ProjectPage, allowed: SpecifierSet) -> bool:
    return any(allowed.contains(r.version, prereleases=True) for r in releases(page, pre=True))


def package_remedy(
    verdict: PackageVerdict,
    page: ProjectPage | None,
    target: Target,
    allowed: SpecifierSet | None = None,
    binary: PackageVerdict | None = None,
) -> PackageRemedy:
    """The remedy for one ``build``/``none`` verdict: nearest versions with a wheel for this
    exact target, whether ``allowed`` (the requirement set's specifier for it) admits them, and
    what the wheels-only resolution picked."""
    nearest = first = newest = None
    if page is not None:
        current = _current(verdict, page, allowed)
        if verdict.version is None and allowed and not _any_release(page, allowed):
            # Nothing meets the requirement: its bound, not the newest release, is the edge.
            nearest = nearest_to_specifier(page, target, allowed)
        elif current is not None:
            nearest = nearest_wheel_versions(page, target, current, allowed)
        first = first_version_with_wheel(page, target)
        if first is not None and allowed is not None:
            first = replace(first, allowed=allowed.contains(first.version, prereleases=True))
        found = versions_with_wheel(page, target, allowed)
        newest = found[0] if found else None
    advice = _advice(verdict, target, allowed, nearest, binary, page is not None)
    return PackageRemedy(name=verdict.name, install=verdict.install, nearest=nearest,
                         first_with_wheel=first, newest_with_wheel=newest, binary=binary,
                         advice=advice)


def _advice(verdict: PackageVerdict, target: Target, allowed: SpecifierSet | None,
            nearest: NearestVersions | None, binary: PackageVerdict | None,
            found: bool) -> str:
    name, label = verdict.name, target.label
    if not found:
        return f"{name} is not on any configured index"
    if (binary is not None and binary.install == "wheel" and binary.version != verdict.version
            and not _placeholder(binary)):
        return (f"with wheels only, {name} {binary.version} installs on {label} "
                f"(pin {name}=={binary.version})")
    sides = [("newer", nearest.newer), ("older", nearest.older)] if nearest else []
    parts = [_side(name, side, found_version, label, allowed)
             for side, found_version in sides if found_version is not None]
    if not parts:
        return f"no version of {name} ships a wheel for {label}"
    return "; ".join(parts)


def _placeholder(verdict: PackageVerdict) -> bool:
    try:
        version = Version(verdict.version or "")
    except InvalidVersion:
        return False
    return is_placeholder(version, verdict.file)


def _side(name: str, side: str, found: VersionWithWheel, label: str,
          allowed: SpecifierSet | None) -> str:
    text = f"{name} {found.version} is the nearest {side} version with a wheel for {label}"
    if found.allowed:
        return text + " and your requirements allow it"
    return text + f", but {name}{allowed} forbids it"


def dependents_specifier(
    name: str, requires: Iterable[Requirement], markers: Mapping[str, str]
) -> SpecifierSet:
    """What the dependents' ``Requires-Dist`` entries demand of ``name`` on a target whose
    marker environment is ``markers`` (entries under an extra are left out)."""
    env = {**markers, "extra": ""}
    combined = SpecifierSet()
    for req in requires:
        if canonicalize_name(req.name) != name:
            continue
        if req.marker is None or req.marker.evaluate(env):
            combined &= req.specifier
    return combined


def plan_remedies(
    default: TargetResult,
    binary: TargetResult | None,
    pages: Mapping[str, ProjectPage | None],
    allowed: Mapping[str, SpecifierSet],
) -> dict[str, PackageRemedy]:
    """A remedy for every package of ``default`` that does not install from a wheel."""
    after = _by_name(binary) if binary is not None and binary.status != "unresolvable" else {}
    return {
        v.name: package_remedy(v, pages.get(v.name), default.target, allowed.get(v.name),
                               after.get(v.name))
        for v in default.packages if v.install != "wheel"
    }
