"""What ``check`` concludes: a verdict per package per target, and the run's results."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from wheelscout.model.project import DistFile, NormalizedName
from wheelscout.model.reasons import ReasonCode
from wheelscout.model.target import Target

if TYPE_CHECKING:
    # Annotations only: an all-wheels run never loads the build and remedy records (their two
    # dozen dataclasses are a twentieth of the start-up).
    from wheelscout.model.build import BuildNeeds
    from wheelscout.model.remedy import BinaryPlan, PackageRemedy

__all__ = [
    "CheckReport",
    "Conflict",
    "ConflictCause",
    "DependencySource",
    "Install",
    "PackageVerdict",
    "TargetResult",
    "TargetStatus",
    "WheelKindName",
]

Install = Literal["wheel", "build", "none"]
WheelKindName = Literal["pure", "platform", "abi3"]
# Where a package's own dependencies were read: a wheel's METADATA, static sdist metadata
# (PEP 643), another wheel of the same version (inferred), or nowhere (unknown without a build).
DependencySource = Literal["wheel", "sdist", "inferred", "unknown", "none"]
# ok: pip would install every package; fails: the set resolves, but some package has nothing
# installable (pip and uv would stop there); unresolvable: the requirements conflict.
TargetStatus = Literal["ok", "fails", "unresolvable"]


@dataclass(frozen=True, slots=True, kw_only=True)
class PackageVerdict:
    """How one package would install on one target, and why.

    ``required_by`` names the packages that depend on it directly (empty for a requested one);
    ``path`` is one shortest chain from a requested package down to it.
    ``reason`` is the sentence a person reads; ``reason_code`` the same, as a code to match.
    ``build`` is what its source build needs (``check --inspect-builds``); ``remedy`` where its
    wheels are (remedies); both are attached by later stages and serialized by ``report``.
    """

    name: NormalizedName
    version: str | None
    install: Install
    reason: str
    reason_code: ReasonCode = ReasonCode.OTHER
    wheel_kind: WheelKindName | None = None
    file: DistFile | None = None
    tag: str | None = None
    requested: bool = False
    required_by: tuple[str, ...] = ()
    path: tuple[str, ...] = ()
    dependencies_from: DependencySource = "wheel"
    build: BuildNeeds | None = None
    remedy: PackageRemedy | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class ConflictCause:
    """One requirement at the root of a conflict, and the chain of packages that led to it.

    ``package`` is the project the requirement is on (``python`` for a Requires-Python);
    ``required_by`` is ``"pandas 3.1.1"`` or ``None`` when the user asked for it; ``chain``
    runs from a requested package down to the one that states the requirement.
    """

    package: str
    requirement: str
    required_by: str | None
    chain: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class Conflict:
    """Why a target is unresolvable: a sentence, the packages at its root, and their causes."""

    message: str
    packages: tuple[str, ...]
    causes: tuple[ConflictCause, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class TargetResult:
    """One target's resolution: a verdict per package (``ok``, or ``fails`` when one of them
    has nothing installable), or ``unresolvable`` with the conflict explained.

    ``conflict`` is the one-line explanation; ``conflict_detail`` the same, structured;
    ``conflict_code`` the same, as a code to match (``None`` when the target resolved).
    ``warnings`` are one-line notices: files skipped as broken, dependencies left unknown.
    ``binary_plan`` is the wheels-only plan remedies computed (``None`` where none was).
    """

    target: Target
    status: TargetStatus
    packages: tuple[PackageVerdict, ...] = ()
    conflict: str | None = None
    conflict_detail: Conflict | None = None
    mode: Literal["default", "prefer-binary", "only-binary"] = "default"
    warnings: tuple[str, ...] = ()
    binary_plan: BinaryPlan | None = None
    conflict_code: ReasonCode | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class CheckReport:
    """One ``check`` run: a result per target and the inputs' notes; each result carries its
    wheels-only plan (``binary_plan``, ``None`` where none was computed)."""

    results: tuple[TargetResult, ...]
    notes: tuple[str, ...] = ()

    @property
    def plans(self) -> tuple[BinaryPlan | None, ...]:
        """Each target's ``binary_plan``, in result order."""
        return tuple(r.binary_plan for r in self.results)
