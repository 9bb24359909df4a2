"""Hostile build files: every static reader is linear in its input.

Each case below took 150 s or more at 2 MB before the readers were rewritten (a call's
argument scan, a line number or an ``if`` depth recomputed from the start of the file for
every match, and regexes retried from every later quote or bracket). The bound is CPU time
of this process, generous enough not to flake on a loaded machine: linear readers take well
under a second; the quadratic ones took minutes.
"""

from __future__ import annotations

import io
import time
from collections.abc import Callable

import pytest

from tests.support.sdists import make_tar
from wheelscout.model.build import FindingKind, Language
from wheelscout.sdist import inspect_sdist
from wheelscout.sdist._cmake import read_cmake_project
from wheelscout.sdist._hits import MAX_CALLS, Hits, strip_hash_comments, walk_includes
from wheelscout.sdist._meson import read_meson_project
from wheelscout.sdist._pyproject import read_pyproject
from wheelscout.sdist._setuptools import read_setuptools_file

SIZE = 300_000  # characters of hostile text per case
BOUND = 5.0  # seconds of CPU; the quadratic readers took 25 s to hours at this size


def _times(pattern: str) -> str:
    return pattern * (SIZE // len(pattern))


CASES: dict[str, Callable[[], object]] = {
    "meson-unclosed-dependency": lambda: read_meson_project(
        {"meson.build": _times("dependency(")}, Hits()
    ),
    "meson-many-dependencies": lambda: read_meson_project(
        {"meson.build": _times("dependency('zlib')\n")}, Hits()
    ),
    "meson-ifs": lambda: read_meson_project(
        {"meson.build": _times("if x\ndependency('z')\n")}, Hits()
    ),
    "meson-escaped-quotes": lambda: read_meson_project(
        {"meson.build": "dependency(" + _times("\\'") + ")"}, Hits()
    ),
    "meson-comment-lines": lambda: read_meson_project({"meson.build": _times("\n#")}, Hits()),
    "meson-options-blas": lambda: read_meson_project(
        {"meson.build": "", "meson.options": _times("option('blas'")}, Hits()
    ),
    "setup-unclosed-libraries": lambda: read_setuptools_file(
        "setup.py", _times("libraries=["), Hits()
    ),
    "setup-sources-on-one-line": lambda: read_setuptools_file("setup.py", _times("'a.c',"), Hits()),
    "cmake-unclosed-project": lambda: read_cmake_project(
        {"CMakeLists.txt": _times("project(")}, Hits()
    ),
    "cmake-nested-calls": lambda: read_cmake_project(
        {"CMakeLists.txt": _times("find_package(") + ")" * (SIZE // 13)}, Hits()
    ),
    "comments-and-quotes": lambda: strip_hash_comments(_times("'#\"#\n")),
}


@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_reader_is_linear(case: Callable[[], object]) -> None:
    start = time.process_time()
    case()
    assert time.process_time() - start < BOUND


def test_calls_past_the_limit_are_a_finding() -> None:
    hits = Hits()
    read_meson_project({"meson.build": "dependency('zlib')\n" * (MAX_CALLS + 5)}, hits)
    assert [f.message for f in hits.findings if f.code is FindingKind.TOO_LARGE] == [
        f"more than {MAX_CALLS} calls of dependency(): the rest were not read"
    ]
    assert "zlib" in hits.libraries


def test_hostile_meson_build_in_an_sdist_is_read_in_bounded_time() -> None:
    meson = "project('demo', 'c')\n" + _times("dependency(")
    archive = make_tar({"meson.build": meson, "pyproject.toml": _MESON_PYPROJECT})
    start = time.process_time()
    result = inspect_sdist(io.BytesIO(archive), filename="demo-1.0.tar.gz")
    assert time.process_time() - start < BOUND
    assert Language.C in {need.language for need in result.languages}


def test_same_answers_as_before_on_ordinary_files() -> None:
    hits = Hits()
    meson = (
        "project('demo', 'c', 'cpp')  # not 'fortran'\n"
        "if get_option('blas') != 'none'\n  blas = dependency('openblas')\nendif\n"
        "z = dependency('zlib', required: true)\n"
        "x = dependency('xml' + 'x')\n"
    )
    options = "option('blas', type: 'string', value: 'openblas')\noption('lapack', value: 'auto')\n"
    read_meson_project({"meson.build": meson, "meson.options": options}, hits)
    assert set(hits.languages) == {Language.C, Language.CXX}
    # Checked against the readers before the rewrite: 'xml' + 'x' names two strings.
    assert hits.required_libraries == {"zlib", "xml", "x"}
    assert set(hits.libraries) == {"zlib", "xml", "x", "openblas"}
    assert [e.line for e in hits.libraries["openblas"]] == [3, 1]


_MESON_PYPROJECT = """[build-system]
requires = ["meson-python"]
build-backend = "mesonpy"
"""


def test_build_requires_list_of_20000_is_linear() -> None:
    # Each hinted requirement looked its line up by scanning the file.
    requires = "".join(f'"cython>={i}",\n' for i in range(20_000))
    text = f"[build-system]\nrequires = [\n{requires}]\n"
    start = time.process_time()
    system = read_pyproject(text, Hits())
    assert time.process_time() - start < BOUND
    assert len(system.requires) == 20_000


def test_include_walk_over_thousands_of_missing_subdirs_is_linear() -> None:
    # 450 build files each naming 1,000 missing subdirectories: the walk popped the front of
    # a 450,000-entry list and searched a list of seen paths for each (11.7 s; now 0.04 s).
    files = {"root": ""} | {f"f{i}": "" for i in range(450)}
    children = {"root": [f"f{i}" for i in range(450)]}
    missing = [f"missing{j}" for j in range(1000)]
    start = time.process_time()
    seen = walk_includes("root", files, lambda path, text: children.get(path, missing))
    assert time.process_time() - start < BOUND
    assert len(seen) == 451
