"""Find a wheel's ``*.dist-info/METADATA`` through byte ranges, without reading the rest.

Sans-IO, in the manner of h11: the caller asks :meth:`WheelMetadataReader.want` which bytes to
fetch, fetches them however it likes, and hands them to :meth:`WheelMetadataReader.feed`, until
``want()`` returns ``None`` and :attr:`WheelMetadataReader.metadata` holds the member's bytes.
A whole file fed at once needs no further requests, so the same code reads full downloads.

Reads: the end of central directory record (and its zip64 twin) from a tail, then the central
directory, then only the METADATA member's local header and data, checked against its CRC-32.
"""

from __future__ import annotations

import re
import struct
import zlib
from dataclasses import dataclass

from packaging.utils import canonicalize_name

from wheelscout.errors import MalformedResponse
from wheelscout.limits import (
    MAX_ARCHIVE_ENTRIES,
    MAX_CENTRAL_DIRECTORY_BYTES,
    MAX_MEMBER_BYTES,
    MIB,
)

__all__ = ["DEFAULT_TAIL", "ByteRange", "WheelMetadataReader", "parse_content_range"]

# Large enough for the central directory of most wheels (roughly 100 bytes per member), so a
# typical read is two requests: the tail, then METADATA.
DEFAULT_TAIL = 64 * 1024
_EOCD = b"PK\x05\x06"
_EOCD64_LOCATOR = b"PK\x06\x07"
_EOCD64 = b"PK\x06\x06"
_CENTRAL = b"PK\x01\x02"
_LOCAL = b"PK\x03\x04"
_LOCAL_SLACK = 512  # guess for the local header's extra field, which may differ from central
_MAX_COMMENT = 0xFFFF
_CONTENT_RANGE = re.compile(r"^bytes (\d+)-(\d+)/(\d+|\*)$")


@dataclass(frozen=True, slots=True, kw_only=True)
class ByteRange:
    """Bytes to request. ``start=None`` means the last ``length`` bytes (a suffix range)."""

    start: int | None
    length: int

    @property
    def header(self) -> str:
        """The HTTP ``Range`` header value."""
        if self.start is None:
            return f"bytes=-{self.length}"
        return f"bytes={self.start}-{self.start + self.length - 1}"


def parse_content_range(value: str) -> tuple[int, int, int | None]:
    """``"bytes 10-19/100"`` -> ``(10, 20, 100)`` (end exclusive; total None when ``*``)."""
    match = _CONTENT_RANGE.match(value.strip())
    if match is None:
        raise MalformedResponse(f"unexpected Content-Range {value!r}")
    total = None if match[3] == "*" else int(match[3])
    return int(match[1]), int(match[2]) + 1, total


@dataclass(frozen=True, slots=True)
class _Member:
    name: str
    method: int
    crc: int
    compressed: int
    size: int
    offset: int


class WheelMetadataReader:
    """State machine reading ``<name>-<version>.dist-info/METADATA`` out of a wheel."""

    def __init__(self, filename: str, *, tail: int = DEFAULT_TAIL) -> None:
        self.filename = filename
        self.metadata: bytes | None = None
        self._tail = tail
        self._total: int | None = None
        self._segments: list[tuple[int, bytes]] = []
        self._central: tuple[int, int] | None = None  # (offset, size)
        self._member: _Member | None = None
        self._need: ByteRange | None = None  # a zip64 end record piece

    def want(self) -> ByteRange | None:
        """The next bytes needed, or ``None`` when :attr:`metadata` is set."""
        if self.metadata is not None:
            return None
        if self._total is None:
            return ByteRange(start=None, length=self._tail)
        if self._central is None:
            return self._want_eocd()
        if self._member is None:
            offset, size = self._central
            return self._missing(offset, size)
        return self._want_member(self._member)

    def feed(self, start: int, data: bytes, total: int) -> None:
        """Hand over ``data``, found at ``start`` in a file of ``total`` bytes."""
        self._total = total
        self._segments = _coalesce([*self._segments, (start, data)])
        self._advance()

    # -- progress --------------------------------------------------------------------------

    def _advance(self) -> None:
        if self._central is None:
            self._central = self._find_central()
        if self._central is not None and self._member is None:
            block = self._read(*self._central)
            if block is not None:
                self._member = self._choose(list(self._members(block)))
        if self._member is not None:
            self.metadata = self._extract(self._member)

    def _read(self, start: int, length: int) -> bytes | None:
        for seg_start, seg in self._segments:
            if seg_start <= start and start + length <= seg_start + len(seg):
                return seg[start - seg_start : start - seg_start + length]
        return None

    def _missing(self, start: int, length: int) -> ByteRange:
        # Only ask for what no segment holds yet at the front; the tail usually covers the end.
        for seg_start, seg in self._segments:
            if start < seg_start <= start + length <= seg_start + len(seg):
                return ByteRange(start=start, length=seg_start - start)
        return ByteRange(start=start, length=length)

    def _covered_tail(self) -> int:
        assert self._total is not None
        ends = [s for s, seg in self._segments if s + len(seg) == self._total]
        return self._total - min(ends) if ends else 0

    def _fail(self, problem: str) -> MalformedResponse:
        return MalformedResponse(f"wheel {self.filename!r}: {problem}")

    # -- end of central directory ----------------------------------------------------------

    def _want_eocd(self) -> ByteRange:
        assert self._total is not None
        if self._need is not None:
            return self._need
        have = self._covered_tail()
        if have >= min(self._total, _MAX_COMMENT + 22 + 20):
            raise self._fail("no end of central directory record (not a zip file?)")
        length = min(self._total, _MAX_COMMENT + 22 + 20) - have
        return ByteRange(start=self._total - have - length, length=length)

    def _find_central(self) -> tuple[int, int] | None:
        assert self._total is not None
        self._need = None
        have = self._covered_tail()
        tail = self._read(self._total - have, have) or b""
        at = len(tail)
        while (at := tail.rfind(_EOCD, 0, at)) >= 0:
            if len(tail) - at < 22:
                continue
            fields = struct.unpack("<4HIIH", tail[at + 4 : at + 22])
            if at + 22 + fields[6] != len(tail):
                continue  # the signature bytes inside a comment or data, not the record
            _, _, _, entries, size, offset, _ = fields
            if offset != 0xFFFFFFFF and size != 0xFFFFFFFF and entries != 0xFFFF:
                return self._checked_central(offset, size)
            return self._find_central64(self._total - have + at)
        return None

    def _checked_central(self, offset: int, size: int) -> tuple[int, int]:
        assert self._total is not None
        if size > MAX_CENTRAL_DIRECTORY_BYTES:
            raise self._fail(
                f"central directory of {size} bytes is over the limit of "
                f"{MAX_CENTRAL_DIRECTORY_BYTES // MIB} MiB"
            )
        if offset + size > self._total:
            raise self._fail("central directory runs past the end of the file")
        return offset, size

    def _find_central64(self, eocd_at: int) -> tuple[int, int] | None:
        assert self._total is not None
        if eocd_at < 20:
            raise self._fail("zip64 end of central directory locator missing")
        locator = self._read(eocd_at - 20, 20)
        if locator is None:
            self._need = ByteRange(start=eocd_at - 20, length=20)
            return None
        if not locator.startswith(_EOCD64_LOCATOR):
            raise self._fail("zip64 end of central directory locator missing")
        (record_at,) = struct.unpack("<Q", locator[8:16])
        if record_at + 56 > self._total:
            raise self._fail("zip64 end of central directory record past the end of the file")
        record = self._read(record_at, 56)
        if record is None:
            self._need = ByteRange(start=record_at, length=56)
            return None
        if not record.startswith(_EOCD64):
            raise self._fail("zip64 end of central directory record missing")
        size, offset = struct.unpack("<QQ", record[40:56])
        return self._checked_central(offset, size)

    # -- central directory -----------------------------------------------------------------

    def _members(self, block: bytes) -> list[_Member]:
        members, at = [], 0
        while at + 46 <= len(block) and block[at : at + 4] == _CENTRAL:
            fields = struct.unpack("<4s6H3I5H2I", block[at : at + 46])
            method, crc, compressed, size = fields[4], fields[7], fields[8], fields[9]
            name_len, extra_len, comment_len = fields[10], fields[11], fields[12]
            offset = fields[16]
            name = block[at + 46 : at + 46 + name_len].decode("utf-8", "replace")
            extra = block[at + 46 + name_len : at + 46 + name_len + extra_len]
            size, compressed, offset = _zip64_extra(extra, size, compressed, offset)
            members.append(_Member(name, method, crc, compressed, size, offset))
            at += 46 + name_len + extra_len + comment_len
            # Counted as read: the end record's entry count is not trusted.
            if len(members) > MAX_ARCHIVE_ENTRIES:
                raise self._fail(f"more than {MAX_ARCHIVE_ENTRIES} entries: over the limit")
        return members

    def _choose(self, members: list[_Member]) -> _Member:
        candidates = [m for m in members if re.fullmatch(r"[^/]+\.dist-info/METADATA", m.name)]
        project = canonicalize_name(self.filename.split("-")[0])
        named = [m for m in candidates if canonicalize_name(m.name.split("-")[0]) == project]
        chosen = named or candidates
        if len(chosen) != 1:
            found = [m.name for m in chosen]
            raise self._fail(f"expected one *.dist-info/METADATA, found {found!r}")
        member = chosen[0]
        if max(member.size, member.compressed) > MAX_MEMBER_BYTES:
            raise self._fail(_too_large(member.name))
        assert self._total is not None
        if member.offset + 30 + member.compressed > self._total:
            raise self._fail(f"{member.name!r} runs past the end of the file")
        return member

    # -- the member ------------------------------------------------------------------------

    def _want_member(self, member: _Member) -> ByteRange:
        assert self._total is not None
        header = self._read(member.offset, 30)
        if header is None:
            guess = 30 + len(member.name.encode()) + _LOCAL_SLACK + member.compressed
            return ByteRange(start=member.offset, length=min(guess, self._total - member.offset))
        name_len, extra_len = struct.unpack("<HH", header[26:30])
        length = 30 + name_len + extra_len + member.compressed
        if member.offset + length > self._total:
            raise self._fail(f"{member.name!r} runs past the end of the file")
        return ByteRange(start=member.offset, length=length)

    def _extract(self, member: _Member) -> bytes | None:
        header = self._read(member.offset, 30)
        if header is None:
            return None
        if not header.startswith(_LOCAL):
            raise self._fail(f"bad local header for {member.name!r}")
        name_len, extra_len = struct.unpack("<HH", header[26:30])
        data = self._read(member.offset + 30 + name_len + extra_len, member.compressed)
        if data is None:
            return None
        if member.method == 0:
            content = data
        elif member.method == 8:
            content = self._inflate(member, data)
        else:
            raise self._fail(f"unsupported compression method {member.method} for METADATA")
        if zlib.crc32(content) != member.crc:
            raise self._fail(f"CRC mismatch in {member.name!r}")
        return content

    def _inflate(self, member: _Member, data: bytes) -> bytes:
        # The declared size may lie (a deflate bomb): stop inflating one byte past the limit.
        inflater = zlib.decompressobj(-15)
        try:
            content = inflater.decompress(data, MAX_MEMBER_BYTES + 1)
        except zlib.error as exc:
            raise self._fail(f"cannot inflate {member.name!r}: {exc}") from None
        if len(content) > MAX_MEMBER_BYTES:
            raise self._fail(_too_large(member.name))
        return content


def _too_large(name: str) -> str:
    return f"{name!r} is over the limit of {MAX_MEMBER_BYTES // MIB} MiB uncompressed"


def _zip64_extra(extra: bytes, size: int, compressed: int, offset: int) -> tuple[int, int, int]:
    at = 0
    while at + 4 <= len(extra):
        tag, length = struct.unpack("<HH", extra[at : at + 4])
        if tag == 0x0001:
            # A field may claim more bytes than the record holds: read only what is there.
            count = min(length, len(extra) - at - 4) // 8
            values = list(struct.unpack(f"<{count}Q", extra[at + 4 : at + 4 + count * 8]))
            if size == 0xFFFFFFFF and values:
                size = values.pop(0)
            if compressed == 0xFFFFFFFF and values:
                compressed = values.pop(0)
            if offset == 0xFFFFFFFF and values:
                offset = values.pop(0)
        at += 4 + length
    return size, compressed, offset


def _coalesce(segments: list[tuple[int, bytes]]) -> list[tuple[int, bytes]]:
    merged: list[tuple[int, bytes]] = []
    for start, data in sorted(segments, key=lambda seg: seg[0]):
        if merged and start <= merged[-1][0] + len(merged[-1][1]):
            prev_start, prev = merged[-1]
            overlap = prev_start + len(prev) - start
            merged[-1] = (prev_start, prev + data[overlap:])
        else:
            merged.append((start, data))
    return merged
