"""Distribution file names: ``name-version(-build)?-python-abi-platform.whl`` and sdists.

The one parser every layer uses (the resolver, find-links directories, ``metadata``), reading a
name as pip's finder does: a name pip cannot parse is skipped (``None``), never an error.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from packaging.utils import canonicalize_name, parse_sdist_filename
from packaging.version import Version

from wheelscout.limits import version_problem, wheel_filename_problem
from wheelscout.model.project import NormalizedName

__all__ = ["DistFilename", "parse_dist_filename"]

SDIST_SUFFIXES = (".tar.gz", ".zip")

# name-version(-build)?-python-abi-platform.whl (PEP 427); the parts are checked as pip does.
_WHEEL = re.compile(
    r"^(?P<name>[^\s-]+?)-(?P<version>[^\s-]+?)(?:-(?P<build>\d[^-]*))?"
    r"-(?P<tags>[^\s-]+?-[^\s-]+?-[^\s-]+?)\.whl$"
)
_BUILD = re.compile(r"^(\d+)(.*)$")


@dataclass(frozen=True, slots=True, kw_only=True)
class DistFilename:
    """What a distribution's file name says: project, version, and for a wheel its build tag
    and the tag triple as written (``cp312-cp312-win_amd64``; ``""`` for an sdist)."""

    name: NormalizedName
    version: Version
    tag_text: str = ""
    build: tuple[int, str] | tuple[()] = ()

    @property
    def is_wheel(self) -> bool:
        return bool(self.tag_text)


def parse_dist_filename(filename: str) -> DistFilename | None:
    """Parse a wheel or sdist file name; ``None`` for names pip would skip (invalid, not a dist)."""
    if filename.endswith(".whl"):
        return _parse_wheel(filename)
    if filename.endswith(SDIST_SUFFIXES):
        try:
            name, version = parse_sdist_filename(filename)
        except ValueError:  # InvalidSdistFilename, InvalidVersion, or too many digits
            return None
        return DistFilename(name=NormalizedName(name), version=version)
    return None


def _parse_wheel(filename: str) -> DistFilename | None:
    if wheel_filename_problem(filename) is not None:
        return None  # as pip does with a name it cannot parse: the file is skipped
    match = _WHEEL.match(filename)
    if match is None:
        return None
    version = _version(match["version"])
    if version is None:
        return None
    build: tuple[int, str] | tuple[()] = ()
    if match["build"]:
        number, rest = _BUILD.match(match["build"]).groups()  # type: ignore[union-attr]
        build = (int(number), rest)
    name = _name(match["name"])
    return DistFilename(name=name, version=version, tag_text=match["tags"], build=build)


@functools.lru_cache(maxsize=4096)
def _version(text: str) -> Version | None:
    # A project's page repeats each version in every file of the release: parse each once.
    if version_problem(text) is not None:
        return None
    try:
        return Version(text)
    except ValueError:  # InvalidVersion, or int() refusing thousands of digits
        return None


@functools.lru_cache(maxsize=1024)
def _name(text: str) -> NormalizedName:
    return NormalizedName(canonicalize_name(text))
