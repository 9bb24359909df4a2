"""``wheelscout scan``: readiness of many projects on many targets, with history and a dashboard.

Every project goes through the library ``check`` pipeline (:func:`wheelscout.check.check`), alone,
on every target x Python of the matrix; :mod:`.cells` turns each result into a readiness cell.
Runs are kept in SQLite (:mod:`.history`), rendered as a static site (:mod:`.dashboard`), and can
be spread over a Dask cluster (:mod:`.cluster`).
"""

from __future__ import annotations

from wheelscout.scan.engine import ScanOptions, ScanReporter, scan_projects
from wheelscout.scan.model import Cell, CellCode, ProjectResult, ProjectSpec, TargetColumn

__all__ = [
    "Cell",
    "CellCode",
    "ProjectResult",
    "ProjectSpec",
    "ScanOptions",
    "ScanReporter",
    "TargetColumn",
    "scan_projects",
]
