"""Stable shards: a project always lands in the same shard for a given shard count, whatever
else is scanned, so a rescan's tasks line up with the last run's and a worker's cache stays
warm for the projects it saw before."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

from wheelscout.scan.model import ProjectSpec

__all__ = ["shard_of", "shards"]


def shard_of(name: str, count: int) -> int:
    """The shard of a canonical project name (SHA-256, not Python's salted ``hash``)."""
    digest = hashlib.sha256(name.encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big") % count


def shards(specs: Sequence[ProjectSpec], count: int) -> dict[int, list[ProjectSpec]]:
    """The non-empty shards, each in input order."""
    found: dict[int, list[ProjectSpec]] = {}
    for spec in specs:
        found.setdefault(shard_of(spec.name, count), []).append(spec)
    return dict(sorted(found.items()))
