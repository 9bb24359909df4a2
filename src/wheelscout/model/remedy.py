"""Where a package's wheels are, as records: the nearest versions with a wheel for a target,
the remedy ``check`` attaches to a package that builds or cannot install, and the wheels-only
plan of a target. Computed by :mod:`wheelscout.remedy`, written by :mod:`wheelscout.report`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from packaging.tags import Tag
from packaging.version import Version

from wheelscout.model.project import DistFile
from wheelscout.model.target import Target

if TYPE_CHECKING:  # a verdict carries its remedy: the verdict module imports this one
    from wheelscout.model.verdict import Install, PackageVerdict

__all__ = [
    "BinaryPlan",
    "Blocked",
    "NearestVersions",
    "PackageRemedy",
    "PinMove",
    "PlanStatus",
    "VersionWithWheel",
]

PlanStatus = Literal["no-change", "moves", "blocked", "unresolvable"]


@dataclass(frozen=True, slots=True, kw_only=True)
class VersionWithWheel:
    """A version that installs from a wheel on the target; ``allowed`` by the requirement set."""

    version: Version
    file: DistFile
    tag: Tag
    allowed: bool = True


@dataclass(frozen=True, slots=True, kw_only=True)
class NearestVersions:
    """The closest versions on either side of ``current`` that ship a wheel for the target."""

    current: Version
    newer: VersionWithWheel | None
    older: VersionWithWheel | None


@dataclass(frozen=True, slots=True, kw_only=True)
class PackageRemedy:
    """For a package that builds or cannot install on a target: where its wheels are.

    ``binary`` is the package's verdict in the wheels-only resolution (``None`` when it has
    none there); ``advice`` the sentence a report shows.
    """

    name: str
    install: Install
    nearest: NearestVersions | None
    first_with_wheel: VersionWithWheel | None
    newest_with_wheel: VersionWithWheel | None
    binary: PackageVerdict | None
    advice: str


@dataclass(frozen=True, slots=True, kw_only=True)
class PinMove:
    """A package whose version or install differs between the default and wheels-only runs."""

    name: str
    before: str | None
    after: str | None
    before_install: Install | None
    after_install: Install | None


@dataclass(frozen=True, slots=True, kw_only=True)
class Blocked:
    """A package no wheels-only resolution can satisfy, with a chain a person can read."""

    name: str
    chain: str


@dataclass(frozen=True, slots=True, kw_only=True)
class BinaryPlan:
    """The default resolution against the wheels-only one, for one target.

    ``pins`` are the wheels-only versions (every package that installs from a wheel there);
    ``conflict`` is the resolver's chain when the wheels-only set is unresolvable as a whole;
    ``constraints_file`` where the plan was written as a constraints file, if it was.
    """

    target: Target
    status: PlanStatus
    moves: tuple[PinMove, ...] = ()
    blocked: tuple[Blocked, ...] = ()
    pins: tuple[tuple[str, str], ...] = ()
    conflict: str | None = None
    constraints_file: str | None = None
