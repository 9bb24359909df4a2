"""Walk an sdist archive from a stream, with hard limits, without extracting anything.

Hostile archives are expected: every problem becomes a ``Finding`` and the walk stops cleanly.
The limits in ``Limits`` are the documented stopping points for decompression bombs, member
floods and oversized files.
"""

from __future__ import annotations

import bz2
import gzip
import hashlib
import lzma
import re
import shutil
import stat
import tarfile
import tempfile
import zipfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import IO, Literal, Protocol, cast

from wheelscout.model.build import Finding, FindingKind, Severity

__all__ = ["ArchiveWalk", "Limits", "printable", "walk_archive"]

_MIB = 1024 * 1024
_CHUNK = 64 * 1024
# pax and GNU long-name headers are read into memory whole by tarfile: keep them small.
_MAX_HEADER_BYTES = _MIB
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

    max_archive_bytes: int = 512 * _MIB
    max_unpacked_bytes: int = 1024 * _MIB
    max_members: int = 100_000
    max_member_bytes: int = 2 * _MIB
    max_read_bytes: int = 64 * _MIB


@dataclass(frozen=True, slots=True, kw_only=True)
class ArchiveWalk:
    """What a walk saw: every member name, the text of the wanted files, and findings.

    ``names`` are regular files only, root directory included, with ``./`` prefixes dropped,
    backslashes turned into slashes and control characters escaped. ``complete`` is
    ``False`` when the walk stopped early. ``sha256`` is the digest of the whole stream when it
    was read to its end.
    """

    format: Literal["tar", "zip", "unknown"]
    names: tuple[str, ...]
    files: dict[str, bytes] = field(hash=False)
    findings: tuple[Finding, ...]
    complete: bool
    sha256: str | None


class _Stop(Exception):
    """Ends a walk early; carries the finding that says why."""

    def __init__(self, finding: Finding) -> None:
        super().__init__(finding.message)
        self.finding = finding


class _OversizedHeader(tarfile.HeaderError):
    pass


class _Findings:
    """Collects findings, keeping at most a few of each kind so floods stay small."""

    def __init__(self) -> None:
        self.items: list[Finding] = []
        self.counts: dict[FindingKind, int] = {}

    def add(self, kind: FindingKind, severity: Severity, message: str, member: str | None) -> None:
        seen = self.counts.get(kind, 0)
        self.counts[kind] = seen + 1
        if seen < _MAX_FINDINGS_PER_KIND:
            shown = None if member is None else printable(member)
            finding = Finding(
                kind=kind, severity=severity, message=printable(message), member=shown
            )
            self.items.append(finding)

    def result(self) -> tuple[Finding, ...]:
        extra = [
            Finding(
                kind=kind,
                severity="info",
                message=f"{count - _MAX_FINDINGS_PER_KIND} more {kind.value} findings not listed",
            )
            for kind, count in self.counts.items()
            if count > _MAX_FINDINGS_PER_KIND
        ]
        return (*self.items, *extra)


class _Counted:
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
            size = _CHUNK
        if self._pushback:
            data, self._pushback = self._pushback[:size], self._pushback[size:]
            return data
        return self._read_raw(size)

    def _read_raw(self, size: int) -> bytes:
        data = self._raw.read(min(size, self._limit - self.count + 1))
        self.count += len(data)
        if self.count > self._limit:
            raise _Stop(
                Finding(
                    kind=FindingKind.TOO_LARGE,
                    severity="error",
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
        while self.read(_CHUNK):
            pass


class _GuardedTarInfo(tarfile.TarInfo):
    """Refuses pax/GNU long-name headers so big that tarfile would load them into memory."""

    def _proc_member(self, tarfile_: tarfile.TarFile) -> tarfile.TarInfo:
        if self.type in _HEADER_TYPES and self.size > _MAX_HEADER_BYTES:
            raise _OversizedHeader(f"extended header of {self.size} bytes")
        # _proc_member is private in tarfile and absent from typeshed, hence getattr.
        parent = getattr(super(), "_proc_member")  # noqa: B009
        result: tarfile.TarInfo = parent(tarfile_)
        return result


_HEADER_TYPES = frozenset(
    {tarfile.XHDTYPE, tarfile.XGLTYPE, tarfile.GNUTYPE_LONGNAME, tarfile.GNUTYPE_LONGLINK, b"X"}
)
_WINDOWS_ABSOLUTE = re.compile(r"^[A-Za-z]:")


def walk_archive(
    stream: IO[bytes],
    *,
    wanted: Callable[[str], bool],
    limits: Limits | None = None,
    expected_sha256: str | None = None,
) -> ArchiveWalk:
    """Walk a tar (gz, bz2, xz or plain) or zip archive read from ``stream``.

    The format is sniffed from the first bytes. ``wanted(name)`` says which regular files to
    read (up to ``limits.max_member_bytes`` each). Never raises for a bad archive: damage,
    hostile names and limits become findings.
    """
    limits = limits or Limits()
    findings = _Findings()
    source = _Counted(stream, limits.max_archive_bytes, "archive")
    state = _State(limits=limits, findings=findings, wanted=wanted)
    fmt: Literal["tar", "zip", "unknown"] = "unknown"
    complete = False
    try:
        fmt, opener = _sniff(source)
        if opener is None and fmt == "unknown":
            raise _Stop(_finding(FindingKind.UNSUPPORTED_FORMAT, "not a tar or zip archive"))
        if fmt == "zip":
            _walk_zip(source, state)
        else:
            _walk_tar(source, opener, state)
        source.drain()
        complete = True
    except _Stop as stop:
        findings.add(stop.finding.kind, stop.finding.severity, stop.finding.message, None)
    digest = source.digest.hexdigest() if complete else None
    _check_hash(digest, expected_sha256, findings)
    return ArchiveWalk(
        format=fmt,
        names=tuple(state.names),
        files=state.files,
        findings=findings.result(),
        complete=complete and not state.truncated_listing,
        sha256=digest,
    )


@dataclass(slots=True, kw_only=True)
class _State:
    limits: Limits
    findings: _Findings
    wanted: Callable[[str], bool]
    names: list[str] = field(default_factory=list)
    files: dict[str, bytes] = field(default_factory=dict)
    members: int = 0
    unpacked: int = 0
    read: int = 0
    truncated_listing: bool = False

    def count_member(self, declared_size: int) -> None:
        self.members += 1
        if self.members > self.limits.max_members:
            raise _Stop(
                _finding(
                    FindingKind.TOO_MANY_MEMBERS,
                    f"more than {self.limits.max_members} members: stopped listing",
                )
            )
        self.unpacked += max(declared_size, 0)
        if self.unpacked > self.limits.max_unpacked_bytes:
            raise _Stop(_bomb(self.limits.max_unpacked_bytes))

    def take(self, raw_name: str, size: int, read: Callable[[int], bytes]) -> None:
        """Read one wanted file's bytes, within the per-file and total limits."""
        name = _normalize(raw_name)
        self.names.append(name)
        if not self.wanted(name):
            return
        limit = min(self.limits.max_member_bytes, self.limits.max_read_bytes - self.read)
        if size > limit:
            self.findings.add(
                FindingKind.MEMBER_SKIPPED,
                "warning",
                f"not read: {size} bytes is over the {limit}-byte limit for one file",
                name,
            )
            return
        data = read(limit + 1)[: limit + 1]
        if len(data) > limit:
            self.findings.add(
                FindingKind.MEMBER_SKIPPED, "warning", "not read: larger than declared", name
            )
            return
        self.read += len(data)
        self.files[name] = data


def printable(text: str, limit: int = 300) -> str:
    """Member names come from the archive: escape control characters and undecodable bytes."""
    shown = "".join(char if char.isprintable() else repr(char)[1:-1] for char in text)
    return shown if len(shown) <= limit else shown[: limit - 3] + "..."


def _normalize(name: str) -> str:
    """``./pkg-1.0\\setup.py`` -> ``pkg-1.0/setup.py`` (safety checks saw the raw name)."""
    name = printable(name.replace("\\", "/"), limit=1000)
    while name.startswith("./"):
        name = name[2:]
    return name


def _finding(kind: FindingKind, message: str, severity: Severity = "error") -> Finding:
    return Finding(kind=kind, severity=severity, message=message)


def _bomb(limit: int) -> Finding:
    return _finding(
        FindingKind.TOO_LARGE,
        f"stopped at {limit} bytes unpacked: over the limit (possible decompression bomb)",
    )


_Opener = Callable[[IO[bytes]], "_Readable"]


class _Readable(Protocol):
    def read(self, size: int = -1, /) -> bytes: ...


def _as_io(stream: _Readable) -> IO[bytes]:
    # tarfile's stream mode and the decompressors only ever call read(): a reader is enough.
    return cast("IO[bytes]", stream)


def _sniff(source: _Counted) -> tuple[Literal["tar", "zip", "unknown"], _Opener | None]:
    head = source.peek(512)
    if head.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return "zip", None
    if head.startswith(b"\x1f\x8b"):
        return "tar", lambda raw: gzip.GzipFile(fileobj=raw, mode="rb")
    if head.startswith(b"BZh"):
        return "tar", lambda raw: bz2.BZ2File(raw, mode="rb")
    if head.startswith(b"\xfd7zXZ\x00"):
        return "tar", lambda raw: lzma.LZMAFile(raw, mode="rb")
    if head[257:262] == b"ustar" or (len(head) == 512 and _plain_tar_checksum_ok(head)):
        return "tar", lambda raw: raw
    return "unknown", None


def _plain_tar_checksum_ok(header: bytes) -> bool:
    try:
        stored = int(header[148:156].split(b"\x00", 1)[0].strip() or b"-1", 8)
    except ValueError:
        return False
    return stored == sum(header[:148]) + 256 + sum(header[156:512])


# Exceptions the decompressors and tarfile/zipfile raise on damaged input.
_DAMAGE = (
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


def _damage(exc: BaseException) -> Finding:
    text = str(exc) or type(exc).__name__
    truncated = isinstance(exc, EOFError) or "unexpected end" in text or "truncated" in text
    kind = FindingKind.TRUNCATED if truncated else FindingKind.CORRUPT
    what = "truncated" if truncated else "corrupt"
    return _finding(kind, f"archive is {what}: {text}")


def _walk_tar(source: _Counted, opener: _Opener | None, state: _State) -> None:
    assert opener is not None
    lazy = _Lazy(opener, source)
    unpacked = _Counted(_as_io(lazy), state.limits.max_unpacked_bytes, "unpacked data")
    try:
        with tarfile.open(
            fileobj=_as_io(unpacked),
            mode="r|",
            tarinfo=_GuardedTarInfo,
        ) as archive:
            for info in _tar_members(archive):
                state.count_member(info.size)
                _check_tar_member(info, state)
                if info.isfile():
                    state.take(info.name, info.size, _tar_reader(archive, info))
        # Read to the end of the compressed data: finds truncation after the end marker.
        unpacked.drain()
    except _OversizedHeader as exc:
        raise _Stop(_finding(FindingKind.CORRUPT, f"archive is corrupt: {exc}")) from None
    except _DAMAGE as exc:
        raise _Stop(_damage(exc)) from None


def _tar_members(archive: tarfile.TarFile) -> Iterator[tarfile.TarInfo]:
    while True:
        info = archive.next()
        if info is None:
            return
        yield info


def _tar_reader(archive: tarfile.TarFile, info: tarfile.TarInfo) -> Callable[[int], bytes]:
    def read(size: int) -> bytes:
        member = archive.extractfile(info)
        return b"" if member is None else member.read(size)

    return read


class _Lazy:
    """Opens the decompressor on first read, so its own header errors land in the walk."""

    def __init__(self, opener: _Opener, source: _Counted) -> None:
        self._opener = opener
        self._source = source
        self._stream: _Readable | None = None

    def read(self, size: int = -1) -> bytes:
        if self._stream is None:
            self._stream = self._opener(_as_io(self._source))
        return self._stream.read(size)


def _check_tar_member(info: tarfile.TarInfo, state: _State) -> None:
    _check_name(info.name, state.findings)
    if info.issym() or info.islnk():
        _check_link(info.name, info.linkname, state.findings)
    elif not (info.isfile() or info.isdir()):
        state.findings.add(
            FindingKind.SPECIAL_FILE, "error", "device, FIFO or other special member", info.name
        )


def _check_name(name: str, findings: _Findings) -> None:
    if name.startswith(("/", "\\")) or _WINDOWS_ABSOLUTE.match(name):
        findings.add(FindingKind.ABSOLUTE_PATH, "error", "absolute member path", name)
    if ".." in re.split(r"[/\\]", name):
        findings.add(FindingKind.PATH_TRAVERSAL, "error", "member path climbs out with '..'", name)


def _check_link(name: str, target: str, findings: _Findings) -> None:
    escapes = target.startswith(("/", "\\")) or bool(_WINDOWS_ABSOLUTE.match(target))
    depth = len([p for p in re.split(r"[/\\]", name) if p not in ("", ".")]) - 1
    for part in re.split(r"[/\\]", target):
        depth += -1 if part == ".." else 0 if part in ("", ".") else 1
        escapes = escapes or depth < 0
    if escapes:
        message = f"link to {target!r} points outside the archive"
        findings.add(FindingKind.LINK, "error", message, name)
    else:
        findings.add(FindingKind.LINK, "warning", f"link to {target!r} (pip may refuse it)", name)


def _walk_zip(source: _Counted, state: _State) -> None:
    with tempfile.SpooledTemporaryFile(max_size=16 * _MIB) as spool:
        # zip needs random access: spool the compressed bytes (memory first, then a temp file).
        shutil.copyfileobj(_as_io(source), spool, _CHUNK)
        spool.seek(0)
        declared = _zip_declared_entries(spool)
        if declared is not None and declared > state.limits.max_members:
            raise _Stop(
                _finding(
                    FindingKind.TOO_MANY_MEMBERS,
                    f"zip declares {declared} members, over the limit of "
                    f"{state.limits.max_members}",
                )
            )
        try:
            with zipfile.ZipFile(spool) as archive:
                for info in archive.infolist():
                    state.count_member(info.file_size)
                    _check_zip_member(archive, info, state)
                    if not info.is_dir() and not _zip_is_link(info):
                        state.take(info.filename, info.file_size, _zip_reader(archive, info))
        except _DAMAGE as exc:
            raise _Stop(_damage(exc)) from None


def _zip_declared_entries(spool: IO[bytes]) -> int | None:
    spool.seek(0, 2)
    end = spool.tell()
    spool.seek(max(0, end - 65_557))
    tail = spool.read()
    spool.seek(0)
    at = tail.rfind(b"PK\x05\x06")
    if at < 0 or at + 12 > len(tail):
        return None
    total = int.from_bytes(tail[at + 10 : at + 12], "little")
    return None if total == 0xFFFF else total


def _zip_is_link(info: zipfile.ZipInfo) -> bool:
    return stat.S_ISLNK(info.external_attr >> 16)


def _check_zip_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo, state: _State) -> None:
    _check_name(info.filename, state.findings)
    if _zip_is_link(info):
        # A zip symlink stores its target as the member's content.
        target = _zip_reader(archive, info)(4096).decode("utf-8", "replace")
        _check_link(info.filename, target, state.findings)


def _zip_reader(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> Callable[[int], bytes]:
    def read(size: int) -> bytes:
        with archive.open(info) as member:
            return member.read(size)

    return read


def _check_hash(digest: str | None, expected: str | None, findings: _Findings) -> None:
    if expected is None:
        return
    if digest is None:
        findings.add(
            FindingKind.HASH_UNVERIFIED,
            "warning",
            "sha256 not verified: the archive was not read to its end",
            None,
        )
    elif digest != expected.lower():
        findings.add(
            FindingKind.HASH_MISMATCH,
            "error",
            f"sha256 mismatch: expected {expected.lower()!r}, got {digest!r}",
            None,
        )
