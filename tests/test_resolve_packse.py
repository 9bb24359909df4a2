"""The resolver on packse scenarios (the suite uv is tested with), served from 127.0.0.1."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from tests.support.packse_index import (
    ServedScenarios,
    scenario_id,
    scenario_paths,
    serve_scenarios,
)
from wheelscout.index import BlockingIndexClient, IndexSettings
from wheelscout.model.verdict import TargetResult
from wheelscout.resolve import ResolveOptions, Resolver
from wheelscout.targets import make_target

FOLDERS = (
    "wheels",
    "tag_and_markers",
    "requires_python",
    "yanked",
    "prereleases",
    "extras",
    "local",
)
SCENARIOS = scenario_paths(*FOLDERS)

# Scenarios whose expectation is uv's, not pip's, with the reason (pip is what we predict).
PIP_DIFFERS: Mapping[str, str] = {
    "requires_python/python-less-than-current": (
        "uv ignores Requires-Python upper bounds; pip rejects a <3.12 package on 3.12"
    ),
    "yanked/transitive-yanked-and-unyanked-dependency": (
        "pip allows a yanked release when the merged specifier pins it (a needs c==2.0.0); "
        "uv only when the user pins it"
    ),
}


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServedScenarios]:
    with serve_scenarios(SCENARIOS, tmp_path_factory.mktemp("packse")) as scenarios:
        yield scenarios


def _resolve(served: ServedScenarios, key: str, *, html_only: bool = False) -> TargetResult:
    index = served.indexes[key]
    options = index.options
    settings = IndexSettings(index_url=served.index_url(key, html_only=html_only), no_cache=True)
    resolve_options = ResolveOptions(
        pre=options.prereleases,
        no_binary=frozenset(canonicalize_name(n) for n in options.no_binary),
        only_binary=frozenset(canonicalize_name(n) for n in options.no_build),
    )
    target = make_target(index.python_platform, index.python_version)
    with BlockingIndexClient(settings) as client:
        return Resolver(client).resolve(
            [Requirement(r) for r in index.root_requirements], target, resolve_options
        )


@pytest.mark.integration
@pytest.mark.parametrize("path", SCENARIOS, ids=scenario_id)
def test_scenario(served: ServedScenarios, path: Path) -> None:
    key = scenario_id(path)
    index = served.indexes[key]
    if index.options.universal or index.options.required_environments:
        pytest.skip("a universal (all-platform) scenario: wheelscout resolves per target")
    if key in PIP_DIFFERS:
        pytest.skip(PIP_DIFFERS[key])
    result = _resolve(served, key)
    installable = result.status == "ok" and all(p.install != "none" for p in result.packages)
    verdicts = [(p.name, p.version, p.install, p.reason) for p in result.packages]
    detail = f"{index.expected.explanation}\n{result.status} {result.conflict} {verdicts}"
    assert installable == index.expected.satisfiable, detail
    if index.expected.satisfiable:
        got: dict[str, str | None] = {p.name: p.version for p in result.packages}
        expected = {canonicalize_name(n): v for n, v in index.expected.packages.items()}
        assert {n: got.get(n) for n in expected} == expected, detail
