"""The native-library table: aliases to canonical names, distro packages, projects' known needs.

The data lives in ``native-libraries.json`` next to this module; each entry names its source.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources

__all__ = [
    "KnownProject",
    "LibraryInfo",
    "canonical_library",
    "known_project",
    "library_info",
    "library_platforms",
]

PACKAGE_MANAGERS = ("apt", "dnf", "apk", "brew", "vcpkg")


@dataclass(frozen=True, slots=True, kw_only=True)
class LibraryInfo:
    """One native library: its canonical name, the names it goes by, and its packages.

    ``packages`` maps a package manager (``apt``, ``dnf``, ``apk``, ``brew``, ``vcpkg``) to the
    package providing the library's development files.
    """

    name: str
    aliases: tuple[str, ...]
    packages: Mapping[str, str]
    source: str


@dataclass(frozen=True, slots=True, kw_only=True)
class KnownProject:
    """A project whose source build is known to need native libraries or languages."""

    name: str
    libraries: tuple[str, ...]
    languages: tuple[str, ...]
    optional: bool
    note: str
    source: str


@functools.cache
def _table() -> tuple[dict[str, LibraryInfo], dict[str, str], dict[str, KnownProject]]:
    text = resources.files(__package__).joinpath("native-libraries.json").read_text("utf-8")
    raw = json.loads(text)
    libraries: dict[str, LibraryInfo] = {}
    aliases: dict[str, str] = {}
    for name, entry in raw["libraries"].items():
        info = LibraryInfo(
            name=name,
            aliases=tuple(entry["aliases"]),
            packages={pm: entry[pm] for pm in PACKAGE_MANAGERS if entry.get(pm)},
            source=entry["source"],
        )
        libraries[name] = info
        for alias in (name, *info.aliases):
            aliases[alias.lower()] = name
    projects = {
        name: KnownProject(
            name=name,
            libraries=tuple(entry.get("libraries", ())),
            languages=tuple(entry.get("languages", ())),
            optional=bool(entry.get("optional", False)),
            note=entry.get("note", ""),
            source=entry["source"],
        )
        for name, entry in raw["projects"].items()
    }
    return libraries, aliases, projects


def canonical_library(name: str) -> str | None:
    """The canonical name for ``name`` as a build file spells it, or ``None`` if unknown."""
    return _table()[1].get(name.strip().lower())


def library_info(name: str) -> LibraryInfo | None:
    """Packages and source for a canonical library name."""
    return _table()[0].get(name)


@functools.cache
def _platform_table() -> dict[str, tuple[str, ...]]:
    text = resources.files(__package__).joinpath("native-libraries.json").read_text("utf-8")
    raw = json.loads(text).get("platform_libraries", {})
    return {
        name.lower(): tuple(entry["platforms"])
        for name, entry in raw.items()
        if not name.startswith("comment")
    }


def library_platforms(spelled: str) -> tuple[str, ...]:
    """The platforms a library exists on when it is part of one OS (``kstat``: ``sunos``);
    ``()`` for a library that can be anywhere."""
    return _platform_table().get(spelled.strip().lower(), ())


def known_project(name: str) -> KnownProject | None:
    """Known native needs of a project, by normalized name (``pillow``, ``python-ldap``)."""
    return _table()[2].get(name)
