"""Where the resolver gets project pages and metadata: a protocol, not the HTTP client.

:class:`~wheelscout.index.BlockingIndexClient` satisfies it structurally (nothing subclasses
it); tests resolve over an in-memory source built from plain data, with no HTTP at all.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Protocol

from wheelscout.model.metadata import CoreMetadata
from wheelscout.model.project import DistFile, ProjectPage

__all__ = ["ProjectSource"]


class ProjectSource(Protocol):
    """What one resolution reads: pages by project name, metadata and bytes by file.

    Reads block. The ``prefetch``/``when_*`` hooks only give a head start: a source may do the
    work at once, later, or not at all, as long as the blocking reads answer. Faults of a read
    (:mod:`wheelscout.errors`) surface from the blocking call, never from a hook.
    """

    def project(self, name: str) -> ProjectPage | None:
        """The project's page, or ``None`` when no index serves it (not a fault)."""
        ...

    def metadata(self, file: DistFile) -> CoreMetadata:
        """The core metadata of one file of a page."""
        ...

    def download(self, file: DistFile) -> bytes:
        """The whole file: direct references are read from their archive."""
        ...

    def prefetch(self, files: Iterable[DistFile]) -> None:
        """Start reading these files' metadata; :meth:`metadata` collects it."""
        ...

    def prefetch_projects(self, names: Iterable[str]) -> None:
        """Start reading these projects' pages; :meth:`project` collects them."""
        ...

    def when_project(self, name: str, callback: Callable[[], object]) -> None:
        """Call ``callback`` once the page is here (skipped if reading it fails).
        ``callback`` must not block; it may run on another thread."""
        ...

    def when_metadata(self, file: DistFile, callback: Callable[[], object]) -> None:
        """As :meth:`when_project`, for one file's metadata."""
        ...
