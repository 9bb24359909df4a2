"""Mutated headers of real binaries: every reader either answers or raises MalformedBinary."""

from __future__ import annotations

import io
import random
import zipfile

import pytest

from tests.support.fuzz import zip_with_an_empty_name
from tests.support.wheels import build_wheel, fixture
from wheelscout.binary.audit import audit_wheel
from wheelscout.binary.wheel import scan_wheel

FIXTURES = [
    "win_arm64-_speedups.cp312-win_arm64.pyd",
    "manylinux_2_17_aarch64-_speedups.cpython-312-aarch64-linux-gnu.so",
    "macosx_10_13_universal2-_speedups.cpython-312-darwin.so",
]


def _mutants(data: bytes, seed: int, count: int) -> list[bytes]:
    rng = random.Random(seed)
    # Mutate where the readers look: the bytes that are not zero in the cut fixture.
    hot = [i for i, b in enumerate(data) if b]
    out = []
    for _ in range(count):
        mutant = bytearray(data)
        for _ in range(rng.randint(1, 4)):
            at = rng.choice(hot)
            mutant[at] = rng.choice([0, 0xFF, 0x7F, 0x80, rng.randrange(256)])
        if rng.random() < 0.2:
            mutant = mutant[: rng.randrange(len(mutant))]
        out.append(bytes(mutant))
    return out


@pytest.mark.parametrize("name", FIXTURES, ids=["pe", "elf", "macho"])
def test_mutated_binaries_never_crash_the_walker(name: str) -> None:
    files = {f"m/{i}.bin": m for i, m in enumerate(_mutants(fixture(name), seed=7, count=150))}
    wheel = "demo-1.0-cp312-cp312-win_arm64.whl"
    with zipfile.ZipFile(io.BytesIO(build_wheel(wheel, files))) as archive:
        contents = scan_wheel(archive)
    assert len(contents.binaries) + len(contents.findings) >= 1


def test_mutated_wheel_never_crashes() -> None:
    name = "demo-1.0-cp312-cp312-win_arm64.whl"
    data = build_wheel(name, {"demo/_s.cp312-win_arm64.pyd": fixture(FIXTURES[0])})
    rng = random.Random(11)
    for _ in range(150):
        mutant = bytearray(data)
        for _ in range(rng.randint(1, 3)):
            mutant[rng.randrange(len(mutant))] = rng.randrange(256)
        audit_wheel(io.BytesIO(bytes(mutant)), name)


def test_member_with_an_empty_name_is_a_finding() -> None:
    audit = audit_wheel(io.BytesIO(zip_with_an_empty_name()), "demo-1.0-py3-none-any.whl")
    assert not audit.passed
