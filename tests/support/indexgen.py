"""Build real, small wheels and sdists, and a simple index over them, for tests and benchmarks.

Layout under ``root``: ``simple/index.html`` (project list), ``simple/<name>/index.html`` and
``index.json``, ``files/<filename>`` and ``files/<filename>.metadata``.
"""

from __future__ import annotations

import hashlib
import html
import io
import json
import random
import tarfile
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from packaging.utils import canonicalize_name

__all__ = ["Built", "Release", "build_sdist", "build_wheel", "write_index"]


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
        lines = [f"Metadata-Version: {self.metadata_version}",
                 f"Name: {self.metadata_name or self.name}", f"Version: {self.version}"]
        lines += [f"Dynamic: {field}" for field in self.dynamic]
        if self.requires_python:
            lines.append(f"Requires-Python: {self.requires_python}")
        lines += [f"Requires-Dist: {req}" for req in self.requires_dist]
        return ("\n".join(lines) + "\n\nA test project.\n").encode()


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


def build_wheel(release: Release, tag: str = "py3-none-any") -> Built:
    stem = _stem(release)
    buffer = io.BytesIO()
    package = stem.split("-")[0]
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as wheel:
        wheel.writestr(f"{package}/__init__.py", "VALUE = 1\n")
        if release.padding:
            noise = random.Random(release.name).randbytes(release.padding)
            wheel.writestr(f"{package}/blob.bin", noise, compress_type=zipfile.ZIP_STORED)
        wheel.writestr(f"{stem}.dist-info/METADATA", release.metadata())
        wheel.writestr(f"{stem}.dist-info/WHEEL", "Wheel-Version: 1.0\nRoot-Is-Purelib: true\n"
                       f"Tag: {tag}\n")
        wheel.writestr(f"{stem}.dist-info/RECORD", "")
    return Built(f"{stem}-{tag}.whl", buffer.getvalue(), release.metadata(), release)


def build_sdist(release: Release) -> Built:
    stem = _stem(release)
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
        for name, content in ((f"{stem}/PKG-INFO", release.metadata()),
                              (f"{stem}/setup.py", b"raise SystemExit('never run me')\n")):
            info = tarfile.TarInfo(name)
            info.size = len(content)
            archive.addfile(info, io.BytesIO(content))
    return Built(f"{stem}.tar.gz", buffer.getvalue(), release.metadata(), release)


def _anchor(built: Built, metadata: bool, wrong_hash: bool) -> str:
    digest = "0" * 64 if wrong_hash else built.sha256
    attrs = f'href="../../files/{built.filename}#sha256={digest}"'
    if built.release.requires_python:
        attrs += f' data-requires-python="{html.escape(built.release.requires_python)}"'
    if metadata:
        meta_digest = hashlib.sha256(built.metadata).hexdigest()
        attrs += f' data-core-metadata="sha256={meta_digest}"'
    return f"<a {attrs}>{built.filename}</a><br/>"


def _json_file(built: Built, metadata: bool, wrong_hash: bool) -> dict[str, object]:
    entry: dict[str, object] = {
        "filename": built.filename,
        "url": f"../../files/{built.filename}",
        "hashes": {"sha256": "0" * 64 if wrong_hash else built.sha256},
        "requires-python": built.release.requires_python,
        "size": len(built.data),
        "yanked": False,
    }
    if metadata:
        entry["core-metadata"] = {"sha256": hashlib.sha256(built.metadata).hexdigest()}
    return entry


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
        made = [build_wheel(release, tag) for tag in release.tags]
        made += [build_sdist(release)] if release.sdist else []
        for item in made:
            (root / "files" / item.filename).write_bytes(item.data)
            if offers(item.filename):
                (root / "files" / f"{item.filename}.metadata").write_bytes(item.metadata)
            built[item.filename] = item
            by_project.setdefault(canonicalize_name(release.name), []).append(item)
    for name, items in by_project.items():
        page = root / "simple" / name
        page.mkdir(parents=True, exist_ok=True)
        anchors = "\n".join(
            _anchor(b, offers(b.filename), b.filename in bad) for b in items
        )
        html_page = f"<!DOCTYPE html><html><body>\n{anchors}\n</body></html>\n"
        (page / "index.html").write_text(html_page)
        if json_pages:
            document = {
                "meta": {"api-version": "1.1"},
                "name": name,
                "versions": sorted({b.release.version for b in items}),
                "files": [
                    _json_file(b, offers(b.filename), b.filename in bad)
                    for b in items
                ],
            }
            (page / "index.json").write_text(json.dumps(document))
    listing = "\n".join(f'<a href="{n}/">{n}</a>' for n in sorted(by_project))
    (root / "simple" / "index.html").write_text(f"<html><body>\n{listing}\n</body></html>\n")
    return built
