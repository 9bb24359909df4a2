"""Mach-O: CPU type of every slice (fat or thin) and its minimum macOS version.

Reads the fat header, then each slice's Mach-O header and load commands, in file order.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from typing import IO

from wheelscout.binary._stream import MalformedBinary, MemberReader, seekable_opener, stream_size

__all__ = ["MachOInfo", "Slice", "is_fat_magic", "parse_macho", "read_macho"]

_THIN = {
    b"\xfe\xed\xfa\xce": (">", 28),
    b"\xce\xfa\xed\xfe": ("<", 28),
    b"\xfe\xed\xfa\xcf": (">", 32),
    b"\xcf\xfa\xed\xfe": ("<", 32),
}
_FAT = b"\xca\xfe\xba\xbe"
_FAT64 = b"\xca\xfe\xba\xbf"
THIN_MAGICS = frozenset(_THIN)
_MAX_SLICES = 32
_MAX_COMMANDS = 1 << 22
_LC_VERSION_MIN_MACOSX = 0x24
_LC_BUILD_VERSION = 0x32
_PLATFORMS = {1: "macos", 2: "ios", 3: "tvos", 4: "watchos", 6: "maccatalyst", 7: "iossimulator"}

_CPU_ABI64 = 0x01000000
_CPU_NAMES = {
    7: "i386",
    7 | _CPU_ABI64: "x86_64",
    12: "arm",
    12 | _CPU_ABI64: "arm64",
    12 | 0x02000000: "arm64_32",
    18: "ppc",
    18 | _CPU_ABI64: "ppc64",
}


@dataclass(frozen=True, slots=True, kw_only=True)
class Slice:
    """One architecture: ``arch`` as macOS platform tags spell it, and its minimum OS."""

    cputype: int
    cpusubtype: int
    filetype: int = 0  # 2 executable, 6 dylib, 8 bundle
    platform: str | None = None
    minos: tuple[int, int, int] | None = None

    @property
    def arch(self) -> str:
        name = _CPU_NAMES.get(self.cputype, f"cpu-{self.cputype:#x}")
        # arm64e (subtype 2) runs only where arm64e is enabled; report it as such.
        return "arm64e" if name == "arm64" and self.cpusubtype & 0xFFFFFF == 2 else name


@dataclass(frozen=True, slots=True, kw_only=True)
class MachOInfo:
    fat: bool
    slices: tuple[Slice, ...]

    @property
    def arches(self) -> tuple[str, ...]:
        return tuple(s.arch for s in self.slices)


def is_fat_magic(head: bytes) -> bool:
    """``0xcafebabe`` is also a Java class file; a fat header has few slices, a class file a
    major version of 45 or more in the same place."""
    if head[:4] == _FAT64:
        return True
    return head[:4] == _FAT and len(head) >= 8 and 0 < int.from_bytes(head[4:8], "big") < 45


def parse_macho(stream: IO[bytes], size: int | None = None) -> MachOInfo:
    """Read a thin or fat Mach-O file from a seekable stream (``size`` found if omitted)."""
    return read_macho(MemberReader(seekable_opener(stream), stream_size(stream, size)))


def read_macho(reader: MemberReader) -> MachOInfo:
    """Read a Mach-O file through a `MemberReader`; `MalformedBinary` if it cannot be read."""
    magic = reader.read_at(0, 4)
    if magic in _THIN:
        return MachOInfo(fat=False, slices=(_read_slice(reader, 0),))
    if magic not in (_FAT, _FAT64):
        raise MalformedBinary("not a Mach-O file")
    (count,) = struct.unpack(">I", reader.read_at(4, 4))
    if count > _MAX_SLICES:
        raise MalformedBinary(f"{count} fat slices (more than {_MAX_SLICES})")
    entry = struct.Struct(">iiQQII" if magic == _FAT64 else ">iiIII")
    table = reader.read_at(8, count * entry.size)
    offsets = [fields[2] for fields in entry.iter_unpack(table)]
    slices = {offset: _read_slice(reader, offset) for offset in sorted(offsets)}
    return MachOInfo(fat=True, slices=tuple(slices[offset] for offset in offsets))


def _read_slice(reader: MemberReader, offset: int) -> Slice:
    magic = reader.read_at(offset, 4)
    if magic not in _THIN:
        raise MalformedBinary(f"no Mach-O header at {offset}")
    e, header_size = _THIN[magic]
    cputype, subtype, filetype, ncmds, sizeofcmds, _ = struct.unpack(
        e + "iiIIII", reader.read_at(offset + 4, 24)
    )
    if sizeofcmds > _MAX_COMMANDS or ncmds > sizeofcmds // 8:
        raise MalformedBinary(f"{ncmds} load commands in {sizeofcmds} bytes")
    commands = reader.read_at(offset + header_size, sizeofcmds)
    platform, minos = _min_version(commands, ncmds, e)
    return Slice(
        cputype=cputype & 0xFFFFFFFF,
        cpusubtype=subtype,
        filetype=filetype,
        platform=platform,
        minos=minos,
    )


_MinVersion = tuple[str | None, tuple[int, int, int] | None]


def _min_version(commands: bytes, ncmds: int, e: str) -> _MinVersion:
    at = 0
    for _ in range(ncmds):
        if at + 8 > len(commands):
            raise MalformedBinary(f"load command at {at} runs past sizeofcmds")
        cmd, size = struct.unpack_from(e + "II", commands, at)
        if size < 8 or at + size > len(commands):
            raise MalformedBinary(f"load command {cmd:#x} has size {size}")
        if cmd == _LC_BUILD_VERSION and size >= 16:
            platform, minos = struct.unpack_from(e + "II", commands, at + 8)
            return _PLATFORMS.get(platform, f"platform-{platform}"), _nibbles(minos)
        if cmd == _LC_VERSION_MIN_MACOSX and size >= 12:
            (version,) = struct.unpack_from(e + "I", commands, at + 8)
            return "macos", _nibbles(version)
        at += size
    return None, None


def _nibbles(value: int) -> tuple[int, int, int]:
    # xxxx.yy.zz packed as 16.8.8 bits
    return value >> 16, (value >> 8) & 0xFF, value & 0xFF
