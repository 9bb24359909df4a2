"""The resolver on tiny local find-links directories: cases first met on real PyPI."""

from __future__ import annotations

from pathlib import Path

import pytest
from packaging.requirements import Requirement

from tests.support.indexgen import Release, release_wheel
from wheelscout.index import BlockingIndexClient, IndexSettings
from wheelscout.model.verdict import PackageVerdict
from wheelscout.resolve import ResolveOptions, Resolver
from wheelscout.targets import make_target


def _links(tmp_path: Path, wheels: dict[str, Release]) -> Path:
    """A find-links directory: each file name (its tags) -> a real wheel with that metadata."""
    links = tmp_path / "links"
    links.mkdir()
    for filename, release in wheels.items():
        tag = filename.removesuffix(".whl").split("-", 2)[2]  # its WHEEL file says the same
        (links / filename).write_bytes(release_wheel(release, tag).data)
    return links


def _resolve(
    links: Path, requirements: list[str], target: str, mode: str = "default"
) -> dict[str, PackageVerdict]:
    empty = links.parent / "empty"
    empty.mkdir(exist_ok=True)
    settings = IndexSettings(index_url=empty.as_uri(), find_links=(str(links),), no_cache=True)
    with BlockingIndexClient(settings) as client:
        result = Resolver(client).resolve(
            [Requirement(r) for r in requirements],
            make_target(target, "3.12"),
            ResolveOptions(mode=mode),  # type: ignore[arg-type]
        )
    assert result.status != "unresolvable", result.conflict
    return {p.name: p for p in result.packages}


@pytest.mark.parametrize("mode", ["default", "only-binary"])
def test_unavailable_reason_uses_the_chosen_parents_pin(tmp_path: Path, mode: str) -> None:
    # psycopg[binary] on win_arm64: psycopg-binary ships no sdist and no win_arm64 wheel;
    # psycopg 3.2.0 pinned a psycopg-binary that never existed. The verdict must explain the
    # pin of the psycopg that was chosen (3.3.9), not the one backtracking passed through.
    links = _links(
        tmp_path,
        {
            "parent-2.0-py3-none-any.whl": Release("parent", "2.0", ("child==2.0",)),
            "parent-1.0-py3-none-any.whl": Release("parent", "1.0", ("child==1.0.dev1",)),
            "child-2.0-cp312-cp312-win_amd64.whl": Release("child", "2.0"),
            "child-0.5-cp312-cp312-win_amd64.whl": Release("child", "0.5"),
        },
    )
    found = _resolve(links, ["parent"], "win-arm64", mode)
    assert (found["parent"].version, found["parent"].install) == ("2.0", "wheel")
    assert found["child"].install == "none"
    assert "child 2.0" in found["child"].reason
    assert "win_arm64" in found["child"].reason
    assert "1.0.dev1" not in found["child"].reason
