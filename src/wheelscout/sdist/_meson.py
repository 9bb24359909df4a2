"""Read ``meson.build`` files reachable from the root: languages, dependencies, subdirs."""

from __future__ import annotations

import bisect
import posixpath
import re
from collections.abc import Mapping

from wheelscout.model.build import Language, Tool
from wheelscout.sdist._hits import (
    SYSTEM_LIBRARIES,
    Code,
    Hits,
    evidence,
    strip_hash_comments,
    walk_includes,
)

__all__ = ["read_meson_project"]

_LANGUAGES: dict[str, Language] = {
    "c": Language.C,
    "cpp": Language.CXX,
    "fortran": Language.FORTRAN,
    "cython": Language.CYTHON,
    "rust": Language.RUST,
    "cuda": Language.CUDA,
    "objc": Language.OBJC,
    "objcpp": Language.OBJC,
}
# The closing quote is optional so an unclosed string ends the match at the end of its line
# instead of being retried from every later quote (quadratic on hostile text).
_STRING = re.compile(r"'((?:[^'\\\n]|\\.)*)(')?")
_KEYWORD = re.compile(r"\b\w+\s*:")
_OPTIONAL = re.compile(r"\brequired\s*:\s*(false|get_option|not\b)")
# Options that name a BLAS/LAPACK library (numpy, scipy): their default is what gets looked for.
_LIBRARY_OPTION = re.compile(r"\s*'(blas|lapack)'")
_OPTION_VALUE = re.compile(r"\bvalue\s*:\s*'([^']+)'")


def read_meson_project(files: Mapping[str, str], hits: Hits) -> list[str]:
    """Read ``meson.build`` (paths relative to the sdist root) from the root down.

    Only files reached through ``subdir()`` and ``subproject()`` count, so vendored test
    suites do not leak in. Returns the paths read.
    """
    seen = walk_includes("meson.build", files, lambda path, text: _read_file(path, text, hits))
    for name in ("meson.options", "meson_options.txt"):
        if name in files:
            _read_options(name, files[name], hits)
    if seen:
        where = evidence("meson.build", None, "meson build definition")
        hits.tool(Tool.MESON, where)
        hits.tool(Tool.NINJA, where)
    return seen


def _read_file(path: str, text: str, hits: Hits) -> list[str]:
    code = Code(strip_hash_comments(text))
    base = posixpath.dirname(path)
    for offset, args in code.calls("project"):
        _languages(path, code, offset, _positional(args)[1:], hits, optional=False)
    for offset, args in code.calls("add_languages"):
        optional = bool(_OPTIONAL.search(args))
        _languages(path, code, offset, _positional(args), hits, optional=optional)
    conditional = _Conditions(code.text)
    for offset, args in code.calls("dependency"):
        names = _positional(args)
        if names:
            where = evidence(path, code.line_at(offset), code.call_text(offset))
            # A dependency looked for only under a condition may not be needed on the target.
            optional = bool(_OPTIONAL.search(args)) or conditional.at(offset)
            for name in names:
                hits.library(name, where, optional=optional)
            if any(name.lower() not in SYSTEM_LIBRARIES for name in names):
                hits.tool(Tool.PKG_CONFIG, where)
    found: list[str] = []
    for _, args in code.calls("subdir"):
        found.extend(posixpath.join(base, name, "meson.build") for name in _positional(args)[:1])
    for _, args in code.calls("subproject"):
        found.extend(f"subprojects/{name}/meson.build" for name in _positional(args)[:1])
    code.report_capped(path, hits)
    return found


# Horizontal space only: \s* would run across blank lines and back off from each line start
# (quadratic; found by tests/test_fuzz_scaling.py on "\n#" repeated).
_IF = re.compile(r"^[ \t]*(if|endif)\b", re.MULTILINE)


class _Conditions:
    """Whether an offset is inside an ``if`` block: depths computed once, found by bisection."""

    def __init__(self, code: str) -> None:
        self._offsets: list[int] = []
        self._depths: list[int] = []
        depth = 0
        for match in _IF.finditer(code):
            depth += 1 if match.group(1) == "if" else -1
            self._offsets.append(match.end())
            self._depths.append(depth)

    def at(self, offset: int) -> bool:
        index = bisect.bisect_right(self._offsets, offset)
        return index > 0 and self._depths[index - 1] > 0


def _positional(args: str) -> list[str]:
    """The string arguments before the first keyword argument (lists flattened)."""
    keyword = _KEYWORD.search(args)
    head = args[: keyword.start()] if keyword else args
    return [match[1] for match in _STRING.finditer(head) if match[2] is not None]


def _languages(
    path: str, code: Code, offset: int, names: list[str], hits: Hits, *, optional: bool
) -> None:
    where = evidence(path, code.line_at(offset), code.call_text(offset))
    for name in names:
        language = _LANGUAGES.get(name.lower())
        if language is not None and not optional:
            hits.language(language, where)


def _read_options(path: str, text: str, hits: Hits) -> None:
    code = Code(text)
    for offset, args in code.calls("option"):
        if not _LIBRARY_OPTION.match(args):
            continue
        value = _OPTION_VALUE.search(args)
        if value is None or value.group(1).lower() in ("auto", "none", "disabled", "enabled"):
            continue  # a choice the build makes at configure time, not a library name
        where = evidence(path, code.line_at(offset), code.call_text(offset))
        hits.library(value.group(1), where, optional=True)
    code.report_capped(path, hits)
