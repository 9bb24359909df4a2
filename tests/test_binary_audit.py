"""audit_wheel over crafted wheels: one per finding the issue lists, plus clean ones."""

from __future__ import annotations

import atexit
import functools
import io
import os
import shutil
import struct
import tempfile
import tracemalloc
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.support.wheels import EXT_SOURCE, build_wheel, fixture, gcc_shared
from wheelscout.binary.audit import WheelAudit, audit_wheel
from wheelscout.binary.findings import Code, Severity

X86_SUFFIX = ".cpython-312-x86_64-linux-gnu.so"
ARM_SUFFIX = ".cpython-312-aarch64-linux-gnu.so"


def _elf() -> bytes:
    data = gcc_shared(EXT_SOURCE)
    if data is None:
        pytest.skip("gcc is not available")
    return data


def _audit(filename: str, data: bytes) -> WheelAudit:
    return audit_wheel(io.BytesIO(data), filename)


def _codes(audit: WheelAudit) -> set[Code]:
    return {f.code for f in audit.findings}


def _x86_so_in_aarch64() -> tuple[str, bytes]:
    name = "demo-1.0-cp312-cp312-manylinux_2_17_aarch64.whl"
    return name, build_wheel(name, {f"demo/_ext{ARM_SUFFIX}": _elf()})


def _amd64_pyd_in_win_arm64() -> tuple[str, bytes]:
    name = "demo-1.0-cp312-cp312-win_arm64.whl"
    pyd = fixture("win_amd64-_speedups.cp312-win_amd64.pyd")
    return name, build_wheel(name, {"demo/_speedups.cp312-win_arm64.pyd": pyd})


def _arm64ec_pyd_in_win_arm64() -> tuple[str, bytes]:
    from tests.test_binary_pe import _chpe_offset

    name = "demo-1.0-cp312-cp312-win_arm64.whl"
    pyd = bytearray(fixture("win_amd64-_speedups.cp312-win_amd64.pyd"))
    struct.pack_into("<Q", pyd, _chpe_offset(bytes(pyd)), 0x180001000)
    return name, build_wheel(name, {"demo/_speedups.cp312-win_arm64.pyd": bytes(pyd)})


def _wrong_suffix() -> tuple[str, bytes]:
    name = "demo-1.0-cp312-cp312-win_arm64.whl"
    pyd = fixture("win_arm64-_speedups.cp312-win_arm64.pyd")
    return name, build_wheel(name, {"demo/_speedups.cp312-win_amd64.pyd": pyd})


def _wrong_linux_suffix() -> tuple[str, bytes]:
    name = "demo-1.0-cp312-abi3-manylinux_2_17_x86_64.whl"
    return name, build_wheel(name, {f"demo/_ext{X86_SUFFIX}": _elf()})


def _pure_with_binary() -> tuple[str, bytes]:
    name = "demo-1.0-py3-none-any.whl"
    return name, build_wheel(name, {"demo/__init__.py": b"", f"demo/_ext{X86_SUFFIX}": _elf()})


def _glibc_above_floor() -> tuple[str, bytes]:
    name = "demo-1.0-cp312-cp312-manylinux_2_5_x86_64.whl"  # memcpy@GLIBC_2.14 > 2.5
    return name, build_wheel(name, {f"demo/_ext{X86_SUFFIX}": _elf()})


def _needed_outside_policy() -> tuple[str, bytes]:
    data = gcc_shared(
        "int helper(void); int f(void) { return helper(); }", f"-L{_helper_dir()}", "-lhelper"
    )
    assert data is not None
    name = "demo-1.0-cp312-cp312-manylinux_2_28_x86_64.whl"
    return name, build_wheel(name, {f"demo/_ext{X86_SUFFIX}": data})


def _bad_record_hash() -> tuple[str, bytes]:
    name = "demo-1.0-py3-none-any.whl"
    bad = "demo/__init__.py,sha256=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA,5"
    return name, build_wheel(
        name, {"demo/__init__.py": b"x = 1"}, record_overrides={"demo/__init__.py": bad}
    )


def _record_gaps() -> tuple[str, bytes]:
    name = "demo-1.0-py3-none-any.whl"
    files = {"demo/__init__.py": b"", "demo/extra.py": b""}
    overrides = {"demo/extra.py": "demo/gone.py,sha256=x,0"}
    return name, build_wheel(name, files, record_overrides=overrides)


@functools.cache
def _zip_bomb() -> tuple[str, bytes]:
    name = "demo-1.0-py3-none-any.whl"
    return name, build_wheel(name, {"demo/zeros.bin": bytes(40 << 20)})


def _huge_central_directory() -> tuple[str, bytes]:
    name = "demo-1.0-py3-none-any.whl"
    data = bytearray(build_wheel(name, {"demo/__init__.py": b""}))
    at = bytes(data).rindex(b"PK\x05\x06")
    struct.pack_into("<HHI", data, at + 8, 0xFFFF, 0xFFFF, 0x7FFFFFFF)  # entries, size
    return name, bytes(data)


def _unsafe_path() -> tuple[str, bytes]:
    name = "demo-1.0-py3-none-any.whl"
    return name, build_wheel(name, {"../evil.py": b"", "/etc/evil": b"", "demo/__init__.py": b""})


def _tag_lines_differ() -> tuple[str, bytes]:
    name = "demo-1.0-cp312-cp312-manylinux_2_17_x86_64.whl"
    files = {f"demo/_ext{X86_SUFFIX}": _elf()}
    return name, build_wheel(name, files, wheel_tags=["cp312-cp312-linux_x86_64"])


def _purelib_in_platform_wheel() -> tuple[str, bytes]:
    name = "demo-1.0-cp312-cp312-manylinux_2_17_x86_64.whl"
    return name, build_wheel(name, {f"demo/_ext{X86_SUFFIX}": _elf()}, root_is_purelib=True)


def _elf_in_windows_wheel() -> tuple[str, bytes]:
    name = "demo-1.0-cp312-cp312-win_amd64.whl"
    return name, build_wheel(name, {"demo/_ext.so": _elf()})


def _arm64_in_universal2() -> tuple[str, bytes]:
    name = "demo-1.0-cp312-cp312-macosx_11_0_universal2.whl"
    so = fixture("macosx_11_0_arm64-_speedups.cpython-312-darwin.so")
    return name, build_wheel(name, {"demo/_s.cpython-312-darwin.so": so})


def _arm64_in_x86_64() -> tuple[str, bytes]:
    name = "demo-1.0-cp312-cp312-macosx_11_0_x86_64.whl"
    so = fixture("macosx_11_0_arm64-_speedups.cpython-312-darwin.so")
    return name, build_wheel(name, {"demo/_s.cpython-312-darwin.so": so})


def _minos_above_tag() -> tuple[str, bytes]:
    name = "demo-1.0-cp312-cp312-macosx_10_9_universal2.whl"  # x86_64 slice needs 10.13
    so = fixture("macosx_10_13_universal2-_speedups.cpython-312-darwin.so")
    return name, build_wheel(name, {"demo/_s.cpython-312-darwin.so": so})


def _truncated_elf() -> tuple[str, bytes]:
    name = "demo-1.0-cp312-cp312-manylinux_2_17_x86_64.whl"
    return name, build_wheel(name, {f"demo/_ext{X86_SUFFIX}": _elf()[:200]})


def _lying_phnum() -> tuple[str, bytes]:
    elf = bytearray(_elf())
    struct.pack_into("<H", elf, 56, 0xFFFF)  # e_phnum
    name = "demo-1.0-cp312-cp312-manylinux_2_17_x86_64.whl"
    return name, build_wheel(name, {f"demo/_ext{X86_SUFFIX}": bytes(elf)})


def _corrupt_member() -> tuple[str, bytes]:
    name = "demo-1.0-py3-none-any.whl"
    data = bytearray(build_wheel(name, {"demo/data.txt": b"A" * 4000}, compression=0))
    at = bytes(data).index(b"A" * 100)
    data[at + 10] = ord("B")  # stored member: CRC no longer matches
    return name, bytes(data)


def _not_a_zip() -> tuple[str, bytes]:
    return "demo-1.0-py3-none-any.whl", b"PK\x03\x04 this is not a zip file"


CASES: list[tuple[str, Callable[[], tuple[str, bytes]], set[Code]]] = [
    ("x86_64-so-in-aarch64-wheel", _x86_so_in_aarch64, {Code.ARCH_MISMATCH}),
    ("amd64-pyd-in-win-arm64-wheel", _amd64_pyd_in_win_arm64, {Code.ARCH_MISMATCH}),
    ("arm64ec-pyd-in-win-arm64-wheel", _arm64ec_pyd_in_win_arm64, {Code.ARCH_MISMATCH}),
    ("wrong-windows-suffix", _wrong_suffix, {Code.EXT_SUFFIX}),
    ("versioned-suffix-in-abi3-wheel", _wrong_linux_suffix, {Code.EXT_SUFFIX}),
    ("pure-wheel-with-binary", _pure_with_binary, {Code.BINARY_IN_PURE_WHEEL}),
    ("glibc-above-floor", _glibc_above_floor, {Code.SYMBOL_VERSION}),
    ("needed-outside-policy", _needed_outside_policy, {Code.NEEDED_OUTSIDE_POLICY}),
    ("bad-record-hash", _bad_record_hash, {Code.RECORD_HASH}),
    ("record-gaps", _record_gaps, {Code.RECORD_UNLISTED, Code.RECORD_ABSENT_FILE}),
    ("zip-bomb", _zip_bomb, {Code.ZIP_BOMB}),
    ("huge-central-directory", _huge_central_directory, {Code.ZIP_BOMB}),
    ("unsafe-paths", _unsafe_path, {Code.UNSAFE_PATH}),
    ("wheel-tag-lines", _tag_lines_differ, {Code.WHEEL_TAG_MISMATCH}),
    ("root-is-purelib", _purelib_in_platform_wheel, {Code.ROOT_IS_PURELIB}),
    ("elf-in-windows-wheel", _elf_in_windows_wheel, {Code.FORMAT_MISMATCH}),
    ("arm64-only-in-universal2", _arm64_in_universal2, {Code.MACOS_SLICES}),
    ("arm64-in-x86_64-wheel", _arm64_in_x86_64, {Code.ARCH_MISMATCH}),
    ("macos-minos-above-tag", _minos_above_tag, {Code.MACOS_MINOS}),
    ("truncated-elf", _truncated_elf, {Code.MALFORMED_BINARY}),
    ("lying-phnum", _lying_phnum, {Code.MALFORMED_BINARY}),
    ("corrupt-member", _corrupt_member, {Code.CORRUPT_MEMBER}),
    ("not-a-zip", _not_a_zip, {Code.NOT_A_WHEEL}),
]


@pytest.mark.parametrize(("build", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_crafted_wheel_is_flagged(
    build: Callable[[], tuple[str, bytes]], expected: set[Code]
) -> None:
    filename, data = build()
    assert _codes(_audit(filename, data)) == expected


def test_wrong_suffix_names_the_right_ext_suffix() -> None:
    finding = next(f for f in _audit(*_wrong_suffix()).findings if f.code is Code.EXT_SUFFIX)
    assert finding.fix == "SETUPTOOLS_EXT_SUFFIX=.cp312-win_arm64.pyd"
    assert finding.member == "demo/_speedups.cp312-win_amd64.pyd"


def test_glibc_finding_names_the_version() -> None:
    finding = _audit(*_glibc_above_floor()).findings[0]
    assert "GLIBC_2.14" in finding.message
    assert "manylinux_2_14_x86_64" in finding.fix
    assert finding.severity is Severity.ERROR


def test_zip_bomb_is_not_decompressed() -> None:
    filename, data = _zip_bomb()
    tracemalloc.start()
    try:
        _audit(filename, data)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 4 << 20


def test_memory_stays_bounded_for_a_large_member() -> None:
    name = "demo-1.0-py3-none-any.whl"
    data = build_wheel(name, {"demo/blob.bin": os.urandom(16 << 20)}, compression=0)
    tracemalloc.start()
    try:
        audit = _audit(name, data)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert audit.clean
    assert peak < 6 << 20


FIXTURES = {
    "win_arm64": "win_arm64-_speedups.cp312-win_arm64.pyd",
    "win_amd64": "win_amd64-_speedups.cp312-win_amd64.pyd",
    "aarch64": f"manylinux_2_17_aarch64-_speedups{ARM_SUFFIX}",
    "musl": "musllinux_1_2_x86_64-_speedups.cpython-312-x86_64-linux-musl.so",
    "universal2": "macosx_10_13_universal2-_speedups.cpython-312-darwin.so",
    "arm64": "macosx_11_0_arm64-_speedups.cpython-312-darwin.so",
}
CLEAN: list[tuple[str, str, str, str]] = [
    ("win-arm64", "cp312-cp312-win_arm64", "_s.cp312-win_arm64.pyd", "win_arm64"),
    ("win-amd64-abi3", "cp312-abi3-win_amd64", "_s.pyd", "win_amd64"),
    ("manylinux-aarch64", "cp312-cp312-manylinux_2_17_aarch64.manylinux2014_aarch64",
     f"_s{ARM_SUFFIX}", "aarch64"),
    ("musllinux", "cp312-cp312-musllinux_1_2_x86_64", "_s.cpython-312-x86_64-linux-musl.so",
     "musl"),
    ("universal2", "cp312-cp312-macosx_10_13_universal2", "_s.cpython-312-darwin.so",
     "universal2"),
    ("universal2-serves-arm64", "cp312-cp312-macosx_11_0_arm64", "_s.cpython-312-darwin.so",
     "universal2"),
    ("macos-arm64-under-10_9", "cp312-cp312-macosx_10_9_arm64", "_s.abi3.so", "arm64"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("tags", "member", "source"), [c[1:] for c in CLEAN], ids=[c[0] for c in CLEAN]
)
def test_real_binary_in_matching_wheel_is_clean(tags: str, member: str, source: str) -> None:
    name = f"demo-1.0-{tags}.whl"
    audit = _audit(
        name,
        build_wheel(name, {"demo/__init__.py": b"", f"demo/{member}": fixture(FIXTURES[source])}),
    )
    assert audit.findings == ()
    assert len(audit.binaries) == 1


def test_gcc_extension_in_matching_manylinux_wheel_is_clean() -> None:
    name = "demo-1.0-cp312-cp312-manylinux_2_17_x86_64.whl"
    audit = _audit(name, build_wheel(name, {f"demo/_ext{X86_SUFFIX}": _elf()}))
    assert audit.clean, audit.findings


def test_vendored_library_on_rpath_is_not_external() -> None:
    lib = gcc_shared("int helper(void) { return 1; }", "-Wl,-soname,libhelper.so.1")
    ext = gcc_shared(
        "int helper(void); int f(void) { return helper(); }",
        f"-L{_helper_dir()}",
        "-lhelper",
        "-Wl,-rpath,$ORIGIN/../demo.libs",
    )
    assert lib is not None
    assert ext is not None
    name = "demo-1.0-cp312-cp312-manylinux_2_17_x86_64.whl"
    files = {f"demo/_ext{X86_SUFFIX}": ext, "demo.libs/libhelper.so.1": lib}
    audit = _audit(name, build_wheel(name, files))
    assert audit.clean, audit.findings
    moved = {f"demo/_ext{X86_SUFFIX}": ext, "other/libhelper.so.1": lib}
    findings = _audit(name, build_wheel(name, moved)).findings
    assert [f.code for f in findings] == [Code.NEEDED_OUTSIDE_POLICY]
    assert "not on any search path" in findings[0].message


@functools.cache
def _helper_dir() -> str:
    lib = gcc_shared("int helper(void) { return 1; }", "-Wl,-soname,libhelper.so.1")
    if lib is None:
        pytest.skip("gcc is not available")
    directory = Path(tempfile.mkdtemp(prefix="wheelscout-test-"))
    atexit.register(shutil.rmtree, directory, ignore_errors=True)
    (directory / "libhelper.so").write_bytes(lib)
    return str(directory)


def test_record_with_hex_digests_is_one_warning() -> None:
    import hashlib

    name = "demo-1.0-py3-none-any.whl"
    body = b"x = 1\n"
    row = f"demo/__init__.py,sha256={hashlib.sha256(body).hexdigest()},{len(body)}"
    data = build_wheel(name, {"demo/__init__.py": body}, record_overrides={"demo/__init__.py": row})
    (finding,) = _audit(name, data).findings
    assert (finding.code, finding.severity) == (Code.RECORD_HASH, Severity.WARNING)


def test_directory_entries_and_dist_info_exemptions() -> None:
    name = "demo-1.0-py3-none-any.whl"
    data = io.BytesIO(build_wheel(name, {"demo/__init__.py": b""}))
    with zipfile.ZipFile(data, "a") as archive:
        archive.writestr("demo/sub/", b"")
    assert _audit(name, data.getvalue()).clean


def test_nothing_is_extracted_to_disk(monkeypatch: pytest.MonkeyPatch) -> None:
    filename, data = _glibc_above_floor()

    def forbidden(*args: object, **kwargs: object) -> None:
        raise AssertionError("audit touched the disk")

    for target, attribute in [
        (zipfile.ZipFile, "extract"),
        (zipfile.ZipFile, "extractall"),
        (tempfile, "mkstemp"),
        (tempfile, "mkdtemp"),
        (tempfile, "NamedTemporaryFile"),
        (tempfile, "TemporaryDirectory"),
    ]:
        monkeypatch.setattr(target, attribute, forbidden)
    monkeypatch.setattr("builtins.open", forbidden)
    assert _codes(_audit(filename, data)) == {Code.SYMBOL_VERSION}


@pytest.mark.parametrize(
    ("dtags", "expected"),
    [("--disable-new-dtags", []), ("--enable-new-dtags", [Code.NEEDED_OUTSIDE_POLICY])],
    ids=["rpath-is-inherited", "runpath-is-not"],
)
def test_grafted_library_chain(dtags: str, expected: list[Code]) -> None:
    # ext -> liba (in demo.libs, no RPATH of its own) -> libb: what auditwheel repair produces.
    directory = Path(_helper_dir())
    libb = gcc_shared("int b(void) { return 1; }", "-Wl,-soname,libb.so.1")
    assert libb is not None
    (directory / "libb.so").write_bytes(libb)
    liba = gcc_shared(
        "int b(void); int a(void) { return b(); }", "-Wl,-soname,liba.so.1", f"-L{directory}", "-lb"
    )
    assert liba is not None
    (directory / "liba.so").write_bytes(liba)
    ext = gcc_shared(
        "int a(void); int f(void) { return a(); }",
        f"-L{directory}",
        "-la",
        f"-Wl,{dtags}",
        "-Wl,-rpath,$ORIGIN/../demo.libs",
    )
    assert ext is not None
    name = "demo-1.0-cp312-cp312-manylinux_2_17_x86_64.whl"
    files = {
        f"demo/_ext{X86_SUFFIX}": ext,
        "demo.libs/liba.so.1": liba,
        "demo.libs/libb.so.1": libb,
    }
    findings = _audit(name, build_wheel(name, files)).findings
    assert [f.code for f in findings] == expected
    assert all(f.member == "demo.libs/liba.so.1" for f in findings)


@pytest.mark.parametrize(
    ("filename", "message"),
    [
        ("demo-1.0-" + ".".join(f"cp3{i}" for i in range(200)) * 1 + "-abi3-any.whl", None),
        (
            "demo-1.0-"
            + "-".join(".".join(f"x{i}" for i in range(200)) for _ in range(3))
            + ".whl",
            "expand to 8000000 tags, over the limit of 1024",
        ),
        ("demo-" + "1" * 5000 + "-py3-none-any.whl", "over the limit of 256"),
    ],
    ids=["200-tags-fine", "8-million-tags", "5000-digit-version"],
)
def test_hostile_filename_is_a_finding(filename: str, message: str | None) -> None:
    data = build_wheel("demo-1.0-py3-none-any.whl", {"demo/__init__.py": b""})
    audit = _audit(filename, data)
    messages = [f.message for f in audit.findings if f.code is Code.NOT_A_WHEEL]
    if message is None:
        assert messages == []
    else:
        assert len(messages) == 1
        assert message in messages[0]
