"""Read ``pyproject.toml``: the PEP 517 backend, its requirements, and tool tables that compile."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from packaging.requirements import InvalidRequirement, Requirement
from packaging.utils import canonicalize_name

from wheelscout import _toml
from wheelscout.model.build import FindingKind, Language, Tool
from wheelscout.model.finding import Severity
from wheelscout.sdist._hits import Hits, evidence

__all__ = [
    "BACKEND_NAMES",
    "LEGACY_BACKEND",
    "LEGACY_REQUIRES",
    "PURE_BACKENDS",
    "BuildSystem",
    "read_pyproject",
]

# pip's fallback when an sdist declares no backend (PEP 517, "legacy" setup.py builds).
LEGACY_BACKEND = "setuptools.build_meta:__legacy__"
LEGACY_REQUIRES = ("setuptools>=40.8.0",)

BACKEND_NAMES: dict[str, str] = {
    "setuptools.build_meta": "setuptools",
    LEGACY_BACKEND: "setuptools",
    "mesonpy": "meson-python",
    "maturin": "maturin",
    "scikit_build_core.build": "scikit-build-core",
    "py_build_cmake.build": "py-build-cmake",
    "hatchling.build": "hatchling",
    "flit_core.buildapi": "flit-core",
    "flit.buildapi": "flit",
    "pdm.backend": "pdm-backend",
    "pdm.pep517.api": "pdm-pep517",
    "poetry.core.masonry.api": "poetry-core",
    "poetry.masonry.api": "poetry",
    "uv_build": "uv-build",
    "whey": "whey",
    "sipbuild.api": "sip",
    "enscons.api": "enscons",
}
# Backends that never compile anything themselves (hatchling may, through plugins: see below).
PURE_BACKENDS = frozenset(
    {
        "hatchling",
        "flit-core",
        "flit",
        "pdm-backend",
        "pdm-pep517",
        "poetry-core",
        "poetry",
        "uv-build",
        "whey",
    }
)

# Build requirement -> (language, tool, compiles on its own). "Compiles on its own" means the
# requirement is a build plugin that compiles even under a pure backend (hatch-cython).
_REQUIRES_HINTS: dict[str, tuple[Language | None, Tool | None, bool]] = {
    "cython": (Language.CYTHON, Tool.CYTHON, False),
    "pybind11": (Language.CXX, None, False),
    "nanobind": (Language.CXX, None, False),
    "pythran": (Language.CXX, None, False),
    "cffi": (Language.C, None, False),
    "setuptools-rust": (Language.RUST, Tool.RUST, True),
    "hatch-cython": (Language.CYTHON, Tool.CYTHON, True),
    "hatch-mypyc": (Language.C, None, True),
    "scikit-build": (None, Tool.CMAKE, True),
    "cmake": (None, Tool.CMAKE, False),
    "ninja": (None, Tool.NINJA, False),
    "meson": (None, Tool.MESON, False),
    "pkgconfig": (None, Tool.PKG_CONFIG, False),
}


@dataclass(slots=True, kw_only=True)
class BuildSystem:
    """The ``[build-system]`` table as pip would use it, plus what the tool tables say."""

    backend: str = LEGACY_BACKEND
    declared: bool = False
    requires: tuple[str, ...] = LEGACY_REQUIRES
    requires_hits: Hits = field(default_factory=Hits)
    plugin_compiles: bool = False
    tool_hits: Hits = field(default_factory=Hits)
    tables: frozenset[str] = frozenset()

    @property
    def name(self) -> str:
        return BACKEND_NAMES.get(self.backend, self.backend)


_LINE_LOOKUPS = 100


def read_pyproject(text: str | None, hits: Hits) -> BuildSystem:
    """Parse ``pyproject.toml`` text (``None`` when absent); problems go to ``hits.findings``."""
    system = BuildSystem()
    if text is None:
        return system
    try:
        data = _toml.loads(text)
    except _toml.TOMLDecodeError as exc:
        message = f"invalid TOML: {exc}"
        hits.finding(FindingKind.BAD_CONFIG, Severity.ERROR, message, "pyproject.toml")
        return system
    lines = text.splitlines()
    table = data.get("build-system")
    if isinstance(table, dict):
        _read_build_system(table, lines, system, hits)
    tool = data.get("tool")
    if isinstance(tool, dict):
        system.tables = frozenset(str(key) for key in tool)
        _read_tool_tables(tool, lines, system)
    return system


def _read_build_system(
    table: dict[str, Any], lines: list[str], system: BuildSystem, hits: Hits
) -> None:
    requires = table.get("requires", [])
    if not isinstance(requires, list) or not all(isinstance(r, str) for r in requires):
        hits.finding(
            FindingKind.BAD_CONFIG,
            Severity.ERROR,
            "build-system.requires is not a list of strings",
            "pyproject.toml",
        )
        requires = []
    system.requires = tuple(requires)
    backend = table.get("build-backend")
    if isinstance(backend, str) and backend.strip():
        system.backend = backend.strip()
        system.declared = True
    for index, spelled in enumerate(system.requires):
        # Each line lookup scans the file: only the first requirements get a line number, so
        # a hostile list of 100,000 stays linear.
        _read_requirement(spelled, lines if index < _LINE_LOOKUPS else [], system, hits)


def _read_requirement(spelled: str, lines: list[str], system: BuildSystem, hits: Hits) -> None:
    try:
        name = canonicalize_name(Requirement(spelled).name)
    except InvalidRequirement:
        message = f"invalid build requirement {spelled!r}"
        hits.finding(FindingKind.BAD_CONFIG, Severity.WARNING, message, "pyproject.toml")
        return
    hint = _REQUIRES_HINTS.get(name)
    if hint is None:
        return
    language, tool, compiles = hint
    where = evidence("pyproject.toml", _line_of(lines, spelled), f"build requires {spelled}")
    if language is not None:
        system.requires_hits.language(language, where)
    if tool is not None:
        system.requires_hits.tool(tool, where)
    if compiles:
        system.requires_hits.compiled(where)
        system.plugin_compiles = True


def _read_tool_tables(tool: dict[str, Any], lines: list[str], system: BuildSystem) -> None:
    hits = system.tool_hits
    if "maturin" in tool:
        where = evidence("pyproject.toml", _line_of(lines, "[tool.maturin"), "[tool.maturin]")
        hits.language(Language.RUST, where)
        hits.tool(Tool.RUST, where)
        hits.compiled(where)
    if "scikit-build" in tool:
        where = evidence(
            "pyproject.toml", _line_of(lines, "[tool.scikit-build"), "[tool.scikit-build]"
        )
        hits.tool(Tool.CMAKE, where)
    setuptools = tool.get("setuptools")
    if isinstance(setuptools, dict) and setuptools.get("ext-modules"):
        where = evidence(
            "pyproject.toml", _line_of(lines, "ext-modules"), "[tool.setuptools] ext-modules"
        )
        hits.compiled(where)
        for module in setuptools["ext-modules"]:
            for source in module.get("sources", []) if isinstance(module, dict) else []:
                language = _suffix_language(str(source))
                if language is not None:
                    hits.language(language, where)


def _suffix_language(path: str) -> Language | None:
    suffix = path.rsplit(".", 1)[-1].lower() if "." in path else ""
    return {
        "c": Language.C,
        "cpp": Language.CXX,
        "cc": Language.CXX,
        "cxx": Language.CXX,
        "pyx": Language.CYTHON,
    }.get(suffix)


def _line_of(lines: list[str], needle: str) -> int | None:
    pattern = re.compile(re.escape(needle))
    for number, line in enumerate(lines, start=1):
        if pattern.search(line):
            return number
    return None
