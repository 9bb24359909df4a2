"""Frozen records of a scan: a cell per project x target x Python, a row per project, a run."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Any, Literal

from wheelscout.model.project import NormalizedName

__all__ = [
    "Cell",
    "CellCode",
    "Own",
    "ProjectResult",
    "ProjectSpec",
    "TargetColumn",
    "Tree",
]

Tree = Literal["wheels", "build", "none", "n/a"]
Own = Literal["platform", "abi3", "pure", "build", "none", "n/a"]


class CellCode(enum.Enum):
    """Why a cell says what it says; scripts and tests match these, never the sentence."""

    READY = "ready"  # the whole tree installs from wheels
    OWN_BUILDS = "own-builds"  # the project itself has no wheel for the target: pip builds it
    OWN_NONE = "own-none"  # nothing of the project installs there
    DEPENDENCY_BUILDS = "dependency-builds"  # the project is a wheel, a dependency builds
    DEPENDENCY_NONE = "dependency-none"  # the project is a wheel, a dependency cannot install
    UNRESOLVABLE = "unresolvable"  # the requirements conflict on this target
    NOT_FOUND = "not-found"  # the index has no such project
    REQUIRES_PYTHON = "requires-python"  # n/a: no release accepts this Python
    MARKER = "marker"  # n/a: the requirement's own marker excludes the target
    CURATED = "curated"  # n/a: the curated list says the project is not meant for it
    ERROR = "error"  # the index could not be read for this project


@dataclass(frozen=True, slots=True, kw_only=True)
class ProjectSpec:
    """One project to scan: its canonical name and the requirement line it came from."""

    name: NormalizedName
    requirement: str


@dataclass(frozen=True, slots=True, kw_only=True)
class TargetColumn:
    """One target x Python of the matrix, as the user spelled it."""

    target: str  # the spelling given (``win-arm64``)
    platform: str  # the platform tag (``win_arm64``)
    python: str  # ``3.12`` or ``3.13t``


@dataclass(frozen=True, slots=True, kw_only=True)
class Cell:
    """How one project installs on one target x Python, alone, as pip would."""

    target: str
    python: str
    tree: Tree
    own: Own
    blockers: tuple[str, ...]
    reason: str
    code: CellCode
    version: str | None = None  # the version pip picks there
    nearest: str | None = None  # the newest version whose whole tree installs from wheels
    fix: tuple[str, ...] = ()  # with ``nearest``: the pins that get the whole tree as wheels
    packages: int = 0  # size of the resolved tree
    build_needs: tuple[str, ...] = ()  # with --inspect-builds: "name: what its build needs"

    def to_json(self) -> dict[str, Any]:
        return {
            "target": self.target, "python": self.python, "tree": self.tree, "own": self.own,
            "blockers": list(self.blockers), "reason": self.reason, "code": self.code.value,
            "version": self.version, "nearest": self.nearest, "fix": list(self.fix),
            "packages": self.packages, "build_needs": list(self.build_needs),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Cell:
        return cls(
            target=data["target"], python=data["python"], tree=data["tree"], own=data["own"],
            blockers=tuple(data["blockers"]), reason=data["reason"],
            code=CellCode(data["code"]), version=data.get("version"),
            nearest=data.get("nearest"), fix=tuple(data.get("fix", ())),
            packages=data.get("packages", 0), build_needs=tuple(data.get("build_needs", ())),
        )


@dataclass(frozen=True, slots=True, kw_only=True)
class ProjectResult:
    """Every cell of one project, and what a rescan needs to know whether to redo them.

    ``fingerprint`` digests the pages of every project of every resolved tree (and the scan's
    settings): metadata of a hashed file never changes, so the cells can only change when it
    does. ``tree_projects`` names those pages.
    """

    name: NormalizedName
    requirement: str
    version: str | None  # the newest release on the index
    cells: tuple[Cell, ...]
    fingerprint: str
    tree_projects: tuple[str, ...]
    reused: bool = False  # taken from the previous run: no page in the tree changed

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name, "requirement": self.requirement, "version": self.version,
            "cells": [c.to_json() for c in self.cells], "fingerprint": self.fingerprint,
            "tree_projects": list(self.tree_projects), "reused": self.reused,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ProjectResult:
        return cls(
            name=NormalizedName(data["name"]), requirement=data["requirement"],
            version=data["version"], cells=tuple(Cell.from_json(c) for c in data["cells"]),
            fingerprint=data["fingerprint"], tree_projects=tuple(data["tree_projects"]),
            reused=data.get("reused", False),
        )
