"""pip's per-release file choice and the sentences that explain it."""

from __future__ import annotations

import dataclasses

import pytest
from packaging.specifiers import SpecifierSet

from wheelscout.classify import (
    BinaryPolicy,
    Choice,
    ParsedFile,
    TagRanker,
    WheelKind,
    choose,
    parse_file,
    parse_files,
    python_allows,
)
from wheelscout.classify.reasons import explain_choice, platform_label
from wheelscout.model.project import DistFile, NormalizedName
from wheelscout.model.reasons import Reason, ReasonCode
from wheelscout.resolve.candidates import group_releases, list_candidates
from wheelscout.targets import make_target


def _files(*names: str) -> list[DistFile]:
    return [DistFile(filename=n, url=f"https://files.invalid/{n}") for n in names]


NUMPY_1262 = _files(
    "numpy-1.26.2-cp312-cp312-win_amd64.whl",
    "numpy-1.26.2-cp312-cp312-win32.whl",
    "numpy-1.26.2-cp312-cp312-manylinux_2_17_aarch64.manylinux2014_aarch64.whl",
    "numpy-1.26.2-cp312-cp312-macosx_11_0_arm64.whl",
    "numpy-1.26.2.tar.gz",
)


def _choose(
    files: list[DistFile], spelling: str, python: str = "3.12", **policy: bool
) -> tuple[Choice, Reason]:
    target = make_target(spelling, python)
    parsed = parse_files(files, files[0].filename.split("-")[0])
    choice = choose(parsed, TagRanker(target), BinaryPolicy(**policy))
    return choice, explain_choice("numpy", "1.26.2", parsed, choice, target)


def test_platform_wheel_on_amd64() -> None:
    choice, reason = _choose(NUMPY_1262, "win-amd64")
    assert choice.install == "wheel"
    assert choice.file is not None
    assert choice.file.file.filename == "numpy-1.26.2-cp312-cp312-win_amd64.whl"
    assert reason.code is ReasonCode.WHEEL
    # the wording, pinned on purpose (scripts match reason_code, people read this)
    assert reason.text == (
        "numpy 1.26.2 has a wheel for win_amd64: numpy-1.26.2-cp312-cp312-win_amd64.whl"
    )


def test_sdist_on_arm64_names_the_same_os_wheels() -> None:
    choice, reason = _choose(NUMPY_1262, "win-arm64")
    assert choice.install == "build"
    assert reason.code is ReasonCode.NO_MATCHING_WHEEL
    # the wording, pinned on purpose: the same OS's wheels are named, not every platform's
    assert reason.text == (
        "numpy 1.26.2 ships wheels for win_amd64 and win32 but not win_arm64, "
        "so pip builds numpy-1.26.2.tar.gz from source"
    )


def test_only_binary_gives_none() -> None:
    choice, reason = _choose(NUMPY_1262, "win-arm64", only_binary=True)
    assert choice.install == "none"
    assert reason.code is ReasonCode.BUILD_NOT_ALLOWED


@pytest.mark.parametrize(
    ("names", "spelling", "policy", "install", "code"),
    [
        (("numpy-1.26.2.tar.gz",), "win-arm64", {}, "build", ReasonCode.ONLY_SDIST),
        (("numpy-1.26.2-cp312-cp312-win_amd64.whl",), "win-arm64", {}, "none",
         ReasonCode.NO_SDIST),
        (("numpy-1.26.2-py3-none-any.whl",), "win-arm64", {}, "wheel", ReasonCode.WHEEL),
        (("numpy-1.26.2-cp313-cp313-win_amd64.whl", "numpy-1.26.2.tar.gz"), "win-amd64",
         {"no_binary": True}, "build", ReasonCode.BINARY_NOT_ALLOWED),
        (("numpy-1.26.2.tar.gz",), "ios-arm64", {}, "none", ReasonCode.CANNOT_BUILD_HERE),
        (("numpy-1.26.2.tar.gz",), "linux-x86_64", {"only_binary": True}, "none",
         ReasonCode.BUILD_NOT_ALLOWED),
    ],
    ids=["only-sdist", "no-sdist", "pure", "no-binary", "ios", "only-binary"],
)
def test_reason_codes(
    names: tuple[str, ...], spelling: str, policy: dict[str, bool], install: str,
    code: ReasonCode,
) -> None:
    choice, reason = _choose(_files(*names), spelling, "3.13", **policy)
    assert (choice.install, reason.code) == (install, code)


def test_no_binary_builds_even_with_a_wheel() -> None:
    choice, reason = _choose(NUMPY_1262, "win-amd64", no_binary=True)
    assert choice.install == "build"
    assert reason.code is ReasonCode.BINARY_NOT_ALLOWED
    # the wording, pinned: the wheel that fits is named, and why it is not taken
    assert reason.text == (
        "numpy 1.26.2 has a wheel for win_amd64 (numpy-1.26.2-cp312-cp312-win_amd64.whl), but "
        "binaries are not allowed for it (--no-binary), so pip builds numpy-1.26.2.tar.gz from "
        "source"
    )


def test_wrong_python_is_named() -> None:
    files = _files("numpy-1.26.2-cp311-cp311-win_arm64.whl", "numpy-1.26.2.tar.gz")
    _, reason = _choose(files, "win-arm64")
    assert reason.code is ReasonCode.WRONG_PYTHON
    assert "cp311-cp311" in reason.text


def test_higher_build_tag_wins_a_tie() -> None:
    files = _files(
        "demo-1.0-py3-none-any.whl", "demo-1.0-2-py3-none-any.whl", "demo-1.0-1-py3-none-any.whl"
    )
    choice, _ = _choose(files, "linux-x86_64")
    assert choice.file is not None
    assert choice.file.file.filename == "demo-1.0-2-py3-none-any.whl"


def test_better_tag_beats_build_tag() -> None:
    files = _files("demo-1.0-9-py3-none-any.whl", "demo-1.0-cp312-abi3-manylinux_2_17_x86_64.whl")
    choice, reason = _choose(files, "linux-x86_64")
    assert choice.tag is not None
    assert str(choice.tag) == "cp312-abi3-manylinux_2_17_x86_64"
    assert (choice.kind, reason.code) == (WheelKind.ABI3, ReasonCode.WHEEL)
    assert "stable-ABI (abi3)" in reason.text


@pytest.mark.parametrize(
    "name",
    ["not-a-wheel.whl", "demo-notaversion!-py3-none-any.whl", "demo-1.0.exe", "demo.tar.gz"],
)
def test_unusable_names_are_skipped(name: str) -> None:
    assert parse_file(DistFile(filename=name, url="https://files.invalid/x")) is None


def test_parse_files_drops_other_projects() -> None:
    files = _files("demo-1.0-py3-none-any.whl", "other-1.0-py3-none-any.whl", "Demo-2.0.tar.gz")
    assert [p.file.filename for p in parse_files(files, "DEMO")] == [
        "demo-1.0-py3-none-any.whl",
        "Demo-2.0.tar.gz",
    ]


@pytest.mark.parametrize(
    ("platform", "label"),
    [
        ("manylinux_2_17_x86_64", "manylinux x86_64"),
        ("manylinux2014_aarch64", "manylinux aarch64"),
        ("musllinux_1_2_x86_64", "musllinux x86_64"),
        ("macosx_11_0_arm64", "macOS arm64"),
        ("win_arm64", "win_arm64"),
        ("android_24_arm64_v8a", "Android arm64_v8a"),
    ],
)
def test_platform_label(platform: str, label: str) -> None:
    assert platform_label(platform) == label


def _parsed(*names: str) -> list[ParsedFile]:
    found = [parse_file(DistFile(filename=n, url=f"https://example.invalid/{n}")) for n in names]
    assert all(p is not None for p in found)
    return [p for p in found if p is not None]


@pytest.mark.parametrize(
    "filename",
    ["pkg-1.0-py36+-none-any.whl", "pkg-1.0-py3-none-any+linux.whl", "pkg-1.0-3-none-any.whl"],
    ids=["plus-in-interpreter", "plus-in-platform", "no-interpreter-name"],
)
def test_malformed_wheel_tag_matches_nothing(filename: str) -> None:
    # Real PyPI lists such files (a dependency of matplotlib's tree); pip skips them quietly.
    ranker = TagRanker(make_target("linux-x86_64", "3.12"))
    files = _parsed(filename, "pkg-1.0.tar.gz")
    choice = choose(files, ranker)
    assert (choice.install, choice.file) == ("build", files[1])
    assert choose(files[:1], ranker, BinaryPolicy(only_binary=True)).install == "none"


def test_malformed_wheel_tag_falls_back_to_older_release() -> None:
    ranker = TagRanker(make_target("win-arm64", "3.12"))
    files = _parsed("pkg-2.0-py36+-none-any.whl", "pkg-1.0-py3-none-any.whl")
    releases = group_releases(NormalizedName("pkg"), files)
    found = list_candidates(releases, SpecifierSet(), ranker, BinaryPolicy())
    assert [str(c.version) for c in found] == ["1.0"]


@pytest.mark.parametrize(
    ("names", "chosen"),
    [
        (["pkg-1.0-py2.py3-none-any.whl", "pkg-1.0-py3-none-any.whl"], 1),
        (["pkg-1.0-py3-none-any.whl", "pkg-1.0-py2.py3-none-any.whl"], 1),
        (["pkg-1.0.tar.gz", "pkg-1.0.zip"], 1),
        (["pkg-1.0.zip", "pkg-1.0.tar.gz"], 1),
        (["pkg-1.0-1-py3-none-any.whl", "pkg-1.0-py3-none-any.whl"], 0),
        (["pkg-1.0-py3-none-any.whl", "pkg-1.0-cp312-cp312-win_arm64.whl"], 1),
    ],
    ids=[
        "wheel-tie-py3-last",
        "wheel-tie-py2py3-last",
        "sdist-zip-last",
        "sdist-targz-last",
        "build-tag-beats-order",
        "rank-beats-order",
    ],
)
def test_equal_files_the_last_listed_wins(names: list[str], chosen: int) -> None:
    # Wheels checked against pip 26.3 on a two-link index page in both orders (sdists tie on
    # the same key in pip's CandidateEvaluator._sort_key): pip sorts a version's
    # files stably by its key and takes the last, so ties go to the file listed later.
    files = _parsed(*names)
    choice = choose(files, TagRanker(make_target("win-arm64", "3.12")))
    assert choice.file == files[chosen]


def _compressed(values: int) -> str:
    return ".".join(f"x{i}" for i in range(values))


@pytest.mark.parametrize(
    "name",
    [
        f"demo-1.0-{_compressed(320)}-{_compressed(320)}-{_compressed(320)}.whl",
        "demo-" + "1" * 5000 + "-py3-none-any.whl",
        "demo-" + "1" * 5000 + ".tar.gz",
    ],
    ids=["tags-expand-to-32-million", "5000-digit-wheel-version", "5000-digit-sdist-version"],
)
def test_hostile_names_are_skipped_without_expanding(name: str) -> None:
    assert parse_file(DistFile(filename=name, url="https://files.invalid/x")) is None


def test_tags_of_a_hostile_name_are_empty_not_expanded() -> None:
    parsed = parse_file(DistFile(filename="demo-1.0-py3-none-any.whl", url="https://x.invalid/"))
    assert parsed is not None
    hostile = dataclasses.replace(parsed, tag_text=f"{_compressed(300)}-{_compressed(300)}-any")
    assert hostile.tags == frozenset()


def test_requires_python_with_thousands_of_digits_is_ignored_as_pip_does() -> None:
    target = make_target("linux-x86_64", "3.12")
    assert python_allows(">=3." + "1" * 5000, target)
