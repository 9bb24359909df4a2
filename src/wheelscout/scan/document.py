"""The scan's data files: ``results.json`` (schema ``scan-v1``), CSV, shields.io endpoints."""

from __future__ import annotations

import csv
import io
from typing import Any

from wheelscout.redact import redact_text
from wheelscout.scan.model import Cell, ProjectResult, Tree
from wheelscout.scan.runner import ScanRun

__all__ = [
    "BADGE_COLOURS", "SCHEMA_VERSION", "badge", "results_csv", "results_document", "summary",
]

SCHEMA_VERSION = 1
#: Okabe-Ito colours (safe for the common colour-vision deficiencies); the text says it anyway.
BADGE_COLOURS: dict[str, str] = {
    "wheels": "009E73", "partial": "56B4E9", "build": "E69F00", "none": "D55E00",
    "n/a": "999999",
}


def results_document(run: ScanRun) -> dict[str, Any]:
    """The JSON contract of ``--out DIR/data/results.json``."""
    return {
        "schema_version": SCHEMA_VERSION,
        "run": {
            "started": run.started.isoformat(timespec="seconds"),
            "finished": run.finished.isoformat(timespec="seconds"),
            "id": run.run_id,
            "previous_started": run.previous_started,
            "projects": len(run.results),
            "reused": run.reused,
            "requests": run.requests,
            "scheduler": run.scheduler,
        },
        "targets": [{"target": t.target, "platform": t.platform, "python": t.python}
                    for t in run.targets],
        "projects": [_project(r) for r in run.results],
        "changes": [{"project": c.project, "target": c.target, "python": c.python,
                     "kind": c.kind, "before": c.before, "after": c.after, "date": c.date,
                     "since": c.since} for c in run.changes],
    }


def _project(result: ProjectResult) -> dict[str, Any]:
    return {
        "name": result.name,
        "requirement": result.requirement,
        "version": result.version,
        "reused": result.reused,
        "cells": [_cell(c) for c in result.cells],
    }


def _cell(cell: Cell) -> dict[str, Any]:
    return {
        "target": cell.target, "python": cell.python, "tree": cell.tree, "own": cell.own,
        "blockers": list(cell.blockers), "reason": cell.reason, "code": cell.code.value,
        "version": cell.version, "nearest": cell.nearest, "fix": list(cell.fix),
        "build_needs": list(cell.build_needs),
    }


_CSV_FIELDS = ("project", "version", "target", "python", "tree", "own", "blockers", "code",
               "nearest", "reason")


def results_csv(run: ScanRun) -> str:
    """One row per cell; blockers joined with spaces."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(_CSV_FIELDS)
    for result in run.results:
        for c in result.cells:
            writer.writerow((result.name, result.version or "", c.target, c.python, c.tree,
                             c.own, " ".join(c.blockers), c.code.value, c.nearest or "",
                             redact_text(c.reason)))
    return out.getvalue()


def summary(trees: list[Tree]) -> str:
    """One status for a project on a target over its Pythons: ``wheels`` (every applicable
    Python), ``partial``, ``build``, ``none`` or ``n/a``."""
    applicable = [t for t in trees if t != "n/a"]
    if not applicable:
        return "n/a"
    if all(t == "wheels" for t in applicable):
        return "wheels"
    if any(t == "wheels" for t in applicable):
        return "partial"
    return "none" if all(t == "none" for t in applicable) else "build"


def badge(target: str, cells: list[Cell]) -> dict[str, Any]:
    """A shields.io endpoint document (https://shields.io/badges/endpoint-badge)."""
    status = summary([c.tree for c in cells])
    ready = [c.python for c in cells if c.tree == "wheels"]
    applicable = [c for c in cells if c.tree != "n/a"]
    message = {
        "wheels": "wheels", "none": "not installable", "build": "builds from source",
        "n/a": "n/a",
        "partial": f"wheels on {len(ready)}/{len(applicable)} Pythons",
    }[status]
    return {"schemaVersion": 1, "label": target, "message": message,
            "color": BADGE_COLOURS[status]}
