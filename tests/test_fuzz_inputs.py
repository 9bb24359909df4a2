"""Fuzzing what users hand over: requirements files, pyproject.toml, pylock.toml, targets.

Each property: the parser returns a value or raises ``InputError`` (a ``WheelscoutError``),
within the Hypothesis deadline. Requirements files hold tokens and come from anywhere a
``-r`` points; locks and pyproject files come from repositories under review.
"""

from __future__ import annotations

import contextlib
import re
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from tests.support.fuzz import mutated, pieces
from wheelscout.errors import InputError, TargetError
from wheelscout.inputs.load import read_requirement_files
from wheelscout.inputs.model import IndexOptions
from wheelscout.inputs.pylock import parse_pylock
from wheelscout.inputs.pyproject import parse_pyproject, select_requirements
from wheelscout.inputs.requirements_txt import (
    OptionLine,
    _strip_comment,
    apply_option,
    parse_requirements_txt,
)
from wheelscout.resolve.lock import check_lock
from wheelscout.targets import Overrides, make_target

DATA = Path(__file__).parent / "data" / "inputs"

# -- requirements files ------------------------------------------------------------------------

_REQUIREMENTS = [
    "requests", ">=2", "==1.0", "[socks]", "; python_version < '3.9'", " @ https://x/y.whl",
    "-r ", "-c ", "--requirement=", "base.txt", "-e ", "git+https://tok@host/r.git", "-i ",
    "--index-url ", "https://user:pw@index/simple", "--extra-index-url=", "-f ", "./wheels",
    "--no-index", "--pre", "--only-binary", " :all:", "--no-binary=", ":none:", "--hash",
    "=sha256:", "ab" * 4, "--hash sha256:00", "--config-settings", " k=v", "--unknown",
    "#", " #", " # comment", "\\\n", "\\", "${HOME}", "${TOKEN}", "'", '"', "\n", " ", "\t",
    "./local/path", "pkg.zip", "1" * 50,
]  # fmt: skip


@given(
    pieces(_REQUIREMENTS, max_size=40), st.dictionaries(st.text(max_size=5), st.text(max_size=5))
)
def test_requirements_file(text: str, environ: dict[str, str]) -> None:
    try:
        lines = parse_requirements_txt(
            text.encode("utf-8", "surrogatepass"), source="r.txt", environ=environ
        )
    except InputError:
        return
    options = IndexOptions()
    for line in lines:
        if isinstance(line, OptionLine):
            with contextlib.suppress(InputError):
                options = apply_option(options, line)


@given(st.binary(max_size=200))
def test_requirements_file_any_bytes(data: bytes) -> None:
    with contextlib.suppress(InputError):
        parse_requirements_txt(data, source="r.txt", environ={})


@given(st.dictionaries(st.sampled_from(["a.txt", "b.txt", "c/d.txt"]),
                       pieces(["-r ", "-c ", "a.txt", "b.txt", "../a.txt", "d.txt", "c/d.txt",
                               "x\n", "\n"], max_size=12),
                       min_size=1))  # fmt: skip
def test_requirement_file_includes(files: dict[str, str]) -> None:
    def read(path: str) -> bytes:
        if path not in files:
            raise InputError(f"cannot read {path!r}")
        return files[path].encode()

    with contextlib.suppress(InputError):
        read_requirement_files([next(iter(files))], read=read, environ={})


_PIP_COMMENT = re.compile(r"(^|\s+)#.*$")  # pip's req_file.COMMENT_RE


@given(st.text(alphabet=" \t\u3000#ab\\", max_size=30).filter(lambda t: len(t.splitlines()) <= 1))
def test_comment_stripping_agrees_with_pip(line: str) -> None:
    assert _strip_comment(line).strip() == _PIP_COMMENT.sub("", line).strip()


# -- pyproject.toml ----------------------------------------------------------------------------

_TOML = [
    "[project]\n", "[project.optional-dependencies]\n", "[dependency-groups]\n",
    "[tool.wheelscout]\n", "[build-system]\n", "name = ", "\"demo\"", "version = \"1\"\n",
    "dependencies = [", "]", "\"requests>=2\"", "\"demo[all]\"", ", ", "all = [\"demo[cli]\"]\n",
    "cli = [\"click\"]\n", "dev = [{include-group = \"test\"}]\n", "test = [\"pytest\", ",
    "{include-group = \"dev\"}", "dynamic = [\"optional-dependencies\"]\n", "targets = [",
    "\"win-arm64\"", "find-links = [\"./w\"]\n", "mode = \"binary\"\n", "= ", "{", "}", "[[", "]]",
    "\"\"\"", "'", "1", "true", "\n", "# c\n", "a.b = 1\n",
]  # fmt: skip


@given(pieces(_TOML, max_size=40), st.lists(st.sampled_from(["all", "cli", "x"]), max_size=2),
       st.lists(st.sampled_from(["dev", "test", "x"]), max_size=2))  # fmt: skip
def test_pyproject(text: str, extras: list[str], groups: list[str]) -> None:
    try:
        project = parse_pyproject(text.encode("utf-8", "surrogatepass"))
        select_requirements(project, extras=extras, groups=groups)
    except InputError:
        pass


@given(mutated((DATA / "pyproject.toml").read_bytes()))
def test_pyproject_mutated_real_file(data: bytes) -> None:
    with contextlib.suppress(InputError):
        select_requirements(parse_pyproject(data), extras=["all"], groups=["dev"])


# -- pylock.toml -------------------------------------------------------------------------------


@given(mutated((DATA / "pylock.toml").read_bytes()),
       st.sampled_from(["win-arm64", "linux-x86_64", "macos-arm64"]))  # fmt: skip
def test_pylock_mutated_real_file(data: bytes, spelling: str) -> None:
    try:
        lock = parse_pylock(data)
    except InputError:
        return
    check_lock(lock, make_target(spelling, "3.12"))


_WHEEL_NAMES = st.one_of(
    pieces(["demo", "-", "1.0", "py3", "none", "any", ".", "macosx_", "99999999999", "_0_arm64",
            "cp312", "win_arm64", ".whl", "_"], max_size=14),
    st.just("demo-1.0-py3-none-macosx_99999999999999999999_0_arm64.whl"),
)  # fmt: skip


@given(st.lists(_WHEEL_NAMES, max_size=4), st.sampled_from(["1.0", "1" * 300, "x"]))
def test_pylock_wheel_names(names: list[str], version: str) -> None:
    wheels = ", ".join(f'{{ name = {name!r}, url = "https://x/w", hashes = {{ sha256 = "00" }} }}'
                       for name in names)  # fmt: skip
    text = (f'lock-version = "1.0"\ncreated-by = "t"\n[[packages]]\nname = "demo"\n'
            f'version = "{version}"\nwheels = [{wheels}]\n')  # fmt: skip
    try:
        lock = parse_pylock(text.encode("utf-8", "surrogatepass"))
    except InputError:
        return
    check_lock(lock, make_target("macos-arm64", "3.12"))


# -- targets -----------------------------------------------------------------------------------

_TARGETS = [
    "win", "-", "arm64", "amd64", "linux", "x86_64", "aarch64", "macos", "ios", "android",
    "manylinux_", "musllinux_", "macosx_", "ios_", "android_", "pyodide_", "2", "_", "17", "0",
    "99", "100", "99999999999999999999", "_x86_64", "_arm64", "host", "aarch64-pc-windows-msvc",
]  # fmt: skip
_parts = st.one_of(st.integers(0, 120), st.integers(0, 10**30))


_PYTHONS = pieces(["3", ".", "12", "13", "t", "cp", "py", "9" * 50], max_size=6)


@given(pieces(_TARGETS, max_size=8), _PYTHONS,
       st.tuples(_parts, _parts), st.one_of(st.none(), _parts))  # fmt: skip
def test_targets(spelling: str, python: str, version: tuple[int, int], api: int | None) -> None:
    overrides = Overrides(glibc=version, musl=version, macos=version, ios=version,
                          android_api=api)  # fmt: skip
    try:
        target = make_target(spelling, python, overrides)
    except TargetError:
        return
    assert len(target.tags) < 200_000
