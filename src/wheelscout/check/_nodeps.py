"""pip's ``--no-deps`` as a resolver whose candidates need nothing but their Python."""

from __future__ import annotations

from dataclasses import replace

from wheelscout.resolve import Resolver
from wheelscout.resolve.candidates import Candidate
from wheelscout.resolve.provider import Broken, Dependencies

__all__ = ["WithoutDependencies"]


class WithoutDependencies(Resolver):
    """Each candidate keeps its Requires-Python (pip still checks it), not its requirements;
    a broken one stays broken (pip skips it with or without dependencies)."""

    def dependencies(self, candidate: Candidate) -> Dependencies | Broken:
        found = super().dependencies(candidate)
        return found if isinstance(found, Broken) else replace(found, requires=())
