"""Shared fixtures: test data paths, and isolation from the user's real pip/uv settings."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

from tests.support.mirror import Mirror, build_mirror
from tests.support.server import MirrorServer

DATA = Path(__file__).parent / "data"

# Fuzz tests (tests/test_fuzz_*.py). ``ci``, the default, is the bounded run of the normal suite:
# deterministic examples, 200 per property. ``fuzz`` is the long run (fuzz/run.sh):
# random, thousands per parser, failures kept in .hypothesis/ and replayed first next time.
# Deadlines are per example and generous: linear parsers take milliseconds on these inputs.
settings.register_profile(
    "ci",
    max_examples=200,
    deadline=timedelta(seconds=5),
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile(
    "fuzz",
    max_examples=int(os.environ.get("FUZZ_EXAMPLES", "5000")),
    deadline=timedelta(seconds=2),
    suppress_health_check=[HealthCheck.too_slow],
)
settings.load_profile(os.environ.get("WHEELSCOUT_HYPOTHESIS_PROFILE", "ci"))


@pytest.fixture(autouse=True)
def _isolated_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    # This machine's pip config adds extra indexes, find-links and constraints; no test may see
    # them, nor any PIP_*/UV_* variable that changes what pip or wheelscout picks.
    for name in list(os.environ):
        if name.startswith(("PIP_", "UV_")) or name in ("NETRC", "MACOSX_DEPLOYMENT_TARGET"):
            monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("PIP_CONFIG_FILE", "/dev/null")
    monkeypatch.setenv("UV_NO_CONFIG", "1")  # no uv.toml of the machine or a parent directory
    monkeypatch.setenv("WHEELSCOUT_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("HOME", str(tmp_path / "home"))


@pytest.fixture
def simple_data() -> Path:
    return DATA / "simple"


@pytest.fixture(scope="session")
def mirror(tmp_path_factory: pytest.TempPathFactory) -> Mirror:
    """The loopback mirror of the captured PyPI pages (tests/data/pypi), built once."""
    return build_mirror(tmp_path_factory.mktemp("mirror"))


@pytest.fixture(scope="session")
def mirror_server(mirror: Mirror) -> Iterator[MirrorServer]:
    with MirrorServer(mirror.root) as server:
        yield server
