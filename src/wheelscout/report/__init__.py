"""One versioned report object for ``check``, and one renderer per output format."""

from __future__ import annotations

from typing import Any

from wheelscout.model.verdict import Conflict, PackageVerdict, TargetResult
from wheelscout.simple.urls import redact

__all__ = ["SCHEMA_VERSION", "blockers", "check_document", "exit_status", "summarize"]

SCHEMA_VERSION = 1

# Documented exit statuses of `check` (README): 0 all wheels, 1 a build, 3 nothing installable.
EXIT_OK, EXIT_BUILD, EXIT_NONE = 0, 1, 3


def _package(verdict: PackageVerdict) -> dict[str, Any]:
    file = verdict.file
    return {
        "name": verdict.name,
        "version": verdict.version,
        "install": verdict.install,
        "wheel_kind": verdict.wheel_kind,
        "file": file.filename if file else None,
        "url": redact(file.url) if file else None,
        "tag": verdict.tag,
        "reason": verdict.reason,
        "requested": verdict.requested,
        "required_by": list(verdict.required_by),
        "path": list(verdict.path),
        "dependencies_from": verdict.dependencies_from,
    } | _attached(verdict)


def _attached(verdict: PackageVerdict) -> dict[str, Any]:
    """The typed records later stages attach, under the keys the JSON contract names.

    Their serializers are imported only when there is one to write: an all-wheels report never
    loads the toolchain, sdist and remedy packages (a tenth of the start-up)."""
    found: dict[str, Any] = {}
    if verdict.build is not None:
        from wheelscout.toolchain.render import build_json

        found["build"] = build_json(verdict.build)
    if verdict.remedy is not None:
        from wheelscout.remedy.serialize import remedy_json

        found["remedy"] = remedy_json(verdict.remedy)
    return found


def _conflict(conflict: Conflict | None) -> dict[str, Any] | None:
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


def blockers(result: TargetResult) -> list[str]:
    """The packages that make pip fail on a ``fails`` target (nothing installable)."""
    return [v.name for v in result.packages if v.install == "none"]


def summarize(result: TargetResult) -> dict[str, int]:
    counts = {"packages": len(result.packages), "wheel": 0, "build": 0, "none": 0}
    for verdict in result.packages:
        counts[verdict.install] += 1
    return counts


def check_document(results: list[TargetResult], notes: list[str] | None = None) -> dict[str, Any]:
    """The JSON contract of ``check`` (schema: ``wheelscout/schemas/check-v1.schema.json``)."""
    return {
        "schema_version": SCHEMA_VERSION,
        "notes": list(notes or []),
        "results": [
            {
                "target": r.target.spelling,
                "platform": r.target.platform.name,
                "python": r.target.python.short,
                "mode": r.mode,
                "status": r.status,
                "conflict": r.conflict,
                "conflict_detail": _conflict(r.conflict_detail),
                "blockers": blockers(r),
                "warnings": list(r.warnings),
                "summary": summarize(r),
                "packages": [_package(v) for v in r.packages],
            }
            for r in results
        ],
    }


def exit_status(results: list[TargetResult], fail_on: str = "build") -> int:
    """0 every package installs from a wheel; 1 something builds; 3 a target ``fails``
    (something cannot install) or is ``unresolvable``. ``fail_on`` 'none' ignores builds,
    'never' always gives 0."""
    if fail_on == "never":
        return EXIT_OK
    if any(r.status != "ok" or any(v.install == "none" for v in r.packages) for r in results):
        return EXIT_NONE
    if fail_on == "build" and any(v.install == "build" for r in results for v in r.packages):
        return EXIT_BUILD
    return EXIT_OK
