from __future__ import annotations

import io
import tarfile
import zipfile

import pytest

from tests.support.indexgen import Release, build_sdist
from wheelscout.errors import MalformedResponse
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
