"""ELF: machine, class, byte order, ``DT_NEEDED`` and versioned symbol requirements.

Only the program headers, the dynamic table, ``.gnu.version_r`` and the strings they name are
read, located through the dynamic segment, so a 500 MB library costs one forward pass plus a
short second pass over its first pages. Section headers (at the end of the file) are never read.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from typing import IO, Literal

from wheelscout.binary._stream import MalformedBinary, MemberReader, seekable_opener, stream_size

__all__ = ["ElfInfo", "VersionNeed", "elf_arch", "parse_elf", "read_elf"]

MAGIC = b"\x7fELF"

_PT_LOAD, _PT_DYNAMIC, _PT_INTERP = 1, 2, 3
_ET_EXEC = 2
_DT_NEEDED, _DT_STRTAB, _DT_STRSZ, _DT_SONAME, _DT_RPATH, _DT_RUNPATH = 1, 5, 10, 14, 15, 29
_DT_VERNEED, _DT_VERNEEDNUM, _DT_FLAGS_1 = 0x6FFFFFFE, 0x6FFFFFFF, 0x6FFFFFFB
_DF_1_PIE = 0x08000000
_MAX_PHNUM = 4096
_MAX_DYNAMIC = 1 << 20
_MAX_VERNEED = 1 << 16

# (e_machine, bits, byte order) -> the architecture as platform tags spell it.
_ARCHES: dict[tuple[int, int, str], str] = {
    (3, 32, "little"): "i686",
    (62, 64, "little"): "x86_64",
    (183, 64, "little"): "aarch64",
    (40, 32, "little"): "armv7l",
    (21, 64, "little"): "ppc64le",
    (21, 64, "big"): "ppc64",
    (22, 64, "big"): "s390x",
    (243, 64, "little"): "riscv64",
    (258, 64, "little"): "loongarch64",
}


@dataclass(frozen=True, slots=True, kw_only=True)
class VersionNeed:
    """One ``Vernaux`` entry: ``GLIBC_2.17`` required from ``libc.so.6``."""

    library: str
    version: str


@dataclass(frozen=True, slots=True, kw_only=True)
class ElfInfo:
    machine: int
    executable: bool  # a program (ET_EXEC, or PIE: ET_DYN with an interpreter), not a library
    bits: Literal[32, 64]
    byteorder: Literal["little", "big"]
    needed: tuple[str, ...] = ()
    soname: str | None = None
    rpath: tuple[str, ...] = ()
    runpath: tuple[str, ...] = ()
    version_needs: tuple[VersionNeed, ...] = ()

    @property
    def arch(self) -> str:
        """The platform-tag spelling (``aarch64``), or ``elf-machine-<n>``."""
        return elf_arch(self.machine, self.bits, self.byteorder)


def elf_arch(machine: int, bits: int, byteorder: str) -> str:
    return _ARCHES.get((machine, bits, byteorder), f"elf-machine-{machine}-{bits}bit-{byteorder}")


def parse_elf(stream: IO[bytes], size: int | None = None) -> ElfInfo:
    """Read an ELF file from a seekable stream (of ``size`` bytes, found by seeking if omitted)."""
    return read_elf(MemberReader(seekable_opener(stream), stream_size(stream, size)))


def read_elf(reader: MemberReader) -> ElfInfo:
    """Read an ELF file through a `MemberReader`; `MalformedBinary` if it cannot be read."""
    ident = reader.read_at(0, 16)
    if ident[:4] != MAGIC:
        raise MalformedBinary("not an ELF file")
    bits: Literal[32, 64]
    if ident[4] == 1:
        bits = 32
    elif ident[4] == 2:
        bits = 64
    else:
        raise MalformedBinary(f"unknown ELF class {ident[4]}")
    if ident[5] not in (1, 2):
        raise MalformedBinary(f"unknown ELF data encoding {ident[5]}")
    byteorder: Literal["little", "big"] = "little" if ident[5] == 1 else "big"
    layout = _Layout(bits, byteorder)
    etype, machine, phoff, phentsize, phnum = layout.header(reader.read_at(0, layout.ehsize))
    segments = _program_headers(reader, layout, phoff, phentsize, phnum)
    executable = etype == _ET_EXEC or any(s[0] == _PT_INTERP for s in segments)
    info = ElfInfo(machine=machine, executable=executable, bits=bits, byteorder=byteorder)
    dynamic = [s for s in segments if s[0] == _PT_DYNAMIC]
    if not dynamic:
        return info
    loads = [s for s in segments if s[0] == _PT_LOAD]
    return _read_dynamic(reader, layout, info, dynamic[0], loads)


class _Layout:
    def __init__(self, bits: int, byteorder: str) -> None:
        e = "<" if byteorder == "little" else ">"
        self.e = e
        if bits == 64:
            self.ehdr = struct.Struct(e + "16xHHIQQQIHHHHHH")
            self.phdr = struct.Struct(e + "IIQQQQQQ")
            self.dyn = struct.Struct(e + "qQ")
        else:
            self.ehdr = struct.Struct(e + "16xHHIIIIIHHHHHH")
            self.phdr = struct.Struct(e + "IIIIIIII")
            self.dyn = struct.Struct(e + "iI")
        self.bits = bits
        self.ehsize = self.ehdr.size

    def header(self, data: bytes) -> tuple[int, int, int, int, int]:
        etype, machine, _, _, phoff, _, _, _, phentsize, phnum, _, _, _ = self.ehdr.unpack(data)
        return etype, machine, phoff, phentsize, phnum

    def segment(self, data: bytes) -> tuple[int, int, int, int]:
        """(p_type, p_offset, p_vaddr, p_filesz)."""
        if self.bits == 64:
            ptype, _, offset, vaddr, _, filesz, _, _ = self.phdr.unpack(data)
        else:
            ptype, offset, vaddr, _, filesz, _, _, _ = self.phdr.unpack(data)
        return ptype, offset, vaddr, filesz


_Segment = tuple[int, int, int, int]


def _program_headers(
    reader: MemberReader, layout: _Layout, phoff: int, phentsize: int, phnum: int
) -> list[_Segment]:
    if phnum == 0:
        return []
    if phnum > _MAX_PHNUM:
        raise MalformedBinary(f"{phnum} program headers (more than {_MAX_PHNUM})")
    if phentsize < layout.phdr.size:
        raise MalformedBinary(f"program header entry size {phentsize} is too small")
    table = reader.read_at(phoff, phentsize * phnum)
    size = layout.phdr.size
    return [layout.segment(table[i : i + size]) for i in range(0, len(table), phentsize)]


def _to_offset(vaddr: int, loads: list[_Segment]) -> int:
    for _, offset, start, filesz in loads:
        if start <= vaddr < start + filesz:
            return vaddr - start + offset
    raise MalformedBinary(f"address {vaddr:#x} is in no loadable segment")


def _read_dynamic(
    reader: MemberReader, layout: _Layout, info: ElfInfo, dynamic: _Segment, loads: list[_Segment]
) -> ElfInfo:
    entries, needed = _dynamic_entries(reader, layout, dynamic)
    # Static PIE programs have no interpreter; the linker marks them DF_1_PIE.
    executable = info.executable or bool(entries.get(_DT_FLAGS_1, 0) & _DF_1_PIE)
    if _DT_STRTAB not in entries:
        return ElfInfo(
            machine=info.machine, executable=executable, bits=info.bits, byteorder=info.byteorder
        )
    strtab = _to_offset(entries[_DT_STRTAB], loads)
    strsz = entries.get(_DT_STRSZ, reader.size - strtab)
    raw_needs: list[tuple[int, int]] = []
    if _DT_VERNEED in entries:
        verneed = _to_offset(entries[_DT_VERNEED], loads)
        raw_needs = _read_verneed(reader, layout, verneed, entries.get(_DT_VERNEEDNUM, 0))
    wanted = {*needed, *(n for pair in raw_needs for n in pair)}
    wanted |= {entries[t] for t in (_DT_SONAME, _DT_RPATH, _DT_RUNPATH) if t in entries}
    strings = _read_strings(reader, strtab, strsz, wanted)

    def paths(tag: int) -> tuple[str, ...]:
        return tuple(p for p in strings[entries[tag]].split(":") if p) if tag in entries else ()

    return ElfInfo(
        machine=info.machine,
        executable=executable,
        bits=info.bits,
        byteorder=info.byteorder,
        needed=tuple(strings[n] for n in needed),
        soname=strings[entries[_DT_SONAME]] if _DT_SONAME in entries else None,
        rpath=paths(_DT_RPATH),
        runpath=paths(_DT_RUNPATH),
        version_needs=tuple(
            VersionNeed(library=strings[lib], version=strings[name]) for lib, name in raw_needs
        ),
    )


def _dynamic_entries(
    reader: MemberReader, layout: _Layout, dynamic: _Segment
) -> tuple[dict[int, int], list[int]]:
    """The first value of each DT_* tag, and every DT_NEEDED string offset in order."""
    _, offset, _, filesz = dynamic
    size = min(filesz, _MAX_DYNAMIC) // layout.dyn.size * layout.dyn.size
    entries: dict[int, int] = {}
    needed: list[int] = []
    for tag, value in layout.dyn.iter_unpack(reader.read_at(offset, size)):
        if tag == 0:
            break
        if tag == _DT_NEEDED:
            needed.append(value)
        else:
            entries.setdefault(tag, value)
    return entries, needed


def _read_verneed(
    reader: MemberReader, layout: _Layout, offset: int, count: int
) -> list[tuple[int, int]]:
    """(vn_file, vna_name) string offsets for every ``Vernaux`` entry."""
    verneed = struct.Struct(layout.e + "HHIII")
    vernaux = struct.Struct(layout.e + "IHHII")
    out: list[tuple[int, int]] = []
    for _ in range(count):
        _, cnt, file, aux, nxt = verneed.unpack(reader.read_at(offset, verneed.size))
        at = offset + aux
        for _ in range(cnt):
            _, _, _, name, aux_next = vernaux.unpack(reader.read_at(at, vernaux.size))
            out.append((file, name))
            if len(out) > _MAX_VERNEED:
                raise MalformedBinary(f"more than {_MAX_VERNEED} version requirements")
            if aux_next == 0:
                break
            at += aux_next
        if nxt == 0:
            break
        offset += nxt
    return out


def _read_strings(
    reader: MemberReader, strtab: int, strsz: int, wanted: set[int]
) -> dict[int, str]:
    # Ascending order keeps the reads on one forward pass.
    strings: dict[int, str] = {}
    for index in sorted(wanted):
        if index >= strsz:
            raise MalformedBinary(f"string index {index} is past the string table ({strsz})")
        raw = reader.read_cstring(strtab + index, min(4096, strsz - index))
        strings[index] = raw.decode("utf-8", "backslashreplace")
    return strings
