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
