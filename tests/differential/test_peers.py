"""The recorded peer answers, their key facts, and a live re-run of uv and pip on loopback.

``tests/data/pypi/expected/<set>.json`` is written by ``scripts/record_peer_answers.py``. The
live tests run a representative slice by default, to stay within seconds (every set and mode on
win_arm64; numpy==1.26.2 with uv on every target and with pip on win_amd64);
``WHEELSCOUT_PEERS=full`` runs the whole matrix (72 peer runs, about half a minute).
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from tests.support.mirror import Mirror, build_mirror
from tests.support.peers import (
    EXPECTED,
    MODES,
    PEERS_DISAGREE,
    REQUIREMENT_SETS,
    TARGETS,
    PeerAnswer,
    PeerMode,
    load_expected,
    run_peer,
)
from tests.support.server import MirrorServer


def recorded(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((EXPECTED / f"{name}.json").read_bytes())
    return data


def answer(name: str, mode: PeerMode, target: str) -> PeerAnswer:
    return load_expected(name)[mode, target]


def files(result: PeerAnswer) -> dict[str, tuple[str, str, str]]:
    return {p.name: (p.version, p.install, p.file) for p in result.packages}


@pytest.mark.parametrize("name", list(REQUIREMENT_SETS), ids=list(REQUIREMENT_SETS))
def test_every_set_target_and_mode_is_recorded(name: str) -> None:
    data = recorded(name)
    assert data["schema_version"] == 1
    assert data["requirements"] == list(REQUIREMENT_SETS[name])
    assert sorted((a["mode"], a["target"]) for a in data["answers"]) == sorted(
        (mode, target) for mode in MODES for target in TARGETS)


@pytest.mark.parametrize(("name", "mode", "target", "expected"), [
    ("numpy-1.26.2", "uv", "win_arm64", {"numpy": ("1.26.2", "build", "numpy-1.26.2.tar.gz")}),
    ("numpy-1.26.2", "uv", "win_amd64",
     {"numpy": ("1.26.2", "wheel", "numpy-1.26.2-cp312-cp312-win_amd64.whl")}),
    ("numpy", "pip-only-binary", "win_arm64",
     {"numpy": ("2.5.5", "wheel", "numpy-2.5.5-cp312-cp312-win_arm64.whl")}),
    ("cryptography", "uv", "win_arm64",
     {"cryptography": ("50.0.2", "build", "cryptography-50.0.2.tar.gz")}),
    ("cryptography", "uv-no-build", "win_arm64",
     {"cryptography": ("46.0.3", "wheel", "cryptography-46.0.3-cp311-abi3-win_arm64.whl")}),
    ("cryptography", "pip-only-binary", "win_arm64",
     {"cryptography": ("46.0.3", "wheel", "cryptography-46.0.3-cp311-abi3-win_arm64.whl")}),
    ("pyyaml-6.0.2", "uv", "win_arm64", {"pyyaml": ("6.0.2", "build", "pyyaml-6.0.2.tar.gz")}),
    ("pandas", "uv-no-build", "win_arm64",
     {"pandas": ("3.1.1", "wheel", "pandas-3.1.1-cp312-cp312-win_arm64.whl")}),
], ids=["numpy-1.26.2-builds-on-win-arm64", "numpy-1.26.2-wheel-on-win-amd64",
        "numpy-newest-wheel-on-win-arm64", "cryptography-newest-builds-on-win-arm64",
        "cryptography-no-build-backtracks-to-46", "pip-agrees-cryptography-46",
        "pyyaml-6.0.2-builds-on-win-arm64", "pandas-wheel-on-win-arm64"])
def test_recorded_key_facts(
    name: str, mode: PeerMode, target: str, expected: dict[str, tuple[str, str, str]]
) -> None:
    result = answer(name, mode, target)
    assert result.status == "ok"
    assert {k: v for k, v in files(result).items() if k in expected} == expected


@pytest.mark.parametrize("name", ["numpy-1.26.2", "pyyaml-6.0.2"], ids=["numpy", "pyyaml"])
@pytest.mark.parametrize("mode", ["uv-no-build", "pip-only-binary"], ids=["uv", "pip"])
def test_recorded_no_wheel_means_unresolvable_without_builds(name: str, mode: PeerMode) -> None:
    result = answer(name, mode, "win_arm64")
    assert result.status == "unresolvable"
    assert result.error


@pytest.mark.parametrize("name", list(REQUIREMENT_SETS), ids=list(REQUIREMENT_SETS))
def test_recorded_peers_agree_wherever_nothing_is_built(name: str) -> None:
    if name in PEERS_DISAGREE:
        pytest.skip(PEERS_DISAGREE[name])
    for target in TARGETS:
        uv, no_build, pip = (answer(name, mode, target) for mode in MODES)
        if all(p.install == "wheel" for p in uv.packages):
            assert uv.outcome() == no_build.outcome() == pip.outcome(), target
        else:
            assert no_build.outcome() == pip.outcome(), target


def _live_cases() -> list[tuple[str, str, PeerMode]]:
    full = os.environ.get("WHEELSCOUT_PEERS") == "full"
    return [(name, target, mode) for name in REQUIREMENT_SETS for target in TARGETS
            for mode in MODES
            if full or target == "win_arm64" or (
                name == "numpy-1.26.2" and (mode != "pip-only-binary" or target == "win_amd64"))]


LIVE = _live_cases()


@pytest.mark.integration
@pytest.mark.peer
@pytest.mark.parametrize(("name", "target", "mode"), LIVE,
                         ids=[f"{n}-{t}-{m}" for n, t, m in LIVE])
def test_live_peer_matches_recording(
    mirror_server: MirrorServer, peer_workdir: Path, name: str, target: str, mode: PeerMode
) -> None:
    live = run_peer(mode, REQUIREMENT_SETS[name], TARGETS[target], mirror_server.index_url,
                    peer_workdir)
    assert live.outcome() == answer(name, mode, target).outcome(), live.error


@pytest.mark.integration
@pytest.mark.peer
@pytest.mark.parametrize("mode", ["uv", "pip-only-binary"], ids=["uv", "pip"])
def test_live_peers_use_metadata_files_and_html_pages_the_same_way(
    tmp_path: Path, mode: PeerMode
) -> None:
    with_meta: Mirror = build_mirror(tmp_path / "m", projects=["cryptography", "cffi",
                                                               "pycparser"], metadata_files=True)
    with MirrorServer(with_meta.root, formats=("html",)) as server:
        live = run_peer(mode, ("cryptography",), TARGETS["win_arm64"], server.index_url,
                        tmp_path / "work")
        stats = server.stats()
    assert live.outcome() == answer("cryptography", mode, "win_arm64").outcome()
    assert stats.metadata_files > 0
    assert all(r.content_type is None or "json" not in r.content_type for r in server.log)
