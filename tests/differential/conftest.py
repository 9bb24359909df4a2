"""Session fixtures: the loopback mirror of the captured PyPI data, built once, served once."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.mirror import Mirror, build_mirror
from tests.support.mirror_server import MirrorServer


@pytest.fixture(scope="session")
def mirror(tmp_path_factory: pytest.TempPathFactory) -> Mirror:
    return build_mirror(tmp_path_factory.mktemp("mirror"))


@pytest.fixture(scope="session")
def mirror_server(mirror: Mirror) -> Iterator[MirrorServer]:
    with MirrorServer(mirror.root) as server:
        yield server


@pytest.fixture
def peer_workdir(tmp_path: Path) -> Path:
    return tmp_path / "peer"
