"""Audit one wheel: does it really hold what its filename promises? (issue 7)"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from typing import IO

from packaging.tags import Tag

from wheelscout.binary.checks import check_wheel
from wheelscout.binary.findings import Code
from wheelscout.binary.wheel import (
    ZIP_ERRORS,
    BinaryFile,
    Limits,
    central_directory_finding,
    scan_wheel,
)
from wheelscout.model.filename import read_wheel_filename
from wheelscout.model.finding import Finding, Severity

__all__ = ["WheelAudit", "audit_wheel"]


@dataclass(frozen=True, slots=True, kw_only=True)
class WheelAudit:
    """The result for one wheel; ``findings`` empty means clean."""

    filename: str
    tags: tuple[str, ...]
    binaries: tuple[BinaryFile, ...]
    findings: tuple[Finding[Code], ...]

    @property
    def clean(self) -> bool:
        """No findings at all."""
        return not self.findings

    @property
    def passed(self) -> bool:
        """No error findings (warnings allowed): what the CLI's exit status reflects."""
        return all(f.severity is not Severity.ERROR for f in self.findings)


def audit_wheel(file: IO[bytes], filename: str, *, limits: Limits | None = None) -> WheelAudit:
    """Audit the wheel in the seekable binary stream ``file``, named ``filename``.

    Problems with the wheel, however hostile, are findings; only faults of the caller (a
    non-seekable stream) raise.
    """
    findings: list[Finding[Code]] = []
    tags: frozenset[Tag] = frozenset()
    parsed = read_wheel_filename(filename)
    if isinstance(parsed, str):
        findings.append(_not_a_wheel(f"invalid wheel filename {filename!r}: {parsed}"))
    else:
        tags = parsed.tags
    if (bomb := central_directory_finding(file, limits)) is not None:
        findings.append(bomb)
        return WheelAudit(
            filename=filename, tags=_spell(tags), binaries=(), findings=tuple(findings)
        )
    try:
        archive = zipfile.ZipFile(file)
    except ZIP_ERRORS as exc:
        findings.append(_not_a_wheel(f"not a zip archive: {exc}"))
        return WheelAudit(
            filename=filename, tags=_spell(tags), binaries=(), findings=tuple(findings)
        )
    with archive:
        contents = scan_wheel(archive, limits)
    findings.extend(contents.findings)
    if tags:
        findings.extend(check_wheel(tags, contents))
    return WheelAudit(
        filename=filename, tags=_spell(tags), binaries=contents.binaries, findings=tuple(findings)
    )


def _spell(tags: frozenset[Tag]) -> tuple[str, ...]:
    return tuple(sorted(str(t) for t in tags))


def _not_a_wheel(message: str) -> Finding[Code]:
    return Finding(code=Code.NOT_A_WHEEL, severity=Severity.ERROR, message=message)
