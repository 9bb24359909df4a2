from __future__ import annotations

import io
import os

import pytest

from tests.support.indexgen import Release, release_sdist
from tests.support.sdists import make_tar, make_zip
from wheelscout.errors import MalformedResponse
from wheelscout.sdist.archive import Limits
from wheelscout.simple.sdist import read_pkg_info


def test_tar_gz_top_level_pkg_info() -> None:
    built = release_sdist(Release("demo", "1.0", ("a",), metadata_version="2.2"))
    assert read_pkg_info(io.BytesIO(built.data), built.filename) == built.metadata


def test_zip_sdist_ignores_nested_pkg_info() -> None:
    archive = make_zip({"src/demo.egg-info/PKG-INFO": "nested", "PKG-INFO": "top"})
    assert read_pkg_info(io.BytesIO(archive), "demo-1.0.zip") == b"top"


def test_missing_pkg_info() -> None:
    archive = make_tar({"setup.py": b""})
    with pytest.raises(MalformedResponse, match=r"sdist 'demo-1.0.tar.gz' has no top-level"):
        read_pkg_info(io.BytesIO(archive), "demo-1.0.tar.gz")


def test_truncated_archive() -> None:
    built = release_sdist(Release("demo", "1.0"))
    with pytest.raises(MalformedResponse, match=r"sdist 'demo-1.0.tar.gz' cannot be read"):
        read_pkg_info(io.BytesIO(built.data[:40]), "demo-1.0.tar.gz")


def test_pkg_info_bomb_stops_at_the_member_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("wheelscout.simple.sdist._LIMITS", Limits(max_member_bytes=1024 * 1024))
    bomb = make_tar({"PKG-INFO": bytes(4 * 1024 * 1024)})
    message = r"cannot be read: demo-1.0/PKG-INFO: not read: .* over the 1048576"
    with pytest.raises(MalformedResponse, match=message):
        read_pkg_info(io.BytesIO(bomb), "demo-1.0.tar.gz")


def test_pkg_info_bomb_zip_stops_at_the_member_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("wheelscout.simple.sdist._LIMITS", Limits(max_member_bytes=1024 * 1024))
    bomb = make_zip({"PKG-INFO": bytes(4 * 1024 * 1024)})
    with pytest.raises(MalformedResponse, match=r"over the 1048576-byte limit"):
        read_pkg_info(io.BytesIO(bomb), "demo-1.0.zip")


def test_unpacked_bomb_before_pkg_info_stops(monkeypatch: pytest.MonkeyPatch) -> None:
    limits = Limits(max_unpacked_bytes=2 * 1024 * 1024)
    monkeypatch.setattr("wheelscout.simple.sdist._LIMITS", limits)
    bomb = make_tar({"blob": bytes(8 * 1024 * 1024), "PKG-INFO": b"x"})
    with pytest.raises(MalformedResponse, match="possible decompression bomb"):
        read_pkg_info(io.BytesIO(bomb), "demo-1.0.tar.gz")


def test_stops_reading_once_pkg_info_is_found() -> None:
    data = make_tar({"PKG-INFO": b"top", "blob": os.urandom(1024 * 1024)})
    stream = io.BytesIO(data)
    assert read_pkg_info(stream, "demo-1.0.tar.gz") == b"top"
    assert stream.tell() < len(data)
