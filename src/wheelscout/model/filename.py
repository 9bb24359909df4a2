"""Distribution file names: ``name-version(-build)?-python-abi-platform.whl`` and sdists.

The one parser every layer uses (the resolver, find-links directories, ``metadata``, ``audit``,
pylock and requirements inputs, sdist inspection), reading a name as pip's finder does: a name
pip cannot parse is skipped (``None``), never an error; :func:`read_dist_filename` also says why,
for the callers that report it.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from packaging.tags import Tag, parse_tag
from packaging.utils import canonicalize_name, parse_sdist_filename
from packaging.version import Version

from wheelscout.limits import version_problem, wheel_filename_problem
from wheelscout.model.project import NormalizedName

__all__ = ["DistFilename", "parse_dist_filename", "read_dist_filename", "read_wheel_filename"]

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

    @property
    def tags(self) -> frozenset[Tag]:
        """The wheel's expanded tags (a parsed name's tag count is within the limit); empty for
        an sdist."""
        return frozenset(parse_tag(self.tag_text)) if self.tag_text else frozenset()


def parse_dist_filename(filename: str) -> DistFilename | None:
    """Parse a wheel or sdist file name; ``None`` for names pip would skip (invalid, not a dist)."""
    parsed = read_dist_filename(filename)
    return None if isinstance(parsed, str) else parsed


def read_dist_filename(filename: str) -> DistFilename | str:
    """Parse a wheel or sdist file name, or say why it is none (for a message that quotes it)."""
    if filename.endswith(".whl"):
        return _parse_wheel(filename)
    if filename.endswith(SDIST_SUFFIXES):
        try:
            name, version = parse_sdist_filename(filename)
        except ValueError as exc:  # InvalidSdistFilename, InvalidVersion, or too many digits
            return str(exc)
        return DistFilename(name=NormalizedName(name), version=version)
    return f"not a distribution: a name ends in .whl, {' or '.join(SDIST_SUFFIXES)}"


def read_wheel_filename(filename: str) -> DistFilename | str:
    """Parse a wheel file name, or say why it is none."""
    if not filename.endswith(".whl"):
        return "a wheel's name ends in .whl"
    return _parse_wheel(filename)


def _parse_wheel(filename: str) -> DistFilename | str:
    if (problem := wheel_filename_problem(filename)) is not None:
        return problem  # as pip does with a name it cannot parse: the file is skipped
    match = _WHEEL.match(filename)
    if match is None:
        return "not name-version(-build)?-python-abi-platform.whl"
    version = _version(match["version"])
    if version is None:
        return f"invalid version {match['version']!r}"
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
