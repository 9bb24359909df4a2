"""Fixtures of the differential tests (the mirror itself is in tests/conftest.py)."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture
def peer_workdir(tmp_path: Path) -> Path:
    return tmp_path / "peer"
