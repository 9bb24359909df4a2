"""JSON-ready dictionaries for remedy records (``explain --format json``, ``check``'s remedy)."""

from __future__ import annotations

from typing import Any

from wheelscout.remedy.groups import FileGroups
from wheelscout.remedy.nearest import CoverageRow, NearestVersions, VersionWithWheel
from wheelscout.remedy.nearmiss import FileCheck
from wheelscout.remedy.plan import BinaryPlan, PackageRemedy

__all__ = [
    "coverage_json",
    "file_check_json",
    "groups_json",
    "nearest_json",
    "plan_json",
    "remedy_json",
    "version_json",
]


def version_json(found: VersionWithWheel | None) -> dict[str, Any] | None:
    if found is None:
        return None
    return {"version": str(found.version), "file": found.file.filename, "tag": str(found.tag),
            "allowed": found.allowed}


def nearest_json(nearest: NearestVersions) -> dict[str, Any]:
    return {"current": str(nearest.current), "newer": version_json(nearest.newer),
            "older": version_json(nearest.older)}


def coverage_json(rows: list[CoverageRow]) -> list[dict[str, Any]]:
    return [{"version": str(r.version), "has_wheel": r.has_wheel,
             "file": r.file.filename if r.file else None,
             "tag": str(r.tag) if r.tag else None, "has_sdist": r.has_sdist,
             "excluded": r.excluded} for r in rows]


def groups_json(groups: FileGroups) -> dict[str, Any]:
    return {
        "wheels": [{"platform": g.platform, "pythons": list(g.pythons), "files": list(g.files)}
                   for g in groups.wheels],
        "sdists": list(groups.sdists),
        "target_platform": groups.target_platform,
        "target_pythons": list(groups.target_pythons),
    }


def file_check_json(check: FileCheck) -> dict[str, Any]:
    return {
        "filename": check.file.filename,
        "matches": check.matches,
        "near_miss": check.near_miss,
        "excluded": check.excluded,
        "tags": [{"tag": str(t.tag), "rank": t.rank,
                  "problems": [{"kind": p.kind.value, "message": p.message}
                               for p in t.problems]}
                 for t in check.tags],
    }


def remedy_json(remedy: PackageRemedy) -> dict[str, Any]:
    """The ``remedy`` object ``check`` attaches to a package that builds or cannot install."""
    binary = remedy.binary
    return {
        "install": remedy.install,
        "advice": remedy.advice,
        "nearest": nearest_json(remedy.nearest) if remedy.nearest else None,
        "first_with_wheel": version_json(remedy.first_with_wheel),
        "newest_with_wheel": version_json(remedy.newest_with_wheel),
        "binary_only": None if binary is None else {
            "version": binary.version, "install": binary.install, "reason": binary.reason},
    }


def plan_json(plan: BinaryPlan, constraints_file: str | None = None) -> dict[str, Any]:
    """The ``binary_plan`` object of one target in ``check``'s JSON."""
    return {
        "status": plan.status,
        "moves": [{"name": m.name, "from": m.before, "to": m.after,
                   "from_install": m.before_install, "to_install": m.after_install}
                  for m in plan.moves],
        "blocked": [{"name": b.name, "chain": b.chain} for b in plan.blocked],
        "conflict": plan.conflict,
        "pins": [f"{name}=={version}" for name, version in plan.pins],
        "constraints_file": constraints_file,
    }
