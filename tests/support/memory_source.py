"""A :class:`~wheelscout.resolve.source.ProjectSource` over plain data: resolver tests with no HTTP.

The data is resolvelib's test shape, ``{project: {version: release}}``, where a release says
its Requires-Python, dependencies, extras, wheel tags and whether it has an sdist::

    {"numpy": {"1.26.2": {"requires_python": ">=3.9", "wheels": ["cp312-cp312-win_amd64"],
                          "sdist": true}}}

Every file offers its core metadata (PEP 658), written by the one metadata writer of
:mod:`tests.support.wheels`; an sdist's is Metadata-Version 2.2 with nothing dynamic, so its
dependencies are static. :meth:`MemorySource.download` returns real archives made by the one
wheel and sdist builders.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from packaging.utils import canonicalize_name
from packaging.version import Version

from tests.support.sdists import build_sdist
from tests.support.wheels import build_wheel, core_metadata, dist_info
from wheelscout.model.metadata import CoreMetadata
from wheelscout.model.project import DistFile, NormalizedName, ProjectPage
from wheelscout.simple.metadata import parse_core_metadata

__all__ = ["MemoryRelease", "MemorySource"]

# A reserved name (RFC 2606): nothing is ever fetched, but direct references need http(s).
_BASE = "https://index.invalid/files/"
_RELEASE_KEYS = {"requires_python", "dependencies", "extras", "wheels", "sdist", "yanked"}


@dataclass(frozen=True, slots=True, kw_only=True)
class MemoryRelease:
    """One version of a project: its metadata and which files it ships."""

    requires_python: str | None = None
    dependencies: tuple[str, ...] = ()
    extras: Mapping[str, tuple[str, ...]] = field(default_factory=dict, hash=False)
    wheels: tuple[str, ...] = ("py3-none-any",)
    sdist: bool = False
    yanked: bool = False

    @classmethod
    def from_json(cls, data: Mapping[str, Any], where: str) -> MemoryRelease:
        unknown = set(data) - _RELEASE_KEYS
        if unknown:
            raise ValueError(f"unknown keys {sorted(unknown)!r} in {where!r}")
        return cls(
            requires_python=data.get("requires_python"),
            dependencies=tuple(data.get("dependencies", ())),
            extras={k: tuple(v) for k, v in data.get("extras", {}).items()},
            wheels=tuple(data.get("wheels", ("py3-none-any",))),
            sdist=bool(data.get("sdist", False)),
            yanked=bool(data.get("yanked", False)),
        )


@dataclass(frozen=True, slots=True)
class _File:
    project: str
    version: str
    release: MemoryRelease
    metadata: bytes


class MemorySource:
    """Pages and metadata from ``index``; counts every read, so tests can see what was asked."""

    def __init__(self, index: Mapping[str, Mapping[str, MemoryRelease]]) -> None:
        self._pages: dict[str, ProjectPage] = {}
        self._files: dict[str, _File] = {}
        for project, releases in index.items():
            name = NormalizedName(canonicalize_name(project))
            files = [f for v, r in sorted(releases.items(), key=lambda i: Version(i[0]))
                     for f in self._add(name, v, r)]
            self._pages[name] = ProjectPage(name=name, files=tuple(files))
        self.pages_read: Counter[str] = Counter()
        self.metadata_read: Counter[str] = Counter()

    @classmethod
    def from_json(cls, index: Mapping[str, Mapping[str, Mapping[str, Any]]]) -> MemorySource:
        return cls({
            project: {v: MemoryRelease.from_json(r, f"index.{project}.{v}")
                      for v, r in releases.items()}
            for project, releases in index.items()
        })

    def _add(self, name: str, version: str, release: MemoryRelease) -> list[DistFile]:
        stem = f"{name.replace('-', '_')}-{version}"
        filenames = [f"{stem}-{tag}.whl" for tag in release.wheels]
        filenames += [f"{stem}.tar.gz"] if release.sdist else []
        files = []
        for filename in filenames:
            meta = core_metadata(
                name, version, requires_dist=release.dependencies, extras=release.extras,
                requires_python=release.requires_python,
                metadata_version="2.1" if filename.endswith(".whl") else "2.2",
            )
            self._files[filename] = _File(name, version, release, meta)
            files.append(DistFile(
                filename=filename,
                url=_BASE + filename,
                requires_python=release.requires_python,
                yanked="" if release.yanked else None,
                core_metadata={"sha256": hashlib.sha256(meta).hexdigest()},
            ))
        return files

    # -- ProjectSource ----------------------------------------------------------------------
    def project(self, name: str) -> ProjectPage | None:
        self.pages_read[name] += 1
        return self._pages.get(canonicalize_name(name))

    def metadata(self, file: DistFile) -> CoreMetadata:
        self.metadata_read[file.filename] += 1
        raw = self._files[file.filename].metadata
        return CoreMetadata(
            metadata=parse_core_metadata(raw, file.url),
            raw=raw,
            source="metadata-file",
            from_sdist=not file.is_wheel,
        )

    def download(self, file: DistFile) -> bytes:
        known = self._files[file.filename]
        if not file.is_wheel:
            return build_sdist(file.filename, {"PKG-INFO": known.metadata})
        members = {f"{dist_info(file.filename)}/METADATA": known.metadata}
        return build_wheel(file.filename, members)

    def prefetch(self, files: Iterable[DistFile]) -> None:
        pass  # every read is immediate

    def prefetch_projects(self, names: Iterable[str]) -> None:
        pass

    def when_project(self, name: str, callback: Callable[[], object]) -> None:
        callback()

    def when_metadata(self, file: DistFile, callback: Callable[[], object]) -> None:
        callback()
