"""Small made-up releases as real wheels and sdists, and a simple index over them, for tests
and benchmarks.

Layout under ``root``: ``simple/index.html`` (project list), ``simple/<name>/index.html`` and
``index.json``, ``files/<filename>`` and ``files/<filename>.metadata``. Archives come from the
one wheel and sdist builders (:mod:`tests.support.wheels`, :mod:`tests.support.sdists`), pages
from the one page writer (:mod:`tests.support.index_pages`).
"""

from __future__ import annotations

import hashlib
import random
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from packaging.utils import canonicalize_name

from tests.support.index_pages import PageFile, PageStyle, write_project_page, write_root_page
from tests.support.sdists import build_sdist
from tests.support.wheels import build_wheel, core_metadata, dist_info

__all__ = ["Built", "Release", "release_sdist", "release_wheel", "write_index"]

#: API 1.1 pages (PEP 700), metadata advertised under PEP 714's name only.
STYLE = PageStyle(api_version="1.1", metadata_keys=("core-metadata",))


@dataclass(frozen=True)
class Release:
    name: str
    version: str
    requires_dist: tuple[str, ...] = ()
    requires_python: str | None = None
    padding: int = 0  # bytes of incompressible data in the wheel, before the .dist-info
    sdist: bool = False
    metadata_version: str = "2.1"
    dynamic: tuple[str, ...] = ()
    tags: tuple[str, ...] = ("py3-none-any",)  # one wheel per tag; () for an sdist only
    metadata_name: str | None = None  # a METADATA Name that differs from the file's

    def metadata(self) -> bytes:
        return core_metadata(
            self.metadata_name or self.name, self.version, requires_dist=self.requires_dist,
            requires_python=self.requires_python, dynamic=self.dynamic,
            metadata_version=self.metadata_version, description="A test project.\n",
        )


@dataclass(frozen=True)
class Built:
    filename: str
    data: bytes
    metadata: bytes
    release: Release

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


def _stem(release: Release) -> str:
    return f"{canonicalize_name(release.name).replace('-', '_')}-{release.version}"


def release_wheel(release: Release, tag: str = "py3-none-any") -> Built:
    """The release's wheel for ``tag``: one module, ``padding`` bytes of noise stored before
    the ``.dist-info`` (so its METADATA sits far from the start), METADATA, WHEEL, RECORD."""
    stem = _stem(release)
    filename = f"{stem}-{tag}.whl"
    package = stem.split("-")[0]
    members = {f"{package}/__init__.py": b"VALUE = 1\n"}
    if release.padding:
        members[f"{package}/blob.bin"] = random.Random(release.name).randbytes(release.padding)
    members[f"{dist_info(filename)}/METADATA"] = release.metadata()
    data = build_wheel(filename, members, stored=[f"{package}/blob.bin"])
    return Built(filename, data, release.metadata(), release)


def release_sdist(release: Release) -> Built:
    """The release's sdist: PKG-INFO and a setup.py that refuses to run."""
    filename = f"{_stem(release)}.tar.gz"
    files = {"PKG-INFO": release.metadata(), "setup.py": b"raise SystemExit('never run me')\n"}
    return Built(filename, build_sdist(filename, files), release.metadata(), release)


def _page_file(built: Built, metadata: bool, wrong_hash: bool) -> PageFile:
    return PageFile(
        filename=built.filename,
        url=f"../../files/{built.filename}",
        hashes={"sha256": "0" * 64 if wrong_hash else built.sha256},
        requires_python=built.release.requires_python,
        yanked=False,
        metadata_sha256=hashlib.sha256(built.metadata).hexdigest() if metadata else None,
        size=len(built.data),
    )


def write_index(root: Path, releases: Iterable[Release], *, metadata_files: bool = True,
                json_pages: bool = True, wrong_hash: Iterable[str] = (),
                no_metadata: Iterable[str] = (), sdist_metadata: bool = False) -> dict[str, Built]:
    """Write the index; returns every built file by filename. ``wrong_hash``: filenames whose
    advertised sha256 is deliberately wrong; ``no_metadata``: wheels whose page entry offers
    no ``.metadata`` file; ``sdist_metadata``: sdists offer one too (PEP 658 allows it)."""
    bad = set(wrong_hash)
    bare = set(no_metadata)

    def offers(filename: str) -> bool:
        kind_ok = filename.endswith(".whl") or sdist_metadata
        return metadata_files and kind_ok and filename not in bare

    built: dict[str, Built] = {}
    by_project: dict[str, list[Built]] = {}
    (root / "files").mkdir(parents=True, exist_ok=True)
    for release in releases:
        made = [release_wheel(release, tag) for tag in release.tags]
        made += [release_sdist(release)] if release.sdist else []
        for item in made:
            (root / "files" / item.filename).write_bytes(item.data)
            if offers(item.filename):
                (root / "files" / f"{item.filename}.metadata").write_bytes(item.metadata)
            built[item.filename] = item
            by_project.setdefault(canonicalize_name(release.name), []).append(item)
    style = STYLE if json_pages else PageStyle(formats=("html",), api_version=STYLE.api_version)
    for name, items in by_project.items():
        files = [_page_file(b, offers(b.filename), b.filename in bad) for b in items]
        write_project_page(root / "simple", name, files, style)
    write_root_page(root / "simple", by_project, PageStyle(formats=("html",)))
    return built
