"""Read ``PKG-INFO`` out of a source distribution without unpacking it or running anything.

The archive goes through the guarded walk of :mod:`wheelscout.sdist.archive`: a hostile sdist
(a decompression bomb, a member flood, a PKG-INFO of gigabytes) ends at a limit, never in
memory exhaustion.
"""

from __future__ import annotations

from typing import IO

from wheelscout.errors import MalformedResponse
from wheelscout.limits import MAX_MEMBER_BYTES
from wheelscout.model.build import FindingKind
from wheelscout.sdist.archive import Limits, walk_archive

__all__ = ["read_pkg_info"]

# Findings that explain why no PKG-INFO came out (path and link findings do not).
_UNREADABLE = frozenset(
    {
        FindingKind.UNSUPPORTED_FORMAT,
        FindingKind.CORRUPT,
        FindingKind.TRUNCATED,
        FindingKind.TOO_MANY_MEMBERS,
        FindingKind.TOO_LARGE,
        FindingKind.MEMBER_SKIPPED,
    }
)
_LIMITS = Limits(max_member_bytes=MAX_MEMBER_BYTES, max_read_bytes=MAX_MEMBER_BYTES)


def read_pkg_info(stream: IO[bytes], filename: str) -> bytes:
    """The ``<name>-<version>/PKG-INFO`` member of an sdist (``.tar.gz``, ``.tar.*`` or ``.zip``).

    Only the top-level PKG-INFO counts: nested ones belong to vendored projects or egg-info.
    """
    walk = walk_archive(stream, wanted=_is_top_pkg_info, limits=_LIMITS, first_only=True)
    for data in walk.files.values():
        return data
    problems = [f for f in walk.findings if f.code in _UNREADABLE]
    if problems:
        finding = problems[0]
        where = f"{finding.member}: " if finding.member else ""
        raise MalformedResponse(f"sdist {filename!r} cannot be read: {where}{finding.message}")
    raise MalformedResponse(f"sdist {filename!r} has no top-level PKG-INFO")


def _is_top_pkg_info(name: str) -> bool:
    parts = name.strip("/").split("/")
    return len(parts) == 2 and parts[1] == "PKG-INFO"
