"""Walk an sdist archive from a stream, with hard limits, without extracting anything.

Hostile archives are expected: every problem becomes a ``Finding`` and the walk stops cleanly.
The limits in ``Limits`` are the documented stopping points for decompression bombs, member
floods and oversized files.
"""

from __future__ import annotations

import bz2
import gzip
import lzma
import shutil
import stat
import tarfile
import tempfile
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import IO, Literal, Protocol, cast

from wheelscout.model.build import Finding, FindingKind
from wheelscout.model.finding import Severity
from wheelscout.sdist._guard import (
    CHUNK,
    DAMAGE,
    MIB,
    Counted,
    FindingLog,
    Found,
    Limits,
    Stop,
    WalkState,
    check_hash,
    check_link,
    check_name,
    damage_finding,
    make_finding,
    printable,
)

__all__ = ["ArchiveWalk", "Limits", "printable", "walk_archive"]

# pax and GNU long-name headers are read into memory whole by tarfile: keep them small.
_MAX_HEADER_BYTES = MIB


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
    findings: tuple[Finding[FindingKind], ...]
    complete: bool
    sha256: str | None


class _OversizedHeader(tarfile.HeaderError):
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


def walk_archive(
    stream: IO[bytes],
    *,
    wanted: Callable[[str], bool],
    limits: Limits | None = None,
    expected_sha256: str | None = None,
    first_only: bool = False,
) -> ArchiveWalk:
    """Walk a tar (gz, bz2, xz or plain) or zip archive read from ``stream``.

    The format is sniffed from the first bytes. ``wanted(name)`` says which regular files to
    read (up to ``limits.max_member_bytes`` each); with ``first_only`` the walk ends (not
    ``complete``) once the first of them is read. Never raises for a bad archive: damage,
    hostile names and limits become findings.
    """
    limits = limits or Limits()
    findings = FindingLog()
    source = Counted(stream, limits.max_archive_bytes, "archive")
    state = WalkState(limits=limits, findings=findings, wanted=wanted, first_only=first_only)
    fmt: Literal["tar", "zip", "unknown"] = "unknown"
    complete = False
    try:
        fmt, opener = _sniff(source)
        if opener is None and fmt == "unknown":
            raise Stop(make_finding(FindingKind.UNSUPPORTED_FORMAT, "not a tar or zip archive"))
        if fmt == "zip":
            _walk_zip(source, state)
        else:
            _walk_tar(source, opener, state)
        source.drain()
        complete = True
    except Found:
        pass
    except Stop as stop:
        findings.add(stop.finding.code, stop.finding.severity, stop.finding.message, None)
    digest = source.digest.hexdigest() if complete else None
    check_hash(digest, expected_sha256, findings)
    return ArchiveWalk(
        format=fmt,
        names=tuple(state.names),
        files=state.files,
        findings=findings.result(),
        complete=complete and not state.truncated_listing,
        sha256=digest,
    )


_Opener = Callable[[IO[bytes]], "_Readable"]


class _Readable(Protocol):
    def read(self, size: int = -1, /) -> bytes: ...


def _as_io(stream: _Readable) -> IO[bytes]:
    # tarfile's stream mode and the decompressors only ever call read(): a reader is enough.
    return cast("IO[bytes]", stream)


def _sniff(source: Counted) -> tuple[Literal["tar", "zip", "unknown"], _Opener | None]:
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


def _walk_tar(source: Counted, opener: _Opener | None, state: WalkState) -> None:
    assert opener is not None
    lazy = _Lazy(opener, source)
    unpacked = Counted(_as_io(lazy), state.limits.max_unpacked_bytes, "unpacked data")
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
        raise Stop(make_finding(FindingKind.CORRUPT, f"archive is corrupt: {exc}")) from None
    except DAMAGE as exc:
        raise Stop(damage_finding(exc)) from None


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

    def __init__(self, opener: _Opener, source: Counted) -> None:
        self._opener = opener
        self._source = source
        self._stream: _Readable | None = None

    def read(self, size: int = -1) -> bytes:
        if self._stream is None:
            self._stream = self._opener(_as_io(self._source))
        return self._stream.read(size)


def _check_tar_member(info: tarfile.TarInfo, state: WalkState) -> None:
    check_name(info.name, state.findings)
    if info.issym() or info.islnk():
        check_link(info.name, info.linkname, state.findings)
    elif not (info.isfile() or info.isdir()):
        state.findings.add(
            FindingKind.SPECIAL_FILE,
            Severity.ERROR,
            "device, FIFO or other special member",
            info.name,
        )


def _walk_zip(source: Counted, state: WalkState) -> None:
    with tempfile.SpooledTemporaryFile(max_size=16 * MIB) as spool:
        # zip needs random access: spool the compressed bytes (memory first, then a temp file).
        shutil.copyfileobj(_as_io(source), spool, CHUNK)
        spool.seek(0)
        declared = _zip_declared_entries(spool)
        if declared is not None and declared > state.limits.max_members:
            raise Stop(
                make_finding(
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
                    # Not is_dir(): it raises IndexError on an empty name (found by fuzzing).
                    if not info.filename.endswith("/") and not _zip_is_link(info):
                        state.take(info.filename, info.file_size, _zip_reader(archive, info))
        except DAMAGE as exc:
            raise Stop(damage_finding(exc)) from None


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


def _check_zip_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo, state: WalkState) -> None:
    check_name(info.filename, state.findings)
    if _zip_is_link(info):
        # A zip symlink stores its target as the member's content.
        target = _zip_reader(archive, info)(4096).decode("utf-8", "replace")
        check_link(info.filename, target, state.findings)


def _zip_reader(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> Callable[[int], bytes]:
    def read(size: int) -> bytes:
        with archive.open(info) as member:
            return member.read(size)

    return read
