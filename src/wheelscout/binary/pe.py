"""PE/COFF (Windows DLLs and ``.pyd``): machine and imported DLL names.

Reads the DOS stub pointer, the COFF header, the section table, the import directory and the
load config. ARM64EC images say AMD64 and ARM64X images say ARM64 in their COFF header; both
carry a CHPE metadata pointer in the load config, which is how they are told apart.
"""

from __future__ import annotations

import enum
import struct
from dataclasses import dataclass
from typing import IO

from wheelscout.binary._stream import MalformedBinary, MemberReader, seekable_opener, stream_size

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
    """``machine`` is the COFF header's; ``hybrid`` says the image carries CHPE metadata, which
    makes an AMD64 image ARM64EC and an ARM64 image ARM64X."""

    machine: int
    dll: bool
    hybrid: bool = False
    imports: tuple[str, ...] = ()

    @property
    def machine_name(self) -> str:
        """``ARM64``, ``AMD64``, ``ARM64EC``, ``ARM64X``... or ``0x....`` for one we do not name."""
        if self.hybrid and self.machine == PeMachine.AMD64:
            return "ARM64EC"
        if self.hybrid and self.machine == PeMachine.ARM64:
            return "ARM64X"
        try:
            return PeMachine(self.machine).name
        except ValueError:
            return f"{self.machine:#06x}"


def parse_pe(stream: IO[bytes], size: int | None = None) -> PeInfo:
    """Read a PE file from a seekable stream (of ``size`` bytes, found by seeking if omitted)."""
    return read_pe(MemberReader(seekable_opener(stream), stream_size(stream, size)))


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
    directories = _directories(optional)
    # Read in file order: the load config and the import table may come either way round.
    hybrid = _has_chpe(reader, directories, sections) if len(optional) >= 2 else False
    imports = _imports(reader, directories.get(_IMPORT, 0), sections)
    return PeInfo(
        machine=machine, dll=bool(flags & _IMAGE_FILE_DLL), hybrid=hybrid, imports=imports
    )


_Section = tuple[int, int, int]  # virtual address, virtual size, file offset
_IMPORT, _LOAD_CONFIG = 1, 10
# IMAGE_LOAD_CONFIG_DIRECTORY64.CHPEMetadataPointer: set in ARM64EC and ARM64X images only.
_CHPE_POINTER = 200


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


def _directories(optional: bytes) -> dict[int, int]:
    """Data directory index -> RVA, for the ones present (PE32+ only needs 64-bit fields)."""
    if len(optional) < 2:
        return {}
    (magic,) = struct.unpack_from("<H", optional, 0)
    start = {0x10B: 96, 0x20B: 112}.get(magic)
    if start is None:
        raise MalformedBinary(f"unknown optional header magic {magic:#x}")
    count = min((len(optional) - start) // 8, 16)
    rvas = {i: struct.unpack_from("<I", optional, start + 8 * i)[0] for i in range(count)}
    if magic == 0x10B:
        rvas.pop(_LOAD_CONFIG, None)  # 32-bit images are never hybrid
    return {i: rva for i, rva in rvas.items() if rva}


def _has_chpe(reader: MemberReader, directories: dict[int, int], sections: list[_Section]) -> bool:
    if _LOAD_CONFIG not in directories:
        return False
    offset = _to_offset(directories[_LOAD_CONFIG], sections)
    (size,) = struct.unpack("<I", reader.read_at(offset, 4))
    if size < _CHPE_POINTER + 8:
        return False
    pointer: int = struct.unpack("<Q", reader.read_at(offset + _CHPE_POINTER, 8))[0]
    return pointer != 0


def _imports(reader: MemberReader, rva: int, sections: list[_Section]) -> tuple[str, ...]:
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
