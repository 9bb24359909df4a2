"""The one place inputs touch the disk: read files, follow ``-r``/``-c``, build a RequirementSet."""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from wheelscout.errors import InputError
from wheelscout.inputs.model import (
    IndexOptions,
    Note,
    Origin,
    RequirementEntry,
    RequirementSet,
    Settings,
)
from wheelscout.inputs.pylock import parse_pylock
from wheelscout.inputs.pyproject import parse_pyproject, select_requirements
from wheelscout.inputs.requirements_txt import (
    Include,
    OptionLine,
    RequirementLine,
    apply_option,
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
) -> RequirementSet:
    """Gather everything the user gave into one :class:`RequirementSet`.

    Order follows pip: command-line requirements, then each ``-r`` file (nested includes in
    place), then each ``-c`` file. ``environ`` feeds ``${VAR}`` in requirements files and
    defaults to the process environment. Raises :class:`InputError` naming file and line.
    """
    walker = _Walker(read=_read, environ=os.environ if environ is None else environ)
    for index, text in enumerate(requirements):
        origin = Origin(source=COMMAND_LINE, key=f"requirement {index + 1}")
        parsed = parse_requirement(text, origin=origin)
        if isinstance(parsed, Note):
            walker.notes.append(parsed)
        else:
            walker.entries.append(parsed)
    for path in requirement_files:
        walker.walk(str(path), constraint=False, chain=())
    for path in constraint_files:
        walker.walk(str(path), constraint=True, chain=())
    settings = None
    if pyproject is not None:
        project = parse_pyproject(_read(str(pyproject)), source=str(pyproject))
        walker.entries.extend(select_requirements(project, extras=extras, groups=groups))
        settings = _settings_relative_to(project.settings, pyproject.parent)
    elif extras or groups:
        wanted = [*extras, *groups]
        raise InputError(f"extras and groups {wanted!r} need a pyproject.toml")
    locked = parse_pylock(_read(str(pylock)), source=str(pylock)) if pylock is not None else None
    return RequirementSet(
        entries=_unique(walker.entries),
        constraint_entries=_unique(walker.constraints),
        index_options=walker.options,
        notes=tuple(walker.notes),
        settings=settings,
        locked=locked,
    )


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
            else:
                self.notes.append(line)

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
