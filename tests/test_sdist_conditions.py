"""Libraries a build looks for only on some OSes or only when an option is on (issue 11:
pyarrow's CUDA/Flight/S3 are optional; psutil's kstat/perfstat/kvm are not for a win32 build)."""

from __future__ import annotations

import io

import pytest

from tests.support.sdists import PYPROJECT_SETUPTOOLS, make_tar
from wheelscout.model.build import BuildNeeds, BuildRequirements
from wheelscout.report.serialize import build_json
from wheelscout.sdist import inspect_sdist
from wheelscout.sdist._conditions import CMakeConditions, python_branch
from wheelscout.targets import make_target
from wheelscout.toolchain import for_target, setup_steps

# The shape of psutil 7.2.2's setup.py: one Extension per OS branch.
PSUTIL_SETUP = """\
import sys
from setuptools import Extension, setup
WINDOWS = sys.platform == "win32"
if WINDOWS:
    ext = Extension(
        "psutil._psutil_windows",
        sources=["psutil/_psutil_windows.c"],
        libraries=["psapi", "pdh", "PowrProf", "netapi32"],
    )
elif FREEBSD:
    ext = Extension("psutil._psutil_bsd", sources=["psutil/_psutil_bsd.c"],
                    libraries=["devstat"])
elif NETBSD:
    ext = Extension("psutil._psutil_bsd", sources=["psutil/_psutil_bsd.c"],
                    libraries=["kvm", "jemalloc"])
elif LINUX:
    ext = Extension("psutil._psutil_linux", sources=["psutil/_psutil_linux.c"],
                    libraries=["ssl"])
elif SUNOS:
    ext = Extension(
        "psutil._psutil_sunos",
        sources=["psutil/_psutil_sunos.c"],
        libraries=["kstat", "nsl", "socket"],
    )
elif AIX:
    ext = Extension("psutil._psutil_aix", sources=["psutil/_psutil_aix.c"],
                    libraries=["perfstat"])
setup(name="psutil", ext_modules=[ext])
"""

# The shape of pyarrow 26.0.1's CMakeLists.txt.
PYARROW_CMAKE = """\
cmake_minimum_required(VERSION 3.25)
project(pyarrow)
find_package(Arrow REQUIRED)
if(PYARROW_BUILD_CUDA)
  find_package(ArrowCUDA REQUIRED)
endif()
if(PYARROW_BUILD_FLIGHT)
  if(NOT ARROW_FLIGHT)
    message(FATAL_ERROR "You must build Arrow C++ with ARROW_FLIGHT=ON")
  endif()
  find_package(ArrowFlight REQUIRED)
endif()
if(NOT ARROW_COMPUTE)
  message(FATAL_ERROR "You must build Arrow C++ with ARROW_COMPUTE=ON")
else()
  find_package(ArrowCompute REQUIRED)
endif()
if(NOT TARGET ZLIB::ZLIB)
  find_package(ZLIB REQUIRED)
endif()
if(WIN32)
  find_package(OpenSSL REQUIRED)
else()
  find_package(LibXml2 REQUIRED)
endif()
"""

PYPROJECT_SKBUILD = """\
[build-system]
requires = ["scikit-build-core"]
build-backend = "scikit_build_core.build"
"""


def _inspect(files: dict[str, str | bytes], name: str) -> BuildRequirements:
    archive = make_tar(files, root=f"{name}-1.0")
    return inspect_sdist(io.BytesIO(archive), filename=f"{name}-1.0.tar.gz", project=name)


def test_pyarrow_option_gated_libraries_are_optional() -> None:
    found = _inspect({"pyproject.toml": PYPROJECT_SKBUILD, "CMakeLists.txt": PYARROW_CMAKE,
                      "src/a.cc": ""}, "pyarrow")
    libraries = {n.name: (n.optional, n.platforms) for n in found.native_libraries}
    assert libraries["Arrow"] == (False, ())
    assert libraries["ArrowCUDA"] == (True, ())
    assert libraries["ArrowFlight"] == (True, ())
    # else() of a FATAL_ERROR branch is the only way on: required.
    assert libraries["ArrowCompute"] == (False, ())
    # `if(NOT TARGET ...)` is a fallback, not an option.
    assert libraries["zlib"] == (False, ())
    assert libraries["openssl"] == (False, ("windows",))
    assert libraries["libxml2"] == (False, ("unix",))


def test_psutil_libraries_only_for_their_os() -> None:
    found = _inspect({"pyproject.toml": PYPROJECT_SETUPTOOLS, "setup.py": PSUTIL_SETUP,
                      "psutil/_psutil_linux.c": ""}, "psutil")
    platforms = {n.name: n.platforms for n in found.native_libraries}
    assert platforms == {
        "devstat": ("freebsd",), "kvm": ("netbsd",), "jemalloc": ("netbsd",),
        "openssl": ("linux",), "kstat": ("sunos",), "nsl": ("sunos",), "socket": ("sunos",),
        "perfstat": ("aix",),
    }  # psapi, pdh, PowrProf, netapi32 come with the Windows SDK


@pytest.mark.parametrize(
    ("target", "expected"),
    [("win32", set()), ("linux-x86_64", {"openssl"}), ("macos-arm64", set())],
    ids=["win32", "linux", "macos"],
)
def test_build_for_a_target_lists_only_its_libraries(target: str, expected: set[str]) -> None:
    found = _inspect({"pyproject.toml": PYPROJECT_SETUPTOOLS, "setup.py": PSUTIL_SETUP,
                      "psutil/_psutil_linux.c": ""}, "psutil")
    where = make_target(target, "3.12")
    needs = for_target(found, where)
    extra = build_json(BuildNeeds(requirements=needs, steps=setup_steps(needs, where)))
    assert {n["name"] for n in extra["native_libraries"]} == expected
    text = " ".join(step["summary"] for step in extra["setup_steps"])
    for other in ("kstat", "perfstat", "kvm", "devstat"):
        assert other not in text


def test_unix_libraries_stay_for_linux_and_macos_not_windows() -> None:
    found = _inspect({"pyproject.toml": PYPROJECT_SKBUILD, "CMakeLists.txt": PYARROW_CMAKE,
                      "src/a.cc": ""}, "pyarrow")
    names = {t: {n.name for n in for_target(found, make_target(t, "3.12")).native_libraries}
             for t in ("win-amd64", "linux-aarch64", "macos-arm64")}
    assert "libxml2" not in names["win-amd64"]
    assert "openssl" in names["win-amd64"]
    assert "libxml2" in names["linux-aarch64"]
    assert "libxml2" in names["macos-arm64"]
    assert "openssl" not in names["macos-arm64"]


def test_optional_library_steps_say_optional() -> None:
    found = _inspect({"pyproject.toml": PYPROJECT_SKBUILD, "CMakeLists.txt": PYARROW_CMAKE,
                      "src/a.cc": ""}, "pyarrow")
    steps = setup_steps(found, make_target("linux-armv7l", "3.12"))
    cuda = [s.summary for s in steps if "ArrowCUDA" in s.needed_for]
    assert cuda
    assert all(summary.endswith("(optional)") for summary in cuda)


def test_conditions_scan_nested_blocks() -> None:
    code = "if(A)\n  if(APPLE)\n    find_package(X)\n  endif()\nendif()\nfind_package(Y)\n"
    conditions = CMakeConditions(code)
    inner = conditions.at(code.index("find_package(X)"))
    assert (inner.optional, inner.platforms) == (True, ("macos",))
    outer = conditions.at(code.index("find_package(Y)"))
    assert (outer.optional, outer.platforms) == (False, ())


def test_python_branch_reads_the_enclosing_if() -> None:
    code = "if not WINDOWS:\n    x = Extension(\n        libraries=['a'],\n    )\n"
    assert python_branch(code, code.index("libraries")) == ("unix",)
    assert python_branch("libraries=['a']", 0) == ()


def test_python_branch_looks_back_a_bounded_distance() -> None:
    near = "if WINDOWS:\n    x = Extension(\n        libraries=['a'])\n"
    assert python_branch(near, near.index("libraries")) == ("windows",)
    # The same branch 70 KiB of one line away is out of reach: no platform, no long walk.
    far = "if WINDOWS:\n" + " " * 70_000 + "libraries=['a']"
    assert python_branch(far, far.index("libraries")) == ()
