"""ELF reader over real binaries: gcc output built here, and committed aarch64/musl headers."""

from __future__ import annotations

import io
import struct

import pytest

from tests.support.wheels import EXT_SOURCE, fixture, gcc_shared
from wheelscout.binary._stream import MalformedBinary
from wheelscout.binary.elf import ElfInfo, VersionNeed, elf_arch, parse_elf

AARCH64 = "manylinux_2_17_aarch64-_speedups.cpython-312-aarch64-linux-gnu.so"
MUSL = "musllinux_1_2_x86_64-_speedups.cpython-312-x86_64-linux-musl.so"


def _parse(data: bytes) -> ElfInfo:
    return parse_elf(io.BytesIO(data), len(data))


def _gcc(*flags: str) -> bytes:
    data = gcc_shared(EXT_SOURCE, *flags)
    if data is None:
        pytest.skip("gcc is not available")
    return data


def test_gcc_shared_object() -> None:
    info = _parse(_gcc("-Wl,-rpath,$ORIGIN/../lib", "-Wl,--disable-new-dtags"))
    assert (info.arch, info.bits, info.byteorder) == ("x86_64", 64, "little")
    assert "libc.so.6" in info.needed
    assert VersionNeed(library="libc.so.6", version="GLIBC_2.14") in info.version_needs
    assert info.rpath == ("$ORIGIN/../lib",)
    assert info.runpath == ()


def test_runpath_is_read() -> None:
    info = _parse(_gcc("-Wl,-rpath,$ORIGIN:/opt/x", "-Wl,--enable-new-dtags"))
    assert info.runpath == ("$ORIGIN", "/opt/x")


@pytest.mark.parametrize(
    ("name", "arch", "needed", "versions"),
    [
        (AARCH64, "aarch64", ("libpthread.so.0", "libc.so.6"), ("GLIBC_2.17",)),
        (MUSL, "x86_64", ("libc.musl-x86_64.so.1",), ()),
    ],
    ids=["manylinux-aarch64", "musllinux-x86_64"],
)
def test_committed_headers(
    name: str, arch: str, needed: tuple[str, ...], versions: tuple[str, ...]
) -> None:
    info = _parse(fixture(name))
    assert info.arch == arch
    assert info.needed == needed
    assert tuple(n.version for n in info.version_needs) == versions


@pytest.mark.parametrize("length", [0, 10, 40, 63, 64, 100, 1000], ids=lambda n: f"{n}-bytes")
def test_truncated_header_raises(length: int) -> None:
    with pytest.raises(MalformedBinary):
        _parse(fixture(AARCH64)[:length])


def test_huge_program_header_count_raises() -> None:
    data = bytearray(fixture(AARCH64))
    struct.pack_into("<H", data, 56, 0xFFFF)
    with pytest.raises(MalformedBinary, match="program headers"):
        _parse(bytes(data))


def test_string_index_past_table_raises() -> None:
    data = bytearray(_gcc())
    info = _parse(bytes(data))
    assert info.needed
    # Point DT_STRSZ at 1 byte: every name now lies past the string table.
    table = _dynamic_table(bytes(data))
    for at in range(table[0], table[0] + table[1], 16):
        tag, _ = struct.unpack_from("<qQ", data, at)
        if tag == 10:
            struct.pack_into("<qQ", data, at, 10, 1)
    with pytest.raises(MalformedBinary, match="past the string table"):
        _parse(bytes(data))


def _dynamic_table(data: bytes) -> tuple[int, int]:
    (phoff,) = struct.unpack_from("<Q", data, 32)
    phentsize, phnum = struct.unpack_from("<HH", data, 54)
    for i in range(phnum):
        ptype, _, offset, _, _, filesz, _, _ = struct.unpack_from(
            "<IIQQQQQQ", data, phoff + i * phentsize
        )
        if ptype == 2:
            return offset, filesz
    raise AssertionError("no PT_DYNAMIC")


@pytest.mark.parametrize(
    ("machine", "bits", "order", "arch"),
    [
        (62, 64, "little", "x86_64"),
        (3, 32, "little", "i686"),
        (21, 64, "big", "ppc64"),
        (22, 64, "big", "s390x"),
        (999, 64, "little", "elf-machine-999-64bit-little"),
    ],
    ids=["x86_64", "i686", "ppc64", "s390x", "unknown"],
)
def test_arch_names(machine: int, bits: int, order: str, arch: str) -> None:
    assert elf_arch(machine, bits, order) == arch


def test_not_elf_raises() -> None:
    with pytest.raises(MalformedBinary, match="not an ELF"):
        _parse(b"\0" * 64)


def test_size_is_found_by_seeking() -> None:
    data = fixture(AARCH64)
    assert parse_elf(io.BytesIO(data)) == _parse(data)


@pytest.mark.parametrize(
    ("flags", "executable"),
    [(["-shared", "-fPIC"], False), (["-pie", "-fPIE"], True), (["-static-pie", "-fPIE"], True)],
    ids=["shared-object", "pie", "static-pie"],
)
def test_programs_are_told_from_libraries(flags: list[str], executable: bool) -> None:
    data = _gcc_program(*flags)
    assert _parse(data).executable is executable


def _gcc_program(*flags: str) -> bytes:
    import shutil
    import subprocess
    import tempfile
    from pathlib import Path

    gcc = shutil.which("gcc")
    if gcc is None:
        pytest.skip("gcc is not available")
    with tempfile.TemporaryDirectory() as tmp:
        src, out = Path(tmp, "p.c"), Path(tmp, "p")
        src.write_text("int main(void) { return 0; }\n")
        run = subprocess.run([gcc, *flags, "-o", str(out), str(src)], capture_output=True)
        if run.returncode != 0:
            pytest.skip(f"gcc cannot link with {flags}")
        return out.read_bytes()
