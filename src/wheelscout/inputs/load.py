"""The one place inputs touch the disk: read files, follow ``-r``/``-c``, build a RequirementSet."""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from packaging.specifiers import InvalidSpecifier, SpecifierSet

from wheelscout.errors import InputError
from wheelscout.inputs.local import read_local
from wheelscout.inputs.model import (
    IndexOptions,
    LocalProject,
    Note,
    Origin,
    RequirementEntry,
    RequirementSet,
    Settings,
)
from wheelscout.inputs.requirements_txt import (
    Include,
    LocalLine,
    OptionLine,
    RequirementLine,
    apply_option,
    archive_name,
    parse_requirement,
    parse_requirements_txt,
)
from wheelscout.limits import (
    MAX_INCLUDE_DEPTH,
    MAX_INCLUDED_BYTES,
    MAX_INCLUDED_FILES,
    MAX_INPUT_FILE_BYTES,
    MIB,
)

__all__ = ["load_inputs", "read_requirement_files"]

COMMAND_LINE = "<command line>"

Reader = Callable[[str], bytes]


def load_inputs(
    requirements: Sequence[str] = (),
    requirement_files: Sequence[Path] = (),
    constraint_files: Sequence[Path] = (),
    pyproject: Path | None = None,
    extras: Sequence[str] = (),
    groups: Sequence[str] = (),
    *,
    pylock: Path | None = None,
    environ: Mapping[str, str] | None = None,
    cwd: Path | None = None,
    editables: Sequence[str] = (),
) -> RequirementSet:
    """Gather everything the user gave into one :class:`RequirementSet`.

    Order follows pip: command-line requirements, then each ``-r`` file (nested includes in
    place), then each ``-c`` file. ``environ`` feeds ``${VAR}`` in requirements files and
    defaults to the process environment. Raises :class:`InputError` naming file and line.

    What users mean: a command-line requirement that is an existing file is read as ``-r``
    (pip needs ``-r``), a directory holding pyproject.toml as that project (``--project``),
    and other local paths (``./pkg``, ``-e ./pkg``, ``dist/x.whl``) as direct references.
    ``cwd`` (the CLI passes the working directory) holds a pyproject.toml that, without
    ``--project``, gives its ``[tool.wheelscout]`` settings, and its dependencies too when no
    requirement, ``-r`` file or lock was given: the rule of pyproject-based tools.
    """
    walker = _Walker(read=_read, environ=os.environ if environ is None else environ)
    files = list(requirement_files)
    for index, text in enumerate(requirements):
        origin = Origin(source=COMMAND_LINE, key=f"requirement {index + 1}")
        kind = _path_kind(text)
        if kind == "file":
            files.append(Path(text))
            walker.notes.append(Note(origin=origin, message=f"read {text!r} as '-r {text}': "
                                     "it is a requirements file (pip needs -r)"))
            continue
        if kind == "project":
            pyproject = _one_project(pyproject, Path(text) / "pyproject.toml", origin)
            walker.notes.append(Note(origin=origin, message=f"checking the project in {text!r} "
                                     f"(as --project {text})"))
            continue
        parsed = parse_requirement(text, origin=origin)
        walker.add(parsed)
    for index, editable in enumerate(editables):
        origin = Origin(source=COMMAND_LINE, key=f"-e {index + 1}")
        walker.add(LocalLine(path=editable, editable=True, origin=origin))
    for path in files:
        walker.walk(str(path), constraint=False, chain=())
    for path in constraint_files:
        walker.walk(str(path), constraint=True, chain=())
    settings = None
    requires_python: SpecifierSet | None = None
    here = _cwd_pyproject(cwd, pyproject)
    if pyproject is None and here is not None and not walker.entries and not files \
            and pylock is None:
        pyproject = here
        walker.notes.append(Note(origin=Origin(source=str(here)), message="no requirements "
                                 "given: checking this project's dependencies"))
    if pyproject is not None:
        from wheelscout.inputs.pyproject import parse_pyproject, select_requirements

        project = parse_pyproject(_read(str(pyproject)), source=str(pyproject))
        walker.entries.extend(select_requirements(project, extras=extras, groups=groups))
        settings = _settings_relative_to(project.settings, pyproject.parent)
        requires_python = _requires_python(project.requires_python, str(pyproject))
    elif extras or groups:
        wanted = [*extras, *groups]
        raise InputError(f"extras and groups {wanted!r} need a pyproject.toml")
    elif here is not None:
        from wheelscout.inputs.pyproject import parse_pyproject

        settings = _settings_relative_to(
            parse_pyproject(_read(str(here)), source=str(here)).settings, here.parent)
        if settings is not None:
            walker.notes.append(Note(origin=Origin(source=str(here), key="tool.wheelscout"),
                                     message="settings applied (targets, pythons, index, mode "
                                     "not given on the command line)"))
    locked = None
    if pylock is not None:
        from wheelscout.inputs.pylock import parse_pylock

        locked = parse_pylock(_read(str(pylock)), source=str(pylock))
    return RequirementSet(
        entries=_unique(walker.entries),
        constraint_entries=_unique(walker.constraints),
        index_options=walker.options,
        notes=tuple(walker.notes),
        settings=settings,
        locked=locked,
        local_projects=tuple(walker.local),
        requires_python=requires_python,
        project_source=str(pyproject) if pyproject is not None else None,
    )


def _path_kind(text: str) -> str | None:
    """``file`` for an existing requirements file, ``project`` for a directory holding a
    pyproject.toml that pip would read as a path (it has a separator or starts with ``.``)."""
    if archive_name(os.path.basename(text)) is not None or "@" in text:
        return None
    if os.path.isfile(text):
        return "file"
    if text.endswith((".txt", ".in")) and not os.path.exists(text):
        raise InputError(f"{text!r} looks like a requirements file, but there is no such file "
                         f"(a requirements file is read with -r {text})")
    looks_like_path = os.sep in text or "/" in text or text.startswith(".")
    if looks_like_path and os.path.isfile(os.path.join(text, "pyproject.toml")):
        return "project"
    return None


def _one_project(current: Path | None, found: Path, origin: Origin) -> Path:
    if current is not None and os.path.abspath(current) != os.path.abspath(found):
        raise InputError(f"{origin}: a second project {str(found.parent)!r}: give one project "
                         f"(already {str(current)!r})")
    return found


def _cwd_pyproject(cwd: Path | None, pyproject: Path | None) -> Path | None:
    if cwd is None or pyproject is not None:
        return None
    found = cwd / "pyproject.toml"
    return Path(os.path.relpath(found)) if found.is_file() else None


def _requires_python(text: str | None, source: str) -> SpecifierSet | None:
    if text is None:
        return None
    try:
        return SpecifierSet(text)
    except InvalidSpecifier:
        raise InputError(f"{source}: invalid 'project.requires-python' {text!r}") from None


def read_requirement_files(
    paths: Sequence[str], *, read: Reader, environ: Mapping[str, str], constraint: bool = False
) -> RequirementSet:
    """Follow requirements files through ``read`` (tests pass a dict's ``__getitem__``)."""
    walker = _Walker(read=read, environ=environ)
    for path in paths:
        walker.walk(path, constraint=constraint, chain=())
    return RequirementSet(
        entries=_unique(walker.entries),
        constraint_entries=_unique(walker.constraints),
        index_options=walker.options,
        notes=tuple(walker.notes),
    )


def _unique(entries: Sequence[RequirementEntry]) -> tuple[RequirementEntry, ...]:
    """Drop repeats of the same requirement (same text, same hashes), keeping the first.

    They change nothing pip does, but the resolver merges every root requirement with each
    other one of its project: 10,000 repeated lines took a minute.
    """
    seen: set[tuple[str, tuple[str, ...]]] = set()
    unique = []
    for entry in entries:
        key = (str(entry.requirement), entry.hashes)
        if key not in seen:
            seen.add(key)
            unique.append(entry)
    return tuple(unique)


def _settings_relative_to(settings: Settings | None, folder: Path) -> Settings | None:
    """``[tool.wheelscout] find-links`` paths are relative to the pyproject.toml, not the cwd."""
    if settings is None or not settings.find_links:
        return settings
    links = tuple(
        link if "://" in link or os.path.isabs(link) else os.path.normpath(folder / link)
        for link in settings.find_links
    )
    return replace(settings, find_links=links)


def _read(path: str) -> bytes:
    """A file the user named, up to the size limit (``-r /dev/zero`` ends there, not in OOM).

    Pipes are read too: ``-r <(generate-requirements)`` is a pip idiom.
    """
    try:
        with open(path, "rb") as stream:
            data = stream.read(MAX_INPUT_FILE_BYTES + 1)
    except OSError as exc:
        raise InputError(f"cannot read {path!r}: {exc.strerror or exc}") from None
    if len(data) > MAX_INPUT_FILE_BYTES:
        raise InputError(
            f"{path!r} is larger than {MAX_INPUT_FILE_BYTES // MIB} MiB, "
            "the limit for an input file"
        )
    return data


@dataclass(slots=True, kw_only=True)
class _Walker:
    read: Reader
    environ: Mapping[str, str]
    entries: list[RequirementEntry] = field(default_factory=list)
    constraints: list[RequirementEntry] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    options: IndexOptions = field(default_factory=IndexOptions)
    local: list[LocalProject] = field(default_factory=list)
    files_read: int = 0
    bytes_read: int = 0

    def walk(self, path: str, *, constraint: bool, chain: tuple[str, ...]) -> None:
        key = os.path.normpath(os.path.abspath(path))
        if key in chain:
            names = " -> ".join([*(os.path.basename(p) for p in chain), os.path.basename(key)])
            raise InputError(f"{path!r} includes itself: {names}")
        self.files_read += 1
        if self.files_read > MAX_INCLUDED_FILES:
            raise InputError(
                f"{path!r}: more than {MAX_INCLUDED_FILES} -r/-c files read in all, "
                "counting repeated includes (the limit)"
            )
        if len(chain) >= MAX_INCLUDE_DEPTH:
            raise InputError(
                f"{path!r} is included through a chain of more than {MAX_INCLUDE_DEPTH} "
                "-r/-c files (the limit)"
            )
        data = self.read(path)
        self.bytes_read += len(data)
        if self.bytes_read > MAX_INCLUDED_BYTES:
            raise InputError(
                f"{path!r}: more than {MAX_INCLUDED_BYTES // MIB} MiB of -r/-c files read in "
                "all, counting repeated includes (the limit)"
            )
        lines = parse_requirements_txt(data, source=path, environ=self.environ)
        for line in lines:
            if isinstance(line, Include):
                self.walk(self._nested(path, line), constraint=line.constraint, chain=(*chain, key))
            elif isinstance(line, OptionLine):
                self.options = apply_option(self.options, self._relative_links(path, line))
            elif isinstance(line, RequirementLine):
                (self.constraints if constraint else self.entries).append(line.entry)
            elif isinstance(line, LocalLine) and not constraint:
                self.add(line)
            elif isinstance(line, LocalLine):
                self.notes.append(Note(origin=line.origin, message=f"ignored local path "
                                       f"{line.path!r} in a constraints file (pip refuses it)"))
            else:
                self.notes.append(line)

    def add(self, item: RequirementEntry | LocalLine | Note) -> None:
        """A requirement, a local path (read here: a project directory or an archive), or a
        note."""
        if isinstance(item, Note):
            self.notes.append(item)
        elif isinstance(item, RequirementEntry):
            self.entries.append(item)
        else:
            entry, local = read_local(item)
            if isinstance(entry, Note):
                self.notes.append(entry)
                return
            self.entries.append(entry)
            if local is not None:
                self.local.append(local)

    @staticmethod
    def _nested(parent: str, include: Include) -> str:
        if "://" in include.path:
            raise InputError(
                f"{include.origin}: cannot follow remote requirements file {include.path!r}"
            )
        return os.path.normpath(os.path.join(os.path.dirname(parent), include.path))

    @staticmethod
    def _relative_links(parent: str, line: OptionLine) -> OptionLine:
        """pip reads a relative ``--find-links`` from the file's folder when it exists there."""
        value = line.value
        if line.name != "find-links" or value is None or "://" in value or os.path.isabs(value):
            return line
        candidate = os.path.join(os.path.dirname(parent), value)
        return replace(line, value=candidate) if os.path.exists(candidate) else line
