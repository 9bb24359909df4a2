"""wheelscout against the recorded answers of uv and pip on the same loopback mirror.

``default`` must agree with ``uv pip compile``; ``only-binary`` with ``uv --no-build`` and with
``pip install --only-binary=:all: --platform`` (recorded by scripts/record_peer_answers.py and
re-checked live by test_peers.py): every version, and wheel-versus-build, exact file included.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from packaging.requirements import Requirement

from tests.support.peers import REQUIREMENT_SETS, TARGETS, PeerAnswer, PeerMode, load_expected
from tests.support.server import MirrorServer
from wheelscout.index import BlockingIndexClient, IndexSettings
from wheelscout.model.verdict import TargetResult
from wheelscout.resolve import ResolveOptions, Resolver
from wheelscout.targets import make_target

# The peers' target names as wheelscout spellings (macOS pinned to 14.0 for both peers).
SPELLINGS = {
    "win_arm64": "win_arm64",
    "win_amd64": "win_amd64",
    "manylinux_2_28_aarch64": "manylinux_2_28_aarch64",
    "macos_arm64": "macosx_14_0_arm64",
}
OURS: dict[PeerMode, ResolveOptions] = {
    "uv": ResolveOptions(mode="default"),
    "uv-no-build": ResolveOptions(mode="only-binary"),
    "pip-only-binary": ResolveOptions(mode="only-binary"),
}
CASES = [(name, target, mode) for name in REQUIREMENT_SETS for target in TARGETS for mode in OURS]
# Where a peer's recorded answer is not pip-on-the-target, and why (wheelscout predicts pip).
UV_ACCEPTS_INVALID = (
    "uv reads uvicorn 0.14.0's invalid 'click (>=7.*)' leniently; pip 26 ignores that release "
    "('Ignoring version 0.14.0 of uvicorn since it has invalid metadata'), as wheelscout does"
)
PEERS_DIFFER: dict[tuple[str, str, str], str] = {
    **{("uvicorn-0.14.0", target, mode): UV_ACCEPTS_INVALID
       for target in TARGETS for mode in ("uv", "uv-no-build")},
    ("psycopg-binary-extra", "win_amd64", "pip-only-binary"): (
        "pip --platform evaluates markers on the host: it leaves out psycopg's "
        "'tzdata; sys_platform == \"win32\"'"
    ),
}


@pytest.fixture(scope="module")
def resolver(mirror_server: MirrorServer) -> Iterator[Resolver]:
    settings = IndexSettings(index_url=mirror_server.index_url, no_cache=True)
    with BlockingIndexClient(settings) as client:
        yield Resolver(client)


def _outcome(result: TargetResult) -> tuple[str, tuple[tuple[str, str, str, str], ...]]:
    if result.status != "ok" or any(p.install == "none" for p in result.packages):
        return "unresolvable", ()
    packages = sorted(
        (p.name, p.version or "", p.install, p.file.filename if p.file else "")
        for p in result.packages
    )
    return "ok", tuple(packages)


def _expected(answer: PeerAnswer) -> tuple[str, tuple[tuple[str, str, str, str], ...]]:
    status, packages = answer.outcome()
    return status, tuple(sorted(packages)) if status == "ok" else ()


@pytest.mark.integration
@pytest.mark.parametrize(("name", "target", "mode"), CASES, ids=["-".join(c) for c in CASES])
def test_agrees_with_peer(resolver: Resolver, name: str, target: str, mode: PeerMode) -> None:
    if (name, target, mode) in PEERS_DIFFER:
        pytest.skip(PEERS_DIFFER[name, target, mode])
    answer = load_expected(name)[mode, target]
    requirements = [Requirement(r) for r in REQUIREMENT_SETS[name]]
    result = resolver.resolve(requirements, make_target(SPELLINGS[target], "3.12"), OURS[mode])
    assert _outcome(result) == _expected(answer), (result.conflict, answer.error)


@pytest.mark.integration
def test_one_run_fetches_each_page_once(mirror_server: MirrorServer) -> None:
    mirror_server.reset_log()
    settings = IndexSettings(index_url=mirror_server.index_url, no_cache=True)
    with BlockingIndexClient(settings) as client:
        resolver = Resolver(client)
        for spelling in SPELLINGS.values():
            resolver.resolve([Requirement("pandas")], make_target(spelling, "3.12"))
    paths = [entry.path for entry in mirror_server.log]
    pages = [p for p in paths if p.startswith("/simple/")]
    assert len(pages) == len(set(pages)), pages
    assert {"/simple/pandas/", "/simple/numpy/"} <= set(pages)
