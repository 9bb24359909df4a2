"""Mach-O reader over committed headers of real universal2 and arm64 extension modules."""

from __future__ import annotations

import io
import struct

import pytest

from tests.support.wheels import fixture
from wheelscout.binary._stream import MalformedBinary
from wheelscout.binary.macho import MachOInfo, is_fat_magic, parse_macho

UNIVERSAL2 = "macosx_10_13_universal2-_speedups.cpython-312-darwin.so"
ARM64 = "macosx_11_0_arm64-_speedups.cpython-312-darwin.so"


def _parse(data: bytes) -> MachOInfo:
    return parse_macho(io.BytesIO(data), len(data))


def test_fat_binary_slices() -> None:
    info = _parse(fixture(UNIVERSAL2))
    assert info.fat
    assert [(s.arch, s.platform, s.minos) for s in info.slices] == [
        ("x86_64", "macos", (10, 13, 0)),
        ("arm64", "macos", (11, 0, 0)),
    ]


def test_thin_binary() -> None:
    info = _parse(fixture(ARM64))
    assert not info.fat
    assert info.arches == ("arm64",)
    assert info.slices[0].minos == (11, 0, 0)


@pytest.mark.parametrize(
    ("head", "fat"),
    [
        (b"\xca\xfe\xba\xbe\0\0\0\x02", True),
        (b"\xca\xfe\xba\xbe\0\0\0\x34", False),
        (b"\xca\xfe\xba\xbf\0\0\0\x01", True),
    ],
    ids=["fat", "java-class-file", "fat64"],
)
def test_fat_magic_is_not_a_java_class(head: bytes, fat: bool) -> None:
    assert is_fat_magic(head) is fat


def test_huge_slice_count_raises() -> None:
    data = bytearray(fixture(UNIVERSAL2))
    struct.pack_into(">I", data, 4, 40)
    with pytest.raises(MalformedBinary, match="fat slices"):
        _parse(bytes(data))


def test_lying_load_command_size_raises() -> None:
    data = bytearray(fixture(ARM64))
    struct.pack_into("<I", data, 16, 100000)  # ncmds far beyond sizeofcmds
    with pytest.raises(MalformedBinary, match="load commands"):
        _parse(bytes(data))


@pytest.mark.parametrize("length", [0, 3, 8, 27, 40, 100], ids=lambda n: f"{n}-bytes")
def test_truncated_raises(length: int) -> None:
    with pytest.raises(MalformedBinary):
        _parse(fixture(ARM64)[:length])


def test_version_min_macosx_is_read() -> None:
    # Older toolchains write LC_VERSION_MIN_MACOSX instead of LC_BUILD_VERSION: rewrite the
    # fixture's LC_BUILD_VERSION into one, in place (same size).
    data = bytearray(fixture(ARM64))
    (ncmds,) = struct.unpack_from("<I", data, 16)
    at = 32
    for _ in range(ncmds):
        cmd, size = struct.unpack_from("<II", data, at)
        if cmd == 0x32:
            struct.pack_into("<IIII", data, at, 0x24, size, (10 << 16) | (9 << 8), 0)
            break
        at += size
    else:
        raise AssertionError("fixture has no LC_BUILD_VERSION")
    (piece,) = _parse(bytes(data)).slices
    assert (piece.platform, piece.minos) == ("macos", (10, 9, 0))
