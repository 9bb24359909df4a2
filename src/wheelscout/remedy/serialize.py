"""JSON-ready dictionaries for remedy records (``explain --format json``, ``check``'s remedy)."""

from __future__ import annotations

from typing import Any

from wheelscout.remedy.groups import FileGroups
from wheelscout.remedy.nearest import CoverageRow, NearestVersions, VersionWithWheel
from wheelscout.remedy.nearmiss import FileCheck

__all__ = ["coverage_json", "file_check_json", "groups_json", "nearest_json", "version_json"]


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
