from __future__ import annotations

import io
import os
import tarfile
import zipfile

import pytest

from tests.support.indexgen import Release, build_sdist
from wheelscout.errors import MalformedResponse
from wheelscout.sdist.archive import Limits
from wheelscout.simple.sdist import read_pkg_info


def test_tar_gz_top_level_pkg_info() -> None:
    built = build_sdist(Release("demo", "1.0", ("a",), metadata_version="2.2"))
    assert read_pkg_info(io.BytesIO(built.data), built.filename) == built.metadata


def test_zip_sdist_ignores_nested_pkg_info() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("demo-1.0/src/demo.egg-info/PKG-INFO", "nested")
        archive.writestr("demo-1.0/PKG-INFO", "top")
    assert read_pkg_info(io.BytesIO(buffer.getvalue()), "demo-1.0.zip") == b"top"


def test_missing_pkg_info() -> None:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
        info = tarfile.TarInfo("demo-1.0/setup.py")
        archive.addfile(info, io.BytesIO(b""))
    with pytest.raises(MalformedResponse, match=r"sdist 'demo-1.0.tar.gz' has no top-level"):
        read_pkg_info(io.BytesIO(buffer.getvalue()), "demo-1.0.tar.gz")


def test_truncated_archive() -> None:
    built = build_sdist(Release("demo", "1.0"))
    with pytest.raises(MalformedResponse, match=r"sdist 'demo-1.0.tar.gz' cannot be read"):
        read_pkg_info(io.BytesIO(built.data[:40]), "demo-1.0.tar.gz")


def _tar_gz(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    return buffer.getvalue()


def test_pkg_info_bomb_stops_at_the_member_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("wheelscout.simple.sdist._LIMITS", Limits(max_member_bytes=1024 * 1024))
    bomb = _tar_gz({"demo-1.0/PKG-INFO": bytes(4 * 1024 * 1024)})
    message = r"cannot be read: demo-1.0/PKG-INFO: not read: .* over the 1048576"
    with pytest.raises(MalformedResponse, match=message):
        read_pkg_info(io.BytesIO(bomb), "demo-1.0.tar.gz")


def test_pkg_info_bomb_zip_stops_at_the_member_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("wheelscout.simple.sdist._LIMITS", Limits(max_member_bytes=1024 * 1024))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("demo-1.0/PKG-INFO", bytes(4 * 1024 * 1024))
    with pytest.raises(MalformedResponse, match=r"over the 1048576-byte limit"):
        read_pkg_info(io.BytesIO(buffer.getvalue()), "demo-1.0.zip")


def test_unpacked_bomb_before_pkg_info_stops(monkeypatch: pytest.MonkeyPatch) -> None:
    limits = Limits(max_unpacked_bytes=2 * 1024 * 1024)
    monkeypatch.setattr("wheelscout.simple.sdist._LIMITS", limits)
    bomb = _tar_gz({"demo-1.0/blob": bytes(8 * 1024 * 1024), "demo-1.0/PKG-INFO": b"x"})
    with pytest.raises(MalformedResponse, match="possible decompression bomb"):
        read_pkg_info(io.BytesIO(bomb), "demo-1.0.tar.gz")


def test_stops_reading_once_pkg_info_is_found() -> None:
    data = _tar_gz({"demo-1.0/PKG-INFO": b"top", "demo-1.0/blob": os.urandom(1024 * 1024)})
    stream = io.BytesIO(data)
    assert read_pkg_info(stream, "demo-1.0.tar.gz") == b"top"
    assert stream.tell() < len(data)
