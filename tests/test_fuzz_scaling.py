"""Scaling properties: a text readers see, repeated 4 times as often, costs about 4 times as
much CPU, never 16 (quadratic). Hypothesis picks the repeated fragment from each format's own
syntax, so a rescan or a backtracking regex triggered by any mix of them shows up here.

The bound is loose (10x plus half a second of CPU) so a loaded machine does not make it flaky;
every quadratic reader this suite replaced missed it by orders of magnitude at these sizes.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.support.fuzz import pieces
from wheelscout.errors import WheelscoutError
from wheelscout.inputs.requirements_txt import parse_requirements_txt
from wheelscout.sdist._cmake import read_cmake_project
from wheelscout.sdist._hits import Hits
from wheelscout.sdist._meson import read_meson_project
from wheelscout.sdist._setuptools import read_setuptools_file
from wheelscout.simple.pep503 import parse_project_html

SMALL = 40_000  # characters; the large input is four times this


def _requirements(text: str) -> None:
    with contextlib.suppress(WheelscoutError):
        parse_requirements_txt(text.encode("utf-8", "surrogatepass"), source="r.txt")


def _html(text: str) -> None:
    with contextlib.suppress(WheelscoutError):
        parse_project_html(text.encode("utf-8", "surrogatepass"), "https://x/simple/d/", "d")


READERS: dict[str, tuple[Callable[[str], object], list[str]]] = {
    "meson": (
        lambda text: read_meson_project({"meson.build": text, "meson.options": text}, Hits()),
        ["dependency(", "project(", "'", "\\'", "(", ")", "if x\n", "#", "\n", " ", "option('blas'",
         "value: '", "subdir('a')", "required: false"],
    ),
    "cmake": (
        lambda text: read_cmake_project({"CMakeLists.txt": text}, Hits()),
        ["project(", "find_package(", "(", ")", '"', "#", "\n", " ", "LANGUAGES C",
         "add_subdirectory(", "pkg_check_modules("],
    ),
    "setuptools": (
        lambda text: read_setuptools_file("setup.py", text, Hits()),
        ["libraries=[", "'a.c'", ",", "]", "[", "'", '"', "#", "\n", " ", "Extension(",
         "cythonize(", "."],
    ),
    "requirements": (
        _requirements,
        [" ", "#", "\t", "\\", "\n", "a", "-r", "'", '"', "${X}", "--hash=sha256:00", ">=1"],
    ),
    "pep503": (
        _html,
        ["<a", " href=\"", '"', "'", ">", "</a>", "<", "=", " ", "x", "<!--", "<!", "&", "<?"],
    ),
}  # fmt: skip


def _cpu(read: Callable[[str], object], text: str) -> float:
    start = time.process_time()
    read(text)
    return time.process_time() - start


@settings(max_examples=max(1, settings().max_examples // 10), deadline=None)
@given(st.sampled_from(sorted(READERS)), st.data())
def test_four_times_the_input_costs_about_four_times_the_time(
    name: str, data: st.DataObject
) -> None:
    read, fragments = READERS[name]
    fragment = data.draw(pieces(fragments, max_size=5).filter(bool), label="fragment")
    small = fragment * (SMALL // len(fragment) + 1)
    small_time = min(_cpu(read, small) for _ in range(2))
    large_time = _cpu(read, small * 4)
    assert large_time < 10 * small_time + 0.5, (name, fragment, small_time, large_time)
