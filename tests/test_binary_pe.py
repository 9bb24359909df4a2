"""PE reader over committed headers of real win_arm64 / win_amd64 extension modules."""

from __future__ import annotations

import io
import struct

import pytest

from tests.support.wheels import fixture
from wheelscout.binary._stream import MalformedBinary
from wheelscout.binary.pe import PeInfo, PeMachine, parse_pe

ARM64 = "win_arm64-_speedups.cp312-win_arm64.pyd"
AMD64 = "win_amd64-_speedups.cp312-win_amd64.pyd"
IMPORTS = ("python312.dll", "KERNEL32.dll", "VCRUNTIME140.dll", "api-ms-win-crt-runtime-l1-1-0.dll")


def _parse(data: bytes) -> PeInfo:
    return parse_pe(io.BytesIO(data), len(data))


@pytest.mark.parametrize(
    ("name", "machine"), [(ARM64, "ARM64"), (AMD64, "AMD64")], ids=["arm64", "amd64"]
)
def test_committed_headers(name: str, machine: str) -> None:
    info = _parse(fixture(name))
    assert info.machine_name == machine
    assert info.imports == IMPORTS


def _with_machine(machine: int) -> bytes:
    data = bytearray(fixture(ARM64))
    (lfanew,) = struct.unpack_from("<I", data, 0x3C)
    struct.pack_into("<H", data, lfanew + 4, machine)
    return bytes(data)


@pytest.mark.parametrize(
    ("machine", "name"),
    [
        (PeMachine.ARM64EC, "ARM64EC"),
        (PeMachine.ARM64X, "ARM64X"),
        (PeMachine.I386, "I386"),
        (0x1234, "0x1234"),
    ],
    ids=["arm64ec", "arm64x", "i386", "unknown"],
)
def test_machine_names(machine: int, name: str) -> None:
    assert _parse(_with_machine(machine)).machine_name == name


def test_huge_section_count_raises() -> None:
    data = bytearray(fixture(ARM64))
    (lfanew,) = struct.unpack_from("<I", data, 0x3C)
    struct.pack_into("<H", data, lfanew + 6, 0xFFFF)
    with pytest.raises(MalformedBinary, match="sections"):
        _parse(bytes(data))


@pytest.mark.parametrize("length", [0, 2, 63, 64, 0x80, 0x100], ids=lambda n: f"{n}-bytes")
def test_truncated_raises(length: int) -> None:
    with pytest.raises(MalformedBinary):
        _parse(fixture(ARM64)[:length])


def test_lying_lfanew_raises() -> None:
    data = bytearray(fixture(ARM64))
    struct.pack_into("<I", data, 0x3C, 0x7FFFFFF0)
    with pytest.raises(MalformedBinary):
        _parse(bytes(data))


def _chpe_offset(data: bytes) -> int:
    """File offset of CHPEMetadataPointer, found the long way round (independent of pe.py)."""
    (lfanew,) = struct.unpack_from("<I", data, 0x3C)
    nsections, optsize = (
        struct.unpack_from("<H", data, lfanew + 6)[0],
        struct.unpack_from("<H", data, lfanew + 20)[0],
    )
    optional = lfanew + 24
    (rva,) = struct.unpack_from("<I", data, optional + 112 + 8 * 10)
    for i in range(nsections):
        _, vsize, vaddr, rawsize, rawptr = struct.unpack_from(
            "<8sIIII", data, optional + optsize + 40 * i
        )
        if vaddr <= rva < vaddr + max(vsize, rawsize):
            offset: int = rva - vaddr + rawptr + 200
            return offset
    raise AssertionError("no load config")


@pytest.mark.parametrize(
    ("name", "hybrid"), [(ARM64, "ARM64X"), (AMD64, "ARM64EC")], ids=["arm64x", "arm64ec"]
)
def test_chpe_metadata_marks_hybrid_images(name: str, hybrid: str) -> None:
    data = bytearray(fixture(name))
    at = _chpe_offset(bytes(data))
    assert _parse(bytes(data)).machine_name in ("ARM64", "AMD64")
    struct.pack_into("<Q", data, at, 0x180001000)
    assert _parse(bytes(data)).machine_name == hybrid
