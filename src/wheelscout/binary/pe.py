"""PE/COFF (Windows DLLs and ``.pyd``): machine and imported DLL names.

Reads the DOS stub pointer, the COFF header, the section table and the import directory.
ARM64X images carry the ARM64 machine in their header; telling them apart needs the load
config's CHPE metadata, which is not read (so they report as ``ARM64``).
"""

from __future__ import annotations

import enum
import struct
from dataclasses import dataclass
from typing import IO

from wheelscout.binary._stream import MalformedBinary, MemberReader, seekable_opener

__all__ = ["PeInfo", "PeMachine", "parse_pe", "read_pe"]

MAGIC = b"MZ"
_MAX_SECTIONS = 96  # the Windows loader's own limit
_MAX_IMPORTS = 4096
_IMAGE_FILE_DLL = 0x2000
_COFF = struct.Struct("<HHIIIHH")
_SECTION = struct.Struct("<8sIIII16x")
_DESCRIPTOR = struct.Struct("<IIIII")


class PeMachine(enum.IntEnum):
    I386 = 0x14C
    AMD64 = 0x8664
    ARM64 = 0xAA64
    ARM64EC = 0xA641
    ARM64X = 0xA64E
    ARMNT = 0x1C4
    IA64 = 0x200


@dataclass(frozen=True, slots=True, kw_only=True)
class PeInfo:
    machine: int
    dll: bool
    imports: tuple[str, ...] = ()

    @property
    def machine_name(self) -> str:
        """``ARM64``, ``AMD64``, ... or ``0x....`` for a machine we do not name."""
        try:
            return PeMachine(self.machine).name
        except ValueError:
            return f"{self.machine:#06x}"


def parse_pe(stream: IO[bytes], size: int) -> PeInfo:
    """Read a PE file from a seekable stream of ``size`` bytes."""
    return read_pe(MemberReader(seekable_opener(stream), size))


def read_pe(reader: MemberReader) -> PeInfo:
    """Read a PE image through a `MemberReader`; `MalformedBinary` if it cannot be read."""
    dos = reader.read_at(0, 64)
    if dos[:2] != MAGIC:
        raise MalformedBinary("not a PE file")
    (lfanew,) = struct.unpack_from("<I", dos, 0x3C)
    if reader.read_at(lfanew, 4) != b"PE\0\0":
        raise MalformedBinary(f"no PE signature at {lfanew:#x}")
    machine, nsections, _, _, _, optsize, flags = _COFF.unpack(
        reader.read_at(lfanew + 4, _COFF.size)
    )
    if nsections > _MAX_SECTIONS:
        raise MalformedBinary(f"{nsections} sections (more than {_MAX_SECTIONS})")
    optional = reader.read_at(lfanew + 4 + _COFF.size, optsize)
    sections = _sections(reader, lfanew + 4 + _COFF.size + optsize, nsections)
    imports = _imports(reader, optional, sections)
    return PeInfo(machine=machine, dll=bool(flags & _IMAGE_FILE_DLL), imports=imports)


_Section = tuple[int, int, int]  # virtual address, virtual size, file offset


def _sections(reader: MemberReader, offset: int, count: int) -> list[_Section]:
    table = reader.read_at(offset, count * _SECTION.size)
    out = []
    for _, vsize, vaddr, rawsize, rawptr in _SECTION.iter_unpack(table):
        out.append((vaddr, max(vsize, rawsize), rawptr))
    return out


def _to_offset(rva: int, sections: list[_Section]) -> int:
    for vaddr, vsize, rawptr in sections:
        if vaddr <= rva < vaddr + vsize:
            return rva - vaddr + rawptr
    raise MalformedBinary(f"RVA {rva:#x} is in no section")


def _imports(reader: MemberReader, optional: bytes, sections: list[_Section]) -> tuple[str, ...]:
    if len(optional) < 2:
        return ()
    (magic,) = struct.unpack_from("<H", optional, 0)
    directories = {0x10B: 96, 0x20B: 112}.get(magic)
    if directories is None:
        raise MalformedBinary(f"unknown optional header magic {magic:#x}")
    if len(optional) < directories + 16:
        return ()
    rva, _ = struct.unpack_from("<II", optional, directories + 8)
    if rva == 0:
        return ()
    offset = _to_offset(rva, sections)
    names: list[int] = []
    while True:
        *_, name, _ = _DESCRIPTOR.unpack(reader.read_at(offset, _DESCRIPTOR.size))
        if name == 0:
            break
        names.append(_to_offset(name, sections))
        if len(names) > _MAX_IMPORTS:
            raise MalformedBinary(f"more than {_MAX_IMPORTS} imported DLLs")
        offset += _DESCRIPTOR.size
    found = {at: reader.read_cstring(at, 512).decode("ascii", "replace") for at in sorted(names)}
    return tuple(found[at] for at in names)
