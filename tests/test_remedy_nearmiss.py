"""Tag-by-tag reasons a wheel misses a target, and a release's files grouped."""

from __future__ import annotations

import pytest
from packaging.tags import Tag, parse_tag
from packaging.version import Version

from tests.test_remedy_nearest import captured
from wheelscout.classify import parse_file
from wheelscout.model.project import DistFile
from wheelscout.remedy import (
    Mismatch,
    check_file,
    check_tag,
    describe_groups,
    explain_release,
    group_files,
    python_span,
)
from wheelscout.remedy.nearmiss import same_os
from wheelscout.targets import make_target


def _tag(text: str) -> Tag:
    (tag,) = parse_tag(text)
    return tag


@pytest.mark.parametrize(
    ("target", "python", "tag", "kinds", "message"),
    [
        ("linux-aarch64", "3.12", "cp312-cp312-manylinux_2_34_aarch64",
         [Mismatch.PLATFORM_TOO_NEW], "manylinux_2_34_aarch64 needs glibc 2.34 > target 2.28"),
        ("musllinux-aarch64", "3.12", "cp312-cp312-musllinux_1_3_aarch64",
         [Mismatch.PLATFORM_TOO_NEW], "musllinux_1_3_aarch64 needs musl 1.3 > target 1.2"),
        ("macos-arm64", "3.12", "cp312-cp312-macosx_15_0_arm64",
         [Mismatch.PLATFORM_TOO_NEW], "macosx_15_0_arm64 needs macOS 15.0 > target 13.0"),
        ("ios-arm64", "3.13", "cp313-cp313-ios_17_0_arm64_iphoneos",
         [Mismatch.PLATFORM_TOO_NEW], "ios_17_0_arm64_iphoneos needs iOS 17.0 > target 13.0"),
        ("android-arm64", "3.13", "cp313-cp313-android_27_arm64_v8a",
         [Mismatch.PLATFORM_TOO_NEW],
         "android_27_arm64_v8a needs Android API level 27 > target 24"),
        ("win-arm64", "3.12", "cp312-cp312-win_amd64",
         [Mismatch.PLATFORM], "built for win_amd64, target is win_arm64"),
        ("macos-arm64", "3.12", "cp312-cp312-macosx_10_9_x86_64",
         [Mismatch.PLATFORM], "built for macosx_10_9_x86_64, target is macosx_13_0_arm64"),
        ("win-arm64", "3.12", "cp311-cp311-win_arm64",
         [Mismatch.PYTHON], "cp311-cp311 is built for CPython 3.11, target is 3.12"),
        ("win-arm64", "3.13", "cp313-cp313t-win_arm64",
         [Mismatch.ABI], "ABI cp313t is free-threaded, target CPython 3.13 is not"),
        ("win-arm64", "3.13t", "cp313-cp313-win_arm64",
         [Mismatch.ABI], "ABI cp313 is not free-threaded, target CPython 3.13t is"),
        ("win-arm64", "3.13t", "cp311-abi3-win_arm64",
         [Mismatch.ABI], "abi3 does not load on free-threaded CPython 3.13t"),
        ("win-arm64", "3.12", "cp313-abi3-win_arm64",
         [Mismatch.PYTHON], "cp313-abi3 needs CPython 3.13+, target is 3.12"),
        ("win-arm64", "3.12", "pp310-pypy310_pp73-win_arm64",
         [Mismatch.IMPLEMENTATION], "pp310 is a PyPy wheel, target is CPython 3.12"),
        ("win-arm64", "3.12", "py313-none-any",
         [Mismatch.PYTHON], "py313-none needs Python 3.13+, target is 3.12"),
        ("win-arm64", "3.12", "py2-none-any",
         [Mismatch.PYTHON], "py2-none needs Python 2.0+, target is 3.12"),
        ("win-arm64", "3.12", "cp310-cp310-win_amd64",
         [Mismatch.PLATFORM, Mismatch.PYTHON], "built for win_amd64, target is win_arm64"),
    ],
    ids=["glibc-floor", "musl-floor", "macos-too-new", "ios-too-new", "android-level",
         "other-arch", "macos-x86_64-on-arm64", "other-python", "free-threaded-wheel",
         "gil-wheel-on-3.13t", "abi3-on-3.13t", "abi3-too-new", "pypy", "py313", "py2",
         "platform-and-python"],
)
def test_tag_problems(target: str, python: str, tag: str, kinds: list[Mismatch],
                      message: str) -> None:
    check = check_tag(_tag(tag), make_target(target, python))
    assert not check.matches
    assert [p.kind for p in check.problems] == kinds
    assert check.problems[0].message == message


@pytest.mark.parametrize(
    ("target", "python", "tag"),
    [("win-arm64", "3.12", "cp311-abi3-win_arm64"), ("win-arm64", "3.12", "py3-none-any"),
     ("linux-aarch64", "3.12", "cp312-cp312-manylinux2014_aarch64"),
     ("win-arm64", "3.14t", "cp314-cp314t-win_arm64")],
    ids=["abi3", "pure", "legacy-manylinux", "free-threaded"],
)
def test_matching_tags_have_a_rank(target: str, python: str, tag: str) -> None:
    check = check_tag(_tag(tag), make_target(target, python))
    assert check.matches
    assert check.rank is not None
    assert check.problems == ()


def test_near_miss_and_exclusion() -> None:
    target = make_target("linux-aarch64", "3.12")
    parsed = parse_file(DistFile(filename="x-1-cp312-cp312-manylinux_2_34_aarch64.whl",
                                 url="https://x/a"))
    assert parsed is not None
    check = check_file(parsed, target)
    assert check.near_miss
    assert same_os(check, target)
    yanked = parse_file(DistFile(filename="x-1-cp312-cp312-manylinux_2_17_aarch64.whl",
                                 url="https://x/b", yanked="broken"))
    assert yanked is not None
    excluded = check_file(yanked, target)
    assert excluded.excluded == "yanked (broken)"
    assert not excluded.matches


def test_numpy_1_26_2_groups_on_win_arm64() -> None:
    target = make_target("win-arm64", "3.12")
    explained = explain_release(captured("numpy"), target, Version("1.26.2"))
    assert explained is not None
    assert explained.choice.install == "build"
    summary = explained.summary
    assert "win_amd64, win32" in summary
    assert "cp39\u2013cp312 and pp39" in summary
    assert summary.endswith("; none for win_arm64; sdist numpy-1.26.2.tar.gz")
    windows = {g.platform: g.pythons for g in explained.groups.wheels}
    assert windows["win32"] == ("cp39", "cp310", "cp311", "cp312")
    assert windows["win_amd64"] == ("cp39", "cp310", "cp311", "cp312", "pp39")
    assert not any(w.matches for w in explained.wheels)
    closest = explained.wheels[0]
    assert closest.file.filename in ("numpy-1.26.2-cp312-cp312-win32.whl",
                                     "numpy-1.26.2-cp312-cp312-win_amd64.whl")
    assert [p.kind for t in closest.tags for p in t.problems] == [Mismatch.PLATFORM]


def test_cryptography_groups_name_target_pythons() -> None:
    target = make_target("win-arm64", "3.12")
    explained = explain_release(captured("cryptography"), target, Version("46.0.3"))
    assert explained is not None
    assert explained.choice.install == "wheel"
    assert str(explained.choice.tag) == "cp311-abi3-win_arm64"
    assert explained.groups.target_pythons == ("cp38-abi3", "cp311-abi3", "cp314t")
    assert "for win_arm64: cp38-abi3, cp311-abi3 and cp314t" in describe_groups(explained.groups)
    free_threaded = explain_release(captured("cryptography"), make_target("win-arm64", "3.13t"),
                                    Version("46.0.3"))
    assert free_threaded is not None
    assert free_threaded.choice.install == "build"
    assert {w.file.filename for w in free_threaded.near_misses} == {
        "cryptography-46.0.3-cp311-abi3-win_arm64.whl",
        "cryptography-46.0.3-cp38-abi3-win_arm64.whl",
        "cryptography-46.0.3-cp314-cp314t-win_arm64.whl"}


def test_pyyaml_6_0_2_no_win_arm64() -> None:
    explained = explain_release(captured("pyyaml"), make_target("win-arm64", "3.12"),
                                Version("6.0.2"))
    assert explained is not None
    assert "none for win_arm64" in explained.summary
    assert explained.near_misses == ()
    assert explain_release(captured("pyyaml"), make_target("win-arm64", "3.12"),
                           Version("9")) is None


@pytest.mark.parametrize(
    ("labels", "text"),
    [(["cp312", "cp310", "cp311"], "cp310\u2013cp312"),
     (["cp39", "cp311"], "cp39 and cp311"),
     (["pp39", "cp313t", "cp39", "cp310", "cp311"], "cp39\u2013cp311, cp313t and pp39"),
     ([], "")],
    ids=["range", "gap", "mixed", "empty"],
)
def test_python_span(labels: list[str], text: str) -> None:
    assert python_span(labels) == text


def test_group_files_without_wheels() -> None:
    parsed = parse_file(DistFile(filename="demo-1.0.tar.gz", url="https://x/a"))
    assert parsed is not None
    groups = group_files([parsed], make_target("win-arm64", "3.12"))
    assert describe_groups(groups) == "no wheels; sdist demo-1.0.tar.gz"
