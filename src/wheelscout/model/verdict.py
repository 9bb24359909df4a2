"""What ``check`` concludes: a verdict per package per target, and the run's results."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from wheelscout.model.project import DistFile, NormalizedName
from wheelscout.model.target import Target

__all__ = ["DependencySource", "Install", "PackageVerdict", "TargetResult", "WheelKindName"]

Install = Literal["wheel", "build", "none"]
WheelKindName = Literal["pure", "platform", "abi3"]
# Where a package's own dependencies were read: a wheel's METADATA, static sdist metadata
# (PEP 643), another wheel of the same version (inferred), or nowhere (unknown without a build).
DependencySource = Literal["wheel", "sdist", "inferred", "unknown", "none"]


@dataclass(frozen=True, slots=True, kw_only=True)
class PackageVerdict:
    """How one package would install on one target, and why.

    ``required_by`` names the packages that depend on it directly (empty for a requested one);
    ``path`` is one shortest chain from a requested package down to it.
    ``extra`` is free for later stages (build needs, remedies) to attach JSON-ready data.
    """

    name: NormalizedName
    version: str | None
    install: Install
    reason: str
    wheel_kind: WheelKindName | None = None
    file: DistFile | None = None
    tag: str | None = None
    requested: bool = False
    required_by: tuple[str, ...] = ()
    path: tuple[str, ...] = ()
    dependencies_from: DependencySource = "wheel"
    extra: dict[str, Any] = field(default_factory=dict, hash=False, compare=False)


@dataclass(frozen=True, slots=True, kw_only=True)
class TargetResult:
    """One target's resolution: ``ok`` with a verdict per package, or ``unresolvable``."""

    target: Target
    status: Literal["ok", "unresolvable"]
    packages: tuple[PackageVerdict, ...] = ()
    conflict: str | None = None
    mode: Literal["default", "prefer-binary", "only-binary"] = "default"
