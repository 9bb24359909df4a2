"""Findings: something notable in a distribution archive, with its code and severity.

One record for every command that reads an archive: ``audit`` (a wheel's binaries against its
tags, codes in :class:`wheelscout.binary.findings.Code`) and sdist inspection (an archive that
cannot be taken at face value, codes in :class:`wheelscout.model.build.FindingKind`). Each
command keeps its own code vocabulary, because each JSON contract spells its own codes.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Generic, TypeVar

__all__ = ["Finding", "Severity"]


class Severity(enum.Enum):
    INFO = "info"  # worth knowing; nothing is wrong (sdist inspection only)
    WARNING = "warning"  # suspicious or non-standard, may still work
    ERROR = "error"  # the archive is hostile or damaged, or fails where it claims to work


CodeT = TypeVar("CodeT", bound=enum.Enum)


@dataclass(frozen=True, slots=True, kw_only=True)
class Finding(Generic[CodeT]):
    """One finding: its code, severity and message, the member it concerns (``None`` for the
    whole archive), the evidence and how to fix it (``""`` when there is nothing to add).

    Build one as ``Finding(code=...)``; the code's enum sets the type parameter.
    """

    code: CodeT
    severity: Severity
    message: str
    member: str | None = None
    evidence: str = ""
    fix: str = ""
