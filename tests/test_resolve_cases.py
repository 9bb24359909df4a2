"""The resolver over plain data (resolvelib's style): one test, every case a JSON file.

Each ``tests/data/resolve-cases/<name>.json`` holds::

    {"description": "...",
     "index": {"<project>": {"<version>": {"requires_python": ">=3.9",
                                           "dependencies": ["b>=1"], "extras": {"x": ["c"]},
                                           "wheels": ["<tag>", ...], "sdist": true,
                                           "yanked": false}}},
     "requested": ["<requirement>", ...],
     "python": "3.12",
     "options": {"mode": "only-binary"},
     "expected": {"<target>": {"status": "ok" | "fails" | "unresolvable",
                               "resolved": {"<project>": ["<version>", "wheel" | "build" | "none",
                                                          "<wheel tag, optional>"]}}}}

``resolved`` lists every package of the result, no more; an unresolvable set resolves nothing.
The index is a :class:`~tests.support.memory_source.MemorySource`: no HTTP anywhere.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from packaging.requirements import Requirement

from tests.support.memory_source import MemorySource
from wheelscout.index import BlockingIndexClient
from wheelscout.model.verdict import TargetResult
from wheelscout.resolve import ProjectSource, ResolveOptions, Resolver
from wheelscout.targets import make_target

CASES = sorted((Path(__file__).parent / "data" / "resolve-cases").glob("*.json"))
_CASE_KEYS = {"description", "index", "requested", "python", "options", "expected"}


def _blocking_client_is_a_source(client: BlockingIndexClient) -> ProjectSource:
    return client  # mypy --strict checks the protocol is met structurally


def _load(path: Path) -> dict[str, Any]:
    case: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    assert set(case) <= _CASE_KEYS, f"unknown keys in {path.name}: {set(case) - _CASE_KEYS}"
    return case


def _resolved(result: TargetResult) -> dict[str, list[str | None]]:
    return {p.name: [p.version, p.install, p.tag] for p in result.packages}


def _wanted(resolved: dict[str, list[str | None]]) -> dict[str, list[str | None]]:
    return {name: [*row, None][:3] for name, row in resolved.items()}


def _drop_unasked_tags(
    got: dict[str, list[str | None]], expected: dict[str, list[str]]
) -> dict[str, list[str | None]]:
    # A case names the wheel tag only where the choice between wheels is the point.
    return {
        name: row if len(expected.get(name, ())) > 2 else [*row[:2], None]
        for name, row in got.items()
    }


@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_case(path: Path) -> None:
    case = _load(path)
    source = MemorySource.from_json(case["index"])
    resolver = Resolver(source)
    options = ResolveOptions(**case.get("options", {}))
    requested = [Requirement(r) for r in case["requested"]]
    for spelling, expected in case["expected"].items():
        result = resolver.resolve(requested, make_target(spelling, case["python"]), options)
        assert result.status == expected["status"], (spelling, result.conflict)
        got = _drop_unasked_tags(_resolved(result), expected["resolved"])
        assert got == _wanted(expected["resolved"]), spelling
    assert max(source.pages_read.values(), default=0) == 1  # one shared read per page


def test_cases_exist() -> None:
    assert len(CASES) >= 8
