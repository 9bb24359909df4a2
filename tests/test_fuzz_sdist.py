"""Fuzzing the sdist side: the build-file readers and the archive walk.

The readers (meson.build, meson.options, CMakeLists.txt, setup.py/setup.cfg, pyproject.toml,
Cargo.toml) and ``inspect_sdist`` never raise: a hostile sdist is a finding, not an error.
Text is built from each format's own syntax so examples get past the first token.
"""

from __future__ import annotations

import io
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from tests.support.fuzz import mutated, pieces
from tests.support.sdists import make_tar, make_zip
from wheelscout.sdist import inspect_sdist
from wheelscout.sdist._cargo import read_cargo_manifests
from wheelscout.sdist._cmake import read_cmake_project
from wheelscout.sdist._hits import Hits
from wheelscout.sdist._meson import read_meson_project
from wheelscout.sdist._pyproject import read_pyproject
from wheelscout.sdist._setuptools import read_setuptools_file
from wheelscout.sdist.archive import walk_archive

NUMPY = Path(__file__).parent / "data" / "sdists" / "numpy-meson"

_CODE = ["(", ")", "[", "]", "'", '"', "\\'", "#", "\n", ",", ":", " ", "\\"]
_MESON = [
    *_CODE, "project(", "'demo'", "'c'", "'cpp'", "'fortran'", "dependency(", "'zlib'",
    "required: false", "required : get_option('x')", "add_languages(", "subdir(", "'sub'",
    "subproject(", "if ", "endif", "option(", "'blas'", "value: ", "'openblas'", "'auto'",
]  # fmt: skip
_CMAKE = [
    *_CODE, "project(", "PROJECT(", "demo", "LANGUAGES", " C", " CXX", " Fortran", "NONE",
    "VERSION 1.0", "enable_language(", "find_package(", "ZLIB", "REQUIRED", "${X}",
    "pkg_check_modules(", "libffi>=3", "add_subdirectory(", "src", "..",
]  # fmt: skip
_SETUP = [
    *_CODE, "Extension(", "ext_modules", "libraries=[", "libraries = ", "'ssl'", "'m'", "'a.c'",
    "'b.pyx'", "cythonize(", "numpy.distutils", "cffi_modules", "RustExtension(", "skbuild",
    "language='c++'", "pkg-config", "[options]\n", ";",
]  # fmt: skip
_TOML = [
    "[build-system]\n", "requires = [", "\"setuptools\"", "\"cython\"", "\"maturin>=1\"",
    "\"scikit-build-core\"", "]", "\n", "build-backend = ", "\"mesonpy\"", "\"hatchling.build\"",
    "[tool.maturin]\n", "[tool.setuptools]\n",
    "ext-modules = [{name = \"a\", sources = [\"a.c\"]}]\n",
    "[package]\n", "name = \"x\"\n", "[dependencies]\n", "openssl-sys = \"0.9\"\n",
    "libz-sys = { version = \"1\" }\n", "[workspace]\n", "= ", "{", "}", "'", "[[", "]]", ",",
]  # fmt: skip


@given(pieces(_MESON), pieces(_MESON, max_size=20), pieces(_MESON, max_size=20))
def test_meson(root: str, sub: str, options: str) -> None:
    files = {"meson.build": root, "sub/meson.build": sub, "meson.options": options}
    read_meson_project(files, Hits())


@given(pieces(_CMAKE), pieces(_CMAKE, max_size=20))
def test_cmake(root: str, sub: str) -> None:
    read_cmake_project({"CMakeLists.txt": root, "src/CMakeLists.txt": sub}, Hits())


@given(pieces(_SETUP), st.sampled_from(["setup.py", "setup.cfg"]))
def test_setuptools(text: str, path: str) -> None:
    read_setuptools_file(path, text, Hits())


@given(pieces(_TOML))
def test_pyproject_and_cargo(text: str) -> None:
    read_pyproject(text, Hits())
    read_cargo_manifests({"Cargo.toml": text, "rust/Cargo.toml": text}, Hits())


_SDIST_FILES = {
    "pyproject.toml": '[build-system]\nrequires = ["meson-python", "cython"]\n'
    'build-backend = "mesonpy"\n',
    "meson.build": (NUMPY / "meson.build").read_text(),
    "PKG-INFO": "Metadata-Version: 2.1\nName: demo\nVersion: 1.0\n",
    "src/a.c": "int main(void) { return 0; }\n",
}


@given(st.sampled_from(["tar", "zip"]), st.data())
def test_inspect_mutated_sdist(kind: str, data: st.DataObject) -> None:
    archive = make_tar(_SDIST_FILES) if kind == "tar" else make_zip(_SDIST_FILES)
    mutant = data.draw(mutated(archive, max_edits=6))
    result = inspect_sdist(io.BytesIO(mutant), filename=f"demo-1.0.{kind}")
    assert result is not None


@given(st.binary(max_size=400))
def test_archive_walk_on_any_bytes(data: bytes) -> None:
    walk = walk_archive(io.BytesIO(data), wanted=lambda name: True)
    assert walk.complete or walk.findings
