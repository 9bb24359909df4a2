"""File choice for one release on one target (pip's CandidateEvaluator)."""

from __future__ import annotations

import pytest
from packaging.specifiers import SpecifierSet

from wheelscout.classify import BinaryPolicy, ParsedFile, TagRanker, choose, parse_file
from wheelscout.model.project import DistFile, NormalizedName
from wheelscout.resolve.candidates import group_releases, list_candidates
from wheelscout.targets import make_target


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
