"""Extension suffixes per wheel tag (checked against the host interpreter where it can be)."""

from __future__ import annotations

import importlib.machinery
import platform
import sys
import sysconfig

import pytest
from packaging.tags import Tag

from wheelscout.binary.suffixes import extension_suffixes, module_suffix

SUFFIXES: list[tuple[str, str]] = [
    ("cp312-cp312-win_arm64", ".cp312-win_arm64.pyd .pyd"),
    ("cp313-cp313t-win_amd64", ".cp313t-win_amd64.pyd .pyd"),
    ("cp38-abi3-win_arm64", ".pyd"),
    ("cp312-cp312-manylinux_2_17_aarch64", ".cpython-312-aarch64-linux-gnu.so .abi3.so .so"),
    ("cp313-cp313t-manylinux_2_28_x86_64", ".cpython-313t-x86_64-linux-gnu.so .so"),
    (
        "cp312-cp312-musllinux_1_2_x86_64",
        ".cpython-312-x86_64-linux-gnu.so .cpython-312-x86_64-linux-musl.so .abi3.so .so",
    ),
    ("cp311-cp311-linux_armv7l", ".cpython-311-arm-linux-gnueabihf.so .abi3.so .so"),
    ("cp312-cp312-macosx_11_0_arm64", ".cpython-312-darwin.so .abi3.so .so"),
    ("cp39-abi3-macosx_10_9_universal2", ".abi3.so .so"),
    ("pp310-pypy310_pp73-manylinux_2_17_x86_64", ".pypy310-pp73-x86_64-linux-gnu.so .so"),
    ("pp310-pypy310_pp73-win_amd64", ".pypy310-pp73-win_amd64.pyd .pyd"),
]


@pytest.mark.parametrize(("tag", "expected"), SUFFIXES, ids=[t for t, _ in SUFFIXES])
def test_extension_suffixes(tag: str, expected: str) -> None:
    interpreter, abi, plat = tag.split("-")
    assert extension_suffixes(Tag(interpreter, abi, plat)) == frozenset(expected.split())


@pytest.mark.parametrize(
    "tag",
    ["py3-none-any", "py3-none-win_arm64", "cp312-cp312-android_21_arm64_v8a"],
    ids=["pure", "py3-platform", "android"],
)
def test_unpinned_tags(tag: str) -> None:
    interpreter, abi, plat = tag.split("-")
    assert extension_suffixes(Tag(interpreter, abi, plat)) is None


@pytest.mark.parametrize(
    ("member", "suffix"),
    [
        ("pkg/_s.cpython-312-x86_64-linux-gnu.so", ".cpython-312-x86_64-linux-gnu.so"),
        ("mpi4py/MPI.mpich.cpython-311-x86_64-linux-gnu.so", ".cpython-311-x86_64-linux-gnu.so"),
        ("pkg/_s.abi3.so", ".abi3.so"),
        ("pkg/_s.cp312-win_arm64.pyd", ".cp312-win_arm64.pyd"),
        ("pkg/_s.pyd", ".pyd"),
        ("pkg/_s.so", None),
        ("pkg.libs/libfoo-1a2b.so.1.2", None),
        ("pkg/lib/libtorch.so", None),
    ],
    ids=[
        "cpython",
        "alternative-build",
        "abi3",
        "windows",
        "bare-pyd",
        "bare-so",
        "versioned-lib",
        "lib",
    ],
)
def test_module_suffix(member: str, suffix: str | None) -> None:
    assert module_suffix(member) == suffix


@pytest.mark.skipif(
    sys.platform != "linux"
    or platform.libc_ver()[0] != "glibc"
    or hasattr(sys, "gettotalrefcount"),
    reason="the host oracle is a glibc Linux release build",
)
def test_agrees_with_the_host_interpreter() -> None:
    nodot = f"{sys.version_info.major}{sys.version_info.minor}"
    threaded = "t" if sysconfig.get_config_var("Py_GIL_DISABLED") else ""
    tag = Tag(f"cp{nodot}", f"cp{nodot}{threaded}", f"manylinux_2_17_{platform.machine()}")
    assert extension_suffixes(tag) == frozenset(importlib.machinery.EXTENSION_SUFFIXES)
