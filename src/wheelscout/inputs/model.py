"""Frozen records for what a user asked for: requirements, constraints, index options, locks."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

from packaging.markers import Marker
from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet
from packaging.version import Version

from wheelscout.model.project import NormalizedName
from wheelscout.redact import redact_text

__all__ = [
    "ALL",
    "IndexOptions",
    "LockedFile",
    "LockedPackage",
    "Mode",
    "Note",
    "Origin",
    "Pylock",
    "RequirementEntry",
    "RequirementSet",
    "Settings",
]

#: The pip spelling meaning "every package" in ``--no-binary`` / ``--only-binary``.
ALL = ":all:"

Mode = Literal["default", "prefer-binary", "only-binary"]


@dataclass(frozen=True, slots=True, kw_only=True)
class Origin:
    """Where an input came from: a file and line, a TOML key, or ``<command line>``."""

    source: str
    line: int | None = None
    key: str | None = None

    def __str__(self) -> str:
        text = self.source if self.line is None else f"{self.source}:{self.line}"
        return text if self.key is None else f"{text} ({self.key})"


@dataclass(frozen=True, slots=True, kw_only=True)
class Note:
    """Something the user wrote that wheelscout ignored or could not use, and why."""

    origin: Origin
    message: str

    def __str__(self) -> str:
        # Notes quote what was skipped (a VCS URL with a token, a bare URL): never its secret.
        return redact_text(f"{self.origin}: {self.message}")


@dataclass(frozen=True, slots=True, kw_only=True)
class RequirementEntry:
    """One requirement with its provenance.

    ``direct`` is true for ``name @ url`` references, which never come from an index.
    ``hashes`` are pip's ``--hash`` values as ``algorithm:hexdigest`` strings.
    """

    requirement: Requirement
    origin: Origin
    hashes: tuple[str, ...] = ()
    direct: bool = False


@dataclass(frozen=True, slots=True, kw_only=True)
class IndexOptions:
    """pip's index and format options, merged across every file in the order pip reads them.

    ``no_binary`` and ``only_binary`` hold normalised names or :data:`ALL`; they are kept
    mutually exclusive the way pip's ``FormatControl`` keeps them.
    """

    index_url: str | None = None
    extra_index_urls: tuple[str, ...] = ()
    find_links: tuple[str, ...] = ()
    no_index: bool = False
    no_binary: frozenset[str] = frozenset()
    only_binary: frozenset[str] = frozenset()
    prefer_binary: bool = False
    pre: bool = False


@dataclass(frozen=True, slots=True, kw_only=True)
class Settings:
    """``[tool.wheelscout]`` of pyproject.toml; ``None`` fields were not set."""

    targets: tuple[str, ...] | None = None
    pythons: tuple[str, ...] | None = None
    index_url: str | None = None
    extra_index_urls: tuple[str, ...] | None = None
    find_links: tuple[str, ...] | None = None
    mode: Mode | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class LockedFile:
    """A wheel, sdist or archive named in a pylock.toml, with its required hashes."""

    name: str | None
    url: str | None = None
    path: str | None = None
    size: int | None = None
    upload_time: str | None = None
    hashes: Mapping[str, str] = field(default_factory=dict, hash=False)


@dataclass(frozen=True, slots=True, kw_only=True)
class LockedPackage:
    """One ``[[packages]]`` entry of a PEP 751 lock file.

    At most one of ``sdist`` (possibly with ``wheels``), ``archive``, ``vcs_url`` and
    ``directory`` says where it comes from.
    """

    name: NormalizedName
    version: Version | None = None
    marker: Marker | None = None
    requires_python: SpecifierSet | None = None
    index: str | None = None
    wheels: tuple[LockedFile, ...] = ()
    sdist: LockedFile | None = None
    archive: LockedFile | None = None
    vcs_url: str | None = None
    directory: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Pylock:
    """A parsed ``pylock.toml`` (PEP 751)."""

    lock_version: str
    created_by: str
    environments: tuple[Marker, ...] = ()
    requires_python: SpecifierSet | None = None
    extras: tuple[str, ...] = ()
    dependency_groups: tuple[str, ...] = ()
    default_groups: tuple[str, ...] = ()
    packages: tuple[LockedPackage, ...] = ()
    # The platform and Python a `wheelscout lock` file was written for ([tool.wheelscout]).
    target: str | None = None
    python: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class RequirementSet:
    """Everything wheelscout was asked to check, ready for the resolver.

    ``notes`` lists input that was skipped (editables, local paths, ``--trusted-host``), so the
    CLI can say so instead of silently dropping it.
    """

    entries: tuple[RequirementEntry, ...] = ()
    constraint_entries: tuple[RequirementEntry, ...] = ()
    index_options: IndexOptions = IndexOptions()
    notes: tuple[Note, ...] = ()
    settings: Settings | None = None
    locked: Pylock | None = None

    @property
    def requirements(self) -> tuple[Requirement, ...]:
        return tuple(entry.requirement for entry in self.entries)

    @property
    def constraints(self) -> tuple[Requirement, ...]:
        return tuple(entry.requirement for entry in self.constraint_entries)
