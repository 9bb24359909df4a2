"""What an index says about a project: its files, with hashes, yanks and metadata availability.

The same records come out of PEP 691 JSON and PEP 503 HTML pages.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import NewType

__all__ = ["DistFile", "NormalizedName", "ProjectList", "ProjectPage"]

NormalizedName = NewType("NormalizedName", str)


@dataclass(frozen=True, slots=True, kw_only=True)
class DistFile:
    """One distribution file listed on a project page.

    ``core_metadata`` is ``None`` when the index offers no separate ``.metadata`` file, else the
    hashes it advertises for it (possibly empty). ``yanked`` is ``None`` when not yanked, else the
    reason (``""`` when none was given).
    """

    filename: str
    url: str
    hashes: Mapping[str, str] = field(default_factory=dict, hash=False)
    requires_python: str | None = None
    yanked: str | None = None
    core_metadata: Mapping[str, str] | None = field(default=None, hash=False)
    size: int | None = None
    upload_time: str | None = None

    @property
    def is_wheel(self) -> bool:
        return self.filename.endswith(".whl")

    @property
    def metadata_url(self) -> str:
        """Where PEP 658 puts the core metadata file, whether or not the index offers one."""
        return self.url + ".metadata"


@dataclass(frozen=True, slots=True, kw_only=True)
class ProjectPage:
    """A project's page on one index (or several, merged as pip merges them)."""

    name: NormalizedName
    files: tuple[DistFile, ...]
    versions: tuple[str, ...] | None = None
    api_version: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class ProjectList:
    """The index's root page: every project it serves, by normalized name."""

    names: tuple[NormalizedName, ...]
    api_version: str | None = None
