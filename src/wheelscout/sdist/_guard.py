"""The safety rails of an archive walk: limits, counted streams, findings, name checks.

Everything a hostile archive can do to a walk ends here as a ``Finding[FindingKind]`` (or a ``Stop``
carrying one); ``archive.walk_archive`` only coordinates.
"""

from __future__ import annotations

import hashlib
import lzma
import re
import tarfile
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import IO

from wheelscout.model.build import FindingKind
from wheelscout.model.finding import Finding, Severity

__all__ = [
    "CHUNK",
    "DAMAGE",
    "MIB",
    "Counted",
    "FindingLog",
    "Found",
    "Limits",
    "Stop",
    "WalkState",
    "bomb_finding",
    "check_hash",
    "check_link",
    "check_name",
    "damage_finding",
    "make_finding",
    "normalize",
    "printable",
]

MIB = 1024 * 1024


CHUNK = 64 * 1024


_MAX_FINDINGS_PER_KIND = 20


@dataclass(frozen=True, slots=True, kw_only=True)
class Limits:
    """Where a walk stops. Defaults fit the largest real sdists (numpy, scipy) with room.

    - ``max_archive_bytes``: bytes read from the stream (the compressed file).
    - ``max_unpacked_bytes``: bytes of decompressed tar data, or of declared zip member sizes:
      the decompression-bomb limit.
    - ``max_members``: archive entries of any kind.
    - ``max_member_bytes``: size of one file whose text is read (``pyproject.toml`` ...);
      larger ones are skipped with a finding.
    - ``max_read_bytes``: total text read from all such files.
    """

    max_archive_bytes: int = 512 * MIB
    max_unpacked_bytes: int = 1024 * MIB
    max_members: int = 100_000
    max_member_bytes: int = 2 * MIB
    max_read_bytes: int = 64 * MIB


class Stop(Exception):
    """Ends a walk early; carries the finding that says why."""

    def __init__(self, finding: Finding[FindingKind]) -> None:
        super().__init__(finding.message)
        self.finding = finding


class Found(Exception):
    """Ends a ``first_only`` walk once the first wanted file is read."""


class FindingLog:
    """Collects findings, keeping at most a few of each kind so floods stay small."""

    def __init__(self) -> None:
        self.items: list[Finding[FindingKind]] = []
        self.counts: dict[FindingKind, int] = {}

    def add(self, kind: FindingKind, severity: Severity, message: str, member: str | None) -> None:
        seen = self.counts.get(kind, 0)
        self.counts[kind] = seen + 1
        if seen < _MAX_FINDINGS_PER_KIND:
            shown = None if member is None else printable(member)
            finding = Finding(
                code=kind, severity=severity, message=printable(message), member=shown
            )
            self.items.append(finding)

    def result(self) -> tuple[Finding[FindingKind], ...]:
        extra = [
            Finding(
                code=kind,
                severity=Severity.INFO,
                message=f"{count - _MAX_FINDINGS_PER_KIND} more {kind.value} findings not listed",
            )
            for kind, count in self.counts.items()
            if count > _MAX_FINDINGS_PER_KIND
        ]
        return (*self.items, *extra)


class Counted:
    """A read-only stream that hashes and counts what passes through, and stops at a limit."""

    def __init__(self, raw: IO[bytes], limit: int, what: str) -> None:
        self._raw = raw
        self._limit = limit
        self._what = what
        self.count = 0
        self.digest = hashlib.sha256()
        self._pushback = b""

    def read(self, size: int = -1) -> bytes:
        if size is None or size < 0:
            size = CHUNK
        if self._pushback:
            data, self._pushback = self._pushback[:size], self._pushback[size:]
            return data
        return self._read_raw(size)

    def _read_raw(self, size: int) -> bytes:
        data = self._raw.read(min(size, self._limit - self.count + 1))
        self.count += len(data)
        if self.count > self._limit:
            raise Stop(
                Finding(
                    code=FindingKind.TOO_LARGE,
                    severity=Severity.ERROR,
                    message=f"stopped after {self._limit} bytes of {self._what}: "
                    "the archive is over the limit (possible decompression bomb)",
                )
            )
        self.digest.update(data)
        return data

    def peek(self, size: int) -> bytes:
        """The next ``size`` bytes (fewer at the end), left in place for the next read."""
        while len(self._pushback) < size:
            data = self._read_raw(size - len(self._pushback))
            if not data:
                break
            self._pushback += data
        return self._pushback[:size]

    def drain(self) -> None:
        while self.read(CHUNK):
            pass


WINDOWS_ABSOLUTE = re.compile(r"^[A-Za-z]:")


@dataclass(slots=True, kw_only=True)
class WalkState:
    limits: Limits
    findings: FindingLog
    wanted: Callable[[str], bool]
    first_only: bool = False
    names: list[str] = field(default_factory=list)
    files: dict[str, bytes] = field(default_factory=dict)
    members: int = 0
    unpacked: int = 0
    read: int = 0
    truncated_listing: bool = False

    def count_member(self, declared_size: int) -> None:
        self.members += 1
        if self.members > self.limits.max_members:
            raise Stop(
                make_finding(
                    FindingKind.TOO_MANY_MEMBERS,
                    f"more than {self.limits.max_members} members: stopped listing",
                )
            )
        self.unpacked += max(declared_size, 0)
        if self.unpacked > self.limits.max_unpacked_bytes:
            raise Stop(bomb_finding(self.limits.max_unpacked_bytes))

    def take(self, raw_name: str, size: int, read: Callable[[int], bytes]) -> None:
        """Read one wanted file's bytes, within the per-file and total limits."""
        name = normalize(raw_name)
        self.names.append(name)
        if not self.wanted(name):
            return
        limit = min(self.limits.max_member_bytes, self.limits.max_read_bytes - self.read)
        if size > limit:
            self.findings.add(
                FindingKind.MEMBER_SKIPPED,
                Severity.WARNING,
                f"not read: {size} bytes is over the {limit}-byte limit for one file",
                name,
            )
            return
        data = read(limit + 1)[: limit + 1]
        if len(data) > limit:
            self.findings.add(
                FindingKind.MEMBER_SKIPPED, Severity.WARNING, "not read: larger than declared", name
            )
            return
        self.read += len(data)
        self.files[name] = data
        if self.first_only:
            raise Found


def printable(text: str, limit: int = 300) -> str:
    """Member names come from the archive: escape control characters and undecodable bytes."""
    shown = "".join(char if char.isprintable() else repr(char)[1:-1] for char in text)
    return shown if len(shown) <= limit else shown[: limit - 3] + "..."


def normalize(name: str) -> str:
    """``./pkg-1.0\\setup.py`` -> ``pkg-1.0/setup.py`` (safety checks saw the raw name)."""
    name = printable(name.replace("\\", "/"), limit=1000)
    while name.startswith("./"):
        name = name[2:]
    return name


def make_finding(
    kind: FindingKind, message: str, severity: Severity = Severity.ERROR
) -> Finding[FindingKind]:
    return Finding(code=kind, severity=severity, message=message)


def bomb_finding(limit: int) -> Finding[FindingKind]:
    return make_finding(
        FindingKind.TOO_LARGE,
        f"stopped at {limit} bytes unpacked: over the limit (possible decompression bomb)",
    )


# Exceptions the decompressors and tarfile/zipfile raise on damaged input.
DAMAGE = (
    tarfile.TarError,
    zipfile.BadZipFile,
    zipfile.LargeZipFile,
    OSError,
    EOFError,
    zlib.error,
    lzma.LZMAError,
    ValueError,
    NotImplementedError,
    RuntimeError,
    UnicodeDecodeError,
)


def damage_finding(exc: BaseException) -> Finding[FindingKind]:
    text = str(exc) or type(exc).__name__
    truncated = isinstance(exc, EOFError) or "unexpected end" in text or "truncated" in text
    kind = FindingKind.TRUNCATED if truncated else FindingKind.CORRUPT
    what = "truncated" if truncated else "corrupt"
    return make_finding(kind, f"archive is {what}: {text}")


def check_name(name: str, findings: FindingLog) -> None:
    if name.startswith(("/", "\\")) or WINDOWS_ABSOLUTE.match(name):
        findings.add(FindingKind.ABSOLUTE_PATH, Severity.ERROR, "absolute member path", name)
    if ".." in re.split(r"[/\\]", name):
        message = "member path climbs out with '..'"
        findings.add(FindingKind.PATH_TRAVERSAL, Severity.ERROR, message, name)


def check_link(name: str, target: str, findings: FindingLog) -> None:
    escapes = target.startswith(("/", "\\")) or bool(WINDOWS_ABSOLUTE.match(target))
    depth = len([p for p in re.split(r"[/\\]", name) if p not in ("", ".")]) - 1
    for part in re.split(r"[/\\]", target):
        depth += -1 if part == ".." else 0 if part in ("", ".") else 1
        escapes = escapes or depth < 0
    if escapes:
        message = f"link to {target!r} points outside the archive"
        findings.add(FindingKind.LINK, Severity.ERROR, message, name)
    else:
        message = f"link to {target!r} (pip may refuse it)"
        findings.add(FindingKind.LINK, Severity.WARNING, message, name)


def check_hash(digest: str | None, expected: str | None, findings: FindingLog) -> None:
    if expected is None:
        return
    if digest is None:
        findings.add(
            FindingKind.HASH_UNVERIFIED,
            Severity.WARNING,
            "sha256 not verified: the archive was not read to its end",
            None,
        )
    elif digest != expected.lower():
        findings.add(
            FindingKind.HASH_MISMATCH,
            Severity.ERROR,
            f"sha256 mismatch: expected {expected.lower()!r}, got {digest!r}",
            None,
        )
