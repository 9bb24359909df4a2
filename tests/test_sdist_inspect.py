"""What ``inspect_sdist`` concludes for faithful sdist layouts of each backend kind."""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.support.sdists import NUMPY_LIKE, PYPROJECT_SETUPTOOLS, make_tar, make_zip
from wheelscout.model.build import BuildRequirements, FindingKind, Language, Tool
from wheelscout.sdist import inspect_sdist

DATA = Path(__file__).parent / "data"
C, CXX, CY, F, RS = Language.C, Language.CXX, Language.CYTHON, Language.FORTRAN, Language.RUST


@dataclass(frozen=True)
class Case:
    files: dict[str, str | bytes]
    backend: str
    languages: set[Language]
    tools: set[Tool] = field(default_factory=set)
    libraries: set[str] = field(default_factory=set)
    filename: str = "demo-1.0.tar.gz"


CASES: dict[str, Case] = {
    "numpy-1.26.2-meson": Case(
        files=NUMPY_LIKE,
        filename="numpy-1.26.2.tar.gz",
        backend="meson-python",
        languages={C, CXX, CY},
        tools={Tool.C_COMPILER, Tool.CXX_COMPILER, Tool.CYTHON, Tool.MESON, Tool.NINJA},
        libraries={"openblas"},
    ),
    "setuptools-c-extension": Case(
        files={
            "pyproject.toml": PYPROJECT_SETUPTOOLS,
            "setup.py": """\
from setuptools import Extension, setup

setup(
    ext_modules=[
        Extension("demo._speedups", sources=["src/demo/_speedups.c"],
                  libraries=["ssl", "crypto", "m"]),
    ],
)
""",
            "src/demo/_speedups.c": "",
        },
        backend="setuptools",
        languages={C},
        tools={Tool.C_COMPILER},
        libraries={"openssl"},
    ),
    "setuptools-cython": Case(
        files={
            "pyproject.toml": '[build-system]\nrequires = ["setuptools", "Cython>=3"]\n'
            'build-backend = "setuptools.build_meta"\n',
            "setup.py": "from Cython.Build import cythonize\nfrom setuptools import setup\n"
            "setup(ext_modules=cythonize('demo/*.pyx'))\n",
            "demo/_fast.pyx": "",
        },
        backend="setuptools",
        languages={CY, C},
        tools={Tool.C_COMPILER, Tool.CYTHON},
    ),
    "setuptools-pybind11": Case(
        files={
            "pyproject.toml": '[build-system]\nrequires = ["setuptools", "pybind11>=2.10"]\n'
            'build-backend = "setuptools.build_meta"\n',
            "setup.py": "from pybind11.setup_helpers import Pybind11Extension\n"
            "from setuptools import setup\n"
            "setup(ext_modules=[Pybind11Extension('demo', ['src/main.cpp'])])\n",
        },
        backend="setuptools",
        languages={CXX},
        tools={Tool.CXX_COMPILER},
    ),
    "setuptools-cffi": Case(
        files={
            "setup.py": "from setuptools import setup\n"
            "setup(cffi_modules=['build_ffi.py:ffibuilder'])\n",
        },
        backend="setuptools",
        languages={C},
    ),
    "setuptools-rust": Case(
        files={
            "pyproject.toml": '[build-system]\nrequires = ["setuptools", "setuptools-rust"]\n'
            'build-backend = "setuptools.build_meta"\n',
            "setup.py": "from setuptools import setup\nfrom setuptools_rust import RustExtension\n"
            "setup(rust_extensions=[RustExtension('demo._rust', path='Cargo.toml')])\n",
            "Cargo.toml": '[package]\nname = "demo"\n[dependencies]\npyo3 = "0.22"\n',
        },
        backend="setuptools",
        languages={RS},
        tools={Tool.RUST},
    ),
    "maturin-rust": Case(
        files={
            "pyproject.toml": '[build-system]\nrequires = ["maturin>=1,<2"]\n'
            'build-backend = "maturin"\n\n[tool.maturin]\nfeatures = ["pyo3/extension-module"]\n',
            "Cargo.toml": '[package]\nname = "demo"\nversion = "1.0.0"\n\n[dependencies]\n'
            'pyo3 = "0.22"\nopenssl-sys = "0.9"\nwindows-sys = "0.59"\n',
            "src/lib.rs": "",
            "vendor/curl-sys/Cargo.toml": '[package]\nname = "curl-sys"\n'
            '[dependencies]\nlibz-sys = "1"\n',
        },
        backend="maturin",
        languages={RS},
        tools={Tool.RUST},
        libraries={"openssl"},
    ),
    "scikit-build-core-cmake": Case(
        files={
            "pyproject.toml": '[build-system]\nrequires = ["scikit-build-core>=0.10", '
            '"nanobind>=2"]\nbuild-backend = "scikit_build_core.build"\n\n'
            '[tool.scikit-build]\nminimum-version = "0.10"\n',
            "CMakeLists.txt": """\
cmake_minimum_required(VERSION 3.15...3.30)
project(${SKBUILD_PROJECT_NAME} VERSION ${SKBUILD_PROJECT_VERSION} LANGUAGES CXX)
find_package(Python 3.9 REQUIRED COMPONENTS Interpreter Development.Module)
find_package(nanobind CONFIG REQUIRED)
find_package(ZLIB REQUIRED)
add_subdirectory(src/fortran)
""",
            "src/fortran/CMakeLists.txt": "enable_language(Fortran)\n",
            "src/main.cpp": "",
        },
        backend="scikit-build-core",
        languages={CXX, F},
        tools={Tool.CMAKE, Tool.CXX_COMPILER, Tool.FORTRAN_COMPILER},
        libraries={"zlib"},
    ),
    "scikit-build-core-default-languages": Case(
        files={
            "pyproject.toml": '[build-system]\nrequires = ["scikit-build-core"]\n'
            'build-backend = "scikit_build_core.build"\n',
            "CMakeLists.txt": "project(demo)\npkg_check_modules(XML REQUIRED libxml-2.0>=2.9)\n",
        },
        backend="scikit-build-core",
        languages={C, CXX},
        tools={Tool.CMAKE, Tool.PKG_CONFIG},
        libraries={"libxml2"},
    ),
    "legacy-scikit-build-classic": Case(
        files={
            "setup.py": "from skbuild import setup\nsetup(name='demo', cmake_args=['-DX=1'])\n",
            "CMakeLists.txt": "project(demo LANGUAGES C Fortran)\n",
        },
        backend="setuptools",
        languages={C, F},
        tools={Tool.CMAKE, Tool.FORTRAN_COMPILER},
    ),
    "legacy-setup-py-lxml": Case(
        files={
            "PKG-INFO": "Metadata-Version: 1.2\nName: lxml\nVersion: 5.2.0\n",
            "setup.py": "from setuptools import setup, Extension\n"
            "ext_modules = [Extension('lxml.etree', ['src/lxml/etree.c'])]\n"
            "setup(ext_modules=ext_modules)\n",
        },
        backend="setuptools",
        languages={C},
        libraries={"libxml2", "libxslt"},
    ),
    "numpy-distutils-fortran": Case(
        files={
            "setup.py": "from numpy.distutils.core import Extension, setup\n"
            "setup(ext_modules=[Extension('demo', sources=['demo.f90'])])\n",
        },
        backend="setuptools",
        languages={C, F},
        tools={Tool.FORTRAN_COMPILER},
    ),
    "setuptools-extension-sources-from-archive": Case(
        files={
            "setup.py": "from setuptools import setup, Extension\n"
            "setup(ext_modules=[Extension('demo', sources=SOURCES)])\n",
            "src/one.cc": "",
            "tests/data/ignored.f90": "",
        },
        backend="setuptools",
        languages={CXX},
    ),
}


def _inspect(data: bytes, filename: str = "demo-1.0.tar.gz") -> BuildRequirements:
    return inspect_sdist(io.BytesIO(data), filename=filename)


@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_backend_languages_tools_libraries(case: Case) -> None:
    result = _inspect(make_tar(case.files), case.filename)

    assert result.complete
    assert result.backend_name == case.backend
    assert result.language_set == case.languages
    assert case.tools <= result.tool_set
    assert case.libraries <= {need.name for need in result.native_libraries}
    assert not result.pure


def test_numpy_like_evidence_names_file_and_line() -> None:
    result = _inspect(make_tar(NUMPY_LIKE), "numpy-1.26.2.tar.gz")

    (c_need,) = [need for need in result.languages if need.language is Language.C]
    assert c_need.evidence[0].file == "meson.build"
    assert c_need.evidence[0].line == 1
    assert "'cpp', 'cython'" in c_need.evidence[0].text
    assert result.summary == "meson-python: C, C++, Cython"
    assert result.project == "numpy"
    assert result.backend == "mesonpy"
    assert result.backend_declared
    assert "Cython>=0.29.34,<3.1" in result.build_requires
    assert Language.RUST not in result.language_set  # vendored meson test case ignored
    assert {tool.tool for tool in result.tools if tool.from_pypi} >= {Tool.MESON, Tool.NINJA}


def test_numpy_distutils_is_flagged() -> None:
    result = _inspect(make_tar(CASES["numpy-distutils-fortran"].files))

    assert any("numpy.distutils" in finding.message for finding in result.findings)


PURE: dict[str, dict[str, str | bytes]] = {
    "hatchling": {
        "pyproject.toml": '[build-system]\nrequires = ["hatchling"]\n'
        'build-backend = "hatchling.build"\n',
        "src/demo/__init__.py": "",
    },
    "flit-with-c-test-data": {
        "pyproject.toml": '[build-system]\nrequires = ["flit_core>=3.4"]\n'
        'build-backend = "flit_core.buildapi"\n',
        "demo/__init__.py": "",
        "demo/data/template.c": "",
    },
    "legacy-setup-py": {
        "setup.py": "from setuptools import setup\nsetup(name='demo', packages=['demo'])\n",
        "demo/__init__.py": "",
    },
    "setuptools-pyproject-only": {
        "pyproject.toml": PYPROJECT_SETUPTOOLS + '\n[project]\nname = "demo"\n',
    },
}


@pytest.mark.parametrize("files", PURE.values(), ids=PURE.keys())
def test_pure_sdists_build_anywhere(files: dict[str, str | bytes]) -> None:
    result = _inspect(make_tar(files))

    assert result.pure
    assert result.summary == "pure: builds anywhere, no compiler"
    assert result.tools == ()
    assert result.native_libraries == ()


def test_pure_backend_shipping_sources_says_so() -> None:
    result = _inspect(make_tar(PURE["flit-with-c-test-data"]))

    assert [f.code for f in result.findings] == [FindingKind.IGNORED_SOURCES]


def test_legacy_default_backend_when_no_build_system() -> None:
    result = _inspect(make_tar(PURE["legacy-setup-py"]))

    assert result.backend == "setuptools.build_meta:__legacy__"
    assert not result.backend_declared
    assert result.build_requires == ("setuptools>=40.8.0",)


def test_zip_sdist_is_read_like_a_tarball() -> None:
    result = _inspect(make_zip(CASES["setuptools-c-extension"].files), "demo-1.0.zip")

    assert result.complete
    assert result.language_set == {C}


@pytest.mark.parametrize("compression", ["bz2", "xz", ""], ids=["tar.bz2", "tar.xz", "tar"])
def test_other_tar_compressions(compression: str) -> None:
    data = make_tar(NUMPY_LIKE, compression=compression)  # type: ignore[arg-type]

    assert _inspect(data).language_set == {C, CXX, CY}


def test_unknown_backend_with_sources_is_not_called_pure() -> None:
    files: dict[str, str | bytes] = {
        "pyproject.toml": '[build-system]\nrequires = ["mybackend"]\nbuild-backend = "mybackend"\n',
        "src/fast.c": "",
    }
    result = _inspect(make_tar(files))

    assert result.language_set == {C}
    assert FindingKind.UNKNOWN_BACKEND in {f.code for f in result.findings}


def test_invalid_pyproject_is_a_finding() -> None:
    result = _inspect(make_tar({"pyproject.toml": "[build-system\nrequires = ["}))

    assert FindingKind.BAD_CONFIG in {f.code for f in result.findings}


MESON_PYPROJECT = '[build-system]\nrequires = ["meson-python"]\nbuild-backend = "mesonpy"\n'


def test_meson_python_without_meson_build_falls_back_to_sources() -> None:
    files: dict[str, str | bytes] = {
        "pyproject.toml": MESON_PYPROJECT,
        "src/fast.cpp": "",
    }
    result = _inspect(make_tar(files))

    assert result.language_set == {CXX}
    assert FindingKind.BAD_CONFIG in {f.code for f in result.findings}


def test_meson_project_without_languages_is_pure() -> None:
    files: dict[str, str | bytes] = {
        "pyproject.toml": MESON_PYPROJECT,
        "meson.build": "project('purely-python')\npy.install_sources('a.py')\n",
    }

    assert _inspect(make_tar(files)).pure


def test_maturin_without_cargo_toml_still_needs_rust() -> None:
    files: dict[str, str | bytes] = {
        "pyproject.toml": '[build-system]\nrequires = ["maturin"]\nbuild-backend = "maturin"\n',
    }
    result = _inspect(make_tar(files))

    assert result.language_set == {RS}
    assert FindingKind.BAD_CONFIG in {f.code for f in result.findings}


def test_real_numpy_meson_files() -> None:
    captured = DATA / "sdists" / "numpy-meson"
    files: dict[str, str | bytes] = {
        "pyproject.toml": str(NUMPY_LIKE["pyproject.toml"]),
        "meson.build": (captured / "meson.build").read_bytes(),
        "numpy/meson.build": (captured / "numpy" / "meson.build").read_bytes(),
    }
    result = _inspect(make_tar(files, root="numpy-1.26.2"), "numpy-1.26.2.tar.gz")

    assert result.summary == "meson-python: C, C++, Cython"
    (openblas,) = result.native_libraries
    assert openblas.name == "openblas"
    assert openblas.optional  # required: false, or only under `if have_blas`
    assert openblas.evidence[0].file == "numpy/meson.build"
    assert Tool.PKG_CONFIG in result.tool_set
