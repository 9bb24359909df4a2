"""Static sdist inspection: what building this sdist needs, read from its files, never run.

``inspect_sdist`` walks the archive (``archive.walk_archive``), reads the build files it finds
and merges what each says into one ``BuildRequirements``.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Mapping
from typing import IO

from packaging.utils import canonicalize_name

from wheelscout.model.build import (
    BuildRequirements,
    Evidence,
    FindingKind,
    Language,
    LanguageNeed,
    LibraryNeed,
    SourceKind,
    Tool,
    ToolNeed,
)
from wheelscout.model.filename import parse_dist_filename
from wheelscout.model.finding import Severity
from wheelscout.sdist._cargo import read_cargo_manifests
from wheelscout.sdist._cmake import read_cmake_project
from wheelscout.sdist._hits import Hits, decode, evidence
from wheelscout.sdist._meson import read_meson_project
from wheelscout.sdist._pyproject import PURE_BACKENDS, BuildSystem, read_pyproject
from wheelscout.sdist._setuptools import read_setuptools_file
from wheelscout.sdist.archive import Limits, walk_archive
from wheelscout.sdist.libraries import known_project

__all__ = ["inspect_sdist"]

_BUILD_FILES = frozenset(
    {
        "pyproject.toml",
        "setup.py",
        "setup.cfg",
        "meson.build",
        "meson.options",
        "meson_options.txt",
        "CMakeLists.txt",
        "Cargo.toml",
        "PKG-INFO",
    }
)
_ROOT_ONLY = frozenset(
    {"pyproject.toml", "setup.py", "setup.cfg", "meson.options", "meson_options.txt", "PKG-INFO"}
)
# Directories whose sources are not part of the build (test data, docs, vendored build tools).
_NOT_BUILT = frozenset(
    {
        "test",
        "tests",
        "testing",
        "doc",
        "docs",
        "example",
        "examples",
        "benchmarks",
        "bench",
        "vendored-meson",
    }
)
_SOURCE_SUFFIXES: dict[str, Language] = {
    ".c": Language.C,
    ".cc": Language.CXX,
    ".cpp": Language.CXX,
    ".cxx": Language.CXX,
    ".c++": Language.CXX,
    ".pyx": Language.CYTHON,
    ".pxd": Language.CYTHON,
    ".f": Language.FORTRAN,
    ".for": Language.FORTRAN,
    ".f77": Language.FORTRAN,
    ".f90": Language.FORTRAN,
    ".f95": Language.FORTRAN,
    ".f03": Language.FORTRAN,
    ".rs": Language.RUST,
    ".cu": Language.CUDA,
}
_LANGUAGE_TOOLS: dict[Language, Tool] = {
    Language.C: Tool.C_COMPILER,
    Language.CXX: Tool.CXX_COMPILER,
    Language.FORTRAN: Tool.FORTRAN_COMPILER,
    Language.RUST: Tool.RUST,
    Language.CYTHON: Tool.CYTHON,
    Language.CUDA: Tool.CUDA,
    Language.OBJC: Tool.C_COMPILER,
}
_FROM_PYPI = frozenset({Tool.CYTHON, Tool.MESON, Tool.NINJA, Tool.CMAKE})
_LANGUAGE_ORDER = list(Language)
_TOOL_ORDER = list(Tool)


def inspect_sdist(
    stream: IO[bytes],
    *,
    filename: str = "",
    project: str | None = None,
    expected_sha256: str | None = None,
    limits: Limits | None = None,
) -> BuildRequirements:
    """Read an sdist from ``stream`` and say what building it needs.

    ``filename`` is used in the result and to guess the project name when the archive has no
    ``PKG-INFO``; ``project`` overrides both. Never raises for a hostile or damaged archive:
    those become findings, and ``complete`` is ``False`` when the archive was not fully read.
    """
    walk = walk_archive(stream, wanted=_wanted, limits=limits, expected_sha256=expected_sha256)
    root = _root(walk.names)
    names = [_relative(name, root) for name in walk.names]
    files = {_relative(name, root): decode(data) for name, data in walk.files.items()}
    hits = Hits()
    system = read_pyproject(files.get("pyproject.toml"), hits)
    source_kinds = _source_kinds(names)
    _read_build_files(system, files, hits, source_kinds)
    name = project or _project_name(files.get("PKG-INFO"), filename)
    if hits.languages:
        _add_known_needs(name, hits)
    _complete_languages(hits)
    return BuildRequirements(
        filename=filename,
        project=name,
        backend=system.backend,
        backend_name=system.name,
        backend_declared=system.declared,
        build_requires=system.requires,
        languages=_language_needs(hits),
        tools=_tool_needs(hits),
        native_libraries=_library_needs(hits),
        source_kinds=source_kinds,
        findings=(*walk.findings, *hits.findings),
        complete=walk.complete,
        sha256=walk.sha256,
    )


def _wanted(name: str) -> bool:
    base = posixpath.basename(name)
    if base not in _BUILD_FILES or "test cases" in name or "/vendored-meson/" in name:
        return False
    return base not in _ROOT_ONLY or name.count("/") <= 1


def _root(names: list[str] | tuple[str, ...]) -> str:
    """The single top directory every member sits in (``numpy-1.26.2``), or ``""``."""
    firsts = {name.split("/", 1)[0] for name in names if "/" in name}
    if len(firsts) != 1 or any("/" not in name for name in names):
        return ""
    return firsts.pop()


def _relative(name: str, root: str) -> str:
    return name[len(root) + 1 :] if root and name.startswith(root + "/") else name


def _read_build_files(
    system: BuildSystem, files: Mapping[str, str], hits: Hits, sources: tuple[SourceKind, ...]
) -> None:
    family = system.name
    pure_backend = family in PURE_BACKENDS
    setup_hits = Hits()
    for path in ("setup.py", "setup.cfg"):
        if path in files:
            read_setuptools_file(path, files[path], setup_hits)
    hits.findings.extend(setup_hits.findings)
    if setup_hits.compiles and not pure_backend:
        _merge(hits, setup_hits)
    _merge(hits, system.tool_hits)
    if system.plugin_compiles or hits.compiles or not pure_backend:
        _merge(hits, system.requires_hits, languages=bool(hits.compiles or system.plugin_compiles))
    if family == "meson-python":
        read_meson_project(files, hits)
    wants_cmake = family in ("scikit-build-core", "py-build-cmake") or Tool.CMAKE in hits.tools
    if wants_cmake and "CMakeLists.txt" in files:
        read_cmake_project(files, hits)
    rust = family == "maturin" or Language.RUST in hits.languages
    if rust and not read_cargo_manifests(files, hits):
        message = "Rust build but no Cargo.toml found"
        hits.finding(FindingKind.BAD_CONFIG, Severity.WARNING, message, "pyproject.toml")
    if family == "maturin" and Language.RUST not in hits.languages:
        hits.language(Language.RUST, evidence("pyproject.toml", None, "build-backend maturin"))
    _check_build_definition(family, files, hits, sources)
    _judge_sources(system, hits, sources)


# Backends that read a build definition file: without it, fall back to the shipped sources.
_DEFINITIONS = {
    "meson-python": "meson.build",
    "scikit-build-core": "CMakeLists.txt",
    "py-build-cmake": "CMakeLists.txt",
}


def _check_build_definition(
    family: str, files: Mapping[str, str], hits: Hits, sources: tuple[SourceKind, ...]
) -> None:
    definition = _DEFINITIONS.get(family)
    if definition is None or definition in files:
        return
    message = f"{family} build without a readable {definition}: judging by the shipped sources"
    hits.finding(FindingKind.BAD_CONFIG, Severity.WARNING, message, definition)
    for kind in sources:
        hits.language(kind.language, evidence(kind.example, None, f"{kind.count} source files"))


def _merge(into: Hits, other: Hits, *, languages: bool = True) -> None:
    if languages:
        for language, items in other.languages.items():
            for item in items:
                into.language(language, item)
        for item in other.compiles:
            into.compiled(item)
    for tool, items in other.tools.items():
        for item in items:
            into.tool(tool, item)
    for name, items in other.libraries.items():
        for item in items:
            into.library(name, item, optional=name not in other.required_libraries,
                         platforms=tuple(sorted(other.library_platforms.get(name, ()))))


def _judge_sources(system: BuildSystem, hits: Hits, sources: tuple[SourceKind, ...]) -> None:
    """Fill in languages from shipped sources when the config compiles but names none."""
    compiled = bool(hits.compiles or hits.languages)
    if compiled and not hits.languages:
        for kind in sources:
            hits.language(kind.language, evidence(kind.example, None, f"{kind.count} source files"))
        if not hits.languages:
            hits.language(Language.C, hits.compiles[0])
        return
    if compiled or not sources:
        return
    if system.name in PURE_BACKENDS:
        listed = ", ".join(f"{k.count} {k.language.value}" for k in sources)
        message = f"ships {listed} source files, but {system.name} does not compile them"
        hits.finding(FindingKind.IGNORED_SOURCES, Severity.INFO, message, sources[0].example)
    elif system.declared and system.name == system.backend:
        hits.finding(
            FindingKind.UNKNOWN_BACKEND,
            Severity.WARNING,
            f"unknown build backend {system.backend!r}: assuming its shipped sources get compiled",
            "pyproject.toml",
        )
        for kind in sources:
            hits.language(kind.language, evidence(kind.example, None, f"{kind.count} source files"))


def _complete_languages(hits: Hits) -> None:
    """Cython output is C (or C++): a Cython build always needs a C compiler."""
    cython = hits.languages.get(Language.CYTHON)
    if cython and Language.C not in hits.languages and Language.CXX not in hits.languages:
        hits.language(Language.C, cython[0])
    for language, items in list(hits.languages.items()):
        for item in items[:1]:
            hits.tool(_LANGUAGE_TOOLS[language], item)


def _add_known_needs(name: str | None, hits: Hits) -> None:
    known = known_project(canonicalize_name(name)) if name else None
    if known is None:
        return
    where = Evidence(
        file="(wheelscout known needs)", line=None, text=f"{known.note} {known.source}".strip()
    )
    for library in known.libraries:
        hits.library(library, where, optional=known.optional)
    for spelled in known.languages:
        language = next((lang for lang in Language if lang.value == spelled), None)
        if language is not None:
            hits.language(language, where)


def _source_kinds(names: list[str]) -> tuple[SourceKind, ...]:
    counts: dict[Language, list[str]] = {}
    for name in names:
        parts = name.split("/")
        if any(part in _NOT_BUILT for part in parts[:-1]) or "test cases" in name:
            continue
        suffix = posixpath.splitext(parts[-1])[1]
        language = _SOURCE_SUFFIXES.get(suffix.lower() if suffix != ".F" else ".f")
        if language is not None:
            counts.setdefault(language, []).append(name)
    return tuple(
        SourceKind(language=language, count=len(found), example=found[0])
        for language, found in sorted(
            counts.items(), key=lambda item: _LANGUAGE_ORDER.index(item[0])
        )
    )


def _project_name(pkg_info: str | None, filename: str) -> str | None:
    if pkg_info:
        match = re.search(r"^Name:\s*(\S+)", pkg_info, re.MULTILINE)
        if match:
            return match.group(1)
    parsed = parse_dist_filename(posixpath.basename(filename)) if filename else None
    return str(parsed.name) if parsed is not None and not parsed.is_wheel else None


def _language_needs(hits: Hits) -> tuple[LanguageNeed, ...]:
    ordered = sorted(hits.languages.items(), key=lambda item: _LANGUAGE_ORDER.index(item[0]))
    return tuple(LanguageNeed(language=lang, evidence=tuple(ev)) for lang, ev in ordered)


def _tool_needs(hits: Hits) -> tuple[ToolNeed, ...]:
    if not hits.languages:
        return ()
    ordered = sorted(hits.tools.items(), key=lambda item: _TOOL_ORDER.index(item[0]))
    return tuple(
        ToolNeed(tool=tool, evidence=tuple(ev), from_pypi=tool in _FROM_PYPI)
        for tool, ev in ordered
    )


def _library_needs(hits: Hits) -> tuple[LibraryNeed, ...]:
    if not hits.languages:
        return ()
    return tuple(
        LibraryNeed(
            name=name,
            evidence=tuple(ev),
            optional=name not in hits.required_libraries,
            platforms=tuple(sorted(hits.library_platforms.get(name, ()))),
        )
        for name, ev in sorted(hits.libraries.items())
    )
