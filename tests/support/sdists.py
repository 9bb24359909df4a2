"""Build sdist archives in memory for the tests: faithful layouts and hostile ones.

The one sdist builder: :func:`build_sdist` names the archive, :func:`make_tar` and
:func:`make_zip` lay it out (the index writers and the in-memory resolver source go through
them too). Each returns bytes, reproducible byte for byte; nothing touches the disk or the network.
"""

from __future__ import annotations

import gzip
import io
import tarfile
import zipfile
from collections.abc import Mapping
from typing import Literal

from tests.support.wheels import ZIP_EPOCH

__all__ = [
    "NUMPY_LIKE",
    "PYPROJECT_SETUPTOOLS",
    "Compression",
    "ReadOnly",
    "build_sdist",
    "make_tar",
    "make_zip",
    "special",
]

Compression = Literal["gz", "bz2", "xz", ""]


def build_sdist(filename: str, files: Mapping[str, str | bytes]) -> bytes:
    """The sdist named ``filename`` (``.tar.gz`` or ``.zip``): ``files`` under its stem, as
    ``{"PKG-INFO": ..., "pyproject.toml": ...}``."""
    if filename.endswith(".zip"):
        return make_zip(files, root=filename.removesuffix(".zip"))
    return make_tar(files, root=filename.removesuffix(".tar.gz"))


def make_tar(
    files: Mapping[str, str | bytes],
    *,
    root: str = "demo-1.0",
    compression: Compression = "gz",
    extra: tuple[tarfile.TarInfo, ...] = (),
) -> bytes:
    """A tar archive (PAX) with ``files`` under ``root/`` plus raw ``extra`` members."""
    buffer = io.BytesIO()
    # gzip by hand: tarfile's "w:gz" stamps the current time into the gzip header.
    inner = "" if compression == "gz" else compression
    mode: Literal["w:bz2", "w:xz", "w:"] = f"w:{inner}"  # type: ignore[assignment]
    with tarfile.open(fileobj=buffer, mode=mode, format=tarfile.PAX_FORMAT) as archive:
        for name, content in files.items():
            data = content.encode() if isinstance(content, str) else content
            info = tarfile.TarInfo(f"{root}/{name}" if root else name)
            info.size, info.mode = len(data), 0o644
            archive.addfile(info, io.BytesIO(data))
        for info in extra:
            archive.addfile(info)
    if compression == "gz":
        return gzip.compress(buffer.getvalue(), mtime=0)
    return buffer.getvalue()


def make_zip(
    files: Mapping[str, str | bytes], *, root: str = "demo-1.0", links: Mapping[str, str] = {}
) -> bytes:
    """A zip archive with ``files`` under ``root/``; ``links`` adds symlink members."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, content in files.items():
            member = zipfile.ZipInfo(f"{root}/{name}" if root else name, date_time=ZIP_EPOCH)
            member.compress_type = zipfile.ZIP_DEFLATED
            member.external_attr = 0o644 << 16
            archive.writestr(member, content)
        for name, target in links.items():
            info = zipfile.ZipInfo(f"{root}/{name}", date_time=ZIP_EPOCH)
            info.external_attr = 0o120777 << 16
            archive.writestr(info, target)
    return buffer.getvalue()


def special(name: str, kind: bytes, linkname: str = "", size: int = 0) -> tarfile.TarInfo:
    info = tarfile.TarInfo(name)
    info.type = kind
    info.linkname = linkname
    info.size = size
    return info


class ReadOnly:
    """A stream with only ``read``: not seekable, like an HTTP response body."""

    def __init__(self, data: bytes) -> None:
        self._data = io.BytesIO(data)

    def read(self, size: int = -1) -> bytes:
        return self._data.read(size)


PYPROJECT_SETUPTOOLS = """\
[build-system]
requires = ["setuptools>=61"]
build-backend = "setuptools.build_meta"
"""

# numpy 1.26.2's layout: meson-python, C, C++ and Cython, BLAS picked through meson options.
NUMPY_LIKE: dict[str, str | bytes] = {
    "PKG-INFO": "Metadata-Version: 2.1\nName: numpy\nVersion: 1.26.2\n",
    "pyproject.toml": """\
[build-system]
build-backend = "mesonpy"
requires = [
    "Cython>=0.29.34,<3.1",
    "meson-python>=0.15.0,<0.16.0",
]

[tool.cibuildwheel]
skip = "cp36-* cp37-* pp37-* *-manylinux_i686"
""",
    "meson.build": """\
project(
  'NumPy',
  'c', 'cpp', 'cython',
  version: run_command('numpy/_build_utils/gitversion.py').stdout().strip(),
  license: 'BSD-3',
  meson_version: '>=1.2.99',  # version in vendored-meson is 1.2.99
  default_options: [
    'buildtype=debugoptimized',
    'b_ndebug=if-release',
    'c_std=c99',
    'cpp_std=c++17',
  ],
)
# subdir('not_a_dir') in a comment does not count
subdir('numpy')
""",
    "meson_options.txt": """\
option('blas', type: 'string', value: 'openblas',
        description: 'Option for BLAS library switching')
option('lapack', type: 'string', value: 'openblas',
        description: 'Option for LAPACK library switching')
""",
    "numpy/meson.build": """\
blas_name = get_option('blas')
blas = dependency(blas_name, required: false)
dependency('threads')
subdir('core')
""",
    "numpy/core/meson.build": "py.extension_module('_multiarray_umath', ['src/multiarray.c'])\n",
    "numpy/core/src/multiarraymodule.c": "/* C */\n",
    "numpy/core/src/npysort/quicksort.cpp": "// C++\n",
    "numpy/random/_generator.pyx": "# Cython\n",
    "numpy/__init__.py": "",
    "vendored-meson/meson/meson.py": "",
    "vendored-meson/meson/test cases/rust/1 basic/meson.build": "project('r', 'rust')\n",
    "numpy/tests/data/fortran_module.f90": "! test data, not built\n",
}
