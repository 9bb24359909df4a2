"""Local paths given as requirements (``./pkg``, ``-e ./pkg``, ``dist/pkg-1.0-py3-none-any.whl``)
as direct references pip would install: named by their static metadata, never by running code.

Like :mod:`wheelscout.inputs.load`, this reads the disk.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from packaging.requirements import Requirement

from wheelscout.errors import InputError
from wheelscout.inputs.model import LocalProject, Note, RequirementEntry
from wheelscout.inputs.requirements_txt import LocalLine, archive_name
from wheelscout.model.project import NormalizedName

if TYPE_CHECKING:
    from wheelscout.inputs.pyproject import Pyproject

__all__ = ["read_local"]


def read_local(line: LocalLine) -> tuple[RequirementEntry | Note, LocalProject | None]:
    """A direct reference for a project directory or a wheel/sdist file, with what its static
    pyproject.toml says; a note when it cannot be named without a build."""
    path = Path(os.path.expanduser(line.path))
    if path.is_file():
        name = archive_name(path.name)
        if name is None:
            raise InputError(f"{line.origin}: {line.path!r} is not a wheel or sdist (a "
                             "requirements file needs -r)")
        return _entry(name, path, line), None
    if not path.is_dir():
        # pip reads it relative to the working directory, and fails; the rest still checks.
        return Note(origin=line.origin, message=f"skipped {line.path!r}: no such file or "
                    "directory here (pip reads local paths from the working directory)"), None
    pyproject = path / "pyproject.toml"
    if not pyproject.is_file():
        return Note(origin=line.origin, message=f"skipped {line.path!r}: no pyproject.toml, so "
                    "its name and dependencies need a build (setup.py) to read"), None
    from wheelscout.inputs.pyproject import parse_pyproject

    project = parse_pyproject(_read(pyproject), source=str(pyproject))
    if project.name is None or "name" in project.dynamic:
        return Note(origin=line.origin, message=f"skipped {line.path!r}: its pyproject.toml "
                    "has no static [project] name"), None
    entry = _entry(project.name, path, line)
    return entry, _local_project(project, entry, line)


def _local_project(project: Pyproject, entry: RequirementEntry, line: LocalLine) -> LocalProject:
    unknown = None
    if project.dependencies is None:
        unknown = "its pyproject.toml has no [project] dependencies"
    elif "dependencies" in project.dynamic:
        unknown = "its [project] dependencies are dynamic (only a build can tell them)"
    assert project.name is not None
    assert entry.requirement.url is not None
    return LocalProject(
        name=NormalizedName(project.name),
        url=entry.requirement.url,
        path=line.path,
        version=None if "version" in project.dynamic else project.version,
        dependencies=None if unknown else project.dependencies,
        requires_python=project.requires_python,
        editable=line.editable,
        unknown_because=unknown,
    )


def _entry(name: str, path: Path, line: LocalLine) -> RequirementEntry:
    requirement = Requirement(f"{name} @ {path.resolve().as_uri()}")
    return RequirementEntry(requirement=requirement, origin=line.origin, direct=True)


def _read(path: Path) -> bytes:
    from wheelscout.inputs.load import _read as read_bounded  # load imports this module

    return read_bounded(str(path))
