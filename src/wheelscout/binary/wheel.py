"""Walk a wheel without extracting it: sniff each member, read binary headers, verify RECORD.

Every member is read at most once in full (to hash it for RECORD) plus, for binaries, a short
second pass over its first pages; nothing is written to disk and memory stays bounded by the
read window whatever the wheel's size.
"""

from __future__ import annotations

import base64
import csv
import hashlib
import re
import struct
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import IO, Literal

from wheelscout.binary import elf, macho, pe
from wheelscout.binary._stream import MalformedBinary, MemberReader
from wheelscout.binary.findings import Code
from wheelscout.model.finding import Finding, Severity

__all__ = [
    "ZIP_ERRORS",
    "BinaryFile",
    "Limits",
    "WheelContents",
    "central_directory_finding",
    "scan_wheel",
    "sniff",
]

Format = Literal["elf", "pe", "macho"]
_DRIVE = re.compile(r"^[A-Za-z]:")
_EOCD_SEARCH = (1 << 16) + 22 + 56 + 20  # comment, record, zip64 record and locator
_RECORD_EXEMPT = ("RECORD", "RECORD.jws", "RECORD.p7s")
# zipfile signals a damaged archive with any of these (ValueError: a negative seek from a lying
# header offset; struct.error: a short header).
ZIP_ERRORS = (
    zipfile.BadZipFile,
    zlib.error,
    EOFError,
    NotImplementedError,
    RuntimeError,
    OSError,
    ValueError,
    struct.error,
)


@dataclass(frozen=True, slots=True, kw_only=True)
class Limits:
    """Bounds that turn hostile archives into findings instead of hours of work."""

    # Sparse test data in real wheels reaches 1000:1 at a few MB; what hurts is a large output.
    max_ratio: int = 500  # uncompressed / compressed, checked above min_bomb_size
    min_bomb_size: int = 32 << 20
    max_member_size: int = 8 << 30
    max_total_size: int = 32 << 30
    max_members: int = 200_000
    max_metadata_size: int = 16 << 20


@dataclass(frozen=True, slots=True, kw_only=True)
class BinaryFile:
    """One native binary inside the wheel and what its headers say."""

    member: str
    format: Format
    elf: elf.ElfInfo | None = None
    pe: pe.PeInfo | None = None
    macho: macho.MachOInfo | None = None

    @property
    def loadable(self) -> bool:
        """A shared library or module (what Python or a loader maps in), not a program."""
        if self.elf is not None:
            return not self.elf.executable
        if self.pe is not None:
            return self.pe.dll
        return self.macho is not None and any(s.filetype in (6, 8) for s in self.macho.slices)

    @property
    def arches(self) -> tuple[str, ...]:
        if self.elf is not None:
            return (self.elf.arch,)
        if self.pe is not None:
            return (self.pe.machine_name,)
        return self.macho.arches if self.macho is not None else ()


@dataclass(frozen=True, slots=True, kw_only=True)
class WheelContents:
    """What walking the archive found; the tag checks run over this."""

    members: tuple[str, ...]
    binaries: tuple[BinaryFile, ...]
    wheel_metadata: str | None
    findings: tuple[Finding[Code], ...] = field(default=())


def sniff(head: bytes) -> Format | None:
    """The binary format a member's first bytes announce, if any."""
    if head[:4] == elf.MAGIC:
        return "elf"
    if head[:4] in macho.THIN_MAGICS or macho.is_fat_magic(head):
        return "macho"
    if head[:2] == pe.MAGIC and len(head) >= 64:
        return "pe"
    return None


def central_directory_finding(
    file: IO[bytes], limits: Limits | None = None
) -> Finding[Code] | None:
    """Check the end-of-central-directory record before zipfile loads every entry into memory:
    a directory declaring millions of entries is a finding, not an allocation."""
    limits = limits or Limits()
    size = file.seek(0, 2)
    tail_size = min(size, _EOCD_SEARCH)
    file.seek(size - tail_size)
    tail = file.read(tail_size)
    file.seek(0)
    at = tail.rfind(b"PK\x05\x06")
    if at < 0 or at + 22 > len(tail):
        return None  # zipfile will say what is wrong
    entries, directory_size = struct.unpack_from("<HI", tail, at + 10)
    zip64 = tail.rfind(b"PK\x06\x06", 0, at)
    if zip64 >= 0 and zip64 + 56 <= len(tail):
        entries, directory_size = struct.unpack_from("<QQ", tail, zip64 + 32)
    if entries > limits.max_members or directory_size > limits.max_metadata_size * 16:
        return _error(
            Code.ZIP_BOMB,
            "central directory too large, not read",
            evidence=f"{entries} entries, {directory_size} bytes",
        )
    return None


def scan_wheel(archive: zipfile.ZipFile, limits: Limits | None = None) -> WheelContents:
    """Walk every member of an open wheel archive."""
    limits = limits or Limits()
    findings: list[Finding[Code]] = []
    # Not ZipInfo.is_dir(): it raises IndexError on a member whose name is empty.
    infos = [i for i in archive.infolist() if not i.filename.endswith("/")]
    if len(infos) > limits.max_members:
        findings.append(_error(Code.ZIP_BOMB, f"{len(infos)} members (limit {limits.max_members})"))
        return WheelContents(members=(), binaries=(), wheel_metadata=None, findings=tuple(findings))
    safe = list(_safe_members(infos, limits, findings))
    dist_info = _dist_info(safe, findings)
    wheel_text = _metadata(archive, safe, f"{dist_info}/WHEEL", limits, findings)
    if dist_info is not None and wheel_text is None:
        findings.append(_error(Code.WHEEL_METADATA, f"no readable {dist_info}/WHEEL"))
    record = _record(archive, safe, dist_info, limits, findings)
    hex_digests: list[str] = []
    binaries = [
        b for info in safe if (b := _scan_member(archive, info, record, findings, hex_digests))
    ]
    if hex_digests:
        findings.append(
            Finding(
                code=Code.RECORD_HASH,
                severity=Severity.WARNING,
                message=f"{len(hex_digests)} RECORD hashes are hex, not base64 (but match)",
                member=hex_digests[0],
            )
        )
    if record is not None:
        present = {i.filename for i in infos}
        for path in sorted(set(record) - present):
            findings.append(
                _error(Code.RECORD_ABSENT_FILE, "listed in RECORD but not in the wheel", path)
            )
    return WheelContents(
        members=tuple(i.filename for i in infos),
        binaries=tuple(binaries),
        wheel_metadata=wheel_text,
        findings=tuple(findings),
    )


def _error(
    code: Code, message: str, member: str | None = None, evidence: str = ""
) -> Finding[Code]:
    return Finding(
        code=code, severity=Severity.ERROR, message=message, member=member, evidence=evidence
    )


def _safe_members(
    infos: list[zipfile.ZipInfo], limits: Limits, findings: list[Finding[Code]]
) -> Iterator[zipfile.ZipInfo]:
    total = 0
    seen: set[str] = set()
    for info in infos:
        name = info.filename
        if name.startswith("/") or "\\" in name or _DRIVE.match(name) or ".." in name.split("/"):
            findings.append(_error(Code.UNSAFE_PATH, "unsafe member name", name, repr(name)))
            continue
        if name in seen:
            findings.append(_error(Code.UNSAFE_PATH, "duplicate member name", name, repr(name)))
            continue
        seen.add(name)
        ratio = info.file_size / max(info.compress_size, 1)
        total += info.file_size
        evidence = f"{info.file_size} bytes from {info.compress_size} compressed"
        if info.file_size > limits.max_member_size or (
            info.file_size >= limits.min_bomb_size and ratio > limits.max_ratio
        ):
            findings.append(_error(Code.ZIP_BOMB, f"ratio {ratio:.0f}:1, not read", name, evidence))
            continue
        if total > limits.max_total_size:
            findings.append(
                _error(Code.ZIP_BOMB, "total uncompressed size over the limit", name, evidence)
            )
            return
        yield info


def _dist_info(infos: list[zipfile.ZipInfo], findings: list[Finding[Code]]) -> str | None:
    dirs = sorted(
        {
            i.filename.split("/", 1)[0]
            for i in infos
            if i.filename.count("/") == 1 and i.filename.split("/", 1)[0].endswith(".dist-info")
        }
    )
    if len(dirs) != 1:
        findings.append(
            _error(Code.WHEEL_METADATA, f"expected one .dist-info directory, found {len(dirs)}")
        )
        return None
    return dirs[0]


def _metadata(
    archive: zipfile.ZipFile,
    infos: list[zipfile.ZipInfo],
    name: str,
    limits: Limits,
    findings: list[Finding[Code]],
) -> str | None:
    info = next((i for i in infos if i.filename == name), None)
    if info is None:
        return None
    if info.file_size > limits.max_metadata_size:
        findings.append(_error(Code.ZIP_BOMB, "metadata file too large, not read", name))
        return None
    try:
        with archive.open(info) as stream:
            return stream.read(limits.max_metadata_size).decode("utf-8")
    except (*ZIP_ERRORS, UnicodeDecodeError) as exc:
        findings.append(_error(Code.CORRUPT_MEMBER, f"cannot read: {exc}", name))
        return None


_Record = dict[str, tuple[str, str, int | None]]  # path -> (algorithm, digest, size)


def _record(
    archive: zipfile.ZipFile,
    infos: list[zipfile.ZipInfo],
    dist_info: str | None,
    limits: Limits,
    findings: list[Finding[Code]],
) -> _Record | None:
    name = f"{dist_info}/RECORD"
    text = _metadata(archive, infos, name, limits, findings) if dist_info else None
    if text is None:
        findings.append(_error(Code.RECORD_MISSING, f"no readable {name}" if dist_info else "-"))
        return None
    record: _Record = {}
    try:
        for row in csv.reader(_lines(text)):
            if not row:
                continue
            path, digest, size = (*row, "", "")[:3]
            algorithm, _, value = digest.partition("=")
            record[path] = (algorithm, value, int(size) if size.strip() else None)
    except (csv.Error, ValueError) as exc:
        findings.append(_error(Code.RECORD_MISSING, f"RECORD is malformed: {exc}", name))
        return None
    return record


def _lines(text: str) -> Iterator[str]:
    # One line at a time: StringIO widens the text to 4 bytes a character and splitlines
    # copies it whole; a torch-sized RECORD is 12,000 lines.
    start = 0
    while start < len(text):
        end = text.find("\n", start)
        end = len(text) if end < 0 else end + 1
        yield text[start:end]
        start = end


def _hasher(record: _Record | None, name: str) -> tuple[hashlib._Hash | None, str, int | None]:
    if record is None:
        return None, "", None
    algorithm, digest, size = record.get(name, ("", "", None))
    if algorithm not in hashlib.algorithms_guaranteed or algorithm in ("md5", "sha1"):
        return None, digest, size
    return hashlib.new(algorithm), digest, size


def _scan_member(
    archive: zipfile.ZipFile,
    info: zipfile.ZipInfo,
    record: _Record | None,
    findings: list[Finding[Code]],
    hex_digests: list[str],
) -> BinaryFile | None:
    name = info.filename
    hasher, digest, size = _hasher(record, name)
    exempt = name.rsplit("/", 1)[-1] in _RECORD_EXEMPT and name.count("/") == 1
    if record is not None and hasher is None and not exempt:
        findings.append(_error(Code.RECORD_UNLISTED, "not in RECORD with a usable hash", name))
    binary: BinaryFile | None = None
    try:
        reader = MemberReader(lambda: archive.open(info), info.file_size, hasher=hasher)
        binary = _read_binary(reader, name, findings)
        hashed = reader.finish()
    except ZIP_ERRORS as exc:
        findings.append(_error(Code.CORRUPT_MEMBER, f"cannot decompress: {exc}", name))
        return binary
    if hasher is not None:
        actual = base64.urlsafe_b64encode(hasher.digest()).rstrip(b"=").decode()
        if digest.lower() == hasher.hexdigest():
            hex_digests.append(name)
        elif actual != digest.rstrip("="):
            evidence = f"RECORD {digest}, actual {actual}"
            findings.append(_error(Code.RECORD_HASH, "hash does not match RECORD", name, evidence))
        if size is not None and size != hashed:
            evidence = f"RECORD {size}, actual {hashed}"
            findings.append(_error(Code.RECORD_SIZE, "size does not match RECORD", name, evidence))
    return binary


def _read_binary(
    reader: MemberReader, name: str, findings: list[Finding[Code]]
) -> BinaryFile | None:
    kind: Format | None = None
    try:
        kind = sniff(reader.read_at(0, min(64, reader.size)))
        if kind == "elf":
            return BinaryFile(member=name, format=kind, elf=elf.read_elf(reader))
        if kind == "pe":
            return BinaryFile(member=name, format=kind, pe=pe.read_pe(reader))
        if kind == "macho":
            return BinaryFile(member=name, format=kind, macho=macho.read_macho(reader))
    except (MalformedBinary, ValueError, struct.error) as exc:
        findings.append(_error(Code.MALFORMED_BINARY, f"unreadable {kind} headers", name, str(exc)))
    return None
