"""Turn what users have (requirement strings, requirements files, pyproject.toml, pylock.toml)
into one :class:`RequirementSet`. Parsers are sans-IO; :func:`load_inputs` does the reading."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from wheelscout.inputs.load import load_inputs, read_requirement_files
from wheelscout.inputs.model import (
    ALL,
    IndexOptions,
    LocalProject,
    LockedFile,
    LockedPackage,
    Mode,
    Note,
    Origin,
    Pylock,
    RequirementEntry,
    RequirementSet,
    Settings,
)
from wheelscout.inputs.requirements_txt import parse_requirements_txt

if TYPE_CHECKING:
    from wheelscout.inputs.pylock import lock_excludes, parse_pylock, select_locked
    from wheelscout.inputs.pyproject import Pyproject, parse_pyproject, select_requirements

# The TOML readers load on first use: a run from requirement strings never needs tomllib.
_LAZY = {
    "lock_excludes": "pylock", "parse_pylock": "pylock", "select_locked": "pylock",
    "Pyproject": "pyproject", "parse_pyproject": "pyproject", "select_requirements": "pyproject",
}


def __getattr__(name: str) -> Any:
    if (module := _LAZY.get(name)) is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{module}"), name)


__all__ = [
    "ALL",
    "IndexOptions",
    "LocalProject",
    "LockedFile",
    "LockedPackage",
    "Mode",
    "Note",
    "Origin",
    "Pylock",
    "Pyproject",
    "RequirementEntry",
    "RequirementSet",
    "Settings",
    "load_inputs",
    "lock_excludes",
    "parse_pylock",
    "parse_pyproject",
    "parse_requirements_txt",
    "read_requirement_files",
    "select_locked",
    "select_requirements",
]
