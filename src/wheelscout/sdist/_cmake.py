"""Read ``CMakeLists.txt`` files reachable from the root: languages and packages looked for."""

from __future__ import annotations

import posixpath
import re
from collections.abc import Mapping

from wheelscout.model.build import Language, Tool
from wheelscout.sdist._hits import (
    Code,
    Hits,
    evidence,
    strip_hash_comments,
    walk_includes,
)

__all__ = ["read_cmake_project"]

_LANGUAGES: dict[str, Language] = {
    "C": Language.C,
    "CXX": Language.CXX,
    "FORTRAN": Language.FORTRAN,
    "CUDA": Language.CUDA,
    "OBJC": Language.OBJC,
    "OBJCXX": Language.OBJC,
}
_PROJECT_KEYWORDS = frozenset({"VERSION", "DESCRIPTION", "HOMEPAGE_URL", "LANGUAGES"})
_PKG_KEYWORDS = frozenset({"REQUIRED", "QUIET", "IMPORTED_TARGET", "GLOBAL", "NO_CMAKE_PATH"})
_FIND_PACKAGE_TOOLS = {"pkgconfig": Tool.PKG_CONFIG, "cudatoolkit": Tool.CUDA, "cuda": Tool.CUDA}
_TOKEN = re.compile(r'"[^"]*"|[^\s"]+')


def read_cmake_project(files: Mapping[str, str], hits: Hits) -> list[str]:
    """Read ``CMakeLists.txt`` (paths relative to the sdist root) from the root down."""
    seen = walk_includes("CMakeLists.txt", files, lambda path, text: _read_file(path, text, hits))
    if seen:
        hits.tool(Tool.CMAKE, evidence("CMakeLists.txt", None, "CMake build definition"))
    return seen


def _tokens(args: str) -> list[str]:
    return [token.strip('"') for token in _TOKEN.findall(args)]


def _read_file(path: str, text: str, hits: Hits) -> list[str]:
    code = Code(strip_hash_comments(text))
    base = posixpath.dirname(path)
    for offset, args in code.calls("project", ignore_case=True):
        where = evidence(path, code.line_at(offset), code.call_text(offset))
        for language in _project_languages(_tokens(args)[1:]):
            hits.language(language, where)
    for offset, args in code.calls("enable_language", ignore_case=True):
        where = evidence(path, code.line_at(offset), code.call_text(offset))
        for token in _tokens(args):
            enabled = _LANGUAGES.get(token.upper())
            if enabled is not None:
                hits.language(enabled, where)
    for offset, args in code.calls("find_package", ignore_case=True):
        _find_package(path, code, offset, _tokens(args), hits)
    for offset, args in code.calls("pkg_check_modules", ignore_case=True):
        where = evidence(path, code.line_at(offset), code.call_text(offset))
        hits.tool(Tool.PKG_CONFIG, where)
        for module in _tokens(args)[1:]:
            if module not in _PKG_KEYWORDS:
                hits.library(re.split(r"[<>=]", module)[0], where)
    found: list[str] = []
    for _, args in code.calls("add_subdirectory", ignore_case=True):
        for name in _tokens(args)[:1]:
            if "$" not in name:
                found.append(posixpath.normpath(posixpath.join(base, name, "CMakeLists.txt")))
    code.report_capped(path, hits)
    return found


def _project_languages(tokens: list[str]) -> list[Language]:
    """CMake's rule: languages follow ``LANGUAGES``, or are bare tokens; default C and C++."""
    if "LANGUAGES" in tokens:
        start = tokens.index("LANGUAGES") + 1
        names = []
        for token in tokens[start:]:
            if token in _PROJECT_KEYWORDS:
                break
            names.append(token)
    elif any(token in _PROJECT_KEYWORDS for token in tokens):
        names = ["C", "CXX"]
    else:
        names = tokens or ["C", "CXX"]
    if [name.upper() for name in names] == ["NONE"]:
        return []
    return [_LANGUAGES[name.upper()] for name in names if name.upper() in _LANGUAGES]


def _find_package(path: str, code: Code, offset: int, tokens: list[str], hits: Hits) -> None:
    if not tokens or "$" in tokens[0]:
        return
    where = evidence(path, code.line_at(offset), code.call_text(offset))
    name = tokens[0]
    tool = _FIND_PACKAGE_TOOLS.get(name.lower())
    if tool is not None:
        hits.tool(tool, where)
    elif not name.lower().startswith("python"):
        hits.library(name, where, optional="REQUIRED" not in tokens)
