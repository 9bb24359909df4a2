"""Read ``meson.build`` files reachable from the root: languages, dependencies, subdirs."""

from __future__ import annotations

import posixpath
import re
from collections.abc import Mapping

from wheelscout.model.build import Language, Tool
from wheelscout.sdist._hits import (
    SYSTEM_LIBRARIES,
    Hits,
    call_text,
    calls,
    evidence,
    line_at,
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
_STRING = re.compile(r"'((?:[^'\\\n]|\\.)*)'")
_KEYWORD = re.compile(r"\b\w+\s*:")
_OPTIONAL = re.compile(r"\brequired\s*:\s*(false|get_option|not\b)")
# Options that name a BLAS/LAPACK library (numpy, scipy): their default is what gets looked for.
_LIBRARY_OPTION = re.compile(
    r"option\s*\(\s*'(blas|lapack)'[^)]*?\bvalue\s*:\s*'([^']+)'", re.DOTALL
)


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
    code = strip_hash_comments(text)
    base = posixpath.dirname(path)
    for offset, args in calls(code, "project"):
        _languages(path, code, offset, _positional(args)[1:], hits, optional=False)
    for offset, args in calls(code, "add_languages"):
        optional = bool(_OPTIONAL.search(args))
        _languages(path, code, offset, _positional(args), hits, optional=optional)
    for offset, args in calls(code, "dependency"):
        names = _positional(args)
        if names:
            where = evidence(path, line_at(code, offset), call_text(code, offset))
            # A dependency looked for only under a condition may not be needed on the target.
            optional = bool(_OPTIONAL.search(args)) or _conditional(code, offset)
            for name in names:
                hits.library(name, where, optional=optional)
            if any(name.lower() not in SYSTEM_LIBRARIES for name in names):
                hits.tool(Tool.PKG_CONFIG, where)
    found: list[str] = []
    for _, args in calls(code, "subdir"):
        found.extend(posixpath.join(base, name, "meson.build") for name in _positional(args)[:1])
    for _, args in calls(code, "subproject"):
        found.extend(f"subprojects/{name}/meson.build" for name in _positional(args)[:1])
    return found


_IF = re.compile(r"^\s*(if|endif)\b", re.MULTILINE)


def _conditional(code: str, offset: int) -> bool:
    depth = 0
    for match in _IF.finditer(code, 0, offset):
        depth += 1 if match.group(1) == "if" else -1
    return depth > 0


def _positional(args: str) -> list[str]:
    """The string arguments before the first keyword argument (lists flattened)."""
    keyword = _KEYWORD.search(args)
    head = args[: keyword.start()] if keyword else args
    return _STRING.findall(head)


def _languages(
    path: str, code: str, offset: int, names: list[str], hits: Hits, *, optional: bool
) -> None:
    where = evidence(path, line_at(code, offset), call_text(code, offset))
    for name in names:
        language = _LANGUAGES.get(name.lower())
        if language is not None and not optional:
            hits.language(language, where)


def _read_options(path: str, text: str, hits: Hits) -> None:
    for match in _LIBRARY_OPTION.finditer(text):
        if match.group(2).lower() in ("auto", "none", "disabled", "enabled", ""):
            continue  # a choice the build makes at configure time, not a library name
        where = evidence(path, line_at(text, match.start()), call_text(text, match.start()))
        hits.library(match.group(2), where, optional=True)
