"""Hostile and damaged archives: every one ends in findings, never a traceback or a hang."""

from __future__ import annotations

import gzip
import hashlib
import io
import tarfile

import pytest

from tests.support.fuzz import zip_with_an_empty_name
from tests.support.sdists import NUMPY_LIKE, ReadOnly, make_tar, make_zip, special
from wheelscout.model.build import FindingKind
from wheelscout.model.finding import Severity
from wheelscout.sdist import Limits, inspect_sdist, walk_archive

_MIB = 1024 * 1024


def _kinds(data: bytes, limits: Limits | None = None) -> set[FindingKind]:
    result = inspect_sdist(io.BytesIO(data), filename="evil-1.0.tar.gz", limits=limits)
    return {finding.code for finding in result.findings}


def _gzip_bomb(size: int) -> bytes:
    return make_tar({"zeros.bin": bytes(size)}, root="bomb-1.0")


def _lying_header(declared: int) -> bytes:
    """A tar whose member header claims ``declared`` bytes, with almost nothing behind it."""
    info = tarfile.TarInfo("liar-1.0/huge.bin")
    info.size = declared
    header = info.tobuf(format=tarfile.GNU_FORMAT)
    return gzip.compress(header + bytes(4096))


def _zip_bomb(size: int) -> bytes:
    return make_zip({"zeros.bin": bytes(size)}, root="bomb-1.0")


HOSTILE: dict[str, tuple[bytes, FindingKind]] = {
    "corrupt-gzip": (b"\x1f\x8b\x08\x00" + bytes(range(256)) * 4, FindingKind.CORRUPT),
    "truncated-gzip": (make_tar(NUMPY_LIKE)[:400], FindingKind.TRUNCATED),
    "not-an-archive": (b"just some text, not an archive\n", FindingKind.UNSUPPORTED_FORMAT),
    "empty": (b"", FindingKind.UNSUPPORTED_FORMAT),
    "corrupt-zip": (b"PK\x03\x04" + bytes(600), FindingKind.CORRUPT),
    "dotdot-member": (
        make_tar({"../../etc/cron.d/evil": "x"}, root=""),
        FindingKind.PATH_TRAVERSAL,
    ),
    "absolute-member": (make_tar({"/etc/passwd": "x"}, root=""), FindingKind.ABSOLUTE_PATH),
    "windows-absolute-member": (make_zip({"C:/evil.txt": "x"}, root=""), FindingKind.ABSOLUTE_PATH),
    "symlink-outside": (
        make_tar({}, extra=(special("demo-1.0/link", tarfile.SYMTYPE, "../../../etc/passwd"),)),
        FindingKind.LINK,
    ),
    "hardlink-absolute": (
        make_tar({}, extra=(special("demo-1.0/link", tarfile.LNKTYPE, "/etc/shadow"),)),
        FindingKind.LINK,
    ),
    "device-member": (
        make_tar({}, extra=(special("demo-1.0/dev", tarfile.CHRTYPE),)),
        FindingKind.SPECIAL_FILE,
    ),
    "zip-symlink-outside": (
        make_zip({"setup.py": ""}, links={"evil": "../../outside"}),
        FindingKind.LINK,
    ),
    "header-claims-a-terabyte": (_lying_header(1 << 40), FindingKind.TOO_LARGE),
}


@pytest.mark.parametrize(("data", "kind"), HOSTILE.values(), ids=HOSTILE.keys())
def test_hostile_archive_gives_finding(data: bytes, kind: FindingKind) -> None:
    assert kind in _kinds(data)


@pytest.mark.parametrize(
    "data",
    [HOSTILE["corrupt-gzip"][0], HOSTILE["truncated-gzip"][0], HOSTILE["empty"][0]],
    ids=["corrupt", "truncated", "empty"],
)
def test_unreadable_archive_is_never_called_pure(data: bytes) -> None:
    result = inspect_sdist(io.BytesIO(data))

    assert not result.complete
    assert not result.pure
    assert result.summary.startswith("unknown")


def test_symlink_inside_archive_is_only_a_warning() -> None:
    data = make_tar({"a.txt": "x"}, extra=(special("demo-1.0/b.txt", tarfile.SYMTYPE, "a.txt"),))
    result = inspect_sdist(io.BytesIO(data))

    assert [(f.code, f.severity) for f in result.findings] == [(FindingKind.LINK, Severity.WARNING)]
    assert result.complete


def test_gzip_bomb_stops_at_the_unpacked_limit() -> None:
    limits = Limits(max_unpacked_bytes=_MIB)
    result = inspect_sdist(io.BytesIO(_gzip_bomb(20 * _MIB)), limits=limits)

    (finding,) = result.findings
    assert finding.code is FindingKind.TOO_LARGE
    assert str(_MIB) in finding.message
    assert "decompression bomb" in finding.message
    assert not result.complete


def test_zip_bomb_stops_at_the_declared_size_limit() -> None:
    limits = Limits(max_unpacked_bytes=_MIB)

    assert FindingKind.TOO_LARGE in _kinds(_zip_bomb(20 * _MIB), limits)


def test_compressed_size_limit() -> None:
    data = make_tar(NUMPY_LIKE)

    assert FindingKind.TOO_LARGE in _kinds(data, Limits(max_archive_bytes=len(data) - 1))


@pytest.mark.parametrize("maker", [make_tar, make_zip], ids=["tar", "zip"])
def test_member_flood_stops_at_the_member_limit(maker: object) -> None:
    files: dict[str, str | bytes] = {f"f{i}.txt": "" for i in range(300)}
    data = maker(files)  # type: ignore[operator]

    assert FindingKind.TOO_MANY_MEMBERS in _kinds(data, Limits(max_members=100))


def test_oversized_build_file_is_skipped() -> None:
    data = make_tar({"setup.py": "# padding\n" * 1000})
    result = inspect_sdist(io.BytesIO(data), limits=Limits(max_member_bytes=1000))

    assert [f.code for f in result.findings] == [FindingKind.MEMBER_SKIPPED]
    assert result.findings[0].member == "demo-1.0/setup.py"


def test_oversized_pax_header_is_refused() -> None:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz", format=tarfile.PAX_FORMAT) as archive:
        info = tarfile.TarInfo("demo-1.0/x")
        info.pax_headers = {"comment": "x" * (2 * _MIB)}
        archive.addfile(info, io.BytesIO(b""))

    assert FindingKind.CORRUPT in _kinds(buffer.getvalue())


def test_finding_floods_are_summarised() -> None:
    files: dict[str, str | bytes] = {f"../evil{i}": "" for i in range(50)}
    result = inspect_sdist(io.BytesIO(make_tar(files, root="")))

    assert len(result.findings) == 21
    assert "30 more path-traversal findings" in result.findings[-1].message


def test_hash_verified_on_a_non_seekable_stream() -> None:
    data = make_tar(NUMPY_LIKE)
    digest = hashlib.sha256(data).hexdigest()
    result = inspect_sdist(ReadOnly(data), expected_sha256=digest.upper())  # type: ignore[arg-type]

    assert result.sha256 == digest
    assert result.findings == ()


def test_hash_mismatch_is_an_error_finding() -> None:
    result = inspect_sdist(io.BytesIO(make_tar(NUMPY_LIKE)), expected_sha256="0" * 64)

    found = [(f.code, f.severity) for f in result.findings]
    assert found == [(FindingKind.HASH_MISMATCH, Severity.ERROR)]


def test_hash_unverified_when_walk_stops_early() -> None:
    data = _gzip_bomb(4 * _MIB)
    result = inspect_sdist(
        io.BytesIO(data), expected_sha256="0" * 64, limits=Limits(max_unpacked_bytes=_MIB)
    )

    assert FindingKind.HASH_UNVERIFIED in {f.code for f in result.findings}
    assert result.sha256 is None


def test_zip_from_non_seekable_stream() -> None:
    data = make_zip({"setup.py": "", "pyproject.toml": ""})
    walk = walk_archive(ReadOnly(data), wanted=lambda name: True)  # type: ignore[arg-type]

    assert walk.format == "zip"
    assert set(walk.files) == {"demo-1.0/setup.py", "demo-1.0/pyproject.toml"}
    assert walk.complete


def test_walk_reads_only_wanted_files() -> None:
    data = make_tar({"setup.py": "x", "big.bin": bytes(10_000)})
    walk = walk_archive(io.BytesIO(data), wanted=lambda name: name.endswith("setup.py"))

    assert walk.files == {"demo-1.0/setup.py": b"x"}
    assert set(walk.names) == {"demo-1.0/setup.py", "demo-1.0/big.bin"}


def test_control_characters_in_names_are_escaped() -> None:
    data = make_tar({"../\x1b[31mred\udcff": "x"}, root="")
    result = inspect_sdist(io.BytesIO(data))

    (finding,) = result.findings
    assert finding.member == "../\\x1b[31mred\\udcff"


@pytest.mark.parametrize(
    "data",
    [
        make_tar(
            {"pyproject.toml": "", "setup.py": "setup(ext_modules=[Extension('x', ['x.c'])])"},
            root="./demo-1.0",
        ),
        make_zip({"demo-1.0\\setup.py": "setup(ext_modules=[Extension('x', ['x.c'])])"}, root=""),
    ],
    ids=["dot-slash-prefix", "backslash-separators"],
)
def test_member_names_are_normalized(data: bytes) -> None:
    result = inspect_sdist(io.BytesIO(data))

    assert result.backend_name == "setuptools"
    assert result.languages
    assert result.languages[0].evidence[0].file == "setup.py"


def test_dot_directories_keep_their_names() -> None:
    walk = walk_archive(io.BytesIO(make_tar({".github/x.yml": ""})), wanted=lambda name: False)

    assert walk.names == ("demo-1.0/.github/x.yml",)


def test_zip_member_with_an_empty_name_is_a_finding() -> None:
    walk = walk_archive(io.BytesIO(zip_with_an_empty_name()), wanted=lambda name: True)
    assert [f.code for f in walk.findings] == [FindingKind.CORRUPT]
    assert "demo-1.0/PKG-INFO" in walk.files
