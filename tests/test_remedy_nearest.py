"""Nearest versions with a wheel, coverage and first wheel, on captured real PyPI pages."""

from __future__ import annotations

from functools import cache

import pytest
from packaging.specifiers import SpecifierSet
from packaging.version import Version

from tests.support.mirror import FIXTURES
from wheelscout.model.project import DistFile, NormalizedName, ProjectPage
from wheelscout.remedy import (
    coverage,
    first_version_with_wheel,
    nearest_wheel_versions,
    versions_with_wheel,
)
from wheelscout.simple.pep691 import parse_project_json
from wheelscout.targets import make_target


@cache
def captured(name: str) -> ProjectPage:
    body = (FIXTURES / "simple" / name / "index.json").read_bytes()
    return parse_project_json(body, f"https://pypi.org/simple/{name}/", name)


def test_numpy_pin_forbids_the_nearest_newer_wheel() -> None:
    target = make_target("win-arm64", "3.12")
    nearest = nearest_wheel_versions(captured("numpy"), target, Version("1.26.2"),
                                     SpecifierSet("==1.26.2"))
    assert nearest.newer is not None
    assert str(nearest.newer.version) == "2.3.0"
    assert nearest.newer.file.filename == "numpy-2.3.0-cp312-cp312-win_arm64.whl"
    assert str(nearest.newer.tag) == "cp312-cp312-win_arm64"
    assert nearest.newer.allowed is False
    assert nearest.older is None


def test_numpy_unpinned_allows_it() -> None:
    target = make_target("win-arm64", "3.12")
    nearest = nearest_wheel_versions(captured("numpy"), target, Version("2.2.6"),
                                     SpecifierSet(">=2"))
    assert nearest.newer is not None
    assert (str(nearest.newer.version), nearest.newer.allowed) == ("2.3.0", True)


def test_numpy_first_wheel_and_coverage_on_win_arm64() -> None:
    target = make_target("win-arm64", "3.12")
    first = first_version_with_wheel(captured("numpy"), target)
    assert first is not None
    assert str(first.version) == "2.3.0"
    rows = coverage(captured("numpy"), target, last_n=10)
    assert [(str(r.version), r.has_wheel) for r in rows] == [
        ("2.5.5", True), ("2.3.0", True), ("2.2.6", False), ("1.26.2", False)]
    assert all(r.has_sdist for r in rows)
    assert [str(r.version) for r in coverage(captured("numpy"), target, last_n=2)] == [
        "2.5.5", "2.3.0"]


def test_numpy_requires_python_excludes_old_interpreter() -> None:
    # numpy 2.5.5 requires >=3.12, 2.3.0 >=3.11: on 3.11 only 2.3.0 has a win_arm64 wheel.
    target = make_target("win-arm64", "3.11")
    rows = {str(r.version): r for r in coverage(captured("numpy"), target)}
    assert rows["2.5.5"].has_wheel is False
    assert rows["2.5.5"].excluded == f"Requires-Python >=3.12 excludes {target.python.full}"
    assert rows["2.3.0"].has_wheel is True


@pytest.mark.parametrize(
    ("python", "expected"),
    [
        ("3.10", {"50.0.2": False, "46.0.3": True, "45.0.7": False}),
        ("3.12", {"50.0.2": False, "46.0.3": True, "45.0.7": False}),
        ("3.13t", {"50.0.2": False, "46.0.3": False, "45.0.7": False}),
        ("3.14t", {"50.0.2": False, "46.0.3": True, "45.0.7": False}),
    ],
    ids=["cp310-abi3", "cp312-abi3", "cp313t-nothing", "cp314t-own-wheel"],
)
def test_cryptography_win_arm64_coverage_depends_on_python(
    python: str, expected: dict[str, bool]
) -> None:
    rows = coverage(captured("cryptography"), make_target("win-arm64", python))
    assert {str(r.version): r.has_wheel for r in rows} == expected


def test_cryptography_nearest_older_and_wheel_tag() -> None:
    target = make_target("win-arm64", "3.12")
    nearest = nearest_wheel_versions(captured("cryptography"), target, Version("50.0.2"),
                                     SpecifierSet(">=46"))
    assert nearest.newer is None
    assert nearest.older is not None
    assert str(nearest.older.version) == "46.0.3"
    assert str(nearest.older.tag) == "cp311-abi3-win_arm64"
    assert nearest.older.allowed is True
    free_threaded = make_target("win-arm64", "3.14t")
    found = versions_with_wheel(captured("cryptography"), free_threaded)
    assert [f.file.filename for f in found] == ["cryptography-46.0.3-cp314-cp314t-win_arm64.whl"]


@pytest.mark.parametrize(
    ("spelling", "python"),
    [("win-arm64", "3.12"), ("win-arm64", "3.13")],
    ids=["cp312", "cp313"],
)
def test_pyyaml_6_0_2_has_no_win_arm64_wheel(spelling: str, python: str) -> None:
    target = make_target(spelling, python)
    nearest = nearest_wheel_versions(captured("pyyaml"), target, Version("6.0.2"),
                                     SpecifierSet("==6.0.2"))
    assert nearest.older is None
    assert nearest.newer is not None
    assert (str(nearest.newer.version), nearest.newer.allowed) == ("6.0.3", False)


def test_never_a_wheel_and_yanked_files_are_skipped() -> None:
    files = (
        DistFile(filename="demo-1.0-cp312-cp312-win_arm64.whl", url="https://x/a", yanked=""),
        DistFile(filename="demo-1.0.tar.gz", url="https://x/b"),
        DistFile(filename="demo-2.0-cp312-cp312-win_amd64.whl", url="https://x/c"),
        DistFile(filename="demo-3.0rc1-cp312-cp312-win_arm64.whl", url="https://x/d"),
    )
    page = ProjectPage(name=NormalizedName("demo"), files=files)
    target = make_target("win-arm64", "3.12")
    assert first_version_with_wheel(page, target) is None
    found = first_version_with_wheel(page, target, pre=True)
    assert found is not None
    assert str(found.version) == "3.0rc1"
    rows = coverage(page, target)
    assert [(str(r.version), r.has_wheel, r.excluded) for r in rows] == [
        ("2.0", False, None), ("1.0", False, None)]
    nearest = nearest_wheel_versions(page, target, Version("3.0rc1"))
    assert nearest.older is None  # 1.0's only wheel is yanked


@pytest.mark.parametrize(
    ("specifier", "newer", "older"),
    [
        (">=3", None, "2.5.5"),
        (">2.5.5", None, "2.5.5"),
        ("==2.4.0", "2.5.5", "2.3.0"),
        ("<2", "2.3.0", None),
        ("<2.3.0", "2.3.0", None),
    ],
    ids=["above-every-release", "strictly-above-newest", "between", "below", "at-upper-bound"],
)
def test_nearest_to_a_specifier_no_release_meets(
    specifier: str, newer: str | None, older: str | None
) -> None:
    # numpy on win_arm64/cp312: wheels for 2.3.0 and 2.5.5 only.
    from wheelscout.remedy import nearest_to_specifier

    target = make_target("win-arm64", "3.12")
    nearest = nearest_to_specifier(captured("numpy"), target, SpecifierSet(specifier))
    assert nearest is not None
    assert (str(nearest.newer.version) if nearest.newer else None) == newer
    assert (str(nearest.older.version) if nearest.older else None) == older


def test_numpy_at_least_3_offers_the_newest_wheel() -> None:
    from wheelscout.model.verdict import PackageVerdict
    from wheelscout.remedy import package_remedy

    verdict = PackageVerdict(name=NormalizedName("numpy"), version=None, install="none",
                             reason="no release of numpy matches numpy>=3")
    remedy = package_remedy(verdict, captured("numpy"), make_target("win-arm64", "3.12"),
                            SpecifierSet(">=3"))
    assert remedy.advice == ("numpy 2.5.5 is the nearest older version with a wheel for "
                             "win_arm64/cp312, but numpy>=3 forbids it")


def _placeholder_page() -> ProjectPage:
    base = "https://files.example/polars-runtime-32/"
    files = (
        DistFile(filename="polars_runtime_32-0.0.0-py3-none-any.whl", url=base + "a", size=1286),
        DistFile(filename="polars_runtime_32-0.5.0-py3-none-any.whl", url=base + "b", size=1286),
        DistFile(filename="polars_runtime_32-1.0.0-py3-none-any.whl", url=base + "c"),
        DistFile(filename="polars_runtime_32-2.1.0.tar.gz", url=base + "d"),
    )
    return ProjectPage(name=NormalizedName("polars-runtime-32"), files=files)


def test_placeholder_releases_are_never_offered() -> None:
    from wheelscout.remedy import is_placeholder

    target = make_target("linux-armv7l", "3.12")
    found = versions_with_wheel(_placeholder_page(), target)
    # 0.0.0 is a version-0 name reservation, 0.5.0 a 1,286-byte wheel; 1.0.0 (size unknown) stays.
    assert [str(v.version) for v in found] == ["1.0.0"]
    assert is_placeholder(Version("0.0.0a0"))
    assert not is_placeholder(Version("0.1"))
    nearest = nearest_wheel_versions(_placeholder_page(), target, Version("2.1.0"))
    assert nearest.older is not None
    assert str(nearest.older.version) == "1.0.0"


def test_placeholder_binary_choice_is_not_advised() -> None:
    from wheelscout.model.verdict import PackageVerdict
    from wheelscout.remedy import package_remedy

    page = _placeholder_page()
    zero = page.files[0]
    verdict = PackageVerdict(name=NormalizedName("polars-runtime-32"), version="2.1.0",
                             install="build", reason="no armv7l wheel")
    binary = PackageVerdict(name=NormalizedName("polars-runtime-32"), version="0.0.0",
                            install="wheel", reason="a wheel", file=zero)
    remedy = package_remedy(verdict, page, make_target("linux-armv7l", "3.12"), binary=binary)
    assert "0.0.0" not in remedy.advice
    assert remedy.advice.startswith("polars-runtime-32 1.0.0 is the nearest older version")
