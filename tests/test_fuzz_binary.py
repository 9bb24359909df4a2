"""Fuzzing the binary header readers (ELF, PE, Mach-O) and the wheel audit around them.

Mutations of the committed header-only fixtures, chosen by Hypothesis (the seeded mutants of
test_binary_hostile.py stay as the fixed regression set). Each reader answers or raises
``MalformedBinary`` (a ``WheelscoutError``); the audit never raises for a hostile wheel.
"""

from __future__ import annotations

import contextlib
import io
from collections.abc import Callable
from typing import IO, Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.support.fuzz import mutated
from tests.support.wheels import build_wheel, fixture
from wheelscout.binary._stream import MalformedBinary
from wheelscout.binary.audit import audit_wheel
from wheelscout.binary.elf import parse_elf
from wheelscout.binary.macho import parse_macho
from wheelscout.binary.pe import parse_pe

READERS: dict[str, tuple[str, Callable[[IO[bytes]], Any]]] = {
    "pe": ("win_arm64-_speedups.cp312-win_arm64.pyd", parse_pe),
    "elf": ("manylinux_2_17_aarch64-_speedups.cpython-312-aarch64-linux-gnu.so", parse_elf),
    "elf-musl": ("musllinux_1_2_x86_64-_speedups.cpython-312-x86_64-linux-musl.so", parse_elf),
    "macho-fat": ("macosx_10_13_universal2-_speedups.cpython-312-darwin.so", parse_macho),
    "macho": ("macosx_11_0_arm64-_speedups.cpython-312-darwin.so", parse_macho),
}


@pytest.mark.parametrize("kind", READERS, ids=READERS.keys())
@given(data=st.data())
def test_header_reader(kind: str, data: st.DataObject) -> None:
    name, reader = READERS[kind]
    mutant = data.draw(mutated(fixture(name), max_edits=6))
    with contextlib.suppress(MalformedBinary):
        reader(io.BytesIO(mutant))


@given(st.binary(max_size=300), st.sampled_from(list(READERS.values())))
def test_header_readers_on_any_bytes(data: bytes, reader: tuple[str, Any]) -> None:
    with contextlib.suppress(MalformedBinary):
        reader[1](io.BytesIO(data))


_WHEEL = "demo-1.0-cp312-cp312-win_arm64.whl"
_WHEEL_DATA = build_wheel(_WHEEL, {"demo/_s.cp312-win_arm64.pyd": fixture(READERS["pe"][0])})


@given(mutated(_WHEEL_DATA, max_edits=6))
def test_audit_of_a_mutated_wheel(data: bytes) -> None:
    audit = audit_wheel(io.BytesIO(data), _WHEEL)
    assert audit.filename == _WHEEL
