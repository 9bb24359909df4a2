"""Which versions pip's finder offers on a target, and the file each would install from."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace

import pytest
from packaging.specifiers import SpecifierSet

from wheelscout.classify import BinaryPolicy, ParsedFile, TagRanker, parse_file
from wheelscout.model.project import DistFile, NormalizedName, ProjectPage
from wheelscout.model.reasons import ReasonCode
from wheelscout.resolve.candidates import (
    group_releases,
    list_candidates,
    page_releases,
    why_empty,
)
from wheelscout.targets import make_target

File = tuple[str, str | None, str | None]  # filename, requires-python, yanked reason


def _files(*files: File) -> list[ParsedFile]:
    parsed = [
        parse_file(
            DistFile(
                filename=name,
                url=f"https://example.invalid/{name}",
                requires_python=requires_python,
                yanked=yanked,
            )
        )
        for name, requires_python, yanked in files
    ]
    return [p for p in parsed if p is not None]


def _offered(
    files: list[ParsedFile], spec: str = "", policy: BinaryPolicy | None = None
) -> list[str]:
    ranker = TagRanker(make_target("win-arm64", "3.12"))
    releases = group_releases(NormalizedName("pkg"), files)
    return [
        f"{c.version} {c.choice.file.file.filename}"
        for c in list_candidates(releases, SpecifierSet(spec), ranker, policy or BinaryPolicy())
        if c.choice.file is not None
    ]


ONLY_BINARY = BinaryPolicy(only_binary=True)


@pytest.mark.parametrize(
    ("files", "spec", "policy", "offered"),
    [
        (
            [
                ("pkg-1.0-cp312-cp312-win_amd64.whl", None, None),
                ("pkg-2.0rc1-py3-none-any.whl", None, None),
            ],
            "",
            BinaryPolicy(),
            ["2.0rc1 pkg-2.0rc1-py3-none-any.whl"],
        ),
        (
            [
                ("pkg-1.0-cp312-cp312-win_amd64.whl", None, None),
                ("pkg-1.0.tar.gz", None, None),
                ("pkg-2.0rc1-cp312-cp312-win_arm64.whl", None, None),
            ],
            "",
            ONLY_BINARY,
            ["2.0rc1 pkg-2.0rc1-cp312-cp312-win_arm64.whl"],
        ),
        (
            [
                ("pkg-1.0-cp312-cp312-win_amd64.whl", None, None),
                ("pkg-1.0.tar.gz", None, None),
                ("pkg-2.0rc1-cp312-cp312-win_arm64.whl", None, None),
            ],
            "",
            BinaryPolicy(),
            ["1.0 pkg-1.0.tar.gz"],
        ),
        (
            [
                ("pkg-1.0-py3-none-any.whl", ">=3.13", None),
                ("pkg-1.1b1-py3-none-any.whl", ">=3.12", None),
            ],
            "",
            BinaryPolicy(),
            ["1.1b1 pkg-1.1b1-py3-none-any.whl"],
        ),
        (
            [
                ("pkg-1.0-py3-none-any.whl", None, "broken"),
                ("pkg-1.0-cp312-cp312-win_amd64.whl", None, None),
            ],
            "==1.0",
            BinaryPolicy(),
            ["1.0 pkg-1.0-py3-none-any.whl"],
        ),
        (
            [
                ("pkg-1.0-py3-none-any.whl", None, "broken"),
                ("pkg-1.0-cp312-cp312-win_amd64.whl", None, None),
            ],
            ">=1.0",
            BinaryPolicy(),
            [],
        ),
        (
            [("pkg-1.0-py3-none-any.whl", None, None), ("pkg-2.0rc1-py3-none-any.whl", None, None)],
            "",
            BinaryPolicy(),
            ["1.0 pkg-1.0-py3-none-any.whl"],
        ),
    ],
    ids=[
        "final-without-target-wheel-does-not-hide-pre-release",
        "only-binary-takes-pre-release-wheel",
        "default-builds-final-sdist-before-any-pre-release",
        "final-requiring-newer-python-does-not-hide-pre-release",
        "pin-allows-yanked-when-every-usable-file-is-yanked",
        "no-pin-no-yanked",
        "usable-final-hides-pre-release",
    ],
)
def test_versions_are_filtered_over_the_files_pip_can_use(
    files: list[File], spec: str, policy: BinaryPolicy, offered: list[str]
) -> None:
    assert _offered(_files(*files), spec, policy) == offered


def test_a_page_is_parsed_once_and_shared_by_every_thread() -> None:
    files = tuple(DistFile(filename=f, url=f"https://h/{f}") for f in
                  ("demo-1.0-py3-none-any.whl", "demo-2.0.tar.gz", "other-3.0.tar.gz"))
    page = ProjectPage(name=NormalizedName("demo"), files=files)
    with ThreadPoolExecutor(max_workers=4) as pool:
        seen = list(pool.map(lambda _: page_releases(page), range(8)))

    assert all(releases is seen[0] for releases in seen)
    assert [str(r.version) for r in seen[0]] == ["2.0", "1.0"]  # other-3.0 is another project
    # An equal page from another run is another object: parsed again, never mixed up.
    assert page_releases(replace(page)) is not seen[0]


@pytest.mark.parametrize(
    ("files", "spec", "policy", "code"),
    [
        ([], "", BinaryPolicy(), ReasonCode.NO_FILES),
        ([("pkg-1.0-py3-none-any.whl", None, None)], ">=2", BinaryPolicy(),
         ReasonCode.NO_MATCHING_VERSION),
        ([("pkg-1.0-py3-none-any.whl", None, "broken build")], "", BinaryPolicy(),
         ReasonCode.YANKED),
        ([("pkg-1.0-py3-none-any.whl", ">=3.13", None)], "", BinaryPolicy(),
         ReasonCode.REQUIRES_PYTHON),
        ([("pkg-1.0-cp312-cp312-win_amd64.whl", None, None)], "", BinaryPolicy(),
         ReasonCode.NO_SDIST),
        ([("pkg-1.0.tar.gz", None, None)], "", ONLY_BINARY, ReasonCode.BUILD_NOT_ALLOWED),
    ],
    ids=["no-files", "no-matching-version", "yanked", "requires-python", "no-sdist",
         "build-not-allowed"],
)
def test_why_nothing_is_offered_has_a_code(
    files: list[File], spec: str, policy: BinaryPolicy, code: ReasonCode
) -> None:
    ranker = TagRanker(make_target("win-arm64", "3.12"))
    releases = group_releases(NormalizedName("pkg"), _files(*files))
    assert not list_candidates(releases, SpecifierSet(spec), ranker, policy)
    assert why_empty("pkg", releases, SpecifierSet(spec), ranker, policy).code is code
