"""The ``n/a`` rule: when a project is not meant for a target at all.

A cell is ``n/a``, and not resolved, when one of these holds, checked in this order:

1. **marker**: the scanned requirement line carries a marker that is false on the target
   (``pywin32; sys_platform == "win32"`` on Linux);
2. **curated**: ``not-applicable.json`` (shipped, extendable with ``--not-applicable FILE``) lists
   the project with ``only`` operating systems that exclude the target's, or ``not`` ones that
   include it, and a reason per entry;
3. **requires-python**: every file of every release declares a ``Requires-Python`` that excludes
   the target's Python, so no pip there would consider the project at all.

Anything else is resolved: a project with no wheel and no sdist for a target is ``none``, not
``n/a``, because someone could still publish one.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path
from typing import Any

from packaging.requirements import Requirement
from packaging.specifiers import InvalidSpecifier, SpecifierSet
from packaging.utils import canonicalize_name

from wheelscout.errors import InputError
from wheelscout.model.project import ProjectPage
from wheelscout.model.target import OperatingSystem, Target
from wheelscout.scan.model import CellCode

__all__ = ["Curated", "NotApplicable", "load_curated", "not_applicable"]


@dataclass(frozen=True, slots=True, kw_only=True)
class Curated:
    """One entry of the curated list."""

    project: str
    only: frozenset[OperatingSystem] | None
    excluded: frozenset[OperatingSystem]
    reason: str

    def excludes(self, os: OperatingSystem) -> bool:
        return (self.only is not None and os not in self.only) or os in self.excluded


@dataclass(frozen=True, slots=True, kw_only=True)
class NotApplicable:
    """Why a cell is ``n/a``."""

    code: CellCode
    reason: str


def load_curated(extra: Path | None = None) -> dict[str, Curated]:
    """The shipped list, then ``extra`` (its entries replace shipped ones of the same project)."""
    shipped = files("wheelscout.scan").joinpath("not-applicable.json").read_bytes()
    entries = _parse(shipped, "not-applicable.json")
    if extra is not None:
        try:
            data = extra.read_bytes()
        except OSError as exc:
            raise InputError(f"cannot read --not-applicable {str(extra)!r}: "
                             f"{exc.strerror}") from None
        entries.update(_parse(data, str(extra)))
    return entries


def _os_set(values: Any, where: str) -> frozenset[OperatingSystem]:
    if not isinstance(values, list):
        raise InputError(f"{where} must be a list of operating systems")
    try:
        return frozenset(OperatingSystem(v) for v in values)
    except ValueError as exc:
        raise InputError(f"{where}: {exc}") from None


def _parse(data: bytes, source: str) -> dict[str, Curated]:
    try:
        document = json.loads(data)
        raw = document["entries"]
    except (ValueError, KeyError, TypeError) as exc:
        raise InputError(f"{source!r} is not a not-applicable list ({exc})") from None
    found: dict[str, Curated] = {}
    for index, entry in enumerate(raw):
        where = f"{source!r} in 'entries[{index}]'"
        if not isinstance(entry, dict) or not isinstance(entry.get("project"), str) or \
                not isinstance(entry.get("reason"), str):
            raise InputError(f"{where}: needs a 'project' and a 'reason'")
        name = canonicalize_name(entry["project"])
        found[name] = Curated(
            project=name,
            only=_os_set(entry["only"], where) if "only" in entry else None,
            excluded=_os_set(entry.get("not", []), where),
            reason=entry["reason"],
        )
    return found


def not_applicable(
    requirement: Requirement,
    target: Target,
    curated: Mapping[str, Curated],
    page: ProjectPage | None,
) -> NotApplicable | None:
    """The rule that makes ``requirement`` n/a on ``target``, or ``None``: resolve it."""
    if requirement.marker is not None and not requirement.marker.evaluate(
            {**target.markers, "extra": ""}):
        return NotApplicable(code=CellCode.MARKER,
                             reason=f"the requirement's marker ({requirement.marker}) is false "
                             f"on {target.platform.name}")
    entry = curated.get(canonicalize_name(requirement.name))
    if entry is not None and entry.excludes(target.platform.os):
        return NotApplicable(code=CellCode.CURATED, reason=f"not meant for "
                             f"{target.platform.os.value}: {entry.reason}")
    if page is not None and page.files and _python_excluded(page, target):
        return NotApplicable(code=CellCode.REQUIRES_PYTHON,
                             reason=f"no release of {page.name} accepts Python "
                             f"{target.python.short} (Requires-Python)")
    return None


def _python_excluded(page: ProjectPage, target: Target) -> bool:
    version = target.python.full
    for file in page.files:
        if file.yanked is not None:
            continue
        if not file.requires_python:
            return False
        try:
            if SpecifierSet(file.requires_python).contains(version, prereleases=True):
                return False
        except InvalidSpecifier:
            return False  # pip ignores a malformed Requires-Python: the file is a candidate
    return True

