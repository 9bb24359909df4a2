"""The one JSON writer of ``check``'s report (``schemas/check-v1.schema.json``), from the typed
records: :class:`~wheelscout.model.verdict.CheckReport` down to each verdict's ``build`` and
``remedy`` and each target's ``binary_plan``.

``explain`` (``remedy-v1``) writes the same pieces (a version with a wheel, the nearest
versions) with the same functions. Every function returns plain JSON-ready values; key names
and order are the contract (``schema_version`` 1: fields are added, never renamed).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from wheelscout.model.finding import Severity
from wheelscout.model.verdict import CheckReport, Conflict, PackageVerdict, TargetResult
from wheelscout.redact import redact

if TYPE_CHECKING:
    # Annotations only: a report without builds or remedies never loads their records.
    from wheelscout.model.build import BuildNeeds
    from wheelscout.model.remedy import BinaryPlan, NearestVersions, PackageRemedy, VersionWithWheel
    from wheelscout.remedy.groups import FileGroups
    from wheelscout.remedy.nearest import CoverageRow
    from wheelscout.remedy.nearmiss import FileCheck

__all__ = [
    "SCHEMA_VERSION",
    "blockers",
    "build_json",
    "check_document",
    "conflict_json",
    "coverage_json",
    "file_check_json",
    "groups_json",
    "nearest_json",
    "package_json",
    "plan_json",
    "remedy_json",
    "result_json",
    "summarize",
    "version_json",
]

SCHEMA_VERSION = 1


def check_document(report: CheckReport) -> dict[str, Any]:
    """The whole ``check`` document for ``report``."""
    return {
        "schema_version": SCHEMA_VERSION,
        "notes": list(report.notes),
        "results": [result_json(r) for r in report.results],
    }


def blockers(result: TargetResult) -> list[str]:
    """The packages that make pip fail on a ``fails`` target (nothing installable)."""
    return [v.name for v in result.packages if v.install == "none"]


def summarize(result: TargetResult) -> dict[str, int]:
    """How many packages of one target install each way."""
    counts = {"packages": len(result.packages), "wheel": 0, "build": 0, "none": 0}
    for verdict in result.packages:
        counts[verdict.install] += 1
    return counts


def result_json(result: TargetResult) -> dict[str, Any]:
    """One target's entry of ``results``."""
    plan = result.binary_plan
    return {
        "target": result.target.spelling,
        "platform": result.target.platform.name,
        "python": result.target.python.short,
        "mode": result.mode,
        "status": result.status,
        "conflict": result.conflict,
        "conflict_detail": conflict_json(result.conflict_detail),
        "conflict_code": None if result.conflict_code is None else result.conflict_code.value,
        "blockers": blockers(result),
        "warnings": list(result.warnings),
        "summary": summarize(result),
        "packages": [package_json(v) for v in result.packages],
        "binary_plan": None if plan is None else plan_json(plan),
    }


def package_json(verdict: PackageVerdict) -> dict[str, Any]:
    """One verdict; ``build`` and ``remedy`` only when a later stage attached them."""
    file = verdict.file
    found: dict[str, Any] = {
        "name": verdict.name,
        "version": verdict.version,
        "install": verdict.install,
        "wheel_kind": verdict.wheel_kind,
        "file": file.filename if file else None,
        "url": redact(file.url) if file else None,
        "tag": verdict.tag,
        "reason": verdict.reason,
        "reason_code": verdict.reason_code.value,
        "requested": verdict.requested,
        "required_by": list(verdict.required_by),
        "path": list(verdict.path),
        "dependencies_from": verdict.dependencies_from,
    }
    if verdict.build is not None:
        found["build"] = build_json(verdict.build)
    if verdict.remedy is not None:
        found["remedy"] = remedy_json(verdict.remedy)
    return found


def conflict_json(conflict: Conflict | None) -> dict[str, Any] | None:
    """Why a target is unresolvable, structured (``conflict_detail``)."""
    if conflict is None:
        return None
    return {
        "message": conflict.message,
        "packages": list(conflict.packages),
        "causes": [
            {
                "package": c.package,
                "requirement": c.requirement,
                "required_by": c.required_by,
                "chain": list(c.chain),
            }
            for c in conflict.causes
        ],
    }


def build_json(needs: BuildNeeds) -> dict[str, Any]:
    """The compact ``build`` object of a verdict: names, not evidence (one line per language
    says why; ``inspect-sdist`` has all of it)."""
    # Here, not at the top: the toolchain package is heavy, and only a run that inspected
    # builds (so already imported it) has a build to write.
    from wheelscout.toolchain.render import finding_as_dict, step_as_dict

    requirements = needs.requirements
    if requirements is None:
        return {"summary": needs.summary, "setup_steps": [], "blocked": []}
    return {
        "summary": requirements.summary,
        "pure": requirements.pure,
        "complete": requirements.complete,
        "backend": requirements.backend_name,
        "languages": [need.language.value for need in requirements.languages],
        "tools": [need.tool.value for need in requirements.tools if not need.from_pypi],
        "native_libraries": [
            {"name": need.name, "optional": need.optional, "platforms": list(need.platforms)}
            for need in requirements.native_libraries
        ],
        "evidence": {need.language.value: str(need.evidence[0]) for need in requirements.languages},
        "setup_steps": [step_as_dict(step) for step in needs.steps],
        "blocked": [step.summary for step in needs.steps if step.kind == "blocker"],
        "findings": list(
            {
                repr(d): d
                for d in (finding_as_dict(f) for f in requirements.findings
                          if f.severity is not Severity.INFO)
            }.values()
        ),
    }


def version_json(found: VersionWithWheel | None) -> dict[str, Any] | None:
    """A version that ships a wheel for the target, or ``None``."""
    if found is None:
        return None
    return {"version": str(found.version), "file": found.file.filename, "tag": str(found.tag),
            "allowed": found.allowed}


def nearest_json(nearest: NearestVersions) -> dict[str, Any]:
    """The nearest versions with a wheel on either side of the current one."""
    return {"current": str(nearest.current), "newer": version_json(nearest.newer),
            "older": version_json(nearest.older)}


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
            "version": binary.version, "install": binary.install, "reason": binary.reason,
            "reason_code": binary.reason_code.value},
    }


def plan_json(plan: BinaryPlan) -> dict[str, Any]:
    """The ``binary_plan`` object of one target."""
    return {
        "status": plan.status,
        "moves": [{"name": m.name, "from": m.before, "to": m.after,
                   "from_install": m.before_install, "to_install": m.after_install}
                  for m in plan.moves],
        "blocked": [{"name": b.name, "chain": b.chain} for b in plan.blocked],
        "conflict": plan.conflict,
        "pins": [f"{name}=={version}" for name, version in plan.pins],
        "constraints_file": plan.constraints_file,
    }


# explain's own pieces (remedy-v1): how a release's files group, why each wheel misses.


def coverage_json(rows: list[CoverageRow]) -> list[dict[str, Any]]:
    """Which versions ship a wheel for the target, newest first."""
    return [{"version": str(r.version), "has_wheel": r.has_wheel,
             "file": r.file.filename if r.file else None,
             "tag": str(r.tag) if r.tag else None, "has_sdist": r.has_sdist,
             "excluded": r.excluded} for r in rows]


def groups_json(groups: FileGroups) -> dict[str, Any]:
    """A release's wheels grouped by platform, its sdists, and the target's place among them."""
    return {
        "wheels": [{"platform": g.platform, "pythons": list(g.pythons), "files": list(g.files)}
                   for g in groups.wheels],
        "sdists": list(groups.sdists),
        "target_platform": groups.target_platform,
        "target_pythons": list(groups.target_pythons),
    }


def file_check_json(check: FileCheck) -> dict[str, Any]:
    """One wheel checked against the target, tag by tag, with what each tag gets wrong."""
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
