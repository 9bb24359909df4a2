"""Read ``setup.py`` and ``setup.cfg`` as text, line by line, for signs of compiled code."""

from __future__ import annotations

import re

from wheelscout.model.build import FindingKind, Language, Tool
from wheelscout.model.finding import Severity
from wheelscout.sdist._conditions import MAX_BRANCH_LOOKUPS, python_branch
from wheelscout.sdist._hits import Code, Hits, evidence, strip_hash_comments

__all__ = ["read_setuptools_file"]

_SOURCE_SUFFIXES: dict[str, Language] = {
    "c": Language.C,
    "cc": Language.CXX,
    "cpp": Language.CXX,
    "cxx": Language.CXX,
    "c++": Language.CXX,
    "pyx": Language.CYTHON,
    "f": Language.FORTRAN,
    "for": Language.FORTRAN,
    "f77": Language.FORTRAN,
    "f90": Language.FORTRAN,
    "f95": Language.FORTRAN,
    "cu": Language.CUDA,
    "rs": Language.RUST,
}

# (pattern, language or None, compiles, tool) for one line of setup.py or setup.cfg.
_SIGNS: tuple[tuple[re.Pattern[str], Language | None, Tool | None], ...] = (
    (re.compile(r"\bext_modules\b"), None, None),
    (re.compile(r"(?<![\w.])(Extension|Library)\s*\("), None, None),
    (re.compile(r"\b(Pybind11Extension|build_ext\s*=\s*pybind11)"), Language.CXX, None),
    (
        re.compile(r"\bcythonize\s*\(|\bCython\.(Build|Distutils)\b|from\s+Cython\b"),
        Language.CYTHON,
        Tool.CYTHON,
    ),
    (re.compile(r"\bcffi_modules\b"), Language.C, None),
    (
        re.compile(r"\bRustExtension\s*\(|\bRustBin\s*\(|\bsetuptools_rust\b|\brust_extensions\b"),
        Language.RUST,
        Tool.RUST,
    ),
    (re.compile(r"\bnumpy\.distutils\b"), Language.C, None),
    (re.compile(r"\bmypycify\s*\("), Language.C, None),
    (re.compile(r"""\blanguage\s*=\s*["']c\+\+["']"""), Language.CXX, None),
    (re.compile(r"\bpkg-?config\b|\bpkgconfig\b|\bpkg_config\b"), None, Tool.PKG_CONFIG),
    (re.compile(r"\bcmake\b|\bskbuild\b", re.IGNORECASE), None, Tool.CMAKE),
)
_SOURCE = re.compile(
    r"""["']([^"'\n]*\.(c|cc|cpp|cxx|c\+\+|pyx|f|for|f77|f90|f95|cu|rs))["']""", re.IGNORECASE
)
_LIBRARIES = re.compile(r"\blibraries\s*=\s*\[")
_QUOTED = re.compile(r"""["']([^"'\n]+)["']""")


def read_setuptools_file(path: str, text: str, hits: Hits) -> None:
    """Record what ``setup.py``/``setup.cfg`` text shows about compiled extensions."""
    code = Code(strip_hash_comments(text) if path.endswith(".py") else text)
    for number, line in enumerate(code.text.splitlines(), start=1):
        _read_line(path, number, line, hits)
    _read_libraries(path, code, hits)


def _read_libraries(path: str, code: Code, hits: Hits) -> None:
    """Each ``libraries=[...]`` list; one forward scan (an unclosed list ends the search).
    The first lists also get the OS of the ``if``/``elif`` branch they sit in."""
    position, number = 0, 0
    while (match := _LIBRARIES.search(code.text, position)) is not None:
        closing = code.text.find("]", match.end())
        if closing < 0:
            return  # no later list can close either
        where = evidence(path, code.line_at(match.start()), code.line_text(match.start()))
        platforms = python_branch(code.text, match.start()) if number < MAX_BRANCH_LOOKUPS else ()
        for name in _QUOTED.findall(code.text, match.end(), closing):
            hits.library(name, where, platforms=platforms)
        position, number = closing + 1, number + 1


def _read_line(path: str, number: int, line: str, hits: Hits) -> None:
    if line.lstrip().startswith(("#", ";")):
        return
    where = evidence(path, number, line)  # once per line: the line may be megabytes long
    for pattern, language, tool in _SIGNS:
        if not pattern.search(line):
            continue
        if tool is Tool.CMAKE and "skbuild" in line:
            hits.compiled(where)  # scikit-build (classic) always drives a CMake build
        if tool is Tool.CMAKE or tool is Tool.PKG_CONFIG:
            hits.tool(tool, where)
            continue
        hits.compiled(where)
        if language is not None:
            hits.language(language, where)
        if tool is not None:
            hits.tool(tool, where)
        if "numpy.distutils" in line:
            hits.finding(
                FindingKind.BAD_CONFIG,
                Severity.WARNING,
                "uses numpy.distutils, which NumPy removed (gone for Python 3.12 and NumPy 2)",
                path,
            )
    for match in _SOURCE.finditer(line):
        suffix = match.group(2).lower()
        hits.language(_SOURCE_SUFFIXES[suffix], where)
