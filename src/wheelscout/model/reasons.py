"""Why a verdict (or an unresolvable target) is what it is, as a closed set of codes beside
the English sentence.

Scripts and tests match :class:`ReasonCode` (``reason_code`` in ``check``'s JSON), never the
sentence: its words may change, the codes do not (``schema_version`` 1 adds codes, never
renames one). The README has a table of them.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

__all__ = ["Reason", "ReasonCode"]


class ReasonCode(enum.Enum):
    """The reason for one package's verdict on one target."""

    # Installs from a wheel (``wheel_kind`` says pure, abi3 or platform).
    WHEEL = "wheel"  # the chosen version has a wheel that fits the target
    DIRECT_WHEEL = "direct-wheel"  # a direct reference (name @ url) to a wheel that fits
    LOCKED_WHEEL = "locked-wheel"  # the lock lists a wheel that fits
    # Builds from source: what the chosen release ships instead of a fitting wheel.
    ONLY_SDIST = "only-sdist"  # no wheels at all
    WRONG_PYTHON = "wrong-python"  # wheels for this platform, but only for other Pythons
    NO_MATCHING_WHEEL = "no-matching-wheel"  # wheels, but only for other platforms
    BINARY_NOT_ALLOWED = "binary-not-allowed"  # a wheel fits, but --no-binary rules it out
    DIRECT_REFERENCE = "direct-reference"  # a direct reference pip builds (sdist, VCS, dir)
    LOCAL_PROJECT = "local-project"  # a local project directory, built by the installer
    LOCKED_SDIST = "locked-sdist"  # no locked wheel fits: the installer builds the locked sdist
    # Cannot install: no wheel fits, and building is no way out.
    CANNOT_BUILD_HERE = "cannot-build-here"  # iOS, Android, Pyodide: wheels are cross-built
    BUILD_NOT_ALLOWED = "build-not-allowed"  # building is off (--only-binary, binary-only mode)
    NO_SDIST = "no-sdist"  # no wheel fits and the release has no sdist to build from
    DIRECT_WHEEL_MISMATCH = "direct-wheel-mismatch"  # a direct reference to a wheel that misfits
    LOCKED_NO_WHEEL = "locked-no-wheel"  # no locked wheel fits, and the lock has no sdist
    # Cannot install: nothing to choose from.
    NOT_FOUND = "not-found"  # no configured index has the project
    NO_FILES = "no-files"  # the index lists no file pip can use
    NO_MATCHING_VERSION = "no-matching-version"  # no release matches the requirement
    YANKED = "yanked"  # every matching release is yanked and none is pinned
    REQUIRES_PYTHON = "requires-python"  # every matching release excludes the target's Python
    NO_INSTALLABLE_RELEASE = "no-installable-release"  # releases match, none installs here
    BROKEN_METADATA = "broken-metadata"  # every matching release has unusable metadata
    # Why a target is unresolvable (a result's ``conflict_code``; REQUIRES_PYTHON also serves).
    CONFLICT = "conflict"  # the requirements contradict each other on this target
    RESOLUTION_TOO_DEEP = "resolution-too-deep"  # gave up after pip's limit of rounds
    TOO_MANY_UNAVAILABLE = "too-many-unavailable"  # too many projects have nothing installable
    LOCK_ENVIRONMENT = "lock-environment"  # the lock's environments exclude the target
    # A verdict built by hand (tests, other tools) that named no code.
    OTHER = "other"


@dataclass(frozen=True, slots=True, kw_only=True)
class Reason:
    """A verdict's reason: the code scripts match and the sentence people read."""

    code: ReasonCode
    text: str
