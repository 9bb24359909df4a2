"""Core metadata of one distribution file, and how much of it can be trusted."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from packaging.metadata import Metadata
from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet

__all__ = ["CoreMetadata", "MetadataSource"]

# How the bytes were obtained, cheapest first: a PEP 658 file, HTTP range reads into a wheel, a
# whole download (server refused ranges, or an sdist), or a file on local disk.
MetadataSource = Literal["metadata-file", "range", "download", "local"]


@dataclass(frozen=True, slots=True, kw_only=True)
class CoreMetadata:
    """Parsed core metadata plus provenance.

    For wheels every field is reliable. For sdists (PEP 643) only fields not named in
    ``Dynamic`` are, and only from Metadata-Version 2.2 on; before that nothing but name and
    version can be trusted, because a build may compute the rest.
    """

    metadata: Metadata = field(compare=False)
    raw: bytes = field(repr=False)
    source: MetadataSource
    from_sdist: bool = False
    bytes_transferred: int = 0
    from_cache: bool = False

    @property
    def requires_python(self) -> SpecifierSet | None:
        return self.metadata.requires_python

    @property
    def requires_dist(self) -> list[Requirement]:
        return list(self.metadata.requires_dist or [])

    @property
    def dynamic(self) -> frozenset[str]:
        return frozenset(name.lower() for name in self.metadata.dynamic or [])

    def is_trusted(self, field_name: str) -> bool:
        """Whether ``field_name`` (e.g. ``"Requires-Dist"``) is final, not computed by a build."""
        name = field_name.lower().replace("_", "-")
        if not self.from_sdist or name in ("name", "version", "metadata-version"):
            return True
        if self.metadata.metadata_version in ("1.0", "1.1", "1.2", "2.0", "2.1"):
            return False
        return name not in self.dynamic
