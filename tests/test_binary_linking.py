"""DT_NEEDED resolution inside a wheel, on synthetic ELF records (no compiler needed)."""

from __future__ import annotations

import pytest

from wheelscout.binary.elf import ElfInfo
from wheelscout.binary.linking import unresolved_needed
from wheelscout.binary.wheel import BinaryFile


def _elf(
    member: str, *needed: str, rpath: str = "", runpath: str = "", soname: str | None = None
) -> BinaryFile:
    info = ElfInfo(
        machine=62,
        executable=False,
        bits=64,
        byteorder="little",
        needed=needed,
        soname=soname,
        rpath=tuple(p for p in rpath.split(":") if p),
        runpath=tuple(p for p in runpath.split(":") if p),
    )
    return BinaryFile(member=member, format="elf", elf=info)


def _system(library: str) -> bool:
    return library in {"libc.so.6", "libm.so.6"}


EXT = "pkg/_ext.cpython-312-x86_64-linux-gnu.so"
CASES: list[tuple[str, list[BinaryFile], dict[str, list[str]]]] = [
    ("system-only", [_elf(EXT, "libc.so.6")], {}),
    ("missing", [_elf(EXT, "libfoo.so.1")], {EXT: ["libfoo.so.1"]}),
    (
        "rpath-origin",
        [_elf(EXT, "liba.so", rpath="$ORIGIN/../pkg.libs"), _elf("pkg.libs/liba.so")],
        {},
    ),
    (
        "braced-origin",
        [_elf(EXT, "liba.so", runpath="${ORIGIN}/lib"), _elf("pkg/lib/liba.so")],
        {},
    ),
    (
        "rpath-inherited",
        [
            _elf(EXT, "liba.so", rpath="$ORIGIN/../pkg.libs"),
            _elf("pkg.libs/liba.so", "libb.so"),
            _elf("pkg.libs/libb.so"),
        ],
        {},
    ),
    (
        "runpath-not-inherited",
        [
            _elf(EXT, "liba.so", runpath="$ORIGIN/../pkg.libs"),
            _elf("pkg.libs/liba.so", "libb.so"),
            _elf("pkg.libs/libb.so"),
        ],
        {"pkg.libs/liba.so": ["libb.so"]},
    ),
    (
        "sibling-already-loaded",
        [
            _elf(EXT, "liba.so", "libb.so", runpath="$ORIGIN/../pkg.libs"),
            _elf("pkg.libs/liba.so", "libb.so", runpath="/build/somewhere"),
            _elf("pkg.libs/libb.so"),
        ],
        {},
    ),
    ("in-wheel-but-elsewhere", [_elf(EXT, "liba.so"), _elf("other/liba.so")], {EXT: ["liba.so"]}),
    (
        "cycle",
        [
            _elf(EXT, "liba.so", rpath="$ORIGIN"),
            _elf("pkg/liba.so", "libb.so", rpath="$ORIGIN"),
            _elf("pkg/libb.so", "liba.so", rpath="$ORIGIN"),
        ],
        {},
    ),
]


@pytest.mark.parametrize(
    ("binaries", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_unresolved_needed(binaries: list[BinaryFile], expected: dict[str, list[str]]) -> None:
    members = frozenset(b.member for b in binaries)
    assert unresolved_needed(binaries, members, _system) == expected
